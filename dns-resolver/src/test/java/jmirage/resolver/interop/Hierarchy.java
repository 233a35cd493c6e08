package jmirage.resolver.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * A DNS hierarchy of real authoritative servers on loopback: a root, the TLD {@code example.} and
 * its zones, each server an NSD process on port 53 of its own 127.153.0.x address (port 53 because
 * a resolver asks authorities there, and a hints file has no port), zones signed with BIND's
 * {@code dnssec-signzone} with keys made for the run. It writes the root hints (named.root form) and
 * the trust anchor (the root's DS) that every resolver under test is given. The tree covers what a
 * resolver must get right:
 *
 * <pre>
 * .                    127.153.0.1   signed, alg 13, NSEC
 * example.             127.153.0.2   signed, alg 13, NSEC; the delegations below, DS where signed
 *   secure.example.    127.153.0.3   signed, alg 13, NSEC: names, wildcard, empty non-terminal, CNAMEs out
 *   nsec3.example.     127.153.0.4   signed, alg 8 (RSA/SHA-256), NSEC3 (no salt, 0 iterations: RFC 9276)
 *   insecure.example.  127.153.0.5   unsigned, no DS: an insecure delegation
 *   lame.example.      .0.7 (lame: REFUSED), .0.5 (good), .0.8 (nothing listens)
 *   oob.example.       its server named ns.insecure.example: no glue, the name is resolved first
 *   bogus.example.     127.153.0.6   signed, alg 13, an A record changed after signing: bogus
 *   expired.example.   127.153.0.6   signed, alg 15 (Ed25519), signatures expired yesterday: bogus
 * </pre>
 *
 * Nothing here sends a packet off the machine: the servers listen on loopback only.
 */
public final class Hierarchy implements AutoCloseable {

    /** The prefix of the authorities' addresses: 127.153.0.1 to 127.153.0.9. */
    public static final String AUTHORITIES = "127.153.0.";

    /** How a zone is signed. */
    enum Signing {
        NONE(List.of(), List.of()),
        ECDSA_NSEC(List.of("-a", "ECDSAP256SHA256"), List.of()),
        RSA_NSEC3(List.of("-a", "RSASHA256", "-b", "2048"), List.of("-3", "-", "-H", "0")),
        /** RFC 4035 5.3.1: a signature past its expiration does not validate; -P skips signzone's own check. */
        ED25519_EXPIRED(List.of("-a", "ED25519"), List.of("-P", "-s", "now-30d", "-e", "now-1d")),
        /** Signed, then an A record's address changed: the RRSIG no longer matches (RFC 4035 5.3.3). */
        ECDSA_TAMPERED(List.of("-a", "ECDSAP256SHA256"), List.of());

        final List<String> keygen;
        final List<String> signzone;

        Signing(List<String> keygen, List<String> signzone) {
            this.keygen = keygen;
            this.signzone = signzone;
        }

        boolean signed() {
            return this != NONE;
        }
    }

    /**
     * One zone: its origin ("." for the root), the server (last byte of 127.153.0.x) that serves it,
     * how it is signed, and its records besides the SOA, the DNSKEY and the DS of signed children
     * (added here). A parent's delegation records (NS and glue) are written in the parent.
     */
    record Zone(String origin, int server, Signing signing, String records) {
        String fileName() {
            return origin.equals(".") ? "root" : origin.substring(0, origin.length() - 1);
        }

        Name name() {
            return Name.of(origin);
        }
    }

    /** The changed address of the tampered zone: what a client with CD set gets. */
    static final String TAMPERED_ADDRESS = "192.0.2.99";

    static final List<Zone> ZONES = List.of(
            new Zone(".", 1, Signing.ECDSA_NSEC, """
                    . NS a.root.
                    a.root. A 127.153.0.1
                    example. NS ns.example.
                    ns.example. A 127.153.0.2
                    """),
            new Zone("example.", 2, Signing.ECDSA_NSEC, """
                    example. NS ns.example.
                    ns.example. A 127.153.0.2
                    secure.example. NS ns.secure.example.
                    ns.secure.example. A 127.153.0.3
                    nsec3.example. NS ns.nsec3.example.
                    ns.nsec3.example. A 127.153.0.4
                    insecure.example. NS ns.insecure.example.
                    ns.insecure.example. A 127.153.0.5
                    bogus.example. NS ns.bogus.example.
                    ns.bogus.example. A 127.153.0.6
                    expired.example. NS ns.expired.example.
                    ns.expired.example. A 127.153.0.6
                    lame.example. NS ns1.lame.example.
                    lame.example. NS ns2.lame.example.
                    lame.example. NS ns3.lame.example.
                    ns1.lame.example. A 127.153.0.7
                    ns2.lame.example. A 127.153.0.5
                    ns3.lame.example. A 127.153.0.8
                    oob.example. NS ns.insecure.example.
                    """),
            new Zone("secure.example.", 3, Signing.ECDSA_NSEC, """
                    secure.example. NS ns.secure.example.
                    ns.secure.example. A 127.153.0.3
                    secure.example. MX 10 mail.secure.example.
                    mail.secure.example. A 192.0.2.25
                    www.secure.example. A 192.0.2.1
                    www.secure.example. AAAA 2001:db8::1
                    *.wild.secure.example. A 192.0.2.2
                    a.b.secure.example. A 192.0.2.3
                    alias.secure.example. CNAME www.nsec3.example.
                    chain.secure.example. CNAME alias.secure.example.
                    toinsecure.secure.example. CNAME www.insecure.example.
                    """),
            new Zone("nsec3.example.", 4, Signing.RSA_NSEC3, """
                    nsec3.example. NS ns.nsec3.example.
                    ns.nsec3.example. A 127.153.0.4
                    www.nsec3.example. A 192.0.2.11
                    *.wild.nsec3.example. A 192.0.2.12
                    back.nsec3.example. CNAME www.secure.example.
                    """),
            new Zone("insecure.example.", 5, Signing.NONE, """
                    insecure.example. NS ns.insecure.example.
                    ns.insecure.example. A 127.153.0.5
                    www.insecure.example. A 192.0.2.21
                    """),
            new Zone("lame.example.", 5, Signing.NONE, """
                    lame.example. NS ns1.lame.example.
                    lame.example. NS ns2.lame.example.
                    lame.example. NS ns3.lame.example.
                    ns1.lame.example. A 127.153.0.7
                    ns2.lame.example. A 127.153.0.5
                    ns3.lame.example. A 127.153.0.8
                    www.lame.example. A 192.0.2.31
                    """),
            new Zone("oob.example.", 5, Signing.NONE, """
                    oob.example. NS ns.insecure.example.
                    www.oob.example. A 192.0.2.41
                    """),
            new Zone("bogus.example.", 6, Signing.ECDSA_TAMPERED, """
                    bogus.example. NS ns.bogus.example.
                    ns.bogus.example. A 127.153.0.6
                    www.bogus.example. A 192.0.2.66
                    """),
            new Zone("expired.example.", 6, Signing.ED25519_EXPIRED, """
                    expired.example. NS ns.expired.example.
                    ns.expired.example. A 127.153.0.6
                    www.expired.example. A 192.0.2.77
                    """),
            // the lame server: authoritative for something else, so it refuses lame.example
            new Zone("decoy.", 7, Signing.NONE, """
                    decoy. NS ns.decoy.
                    ns.decoy. A 127.153.0.7
                    """));

    private final Path dir;
    private final List<Started> servers;

    private Hierarchy(Path dir, List<Started> servers) {
        this.dir = dir;
        this.servers = List.copyOf(servers);
    }

    /** The root hints file (named.root form): the root server's name and address. */
    public Path hints() {
        return dir.resolve("root.hints");
    }

    /** The trust anchor: the root's DS record in master-file form (Unbound's trust-anchor-file). */
    public Path trustAnchor() {
        return dir.resolve("root.ds");
    }

    /** The address of authority number {@code server} (1 to 9). */
    public static InetAddress authority(int server) {
        try {
            return InetAddress.getByName(AUTHORITIES + server);
        } catch (java.net.UnknownHostException literal) {
            throw new IllegalStateException(literal);
        }
    }

    /** Writes keys, zones (signed), hints and anchor under {@code dir}, starts the servers, and waits until each answers. */
    public static Hierarchy start(Path dir) throws IOException, InterruptedException {
        return start(dir, 0);
    }

    /** The zone of {@code names} names for the benchmark, on its own server (127.153.0.9). */
    public static final String BULK = "bulk.example.";

    /** The name number {@code i} of the bulk zone. */
    public static String bulkName(int i) {
        return "h" + i + "." + BULK;
    }

    /**
     * The hierarchy, and with {@code bulkNames} above 0 the zone {@link #BULK} (signed, alg 13,
     * NSEC) of that many names {@link #bulkName}, delegated from example. with its DS: what the
     * benchmark fills caches with.
     */
    public static Hierarchy start(Path dir, int bulkNames) throws IOException, InterruptedException {
        List<Zone> zones = new ArrayList<>(ZONES);
        if (bulkNames > 0) {
            StringBuilder records = new StringBuilder(BULK + " NS ns." + BULK + "\nns." + BULK + " A " + AUTHORITIES + "9\n");
            for (int i = 0; i < bulkNames; i++) {
                records.append(bulkName(i)).append(" A 10.").append(i >>> 16 & 0xff).append('.').append(i >>> 8 & 0xff).append('.')
                        .append(i & 0xff).append('\n');
            }
            Zone example = zones.get(1);
            zones.set(1, new Zone(example.origin(), example.server(), example.signing(),
                    example.records() + BULK + " NS ns." + BULK + "\nns." + BULK + " A " + AUTHORITIES + "9\n"));
            zones.add(new Zone(BULK, 9, Signing.ECDSA_NSEC, records.toString()));
        }
        return start(dir, List.copyOf(zones));
    }

    private static Hierarchy start(Path dir, List<Zone> zones) throws IOException, InterruptedException {
        Sh.requireCommand("nsd", "nsd");
        Sh.requireCommand("dnssec-keygen", "bind9-utils");
        Sh.requireCommand("dnssec-signzone", "bind9-utils");
        Files.createDirectories(dir);
        Map<String, String> keys = new LinkedHashMap<>();
        for (Zone zone : zones) {
            if (zone.signing().signed()) {
                List<String> keygen = new ArrayList<>(List.of("dnssec-keygen", "-q", "-K", dir.toString()));
                keygen.addAll(zone.signing().keygen);
                keygen.addAll(List.of("-f", "KSK", "-n", "ZONE", zone.origin()));
                keys.put(zone.origin(), Command.of(keygen).run().ok().out().strip());
            }
        }
        // children first: a parent's file holds its children's DS, made from their keys
        for (Zone zone : zones.reversed()) {
            write(dir, zone, zones, keys);
        }
        Files.writeString(dir.resolve("root.ds"), ds(dir, keys.get(".")));
        Files.writeString(dir.resolve("root.hints"), ". 3600000 NS a.root.\na.root. 3600000 A " + AUTHORITIES + "1\n");
        Map<Integer, Started> started = new LinkedHashMap<>();
        try {
            Map<Integer, List<Zone>> byServer = zones.stream()
                    .collect(Collectors.groupingBy(Zone::server, LinkedHashMap::new, Collectors.toList()));
            for (var entry : byServer.entrySet()) {
                started.put(entry.getKey(), nsd(dir, entry.getKey(), entry.getValue()));
            }
            for (Zone zone : zones) {
                awaitServing(zone, started.get(zone.server()));
            }
            return new Hierarchy(dir, new ArrayList<>(started.values()));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            started.values().forEach(Started::stop);
            throw e;
        }
    }

    private static void write(Path dir, Zone zone, List<Zone> zones, Map<String, String> keys) throws IOException {
        StringBuilder text = new StringBuilder("$TTL 3600\n");
        String primary = zone.origin().equals(".") ? "a.root." : "ns." + zone.origin();
        text.append(zone.origin()).append(" SOA ").append(primary).append(" hostmaster.").append(zone.origin().equals(".") ? "root." : zone.origin())
                .append(" 1 3600 600 86400 300\n");
        text.append(zone.records());
        for (Zone child : zones) {
            if (child.signing().signed() && isChild(child, zone, zones)) {
                text.append(ds(dir, keys.get(child.origin())));
            }
        }
        Path unsigned = dir.resolve(zone.fileName() + ".zone");
        if (!zone.signing().signed()) {
            Files.writeString(unsigned, text);
            return;
        }
        text.append(Files.readString(dir.resolve(keys.get(zone.origin()) + ".key")));
        Files.writeString(unsigned, text);
        Path signed = dir.resolve(zone.fileName() + ".signed");
        List<String> sign = new ArrayList<>(List.of("dnssec-signzone", "-q", "-K", dir.toString(), "-z", "-o", zone.origin(), "-f",
                signed.toString()));
        sign.addAll(zone.signing().signzone);
        sign.addAll(List.of(unsigned.toString(), keys.get(zone.origin())));
        Command.of(sign).in(dir).run().ok();
        if (zone.signing() == Signing.ECDSA_TAMPERED) {
            String original = Files.readString(signed);
            String changed = original.replace("192.0.2.66", TAMPERED_ADDRESS);
            if (changed.equals(original)) {
                throw new IllegalStateException("nothing to tamper with in " + signed);
            }
            Files.writeString(signed, changed);
        }
    }

    /** The zone directly under {@code parent} among ours: the parent is its longest proper suffix. */
    private static boolean isChild(Zone child, Zone parent, List<Zone> zones) {
        Name c = child.name();
        Name p = parent.name();
        if (c.labelCount() <= p.labelCount() || !c.isSubdomainOf(p)) {
            return false;
        }
        return zones.stream().map(Zone::name).noneMatch(z -> z.labelCount() > p.labelCount() && z.labelCount() < c.labelCount()
                && c.isSubdomainOf(z));
    }

    /**
     * The DS (SHA-256, RFC 4509) of a key, as dnssec-dsfromkey prints it, with a TTL: Unbound and
     * Knot Resolver take a trust anchor without one, our --trust-anchor (a master file) does not.
     */
    private static String ds(Path dir, String key) {
        return Command.of("dnssec-dsfromkey", "-T", "3600", "-2", dir.resolve(key + ".key").toString()).run().ok().out();
    }

    private static Started nsd(Path dir, int server, List<Zone> zones) throws IOException {
        Path home = dir.resolve("nsd" + server);
        Files.createDirectories(home);
        StringBuilder conf = new StringBuilder("""
                server:
                  ip-address: %s
                  port: 53
                  zonesdir: "%s"
                  database: ""
                  pidfile: "%s/nsd.pid"
                  xfrdfile: "%s/xfrd.state"
                  zonelistfile: "%s/zone.list"
                  xfrdir: "%s"
                  username: ""
                  chroot: ""
                  rrl-ratelimit: 0
                  server-count: 1
                  verbosity: 1
                remote-control:
                  control-enable: no
                """.formatted(AUTHORITIES + server, dir, home, home, home, home));
        for (Zone zone : zones) {
            String file = zone.fileName() + (zone.signing().signed() ? ".signed" : ".zone");
            conf.append("zone:\n  name: \"").append(zone.origin()).append("\"\n  zonefile: \"").append(dir.resolve(file)).append("\"\n");
        }
        Files.writeString(home.resolve("nsd.conf"), conf);
        return Command.of("nsd", "-d", "-c", home.resolve("nsd.conf").toString()).start();
    }

    private static void awaitServing(Zone zone, Started server) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(authority(zone.server()), 53);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("nsd for " + zone.origin() + " exited: " + server.out() + server.err());
            }
            Optional<jmirage.dns.Message> soa = Probe.ask(address, Probe.query(zone.name(), Type.SOA, Probe.Flags.NO_RECURSION),
                    Duration.ofMillis(200));
            if (soa.isPresent() && soa.get().header().aa() && soa.get().header().rcode() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nsd on " + address + " did not serve " + zone.origin() + " within 20 s: " + server.err());
    }

    @Override
    public void close() {
        servers.forEach(Started::stop);
    }
}
