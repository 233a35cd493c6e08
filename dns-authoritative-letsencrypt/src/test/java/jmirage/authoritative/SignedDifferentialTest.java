package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.dns.dnssec.Signer;
import jmirage.dns.dnssec.SigningKey;
import jmirage.dns.zone.MasterFile;
import jmirage.sim.SeededRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test zone signed by {@link Signer} (NSEC, and NSEC3 with RFC 9276 parameters) and served
 * pre-signed by us, NSD and Knot; generated queries, every one with DO, must get the same RCODE,
 * flags and sections (RRSIGs, NSEC/NSEC3 proofs, DS in referrals), with {@link DifferentialTest}'s
 * normalisations and nothing else forgiven.
 */
@Tag("peer")
class SignedDifferentialTest {

    static final SigningKey KSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.KSK, new SeededRandom(31)).orElseThrow();
    static final SigningKey ZSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, new SeededRandom(32)).orElseThrow();

    @TempDir
    Path temp;

    static String signedText(Signer.Denial denial) {
        Instant now = Instant.now();
        List<Record> signed = Signer.sign(TestZones.ORIGIN, TestZones.zone().records(), List.of(KSK, ZSK),
                new Signer.Validity(now.minusSeconds(3600), now.plusSeconds(30 * 86400)), denial).orElseThrow().records();
        return MasterFile.print(signed);
    }

    /**
     * Where NSD or Knot make choices of their own with DNSSEC, each written out; nothing else forgiven:
     * <ul>
     * <li>NSD, for an NXDOMAIN reached through a DNAME, gives only some of the NSECs we and Knot give
     * (the one covering the synthesized name is missing): its authority must be a part of ours.
     * <li>NSD, asked for a wildcard owner name itself (*.wild), adds the closest encloser proof of a
     * wildcard expansion; we and Knot answer it as the existing name it is (RFC 5155 7.2.3): ours
     * must be a part of its.
     * <li>Knot adds NSEC/NSEC3 records to the additional section for the addresses of a target it
     * lacks (SVCB); removed.
     * <li>Knot, asked for the NSEC type at a name a wildcard expands to, gives the same answer without
     * the proof that no closer name exists; its authority is taken as ours when the answers agree.
     * </ul>
     */
    static DifferentialTest.View normalised(DifferentialTest.Query q, DifferentialTest.View ours, DifferentialTest.View theirs,
            DifferentialTest.Peer peer) {
        java.util.Set<Record> authority = theirs.authority();
        java.util.Set<Record> additional = theirs.additional();
        boolean viaDname = ours.answer().stream().anyMatch(r -> r.type() == Type.DNAME);
        if (peer == DifferentialTest.Peer.NSD && viaDname && ours.rcode() == 3 && ours.authority().containsAll(authority)) {
            authority = ours.authority();
        }
        if (peer == DifferentialTest.Peer.NSD && q.name().isWildcard() && authority.containsAll(ours.authority())) {
            // only its extra denial records go: the apex NS it adds is DifferentialTest's to remove
            authority = new java.util.HashSet<>(authority);
            authority.removeIf(r -> !ours.authority().contains(r) && (r.type() == Type.NSEC || r.type() == Type.NSEC3
                    || r.rdata() instanceof Rdata.Rrsig sig && (sig.typeCovered() == Type.NSEC || sig.typeCovered() == Type.NSEC3)));
        }
        if (peer == DifferentialTest.Peer.KNOT) {
            additional = new java.util.HashSet<>(additional);
            additional.removeIf(r -> r.type() == Type.NSEC || r.type() == Type.NSEC3 || r.rdata() instanceof Rdata.Rrsig sig
                    && (sig.typeCovered() == Type.NSEC || sig.typeCovered() == Type.NSEC3));
            if (q.type() == Type.NSEC && ours.answer().equals(theirs.answer())) {
                authority = ours.authority();
            }
        }
        return new DifferentialTest.View(theirs.rcode(), theirs.flags(), theirs.answer(), authority, additional, theirs.edns(),
                theirs.dnssecOk());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withDoWeAnswerLikeNsdAndKnot(boolean nsec3) throws Exception {
        String text = signedText(nsec3 ? Signer.Denial.RFC9276 : Signer.Denial.NSEC);
        Zone zone = Zone.parse(text, TestZones.ORIGIN).orElseThrow(e -> new IllegalStateException(e.describe()));
        int base = nsec3 ? 21166 : 21163;
        try (Harness us = Harness.start(Harness::loopback, base, Map.of("example.test", text));
                PeerServers.Daemon nsd = PeerServers.nsd(temp.resolve("nsd"), "example.test", text, base + 1);
                PeerServers.Daemon knot = PeerServers.knot(temp.resolve("knot"), "example.test", text, base + 2)) {
            // names from the unsigned zone: the NSEC3 owner names are not names to ask about (RFC 5155 7.2.8)
            List<DifferentialTest.Query> queries = DifferentialTest.generate(nsec3 ? 17 : 19, TestZones.zone()).stream()
                    .map(q -> new DifferentialTest.Query(q.name(), q.type(), true, true, q.rd(), q.cd())).toList();
            StringBuilder s = new StringBuilder();
            for (DifferentialTest.Peer peer : DifferentialTest.Peer.values()) {
                Map<String, List<String>> failures = new LinkedHashMap<>();
                int id = 1;
                for (DifferentialTest.Query q : queries) {
                    byte[] wire = q.wire(id++ & 0xffff);
                    byte[] a = PeerServers.udp(base, wire, 2000);
                    byte[] b = PeerServers.udp(peer == DifferentialTest.Peer.NSD ? base + 1 : base + 2, wire, 2000);
                    assertTrue(a != null && b != null, "no answer to " + q);
                    DifferentialTest.View ours = DifferentialTest.View.of(PeerServers.decode(a));
                    DifferentialTest.difference(q, ours, normalised(q, ours, DifferentialTest.View.of(PeerServers.decode(b)), peer),
                            peer, zone)
                            .ifPresent(d -> failures.computeIfAbsent(d, k -> new ArrayList<>()).add(q.toString()));
                }
                s.append(failures.size() + " kinds of difference with " + peer + ":\n");
                failures.forEach((d, qs) -> s.append("  ").append(qs.size()).append("x e.g. ").append(qs.getFirst()).append(": ")
                        .append(d, 0, Math.min(d.length(), 1500)).append('\n'));
            }
            assertTrue(s.toString().matches("(?s)(0 kinds of difference with \\w+:\n)*"), s::toString);
        }
    }
}
