package jmirage.authoritative.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.zone.Zone;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UpdateCoreTest {

    static final Name ORIGIN = Name.of("example.test.");
    static final Zone ZONE = Zone.parse("""
            $ORIGIN example.test.
            $TTL 300
            @    SOA ns hostmaster 10 3600 600 86400 60
            @    NS  ns
            ns   A   192.0.2.53
            www  A   192.0.2.1
            www  A   192.0.2.2
            alias CNAME www
            """, ORIGIN).orElseThrow();

    static Message update(List<Record> prereqs, List<Record> updates) {
        return new Message(new Header(1, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(ORIGIN, Type.SOA, DnsClass.IN)), prereqs, updates, List.of(), Optional.empty());
    }

    static Rdata.A a(String ip) {
        try {
            return new Rdata.A((Inet4Address) InetAddress.getByAddress(InetAddress.getByName(ip).getAddress()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Record add(String name, Rdata rd) {
        return new Record(Name.of(name), DnsClass.IN, 300, rd);
    }

    static Record delete(String name, Rdata rd) {
        return new Record(Name.of(name), DnsClass.NONE, 0, rd);
    }

    static Record deleteRrset(String name, int type) {
        return new Record(Name.of(name), DnsClass.ANY, 0, new Rdata.Empty(type));
    }

    static Zone applied(UpdateCore.Outcome o) {
        return assertInstanceOf(UpdateCore.Outcome.Applied.class, o, o.toString()).zone();
    }

    static Rcode rcode(UpdateCore.Outcome o) {
        return assertInstanceOf(UpdateCore.Outcome.Rejected.class, o).rcode();
    }

    @Test
    void addAndDeleteBumpTheSerial() {
        Zone z = applied(UpdateCore.apply(ZONE, update(List.of(), List.of(add("new.example.test.", a("192.0.2.9"))))));
        assertEquals(11, z.serial());
        assertEquals(List.of(a("192.0.2.9")), z.rrset(Name.of("new.example.test."), Type.A).orElseThrow().rdata());
        Zone back = applied(UpdateCore.apply(z, update(List.of(), List.of(delete("new.example.test.", a("192.0.2.9"))))));
        assertEquals(12, back.serial());
        assertTrue(back.rrset(Name.of("new.example.test."), Type.A).isEmpty());
        Zone noWww = applied(UpdateCore.apply(ZONE, update(List.of(), List.of(deleteRrset("www.example.test.", Type.A)))));
        assertFalse(noWww.exists(Name.of("www.example.test.")));
    }

    @Test
    void prerequisitesOfRfc2136Section32() {
        Record inUse = new Record(Name.of("www.example.test."), DnsClass.ANY, 0, new Rdata.Opaque(Type.ANY, jmirage.core.Bytes.EMPTY));
        Record notInUse = new Record(Name.of("www.example.test."), DnsClass.NONE, 0, new Rdata.Opaque(Type.ANY, jmirage.core.Bytes.EMPTY));
        Record rrsetExists = new Record(Name.of("nope.example.test."), DnsClass.ANY, 0, new Rdata.Empty(Type.A));
        Record rrsetAbsent = new Record(Name.of("www.example.test."), DnsClass.NONE, 0, new Rdata.Empty(Type.A));
        List<Record> change = List.of(add("x.example.test.", a("192.0.2.7")));
        assertEquals(12, applied(UpdateCore.apply(ZONE, update(List.of(inUse), change))).serial() + 1);
        assertEquals(Rcode.NXDOMAIN, rcode(UpdateCore.apply(ZONE, update(List.of(
                new Record(Name.of("nope.example.test."), DnsClass.ANY, 0, new Rdata.Opaque(Type.ANY, jmirage.core.Bytes.EMPTY))), change))));
        assertEquals(Rcode.YXDOMAIN, rcode(UpdateCore.apply(ZONE, update(List.of(notInUse), change))));
        assertEquals(Rcode.NXRRSET, rcode(UpdateCore.apply(ZONE, update(List.of(rrsetExists), change))));
        assertEquals(Rcode.YXRRSET, rcode(UpdateCore.apply(ZONE, update(List.of(rrsetAbsent), change))));
        // value-dependent: the whole RRset must match
        Record p1 = new Record(Name.of("www.example.test."), DnsClass.IN, 0, a("192.0.2.1"));
        Record p2 = new Record(Name.of("www.example.test."), DnsClass.IN, 0, a("192.0.2.2"));
        assertTrue(UpdateCore.apply(ZONE, update(List.of(p1, p2), change)) instanceof UpdateCore.Outcome.Applied);
        assertEquals(Rcode.NXRRSET, rcode(UpdateCore.apply(ZONE, update(List.of(p1), change))));
        // a TTL on a prerequisite, a name outside the zone
        assertEquals(Rcode.FORMERR, rcode(UpdateCore.apply(ZONE, update(List.of(
                new Record(Name.of("www.example.test."), DnsClass.IN, 5, a("192.0.2.1"))), change))));
        assertEquals(Rcode.NOTZONE, rcode(UpdateCore.apply(ZONE, update(List.of(),
                List.of(add("www.example.com.", a("192.0.2.1")))))));
    }

    @Test
    void apexSoaAndNsSurviveAndCnameConflictsAreIgnored() {
        Zone same = applied(UpdateCore.apply(ZONE, update(List.of(), List.of(
                deleteRrset("example.test.", Type.NS), deleteRrset("example.test.", Type.SOA),
                delete("example.test.", new Rdata.Ns(Name.of("ns.example.test."))),
                add("alias.example.test.", a("192.0.2.3")),
                add("www.example.test.", new Rdata.Cname(Name.of("elsewhere.example.test.")))))));
        assertEquals(ZONE, same);
        // deleting everything at the apex keeps SOA and NS
        Zone apex = applied(UpdateCore.apply(ZONE, update(List.of(), List.of(
                new Record(ORIGIN, DnsClass.ANY, 0, new jmirage.dns.Rdata.Opaque(Type.ANY, jmirage.core.Bytes.EMPTY))))));
        assertEquals(ZONE, apex);
        // an explicit higher serial is kept, a lower one ignored (then bumped by one)
        Rdata.Soa soa = ZONE.soa();
        Rdata.Soa higher = new Rdata.Soa(soa.mname(), soa.rname(), 2026010100, soa.refresh(), soa.retry(), soa.expire(), soa.minimum());
        assertEquals(2026010100, applied(UpdateCore.apply(ZONE, update(List.of(), List.of(add("example.test.", higher))))).serial());
        Rdata.Soa lower = new Rdata.Soa(soa.mname(), soa.rname(), 3, soa.refresh(), soa.retry(), soa.expire(), soa.minimum());
        assertEquals(11, applied(UpdateCore.apply(ZONE, update(List.of(), List.of(add("example.test.", lower),
                add("y.example.test.", a("192.0.2.8")))))).serial());
    }

    @Test
    void malformedUpdatesAreFormerr() {
        assertEquals(Rcode.FORMERR, rcode(UpdateCore.apply(ZONE, update(List.of(), List.of(
                new Record(Name.of("www.example.test."), DnsClass.ANY, 300, new Rdata.Empty(Type.A)))))));
        assertEquals(Rcode.FORMERR, rcode(UpdateCore.apply(ZONE, update(List.of(), List.of(
                new Record(Name.of("www.example.test."), DnsClass.CH, 0, a("192.0.2.1")))))));
        Message twoZones = new Message(update(List.of(), List.of()).header(),
                List.of(new Question(ORIGIN, Type.SOA), new Question(ORIGIN, Type.SOA)), List.of(), List.of(), List.of(),
                Optional.empty());
        assertEquals(Rcode.FORMERR, rcode(UpdateCore.apply(ZONE, twoZones)));
    }

    @Test
    void serialArithmeticWraps() {
        assertEquals(0, Serial.next(4294967295L));
        assertTrue(Serial.greater(0, 4294967295L));
        assertFalse(Serial.greater(5, 5));
        assertTrue(Serial.greater(5, 4));
        assertFalse(Serial.greater(4, 5));
        assertFalse(Serial.greater(2147483648L + 5, 5)); // exactly half way: undefined, never "greater"
    }

    // ------------------------------------------------------------------ properties

    record Change(String label, String ip) {}

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<String> labels = Arbitraries.of("a", "b", "c", "www", "ns", "alias", "x.y", "deep.x.y");
        Arbitrary<String> ips = Arbitraries.integers().between(1, 20).map(i -> "192.0.2." + i);
        return Combinators.combine(labels, ips).as(Change::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 300)
    void addingThenDeletingRestoresTheRecordsAndTheSerialOnlyGrows(@ForAll("changes") List<Change> changes) {
        List<Record> adds = new ArrayList<>();
        List<Record> deletes = new ArrayList<>();
        for (Change c : changes) {
            Name n = Name.of(c.label() + ".example.test.");
            if (ZONE.rrset(n, Type.A).map(s -> s.rdata().contains(a(c.ip()))).orElse(false) || n.equals(Name.of("alias.example.test."))) {
                continue; // already there (deleting it would remove an original), or a CNAME that ignores adds
            }
            adds.add(new Record(n, DnsClass.IN, 300, a(c.ip())));
            deletes.add(new Record(n, DnsClass.NONE, 0, a(c.ip())));
        }
        UpdateCore.Outcome up = UpdateCore.apply(ZONE, update(List.of(), adds));
        Zone added = applied(up);
        if (adds.isEmpty()) {
            assertEquals(ZONE, added);
            return;
        }
        assertTrue(Serial.greater(added.serial(), ZONE.serial()));
        for (Record r : adds) {
            assertTrue(added.rrset(r.name(), Type.A).orElseThrow().rdata().contains(r.rdata()));
        }
        Zone back = applied(UpdateCore.apply(added, update(List.of(), deletes)));
        assertTrue(Serial.greater(back.serial(), added.serial()));
        // the same records as at the start, SOA aside (apart from the TTL of RRsets the update touched)
        assertEquals(withoutSoa(ZONE).size(), withoutSoa(back).size());
        for (Record r : withoutSoa(ZONE)) {
            assertTrue(back.rrset(r.name(), r.type()).orElseThrow().rdata().contains(r.rdata()), r.toString());
        }
    }

    @Property(tries = 200)
    void aFailedPrerequisiteChangesNothing(@ForAll("changes") List<Change> changes) {
        List<Record> adds = changes.stream().map(c -> new Record(Name.of(c.label() + ".example.test."), DnsClass.IN, 300,
                (Rdata) a(c.ip()))).toList();
        Record mustBeAbsent = new Record(Name.of("www.example.test."), DnsClass.NONE, 0, new Rdata.Empty(Type.A));
        assertEquals(Rcode.YXRRSET, rcode(UpdateCore.apply(ZONE, update(List.of(mustBeAbsent), adds))));
    }

    /** One update operation on a small pool of names (none of them a CNAME, the apex, or under a DNAME). */
    record Op(int kind, String label, int type, int value) {}

    @Provide
    Arbitrary<List<List<Op>>> updateStreams() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of("a", "b", "www", "deep.x"), Arbitraries.of(Type.A, Type.TXT),
                Arbitraries.integers().between(1, 4)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(10);
    }

    static Rdata value(int type, int v) {
        return type == Type.A ? a("192.0.2." + v) : new Rdata.Txt(List.of(jmirage.core.Bytes.utf8("t" + v)));
    }

    /** A plain model of the zone's non-SOA data: (name, type, data) triples, changed as RFC 2136 3.4.2 says. */
    @Property(tries = 300)
    void updatesAgreeWithASetModel(@ForAll("updateStreams") List<List<Op>> stream) {
        java.util.Set<List<Object>> model = new java.util.HashSet<>();
        for (Record r : withoutSoa(ZONE)) {
            model.add(List.of(r.name(), r.type(), r.rdata()));
        }
        Zone zone = ZONE;
        for (List<Op> ops : stream) {
            List<Record> updates = new ArrayList<>();
            for (Op o : ops) {
                Name n = Name.of(o.label() + ".example.test.");
                Rdata rd = value(o.type(), o.value());
                switch (o.kind()) {
                    case 0, 1 -> {
                        updates.add(new Record(n, DnsClass.IN, 300, rd));
                        model.add(List.of(n, o.type(), rd));
                    }
                    case 2 -> {
                        updates.add(new Record(n, DnsClass.NONE, 0, rd));
                        model.remove(List.of(n, o.type(), rd));
                    }
                    default -> {
                        updates.add(new Record(n, DnsClass.ANY, 0, new Rdata.Empty(o.type())));
                        model.removeIf(t -> t.get(0).equals(n) && t.get(1).equals(o.type()));
                    }
                }
            }
            Zone next = applied(UpdateCore.apply(zone, update(List.of(), updates)));
            assertTrue(next.serial() == zone.serial() || Serial.greater(next.serial(), zone.serial()));
            zone = next;
            java.util.Set<List<Object>> got = new java.util.HashSet<>();
            for (Record r : withoutSoa(zone)) {
                got.add(List.of(r.name(), r.type(), r.rdata()));
            }
            assertEquals(model, got);
        }
    }

    static List<Record> withoutSoa(Zone z) {
        return z.records().stream().filter(r -> r.type() != Type.SOA).toList();
    }
}
