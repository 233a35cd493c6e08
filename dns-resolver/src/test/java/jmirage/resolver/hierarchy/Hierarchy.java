package jmirage.resolver.hierarchy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.dns.dnssec.Signer;
import jmirage.dns.dnssec.SigningKey;
import jmirage.dns.zone.MasterFile;
import jmirage.resolver.iterate.Hints;
import jmirage.sim.SeededRandom;

/**
 * A small DNS hierarchy for resolver tests, as data: a signed root, a TLD {@code test.} (NSEC3 with
 * opt-out, as real TLDs), and below it
 *
 * <ul>
 *   <li>{@code secure.test}: signed (NSEC, Ed25519 CSK), with a wildcard {@code *.wild}, a CNAME
 *       to {@code nsec3.test} and names for NODATA;
 *   <li>{@code nsec3.test}: signed with NSEC3 (RFC 9276 parameters), ECDSA KSK and ZSK;
 *   <li>{@code rsa.test}: signed with RSASHA256;
 *   <li>{@code insecure.test}: unsigned, delegated without DS (provably insecure), with a CNAME
 *       into {@code secure.test};
 *   <li>{@code bogus.test}: signed, DS in the parent, one signature corrupted (over
 *       {@code www.bogus.test A}) and one expired (over {@code old.bogus.test A});
 *   <li>{@code lame.test}: four NS, one address where nothing listens, one whose server does not
 *       serve the zone (REFUSED), and two that answer.
 * </ul>
 *
 * <p>Which names give what is in {@link Names}. Every zone has two servers (N and N + {@link #SECOND})
 * that serve the same data. Servers are numbered; {@link #address} maps a number
 * to an address (10.53.0.N on the simulated network, 127.53.0.N on loopback), and every server
 * listens on {@link #port}. Keys are generated from fixed seeds, so the zones are the same in every
 * run for a given {@code now}; signatures are valid from {@code now} minus an hour to {@code now}
 * plus 30 days. The trust anchor is the root KSK's DS.
 *
 * <p>Everything an outside resolver (unbound, kresd) or a separate process needs is here as text:
 * {@link #zoneFile}, {@link #hintsFile}, {@link #trustAnchorFile}.
 */
public final class Hierarchy {

    /** The names tests ask about, and what each should give. */
    public static final class Names {
        private Names() {}

        /** A in a secure zone (NSEC). */
        public static final Name SECURE_WWW = Name.of("www.secure.test.");
        /** NXDOMAIN in a secure zone. */
        public static final Name SECURE_NX = Name.of("nope.secure.test.");
        /** NODATA (no AAAA) in a secure zone. */
        public static final Name SECURE_NODATA = Name.of("www.secure.test.");
        /** A wildcard expansion: {@code *.wild.secure.test}. */
        public static final Name SECURE_WILDCARD = Name.of("anything.wild.secure.test.");
        /** CNAME from secure.test to www.nsec3.test, across zones, both signed. */
        public static final Name SECURE_ALIAS = Name.of("alias.secure.test.");
        public static final Name NSEC3_WWW = Name.of("www.nsec3.test.");
        public static final Name NSEC3_NX = Name.of("nope.nsec3.test.");
        public static final Name RSA_WWW = Name.of("www.rsa.test.");
        public static final Name INSECURE_WWW = Name.of("www.insecure.test.");
        /** CNAME from the unsigned zone into the signed one. */
        public static final Name INSECURE_ALIAS = Name.of("alias.insecure.test.");
        public static final Name INSECURE_NX = Name.of("nope.insecure.test.");
        /** Its RRSIG is corrupted: bogus, EDE 6 (DNSSEC Bogus). */
        public static final Name BOGUS_WWW = Name.of("www.bogus.test.");
        /** Its RRSIG expired: bogus, EDE 7 (Signature Expired). */
        public static final Name BOGUS_EXPIRED = Name.of("old.bogus.test.");
        /** Answered only by the third of lame.test's three servers. */
        public static final Name LAME_WWW = Name.of("www.lame.test.");
        /** NXDOMAIN at the TLD: no such delegation. */
        public static final Name TLD_NX = Name.of("nonexistent.test.");
    }

