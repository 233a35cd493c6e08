package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import jmirage.authoritative.DifferentialTest.Peer;
import jmirage.authoritative.DifferentialTest.Query;
import jmirage.authoritative.DifferentialTest.View;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answering core against Knot and NSD on zones nobody wrote by hand: seeded random zones over a small
 * alphabet of labels (so names collide, nest and shadow each other), with wildcards (also in the
 * middle of a name, where they are no wildcard), delegations with and without glue, DS, CNAME and
 * DNAME chains into and out of the zone, loops, empty non-terminals. Every zone Zone.of accepts is
 * served by us, by Knot and by NSD; generated queries must get the same answers (normalised only as
 * {@link DifferentialTest#difference} says).
 */
@Tag("peer")
class RandomZoneDifferentialTest {

    static final int US = 21161;
    static final int KNOT = 21162;
    static final int NSD = 21163;
    static final int ZONES = 16;
    static final int QUERIES_PER_ZONE = 400;
    static final List<String> LABELS = List.of("a", "b", "c", "*", "www", "x");

    private static final Map<String, Zone> zones = new LinkedHashMap<>();
    private static Harness us;
    private static PeerServers.Daemon knot;
    private static PeerServers.Daemon nsd;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        Random r = new Random(2026);
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; zones.size() < ZONES; i++) {
            Name origin = Name.of("r" + i + ".test.");
            var zone = Zone.of(origin, generate(r, origin));
            if (zone instanceof jmirage.core.Result.Ok<Zone, jmirage.authoritative.zone.ZoneError>(Zone z)) {
                String file = origin.toString().substring(0, origin.toString().length() - 1);
                zones.put(file, z);
                files.put(file, z.toMasterFile());
            }
        }
        us = Harness.start(Harness::loopback, US, files);
        knot = PeerServers.knot(temp.resolve("knot"), files, KNOT);
        nsd = PeerServers.nsd(temp.resolve("nsd"), files, NSD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (knot != null) {
            knot.close();
        }
        if (nsd != null) {
            nsd.close();
        }
        if (us != null) {
            us.close();
        }
    }

    private static Name randomName(Random r, Name origin, int maxDepth) {
        Name n = origin;
        for (int d = 0, depth = 1 + r.nextInt(maxDepth); d < depth; d++) {
            n = n.prepend(LABELS.get(r.nextInt(LABELS.size())).getBytes()).orElseThrow();
        }
        return n;
    }

    /** A target: mostly in the zone, sometimes outside it. */
    private static Name target(Random r, Name origin) {
        return r.nextInt(5) == 0 ? Name.of("t" + r.nextInt(3) + ".example.net.") : randomName(r, origin, 3);
    }

    static List<Record> generate(Random r, Name origin) {
        List<Record> out = new ArrayList<>();
        out.add(Record.in(origin, 300, new Rdata.Soa(Name.of("ns1." + origin), Name.of("hm." + origin), 1, 3600, 600, 86400, 60)));
        out.add(Record.in(origin, 300, new Rdata.Ns(Name.of("ns1." + origin))));
        out.add(Record.in(Name.of("ns1." + origin), 300, new Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2.1"))));
        for (int i = 0, n = 10 + r.nextInt(25); i < n; i++) {
            Name owner = randomName(r, origin, 3);
            Rdata data = switch (r.nextInt(10)) {
                case 0, 1 -> new Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2." + (2 + r.nextInt(200))));
                case 2 -> new Rdata.Aaaa((java.net.Inet6Address) InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(1 + r.nextInt(999))));
                case 3 -> new Rdata.Txt(List.of(Bytes.utf8("t" + r.nextInt(5))));
                case 4 -> new Rdata.Mx(10 * r.nextInt(3), target(r, origin));
                case 5, 6 -> new Rdata.Cname(target(r, origin));
                case 7 -> new Rdata.Ns(r.nextBoolean() ? Name.of("ns." + owner) : target(r, origin));
                case 8 -> new Rdata.Dname(target(r, origin));
                default -> new Rdata.Ds(r.nextInt(65536), 13, 2, Bytes.fromHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
            };
            if (owner.equals(origin) && (data instanceof Rdata.Cname || data instanceof Rdata.Dname || data instanceof Rdata.Ds)) {
                continue; // apex CNAME or DNAME cannot live beside SOA and NS; DS at the apex is the parent's
            }
            if (owner.isWildcard() && (data instanceof Rdata.Ns || data instanceof Rdata.Dname || data instanceof Rdata.Ds)) {
                // RFC 4592 4.2 and 4.4: what a wildcard NS or DNAME means is not defined (Knot synthesizes a
                // referral from a wildcard NS, we answer it as data); zones should not have them
                continue;
            }
            out.add(Record.in(owner, 300, data));
            if (data instanceof Rdata.Ns ns && ns.host().isSubdomainOf(owner) && r.nextBoolean()) {
                out.add(Record.in(ns.host(), 300, new Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2.250"))));
            }
        }
        return out;
    }

    @Test
    void randomZonesAreAnsweredLikeKnot() throws Exception {
        compare(KNOT, Peer.KNOT, new Random(99));
    }

    @Test
    void randomZonesAreAnsweredLikeNsd() throws Exception {
        compare(NSD, Peer.NSD, new Random(98));
    }

    private static void compare(int port, Peer peer, Random r) throws Exception {
        List<Integer> types = List.of(Type.A, Type.AAAA, Type.TXT, Type.MX, Type.CNAME, Type.NS, Type.DNAME, Type.DS,
                Type.SOA, Type.ANY);
        Map<String, List<String>> failures = new LinkedHashMap<>();
        int id = 1;
        int asked = 0;
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (Zone zone : zones.values()) {
            List<Name> names = new ArrayList<>(zone.nodes().keySet());
            for (int i = 0; i < QUERIES_PER_ZONE; i++) {
                Name name = r.nextInt(3) == 0 ? randomName(r, zone.origin(), 4) : names.get(r.nextInt(names.size()));
                if (r.nextInt(4) == 0) {
                    name = DifferentialTest.randomCase(name, r);
                }
                boolean edns = r.nextInt(5) != 0;
                Query q = new Query(name, types.get(r.nextInt(types.size())), edns, false, r.nextBoolean(), false);
                byte[] wire = q.wire(id++ & 0xffff);
                byte[] a = PeerServers.udp(US, wire, 2000);
                byte[] b = PeerServers.udp(port, wire, 2000);
                assertTrue(a != null && b != null, "no answer to " + q);
                asked++;
                jmirage.dns.Message ours = PeerServers.decode(a);
                kinds.add(ours.header().rcode() == 3 ? "nxdomain" : !ours.header().aa() ? "referral"
                        : ours.answers().isEmpty() ? "nodata" : ours.answers().stream().anyMatch(x -> x.type() == Type.CNAME)
                        ? "alias" : "answer");
                final Zone z = zone;
                DifferentialTest.difference(q, View.of(PeerServers.decode(a)), View.of(PeerServers.decode(b)), peer, zone)
                        .ifPresent(d -> failures.computeIfAbsent(d, k -> new ArrayList<>()).add(q + " in\n" + z.toMasterFile()));
            }
        }
        int total = asked;
        // the generated zones and questions reach every kind of answer
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("nxdomain", "referral", "nodata", "alias", "answer"), kinds);
        org.junit.jupiter.api.Assertions.assertEquals(ZONES * QUERIES_PER_ZONE, total);
        assertTrue(failures.isEmpty(), () -> {
            StringBuilder s = new StringBuilder(failures.size() + " kinds of difference with " + peer + " in " + total + " queries:\n");
            failures.forEach((d, qs) -> s.append("  ").append(qs.size()).append("x: ").append(d).append("\n  e.g. ")
                    .append(qs.getFirst()).append('\n'));
            return s.toString();
        });
    }
}
