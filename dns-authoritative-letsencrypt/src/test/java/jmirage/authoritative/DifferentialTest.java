package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same zone served by us, by NSD and by Knot; a few thousand generated queries (existing names,
 * wildcards, NXDOMAIN, delegations and glue, CNAME and DNAME chains, DS, ANY, case variants, with
 * and without EDNS) must get the same RCODE, flags and sections, compared as sets. Where the two
 * peers differ from each other, that is an implementation choice; the normalisations below are
 * each such a choice, written out, and nothing else is forgiven.
 */
@Tag("peer")
class DifferentialTest {

    static final int US = 21153;
    static final int NSD = 21154;
    static final int KNOT = 21155;
    static final int QUERIES = 3000;
    static final Zone ZONE = TestZones.zone();

    private static Harness us;
    private static PeerServers.Daemon nsd;
    private static PeerServers.Daemon knot;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        us = Harness.onLoopback(US);
        nsd = PeerServers.nsd(temp.resolve("nsd"), "example.test", TestZones.text(), NSD);
        knot = PeerServers.knot(temp.resolve("knot"), "example.test", TestZones.text(), KNOT);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {nsd, knot, us}) {
            if (c != null) {
                c.close();
            }
        }
    }

    record Query(Name name, int type, boolean edns, boolean dnssecOk, boolean rd, boolean cd) {
        byte[] wire(int id) {
            Optional<Edns> e = edns ? Optional.of(new Edns(1232, 0, dnssecOk, 0, List.of())) : Optional.empty();
            Message m = Message.query(id, name, type, e);
            return MessageCodec.encode(m.withHeader(new Header(id, false, 0, false, false, rd, false, false, false, cd, 0)))
                    .toArray();
        }
    }

    static final List<Integer> TYPES = List.of(Type.A, Type.AAAA, Type.NS, Type.SOA, Type.CNAME, Type.MX, Type.TXT,
            Type.SRV, Type.DS, Type.DNAME, Type.PTR, Type.CAA, Type.HTTPS, Type.SVCB, Type.TLSA, Type.SSHFP, Type.NAPTR,
            Type.HINFO, Type.ANY, 65280, 99, Type.DNSKEY, Type.NSEC);

    static final List<String> INTERESTING = List.of("example.test.", "www.example.test.", "web.example.test.",
            "chain1.example.test.", "chain2.example.test.", "loop1.example.test.", "dangling.example.test.",
            "outside.example.test.", "child.example.test.", "ns1.child.example.test.", "www.child.example.test.",
            "nodsdeleg.example.test.", "a.nodsdeleg.example.test.", "dn.example.test.", "host.dn.example.test.",
            "a.b.dn.example.test.", "dnlocal.example.test.", "x.dnlocal.example.test.", "wild.example.test.",
            "a.wild.example.test.", "a.b.wild.example.test.", "*.wild.example.test.", "q.cname-wild.example.test.",
            "ent.example.test.", "deep.ent.example.test.", "sub.deep.ent.example.test.", "x.sub.deep.ent.example.test.",
            "_sip._udp.example.test.", "_udp.example.test.", "host.example.test.", "mail.example.test.",
            "long.example.test.", "unknown.example.test.", "nope.example.test.", "example.org.", "test.",
            "x.example.net.", "svc.example.test.", "4.2.0.192.in-addr.example.test.", "_443._tcp.web.example.test.");

    static List<Query> generate(long seed, Zone zone) {
        Random r = new Random(seed);
        List<Name> names = new ArrayList<>(zone.nodes().keySet());
        INTERESTING.forEach(n -> names.add(Name.of(n)));
        List<Query> out = new ArrayList<>();
        while (out.size() < QUERIES) {
            Name n = names.get(r.nextInt(names.size()));
            int shape = r.nextInt(10);
            if (shape < 3) {
                for (int i = 0, k = 1 + r.nextInt(2); i < k; i++) {
                    String label = Long.toString(r.nextLong() & 0xffffff, 36);
                    n = n.prepend(label.getBytes()).orElse(n);
                }
            }
            if (r.nextInt(3) == 0) {
                n = randomCase(n, r);
            }
            int type = TYPES.get(r.nextInt(TYPES.size()));
            boolean edns = r.nextInt(5) != 0;
            out.add(new Query(n, type, edns, edns && r.nextInt(5) == 0, r.nextInt(4) == 0, r.nextInt(8) == 0));
        }
        return out;
    }

    static Name randomCase(Name n, Random r) {
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < n.labelCount(); i++) {
            byte[] l = n.label(i);
            for (int j = 0; j < l.length; j++) {
                if (l[j] >= 'a' && l[j] <= 'z' && r.nextBoolean()) {
                    l[j] = (byte) (l[j] - 32);
                }
            }
            labels.add(l);
        }
        return Name.ofLabels(labels).orElseThrow();
    }

    /** What two servers are compared on: RCODE, flags, and each section as a set. */
    record View(int rcode, String flags, Set<Record> answer, Set<Record> authority, Set<Record> additional, boolean edns,
            boolean dnssecOk) {
        static View of(Message m) {
            Header h = m.header();
            String flags = (h.qr() ? "qr " : "") + (h.aa() ? "aa " : "") + (h.tc() ? "tc " : "") + (h.rd() ? "rd " : "")
                    + (h.ra() ? "ra " : "") + (h.ad() ? "ad " : "") + (h.cd() ? "cd " : "");
            return new View(h.rcode(), flags.trim(), new HashSet<>(m.answers()), new HashSet<>(m.authority()),
                    new HashSet<>(m.additional()), m.edns().isPresent(), m.edns().map(Edns::dnssecOk).orElse(false));
        }
    }

    enum Peer { NSD, KNOT }

    /**
     * The implementation choices where NSD and Knot themselves differ, each normalised explicitly
     * (RFC text leaves them to the server); anything else must be equal:
     * <ul>
     * <li>ANY (RFC 8482 4.1): each server picks one RRset of the name (we and Knot the lowest type,
     * NSD the SOA at the apex), so besides RCODE and flags only "one RRset, or none when the peer has
     * none" is compared when the answers differ.
     * <li>NSD, not Knot and not we, puts the zone's NS RRset in the authority section of positive
     * answers and their addresses in the additional section (RFC 1034 4.3.2 step 6 allows it; NSD's
     * minimal-responses is off by default). Removed from NSD's answers before comparing.
     * <li>NSD follows a CNAME for an NSEC or RRSIG question; Knot and we do not, since those types
     * live beside a CNAME (RFC 4035 2.5, RFC 2181 10.1). Not compared with NSD.
     * <li>NSD does no additional-section processing for SVCB/HTTPS targets; Knot and we do (RFC
     * 9460 4.1 "SHOULD"). Those addresses are removed from ours before comparing with NSD.
     * </ul>
     */
    static Optional<String> difference(Query q, View ours, View theirs, Peer peer, jmirage.authoritative.zone.Zone zone) {
        if (peer == Peer.NSD && (q.type() == Type.NSEC || q.type() == Type.RRSIG)) {
            return Optional.empty();
        }
        if (peer == Peer.NSD) {
            theirs = withoutApexNs(theirs, zone, ours);
            ours = withoutSvcbAdditional(ours);
        }
        List<String> diffs = new ArrayList<>();
        if (ours.rcode() != theirs.rcode()) {
            diffs.add("rcode " + ours.rcode() + " vs " + theirs.rcode());
        }
        if (!ours.flags().equals(theirs.flags())) {
            diffs.add("flags [" + ours.flags() + "] vs [" + theirs.flags() + "]");
        }
        if (ours.edns() != theirs.edns() || ours.dnssecOk() != theirs.dnssecOk()) {
            diffs.add("edns/do " + ours.edns() + "/" + ours.dnssecOk() + " vs " + theirs.edns() + "/" + theirs.dnssecOk());
        }
        if (q.type() == Type.ANY && !ours.answer().equals(theirs.answer())) {
            // an RRSIG goes with the RRset it covers (RFC 4035 3.1.1)
            Predicate<View> oneRRset = v -> v.answer().stream().map(r -> r.name().toLowerCase() + "/"
                    + (r.rdata() instanceof jmirage.dns.Rdata.Rrsig s ? s.typeCovered() : r.type())).distinct().count() <= 1;
            if (!oneRRset.test(ours) || ours.answer().isEmpty() != theirs.answer().isEmpty()) {
                diffs.add("ANY answer " + ours.answer() + " vs " + theirs.answer());
            }
        } else if (!ours.answer().equals(theirs.answer())) {
            diffs.add("answer " + ours.answer() + " vs " + theirs.answer());
        }
        if (!ours.authority().equals(theirs.authority())) {
            diffs.add("authority " + ours.authority() + " vs " + theirs.authority());
        }
        if (q.type() != Type.ANY && !ours.additional().equals(theirs.additional())) {
            diffs.add("additional " + ours.additional() + " vs " + theirs.additional());
        }
        return diffs.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", diffs));
    }

    /** NSD's answer without the apex NS it adds to positive answers, and without their addresses. */
    private static View withoutApexNs(View v, jmirage.authoritative.zone.Zone zone, View ours) {
        boolean addedNs = v.authority().stream().anyMatch(r -> r.type() == Type.NS && r.name().equals(zone.origin()))
                && ours.authority().stream().noneMatch(r -> r.type() == Type.NS);
        if (!addedNs) {
            return v;
        }
        Set<Name> hosts = new HashSet<>();
        v.authority().stream().filter(r -> r.rdata() instanceof jmirage.dns.Rdata.Ns)
                .forEach(r -> hosts.add(((jmirage.dns.Rdata.Ns) r.rdata()).host()));
        Set<Record> authority = new HashSet<>(v.authority());
        // with DO, the NS RRset's signature goes with it, and the addresses' signatures with them
        authority.removeIf(r -> r.type() == Type.NS || r.rdata() instanceof jmirage.dns.Rdata.Rrsig s && s.typeCovered() == Type.NS
                && r.name().equals(zone.origin()));
        Set<Record> additional = new HashSet<>(v.additional());
        // an address also asked for by the answer (MX, NS, SRV target) stays
        Set<Record> fromAnswer = new HashSet<>(ours.additional());
        additional.removeIf(r -> hosts.contains(r.name()) && !fromAnswer.contains(r));
        return new View(v.rcode(), v.flags(), v.answer(), authority, additional, v.edns(), v.dnssecOk());
    }

    /** Our answer without the addresses of SVCB/HTTPS targets in the additional section. */
    private static View withoutSvcbAdditional(View v) {
        Set<Name> targets = new HashSet<>();
        v.answer().forEach(r -> {
            if (r.rdata() instanceof jmirage.dns.Rdata.Svcb s) {
                targets.add(s.target().isRoot() ? r.name() : s.target());
            }
        });
        if (targets.isEmpty()) {
            return v;
        }
        Set<Record> additional = new HashSet<>(v.additional());
        additional.removeIf(r -> targets.contains(r.name()));
        return new View(v.rcode(), v.flags(), v.answer(), v.authority(), additional, v.edns(), v.dnssecOk());
    }

    private static Map<String, List<String>> compareOverUdp(PeerServers.Daemon peer, Peer kind, List<Query> queries) throws Exception {
        Map<String, List<String>> failures = new LinkedHashMap<>();
        int id = 1;
        for (Query q : queries) {
            byte[] wire = q.wire(id++ & 0xffff);
            byte[] a = PeerServers.udp(US, wire, 2000);
            byte[] b = PeerServers.udp(peer.port(), wire, 2000);
            assertTrue(a != null, "we did not answer " + q);
            assertTrue(b != null, peer.name() + " did not answer " + q);
            difference(q, View.of(PeerServers.decode(a)), View.of(PeerServers.decode(b)), kind, ZONE)
                    .ifPresent(d -> failures.computeIfAbsent(d, k -> new ArrayList<>()).add(q.toString()));
        }
        return failures;
    }

    private static String report(String peer, Map<String, List<String>> failures) {
        StringBuilder s = new StringBuilder(failures.size() + " kinds of difference with " + peer + ":\n");
        failures.forEach((d, qs) -> s.append("  ").append(qs.size()).append("x e.g. ").append(qs.getFirst()).append(": ")
                .append(d).append('\n'));
        return s.toString();
    }

    @Test
    void weAnswerLikeNsd() throws Exception {
        List<Query> queries = generate(7, ZONE);
        Map<String, List<String>> failures = compareOverUdp(nsd, Peer.NSD, queries);
        assertTrue(failures.isEmpty(), () -> report("NSD", failures));
    }

    @Test
    void weAnswerLikeKnot() throws Exception {
        List<Query> queries = generate(11, ZONE);
        Map<String, List<String>> failures = compareOverUdp(knot, Peer.KNOT, queries);
        assertTrue(failures.isEmpty(), () -> report("Knot", failures));
    }

    @Test
    void overTcpToo() throws Exception {
        // ANY over TCP is where we differ by choice (every RRset, RFC 8482 4.1 allows it), so not asked here
        List<Query> queries = generate(13, ZONE).subList(0, 400).stream().filter(q -> q.type() != Type.ANY).toList();
        List<byte[]> wires = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            wires.add(queries.get(i).wire(i + 1));
        }
        List<byte[]> ours = PeerServers.tcp(US, wires, 5000);
        assertEquals(queries.size(), ours.size());
        for (Peer peer : Peer.values()) {
            List<byte[]> theirs = PeerServers.tcp(peer == Peer.NSD ? NSD : KNOT, wires, 5000);
            Map<String, List<String>> failures = new LinkedHashMap<>();
            for (int i = 0; i < queries.size(); i++) {
                Query q = queries.get(i);
                difference(q, View.of(PeerServers.decode(ours.get(i))), View.of(PeerServers.decode(theirs.get(i))), peer, ZONE)
                        .ifPresent(d -> failures.computeIfAbsent(d, k -> new ArrayList<>()).add(q.toString()));
            }
            assertTrue(failures.isEmpty(), () -> report(peer + " over TCP", failures));
        }
    }
}