    /** The address of {@code www} in each zone: 192.0.2.N, N per zone, so answers tell zones apart. */
    public static final Map<Name, Inet4Address> WWW = Map.of(
            Names.SECURE_WWW, ipv4(192, 0, 2, 1), Names.NSEC3_WWW, ipv4(192, 0, 2, 2),
            Names.RSA_WWW, ipv4(192, 0, 2, 3), Names.INSECURE_WWW, ipv4(192, 0, 2, 4),
            Names.BOGUS_WWW, ipv4(192, 0, 2, 5), Names.LAME_WWW, ipv4(192, 0, 2, 6));

    /** One authoritative server: its number (its address is {@link #address}), a label for logs, the zones it serves. */
    public record Server(int number, String label, List<Name> zones) {
        public Server {
            zones = List.copyOf(zones);
        }
    }

    /** How server numbers become addresses. */
    @FunctionalInterface
    public interface Addressing {
        InetAddress address(int number);

        /** 10.53.0.N: the simulated network. */
        Addressing SIM = n -> ipv4(10, 53, 0, n);
        /** 127.53.0.N: loopback addresses of the host, each its own server on the same port. */
        Addressing LOOPBACK = n -> ipv4(127, 53, 0, n);
    }

    public static final int ROOT_SERVER = 1, TLD_SERVER = 2, ZONES_SERVER = 3, NSEC3_SERVER = 4,
            LAME_SILENT = 5, LAME_GOOD = 6;
    /** Every zone has a second server, numbered this much higher, as RFC 1034 4.1 asks ("at least two"). */
    public static final int SECOND = 10;

    private final Addressing addressing;
    private final int port;
    private final Map<Name, List<Record>> zones;
    private final List<Server> servers;
    private final List<Record> trustAnchor;

    private Hierarchy(Addressing addressing, int port, Map<Name, List<Record>> zones, List<Server> servers,
            List<Record> trustAnchor) {
        this.addressing = addressing;
        this.port = port;
        this.zones = zones;
        this.servers = servers;
        this.trustAnchor = trustAnchor;
    }

