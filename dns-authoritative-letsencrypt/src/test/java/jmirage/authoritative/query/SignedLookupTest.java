package jmirage.authoritative.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.TestZones;
import jmirage.authoritative.query.Lookup.Answer;
import jmirage.authoritative.query.Lookup.AnyPolicy;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Base32Hex;
import jmirage.dns.Edns;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.dns.dnssec.Signer;
import jmirage.dns.dnssec.SigningKey;
import jmirage.sim.SeededRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4035 3.1 and RFC 5155 7.2: what the server adds to answers from a pre-signed zone for a requester with DO. */
class SignedLookupTest {

    static final Name ORIGIN = TestZones.ORIGIN;
    static final Instant DURING = Instant.parse("2026-01-15T00:00:00Z");
    static final SigningKey KSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.KSK, new SeededRandom(21)).orElseThrow();
    static final SigningKey ZSK = SigningKey.generate(Dnssec.ECDSAP256SHA256, SigningKey.ZONE, new SeededRandom(22)).orElseThrow();

    static Zones signed(Signer.Denial denial) {
        List<Record> records = Signer.sign(ORIGIN, TestZones.zone().records(), List.of(KSK, ZSK),
                new Signer.Validity(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")), denial)
                .orElseThrow().records();
        return Zones.of(List.of(Zone.of(ORIGIN, records).orElseThrow(e -> new IllegalStateException(e.describe()))));
    }

    static final Zones NSEC = signed(Signer.Denial.NSEC);
    static final Zones NSEC3 = signed(Signer.Denial.RFC9276);
    static final Zones OPT_OUT = signed(Signer.Denial.RFC9276_OPT_OUT);

    static List<Zones> allDenials() {
        return List.of(NSEC, NSEC3, OPT_OUT);
    }

    static Answer ask(Zones zones, String name, int type) {
        return Lookup.answer(zones, Name.of(name), type, AnyPolicy.ALL, true);
    }

    static List<Record> all(Answer a) {
        List<Record> out = new ArrayList<>(a.answer());
        out.addAll(a.authority());
        out.addAll(a.additional());
        return out;
    }

    /** Every RRSIG of a section verifies over the RRset of its owner and type in that section; returns the types signed. */
    static List<Integer> assertSignaturesVerify(List<Record> section) {
        Map<String, List<Record>> sets = new LinkedHashMap<>();
        for (Record r : section) {
            if (r.type() != Type.RRSIG) {
                sets.computeIfAbsent(r.name().toString().toLowerCase() + "/" + r.type(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Integer> types = new ArrayList<>();
        for (Record r : section) {
            if (r.rdata() instanceof Rdata.Rrsig sig) {
                List<Record> set = sets.get(r.name().toString().toLowerCase() + "/" + sig.typeCovered());
                assertTrue(set != null, "an RRSIG without its RRset: " + r);
                Rdata.Dnskey key = sig.keyTag() == ZSK.keyTag() ? ZSK.dnskey() : KSK.dnskey();
                assertEquals(Result.ok(), Dnssec.verify(sig, key, ORIGIN, set, DURING), r.toString());
                types.add(sig.typeCovered());
            }
        }
        return types;
    }

    /** RFC 4034 4.1.1: the NSEC at {@code nsec} proves that no name lies strictly between its owner and next. */
    static boolean nsecCovers(Record nsec, Name name) {
        Name next = ((Rdata.Nsec) nsec.rdata()).next();
        return nsec.name().compareTo(name) < 0 && (name.compareTo(next) < 0 || next.equals(ORIGIN));
    }

    static Bytes ownerHash(Record nsec3) {
        return Base32Hex.decode(new String(nsec3.name().label(0), StandardCharsets.US_ASCII)).orElseThrow();
    }

    static Bytes hash(Name name) {
        return Dnssec.nsec3Hash(name, 1, 0, Bytes.EMPTY).orElseThrow();
    }

    static boolean nsec3Matches(Record nsec3, Name name) {
        return ownerHash(nsec3).equals(hash(name));
    }

    static boolean nsec3Covers(Record nsec3, Name name) {
        Bytes owner = ownerHash(nsec3);
        Bytes next = ((Rdata.Nsec3) nsec3.rdata()).nextHashedOwner();
        Bytes h = hash(name);
        return owner.compareTo(next) < 0 ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                : owner.compareTo(h) < 0 || h.compareTo(next) < 0; // the last one wraps
    }

    static List<Record> ofType(List<Record> rs, int type) {
        return rs.stream().filter(r -> r.type() == type).toList();
    }

    /** RFC 4035 3.1.3.2, RFC 5155 7.2.2: the name and the wildcard at its closest encloser are both proved absent. */
    static void assertNameErrorProved(Answer a, Name qname, Name closestEncloser, boolean nsec3) {
        Name wildcard = closestEncloser.prepend(new byte[] {'*'}).orElseThrow();
        if (!nsec3) {
            assertTrue(ofType(a.authority(), Type.NSEC).stream().anyMatch(n -> nsecCovers(n, qname)), "covers " + qname);
            assertTrue(ofType(a.authority(), Type.NSEC).stream().anyMatch(n -> nsecCovers(n, wildcard)), "covers " + wildcard);
        } else {
            Name nextCloser = qname.parent(qname.labelCount() - closestEncloser.labelCount() - 1);
            List<Record> n3 = ofType(a.authority(), Type.NSEC3);
            assertTrue(n3.stream().anyMatch(n -> nsec3Matches(n, closestEncloser)), "matches " + closestEncloser);
            assertTrue(n3.stream().anyMatch(n -> nsec3Covers(n, nextCloser)), "covers " + nextCloser);
            assertTrue(n3.stream().anyMatch(n -> nsec3Covers(n, wildcard)), "covers " + wildcard);
        }
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void withoutDoNothingDnssecIsAdded(Zones zones) {
        for (String name : List.of("web.example.test.", "nothing.example.test.", "x.wild.example.test.", "a.child.example.test.")) {
            Answer a = Lookup.answer(zones, Name.of(name), Type.A, AnyPolicy.ALL, false);
            assertTrue(all(a).stream().noneMatch(r -> r.type() == Type.RRSIG || r.type() == Type.NSEC
                    || r.type() == Type.NSEC3 || r.type() == Type.DS), name + ": " + all(a));
        }
        Message q = Message.query(1, Name.of("nothing.example.test."), Type.A, Optional.of(Edns.of(1232)));
        assertTrue(all(Responder.respond(zones, q, AnyPolicy.ALL)).stream().noneMatch(r -> r.type() == Type.RRSIG));
    }

    static List<Record> all(Message m) {
        List<Record> out = new ArrayList<>(m.answers());
        out.addAll(m.authority());
        return out;
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void aPositiveAnswerCarriesItsSignatures(Zones zones) {
        Answer a = ask(zones, "chain1.example.test.", Type.A);
        assertEquals(List.of(Type.CNAME, Type.CNAME, Type.CNAME, Type.CNAME, Type.A), assertSignaturesVerify(a.answer()));
        Message q = Message.query(1, Name.of("web.example.test."), Type.A,
                Optional.of(new Edns(1232, 0, true, 0, List.of())));
        Message r = Responder.respond(zones, q, AnyPolicy.ALL);
        assertEquals(List.of(Type.A), assertSignaturesVerify(r.answers()));
        assertTrue(r.edns().orElseThrow().dnssecOk());
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void aNameErrorCarriesTheSignedSoaAndItsProof(Zones zones) {
        Name q = Name.of("nothing.here.example.test.");
        Answer a = ask(zones, q.toString(), Type.A);
        assertEquals(Rcode.NXDOMAIN, a.rcode());
        assertTrue(assertSignaturesVerify(a.authority()).contains(Type.SOA));
        assertNameErrorProved(a, q, ORIGIN, zones != NSEC);
        // below an empty non-terminal: its closest encloser is the ENT
        Name deep = Name.of("x.ent.example.test.");
        assertNameErrorProved(ask(zones, deep.toString(), Type.A), deep, Name.of("ent.example.test."), zones != NSEC);
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void noDataIsProvedByTheNameBitmap(Zones zones) {
        Name q = Name.of("mail.example.test.");
        Answer a = ask(zones, q.toString(), Type.TXT);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals(List.of(), a.answer());
        assertSignaturesVerify(a.authority());
        if (zones == NSEC) {
            Rdata.Nsec n = (Rdata.Nsec) ofType(a.authority(), Type.NSEC).stream().filter(r -> r.name().equals(q)).findFirst()
                    .orElseThrow().rdata();
            assertTrue(n.types().contains(Type.A) && !n.types().contains(Type.TXT));
        } else {
            Rdata.Nsec3 n = (Rdata.Nsec3) ofType(a.authority(), Type.NSEC3).stream().filter(r -> nsec3Matches(r, q)).findFirst()
                    .orElseThrow().rdata();
            assertTrue(n.types().contains(Type.A) && !n.types().contains(Type.TXT));
        }
        // an empty non-terminal has no types at all
        Answer ent = ask(zones, "ent.example.test.", Type.A);
        assertEquals(Rcode.NOERROR, ent.rcode());
        if (zones == NSEC) {
            assertTrue(ofType(ent.authority(), Type.NSEC).stream().anyMatch(n -> nsecCovers(n, Name.of("ent.example.test."))));
        } else {
            assertTrue(ofType(ent.authority(), Type.NSEC3).stream().anyMatch(n -> nsec3Matches(n, Name.of("ent.example.test."))
                    && ((Rdata.Nsec3) n.rdata()).types().isEmpty()));
        }
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void aWildcardExpansionIsSignedByTheWildcardAndProvedClosest(Zones zones) {
        Name q = Name.of("x.y.wild.example.test.");
        Answer a = ask(zones, q.toString(), Type.TXT);
        assertEquals(List.of(Type.TXT), assertSignaturesVerify(a.answer()));
        Rdata.Rrsig sig = (Rdata.Rrsig) ofType(a.answer(), Type.RRSIG).getFirst().rdata();
        assertEquals(3, sig.labels(), "the labels of *.wild.example.test without the star");
        assertSignaturesVerify(a.authority());
        if (zones == NSEC) {
            assertTrue(ofType(a.authority(), Type.NSEC).stream().anyMatch(n -> nsecCovers(n, q)));
        } else {
            assertTrue(ofType(a.authority(), Type.NSEC3).stream().anyMatch(n -> nsec3Covers(n, Name.of("y.wild.example.test."))),
                    "the next closer name is covered");
        }
        // NODATA at a wildcard (RFC 4035 3.1.3.4, RFC 5155 7.2.5)
        Answer nodata = ask(zones, q.toString(), Type.MX);
        assertEquals(List.of(), nodata.answer());
        assertSignaturesVerify(nodata.authority());
        if (zones == NSEC) {
            assertTrue(ofType(nodata.authority(), Type.NSEC).stream().anyMatch(n -> nsecCovers(n, q)));
            assertTrue(ofType(nodata.authority(), Type.NSEC).stream().anyMatch(n -> n.name().equals(Name.of("*.wild.example.test."))));
        } else {
            assertTrue(ofType(nodata.authority(), Type.NSEC3).stream().anyMatch(n -> nsec3Matches(n, Name.of("*.wild.example.test."))));
            assertTrue(ofType(nodata.authority(), Type.NSEC3).stream().anyMatch(n -> nsec3Covers(n, Name.of("y.wild.example.test."))));
        }
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void aSecureReferralCarriesTheSignedDsAndAnInsecureOneItsAbsence(Zones zones) {
        Answer secure = ask(zones, "www.child.example.test.", Type.A);
        assertFalse(secure.authoritative());
        assertEquals(1, ofType(secure.authority(), Type.DS).size());
        assertEquals(List.of(Type.DS), assertSignaturesVerify(secure.authority()));
        assertTrue(ofType(secure.additional(), Type.RRSIG).isEmpty(), "glue is not signed");

        Name cut = Name.of("nodsdeleg.example.test.");
        Answer insecure = ask(zones, "www.nodsdeleg.example.test.", Type.A);
        assertEquals(List.of(), ofType(insecure.authority(), Type.DS));
        assertSignaturesVerify(insecure.authority());
        if (zones == NSEC) {
            Rdata.Nsec n = (Rdata.Nsec) ofType(insecure.authority(), Type.NSEC).stream().filter(r -> r.name().equals(cut))
                    .findFirst().orElseThrow().rdata();
            assertTrue(n.types().contains(Type.NS) && !n.types().contains(Type.DS));
        } else if (zones == NSEC3) {
            Rdata.Nsec3 n = (Rdata.Nsec3) ofType(insecure.authority(), Type.NSEC3).stream().filter(r -> nsec3Matches(r, cut))
                    .findFirst().orElseThrow().rdata();
            assertEquals(List.of(Type.NS), n.types());
        } else {
            // RFC 5155 7.2.7 with opt-out: the closest encloser (the apex) and an opt-out NSEC3 covering the cut
            assertTrue(ofType(insecure.authority(), Type.NSEC3).stream().anyMatch(r -> nsec3Matches(r, ORIGIN)));
            assertTrue(ofType(insecure.authority(), Type.NSEC3).stream().anyMatch(r -> nsec3Covers(r, cut)
                    && (((Rdata.Nsec3) r.rdata()).flags() & 1) == 1));
        }
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void theDsQuestionIsAnsweredByTheParentWithItsSignature(Zones zones) {
        Answer a = ask(zones, "child.example.test.", Type.DS);
        assertTrue(a.authoritative());
        assertEquals(List.of(Type.DS), assertSignaturesVerify(a.answer()));
        Answer none = ask(zones, "nodsdeleg.example.test.", Type.DS);
        assertTrue(none.authoritative());
        assertEquals(List.of(), none.answer());
        assertTrue(assertSignaturesVerify(none.authority()).contains(Type.SOA));
    }

    @org.junit.jupiter.api.Test
    void anNsec3OwnerNameExistsOnlyForTheNsec3Type() {
        // RFC 5155 7.2.8
        Name owner = NSEC3.lookup(ORIGIN).orElseThrow().nsec3Owners().firstEntry().getValue();
        Answer a = ask(NSEC3, owner.toString(), Type.A);
        assertEquals(Rcode.NXDOMAIN, a.rcode());
        assertNameErrorProved(a, owner, ORIGIN, true);
        Answer n3 = ask(NSEC3, owner.toString(), Type.NSEC3);
        assertEquals(Rcode.NOERROR, n3.rcode());
        assertEquals(List.of(Type.NSEC3), assertSignaturesVerify(n3.answer()));
    }

    @ParameterizedTest
    @MethodSource("allDenials")
    void anyGivesDataWithItsSignaturesNotTheSignaturesAlone(Zones zones) {
        Answer one = Lookup.answer(zones, Name.of("mail.example.test."), Type.ANY, AnyPolicy.ONE_RRSET, true);
        assertEquals(List.of(Type.A), assertSignaturesVerify(one.answer()));
        assertEquals(2, one.answer().size(), "the A record and its RRSIG");
        Answer all = Lookup.answer(zones, Name.of("mail.example.test."), Type.ANY, AnyPolicy.ALL, false);
        assertTrue(all.answer().stream().noneMatch(r -> r.type() == Type.RRSIG), "no RRSIG without DO");
    }

    @Provide
    Arbitrary<Name> names() {
        Arbitrary<String> label = Arbitraries.of("www", "web", "mail", "x", "wild", "*", "child", "nodsdeleg", "ent", "deep",
                "sub", "chain1", "dn", "zz", "a");
        return label.list().ofMinSize(0).ofMaxSize(3)
                .map(ls -> Name.of((ls.isEmpty() ? "" : String.join(".", ls) + ".") + "example.test."));
    }

    @Property(tries = 150)
    void everyAnswerWithDoVerifiesAndEveryNameErrorIsProved(@ForAll("names") Name qname,
            @ForAll("types") int qtype, @ForAll("denials") int denial) {
        Zones zones = allDenials().get(denial);
        Answer a = Lookup.answer(zones, qname, qtype, AnyPolicy.ALL, true);
        assertSignaturesVerify(a.answer());
        assertSignaturesVerify(a.authority());
        if (a.rcode() == Rcode.NXDOMAIN && a.answer().isEmpty()) {
            Name ce = qname;
            while (!zones.lookup(qname).orElseThrow().exists(ce)) {
                ce = ce.parent(1);
            }
            assertNameErrorProved(a, qname, ce, denial != 0);
        }
        if (a.rcode() == Rcode.NOERROR && a.authoritative() && !a.answer().isEmpty()) {
            assertFalse(ofType(a.answer(), Type.RRSIG).isEmpty(), "a signed answer for " + qname);
        }
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.of(Type.A, Type.TXT, Type.MX, Type.DS, Type.NS, Type.CNAME, Type.AAAA);
    }

    @Provide
    Arbitrary<Integer> denials() {
        return Arbitraries.integers().between(0, 2);
    }
}
