package jmirage.authoritative.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.TestZones;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Responses;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the answering core over generated questions about the test zone. */
class LookupPropertiesTest {

    private static final Zone ZONE = TestZones.zone();
    private static final Zones ZONES = Zones.of(List.of(ZONE));
    private static final List<Name> NAMES = new ArrayList<>(ZONE.nodes().keySet());
    private static final List<Integer> TYPES = List.of(Type.A, Type.AAAA, Type.NS, Type.SOA, Type.CNAME, Type.MX, Type.TXT, Type.SRV,
        Type.DS, Type.DNAME, Type.PTR, Type.CAA, Type.HTTPS, Type.SVCB, Type.TLSA, Type.SSHFP, Type.NAPTR, Type.ANY, 65280);

    record Question(Name name, int type) {}

    @Provide
    Arbitrary<Question> questions() {
        Arbitrary<Name> existing = Arbitraries.of(NAMES);
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<Name> below = Combinators.combine(existing, label.list().ofMinSize(1).ofMaxSize(3)).as((n, ls) -> {
            Name out = n;
            for (String l : ls) {
                out = out.prepend(l.getBytes()).orElse(out);
            }
            return out;
        });
        Arbitrary<Name> outside = Arbitraries.of(Name.of("example.org."), Name.of("test."), Name.ROOT, Name.of("a.example.net."));
        Arbitrary<Name> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, existing), net.jqwik.api.Tuple.of(4, below), net.jqwik.api.Tuple.of(1, outside));
        Arbitrary<Name> cased = Combinators.combine(name, Arbitraries.longs()).as(LookupPropertiesTest::randomCase);
        return Combinators.combine(cased, Arbitraries.of(TYPES)).as(Question::new);
    }

    private static Name randomCase(Name n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < n.labelCount(); i++) {
            byte[] l = n.label(i);
            for (int j = 0; j < l.length; j++) {
                if (Character.isLetter(l[j]) && r.nextBoolean()) {
                    l[j] = (byte) Character.toUpperCase(l[j]);
                }
            }
            labels.add(l);
        }
        return Name.ofLabels(labels).orElseThrow();
    }

    @Property(tries = 2000)
    void everyAnswerIsAWellFormedChainFromTheQuestion(@ForAll("questions") Question q) {
        Lookup.Answer a = Lookup.answer(ZONES, q.name(), q.type(), Lookup.AnyPolicy.ALL);
        if (!q.name().isSubdomainOf(ZONE.origin())) {
            assertEquals(Rcode.REFUSED, a.rcode());
            assertFalse(a.authoritative());
            assertTrue(a.answer().isEmpty() && a.authority().isEmpty() && a.additional().isEmpty());
            return;
        }
        // each record is owned by the question name or by a name a CNAME before it pointed to
        Set<Name> reachable = new HashSet<>(Set.of(q.name()));
        for (Record r : a.answer()) {
            boolean dnameAbove = r.type() == Type.DNAME && q.name().isSubdomainOf(r.name());
            assertTrue(reachable.contains(r.name()) || dnameAbove || reachable.stream().anyMatch(n -> n.isSubdomainOf(r.name())
                    && r.type() == Type.DNAME), () -> r + " is not on the chain from " + q);
            if (r.rdata() instanceof Rdata.Cname c) {
                reachable.add(c.target());
            }
        }
        // every answer record is zone data, or synthesized from a wildcard or a DNAME
        for (Record r : a.answer()) {
            boolean inZone = ZONE.rrset(r.name(), r.type()).map(s -> s.rdata().contains(r.rdata())).orElse(false);
            boolean fromWildcard = ZONE.nodes().entrySet().stream().anyMatch(e -> e.getKey().isWildcard()
                    && r.name().isSubdomainOf(e.getKey().parent(1))
                    && Optional.ofNullable(e.getValue().get(r.type())).map(s -> s.rdata().contains(r.rdata())).orElse(false));
            boolean fromDname = r.type() == Type.CNAME && a.answer().stream().anyMatch(d -> d.type() == Type.DNAME
                    && r.name().isSubdomainOf(d.name()));
            assertTrue(inZone || fromWildcard || fromDname, () -> r + " was made up for " + q);
        }
        boolean referral = a.authority().stream().anyMatch(r -> r.type() == Type.NS);
        boolean negative = a.authority().stream().anyMatch(r -> r.type() == Type.SOA);
        assertFalse(referral && negative);
        if (negative) {
            // RFC 2308 3: exactly the SOA, with the negative TTL
            assertEquals(1, a.authority().size());
            assertEquals(300, a.authority().getFirst().ttl());
        }
        if (a.rcode().equals(Rcode.NXDOMAIN)) {
            assertTrue(negative);
        }
        assertEquals(!(referral && a.answer().isEmpty()), a.authoritative(), () -> "AA for " + q + ": " + a);
        assertTrue(a.rcode().equals(Rcode.NOERROR) || a.rcode().equals(Rcode.NXDOMAIN), () -> "rcode " + a.rcode());
        assertTrue(!a.answer().isEmpty() || negative || referral, () -> "an empty answer without SOA or referral: " + q);
    }

    @Property(tries = 1000)
    void theCaseOfTheQuestionDoesNotChangeTheAnswer(@ForAll("questions") Question q) {
        Lookup.Answer mixed = Lookup.answer(ZONES, q.name(), q.type(), Lookup.AnyPolicy.ALL);
        Lookup.Answer lower = Lookup.answer(ZONES, q.name().toLowerCase(), q.type(), Lookup.AnyPolicy.ALL);
        assertEquals(lower, mixed); // Name equality ignores case (RFC 4343)
    }

    @Property(tries = 1000)
    void oneRRsetForAnyIsPartOfTheFullAnswer(@ForAll("questions") Question q) {
        Lookup.Answer one = Lookup.answer(ZONES, q.name(), Type.ANY, Lookup.AnyPolicy.ONE_RRSET);
        Lookup.Answer all = Lookup.answer(ZONES, q.name(), Type.ANY, Lookup.AnyPolicy.ALL);
        assertTrue(all.answer().containsAll(one.answer()));
        assertEquals(all.rcode(), one.rcode());
        // besides the DNAME/CNAME steps that led to the name, one RRset (RFC 8482 4.1)
        long sets = one.answer().stream().filter(r -> r.type() != Type.DNAME && !(r.type() == Type.CNAME && one.answer().getLast() != r))
                .map(r -> r.name().toLowerCase().toString() + "/" + r.type()).distinct().count();
        assertTrue(sets <= 1, () -> one.toString());
    }

    @Property(tries = 1000)
    void encodedResponsesFitTheLimitAndDecodeBack(@ForAll("questions") Question q,
            @ForAll("limits") int limit, @ForAll boolean edns) {
        Message query = Message.query(4242, q.name(), q.type(), edns ? Optional.of(Edns.of(limit)) : Optional.empty());
        Message response = Responder.respond(ZONES, query, Lookup.AnyPolicy.ALL);
        int max = Responses.udpLimit(query);
        Bytes wire = jmirage.dns.server.Responses.encodeWithin(response, max);
        assertTrue(wire.size() <= max, () -> wire.size() + " > " + max);
        Message back = MessageCodec.decode(wire).orElseThrow();
        assertEquals(4242, back.header().id());
        assertTrue(back.header().qr());
        assertEquals(query.questions(), back.questions());
        assertEquals(edns, back.edns().isPresent());
        if (back.header().tc()) {
            assertTrue(back.answers().isEmpty() && back.authority().isEmpty());
            assertTrue(MessageCodec.encode(response).size() > max);
        } else {
            assertEquals(response.answers(), back.answers());
            assertEquals(response.authority(), back.authority());
        }
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.integers().between(0, 4096);
    }

    @Property(tries = 200)
    void everyRRsetOfTheZoneIsFoundUnderItsOwnName(@ForAll("sets") RRset set) {
        Lookup.Answer a = Lookup.answer(ZONES, set.owner(), set.type(), Lookup.AnyPolicy.ALL);
        boolean belowCut = a.authority().stream().anyMatch(r -> r.type() == Type.NS);
        if (!belowCut) {
            assertTrue(a.answer().containsAll(set.records()), () -> set + " not in " + a);
        }
    }

    @Provide
    Arbitrary<RRset> sets() {
        List<RRset> all = new ArrayList<>();
        ZONE.nodes().values().forEach(n -> all.addAll(n.values()));
        return Arbitraries.of(all);
    }
}