    /** The hierarchy with signatures valid around {@code now}, servers at {@code addressing} on {@code port}. */
    public static Hierarchy build(Instant now, Addressing addressing, int port) {
        Signer.Validity validity = new Signer.Validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
        Signer.Validity expired = new Signer.Validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        SigningKey rootKsk = key(Dnssec.ECDSAP256SHA256, SigningKey.KSK, 101);
        SigningKey rootZsk = key(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, 102);
        SigningKey tldKsk = key(Dnssec.ECDSAP256SHA256, SigningKey.KSK, 103);
        SigningKey tldZsk = key(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, 104);
        SigningKey secureCsk = key(Dnssec.ED25519, SigningKey.KSK, 105);
        SigningKey nsec3Ksk = key(Dnssec.ECDSAP256SHA256, SigningKey.KSK, 106);
        SigningKey nsec3Zsk = key(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, 107);
        SigningKey rsaCsk = key(Dnssec.RSASHA256, SigningKey.KSK, 108);
        SigningKey bogusCsk = key(Dnssec.ECDSAP256SHA256, SigningKey.KSK, 109);

        Map<Name, List<Record>> zones = new LinkedHashMap<>();
        // leaves first: their DS go into the TLD
        Z secure = new Z("secure.test.", addressing).ns("ns", ZONES_SERVER).ns("ns2", SECOND + ZONES_SERVER)
                .a("www", WWW.get(Names.SECURE_WWW))
                .rr("www", new Rdata.Txt(List.of(Bytes.utf8("secure"))))
                .a("*.wild", ipv4(192, 0, 2, 11))
                .rr("alias", new Rdata.Cname(Names.NSEC3_WWW));
        Signer.Signed secureSigned = sign(secure, List.of(secureCsk), validity, Signer.Denial.NSEC);
        Z nsec3 = new Z("nsec3.test.", addressing).ns("ns", NSEC3_SERVER).ns("ns2", SECOND + NSEC3_SERVER).a("www", WWW.get(Names.NSEC3_WWW))
                .a("deep.sub", ipv4(192, 0, 2, 12));
        Signer.Signed nsec3Signed = sign(nsec3, List.of(nsec3Ksk, nsec3Zsk), validity, Signer.Denial.RFC9276);
        Z rsa = new Z("rsa.test.", addressing).ns("ns", ZONES_SERVER).ns("ns2", SECOND + ZONES_SERVER).a("www", WWW.get(Names.RSA_WWW));
        Signer.Signed rsaSigned = sign(rsa, List.of(rsaCsk), validity, Signer.Denial.RFC9276);
        Z insecure = new Z("insecure.test.", addressing).ns("ns", ZONES_SERVER).ns("ns2", SECOND + ZONES_SERVER).a("www", WWW.get(Names.INSECURE_WWW))
                .rr("alias", new Rdata.Cname(Names.SECURE_WWW));
        Z bogus = new Z("bogus.test.", addressing).ns("ns", ZONES_SERVER).ns("ns2", SECOND + ZONES_SERVER).a("www", WWW.get(Names.BOGUS_WWW))
                .a("old", ipv4(192, 0, 2, 13));
        Signer.Signed bogusSigned = sign(bogus, List.of(bogusCsk), validity, Signer.Denial.NSEC);
        List<Record> bogusRecords = corrupt(bogusSigned.records(), Names.BOGUS_WWW);
        bogusRecords = resign(bogusRecords, Names.BOGUS_EXPIRED, bogusCsk, expired);
        Z lame = new Z("lame.test.", addressing);
        lame.ns("ns1", LAME_SILENT).ns("ns2", ZONES_SERVER).ns("ns3", LAME_GOOD).ns("ns4", SECOND + LAME_GOOD).a("www", WWW.get(Names.LAME_WWW));

        Z tld = new Z("test.", addressing).ns("ns", TLD_SERVER).ns("ns2", SECOND + TLD_SERVER);
        for (Z child : List.of(secure, nsec3, rsa, insecure, bogus, lame)) {
            tld.delegate(child);
        }
        tld.records.addAll(secureSigned.ds());
        tld.records.addAll(nsec3Signed.ds());
        tld.records.addAll(rsaSigned.ds());
        tld.records.addAll(bogusSigned.ds());
        Signer.Signed tldSigned = sign(tld, List.of(tldKsk, tldZsk), validity, Signer.Denial.RFC9276_OPT_OUT);

        Z root = new Z(".", addressing);
        root.ns("a.root-servers", ROOT_SERVER).ns("b.root-servers", SECOND + ROOT_SERVER).delegate(tld);
        root.records.addAll(tldSigned.ds());
        Signer.Signed rootSigned = sign(root, List.of(rootKsk, rootZsk), validity, Signer.Denial.NSEC);

        zones.put(Name.ROOT, rootSigned.records());
        zones.put(tld.origin, tldSigned.records());
        zones.put(secure.origin, secureSigned.records());
        zones.put(nsec3.origin, nsec3Signed.records());
        zones.put(rsa.origin, rsaSigned.records());
        zones.put(insecure.origin, List.copyOf(insecure.records));
        zones.put(bogus.origin, bogusRecords);
        zones.put(lame.origin, List.copyOf(lame.records));

        List<Server> servers = new ArrayList<>();
        for (int copy : List.of(0, SECOND)) {
            servers.add(new Server(copy + ROOT_SERVER, "root", List.of(Name.ROOT)));
            servers.add(new Server(copy + TLD_SERVER, "test", List.of(tld.origin)));
            // it serves no lame.test: it answers REFUSED for it (a lame server)
            servers.add(new Server(copy + ZONES_SERVER, "zones",
                    List.of(secure.origin, rsa.origin, insecure.origin, bogus.origin)));
            servers.add(new Server(copy + NSEC3_SERVER, "nsec3", List.of(nsec3.origin)));
            servers.add(new Server(copy + LAME_GOOD, "lame", List.of(lame.origin)));
        }
        return new Hierarchy(addressing, port, Map.copyOf(zones), List.copyOf(servers), rootSigned.ds());
    }

    /** The servers that run; {@link #LAME_SILENT}'s address has none. */
    public List<Server> servers() {
        return servers;
    }

    public InetAddress address(int server) {
        return addressing.address(server);
    }

    public int port() {
        return port;
    }

    /** Every zone's records, signed where the zone is, by origin. */
    public Map<Name, List<Record>> zones() {
        return zones;
    }

    /** A zone as a master file (what the authoritative server reads from its Kv, NSD or Knot from disk). */
    public String zoneFile(Name origin) {
        return MasterFile.print(zones.get(origin));
    }

    /** The Kv key the authoritative server reads a zone from ({@code _root} for the root). */
    public static String kvKey(Name origin) {
        return jmirage.authoritative.store.ZoneStore.fileName(origin);
    }

    /** The root servers for the resolver: the two of this hierarchy. */
    public Hints hints() {
        return new Hints(Map.of(Name.ROOT, List.of(
                new Hints.Server(Name.of("a.root-servers."), List.of(address(ROOT_SERVER))),
                new Hints.Server(Name.of("b.root-servers."), List.of(address(SECOND + ROOT_SERVER))))), Map.of());
    }

    /** The hints in named.root's master-file form ({@code --root-hints}, unbound's {@code root-hints}). */
    public String hintsFile() {
        return ".                        3600000 IN NS a.root-servers.\n"
                + ".                        3600000 IN NS b.root-servers.\n"
                + "a.root-servers.          3600000 IN A " + address(ROOT_SERVER).getHostAddress() + "\n"
                + "b.root-servers.          3600000 IN A " + address(SECOND + ROOT_SERVER).getHostAddress() + "\n";
    }

    /** The DS of the root's KSK: the trust anchor. */
    public List<Record> trustAnchor() {
        return trustAnchor;
    }

    /** The trust anchor in master-file form ({@code --trust-anchor}, unbound's {@code trust-anchor-file}). */
    public String trustAnchorFile() {
        return MasterFile.print(trustAnchor);
    }

    // ------------------------------------------------------------------ building

    /** A zone being built: SOA and NS at the apex, the name server's address in it when it lies inside. */
    private static final class Z {
        final Name origin;
        final Addressing addressing;
        final List<Record> records = new ArrayList<>();
        final Map<Name, InetAddress> nameServers = new LinkedHashMap<>();

        Z(String origin, Addressing addressing) {
            this.origin = Name.of(origin);
            this.addressing = addressing;
            records.add(Record.in(this.origin, 3600, new Rdata.Soa(name("ns"), name("hostmaster"), 1, 7200, 900, 1209600, 300)));
        }

        Name name(String relative) {
            return Name.parse(relative, origin).orElseThrow();
        }

        Z ns(String host, int server) {
            Name h = name(host);
            records.add(Record.in(origin, 3600, new Rdata.Ns(h)));
            nameServers.put(h, addressing.address(server));
            records.add(Record.in(h, 3600, new Rdata.A((Inet4Address) addressing.address(server))));
            return this;
        }

        Z a(String relative, Inet4Address address) {
            return rr(relative, new Rdata.A(address));
        }

        Z rr(String relative, Rdata data) {
            records.add(Record.in(name(relative), 300, data));
            return this;
        }

        /** The child's NS with glue (its name servers all lie inside it). */
        Z delegate(Z child) {
            child.nameServers.forEach((host, address) -> {
                records.add(Record.in(child.origin, 3600, new Rdata.Ns(host)));
                records.add(Record.in(host, 3600, new Rdata.A((Inet4Address) address)));
            });
            return this;
        }
    }

    private static Signer.Signed sign(Z zone, List<SigningKey> keys, Signer.Validity validity, Signer.Denial denial) {
        return Signer.sign(zone.origin, zone.records, keys, validity, denial)
                .orElseThrow(e -> new IllegalStateException(zone.origin + ": " + e.describe()));
    }

    private static SigningKey key(int algorithm, int flags, long seed) {
        return SigningKey.generate(algorithm, flags, new SeededRandom(seed))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    /** The zone with the last byte of each signature over {@code owner}'s A RRset flipped. */
    private static List<Record> corrupt(List<Record> records, Name owner) {
        return records.stream().map(r -> {
            if (r.name().equals(owner) && r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == Type.A) {
                byte[] sig = s.signature().toArray();
                sig[sig.length - 1] ^= 1;
                return new Record(r.name(), r.rrClass(), r.ttl(), new Rdata.Rrsig(s.typeCovered(), s.algorithm(), s.labels(),
                        s.originalTtl(), s.expiration(), s.inception(), s.keyTag(), s.signer(), Bytes.adopt(sig)));
            }
            return r;
        }).toList();
    }

    /** The zone with the signature over {@code owner}'s A RRset made again with {@code validity}. */
    private static List<Record> resign(List<Record> records, Name owner, SigningKey key, Signer.Validity validity) {
        List<Record> rrset = records.stream().filter(r -> r.name().equals(owner) && r.type() == Type.A).toList();
        Record sig = Signer.signRrset(Name.of("bogus.test."), rrset, key, validity)
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        List<Record> out = new ArrayList<>(records.stream()
                .filter(r -> !(r.name().equals(owner) && r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == Type.A)).toList());
        out.add(sig);
        return out;
    }

    static Inet4Address ipv4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "hierarchy of " + zones.size() + " zones on " + servers.size() + " servers";
    }
}
