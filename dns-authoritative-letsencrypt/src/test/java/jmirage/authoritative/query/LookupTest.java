package jmirage.authoritative.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.authoritative.TestZones;
import jmirage.authoritative.query.Lookup.Answer;
import jmirage.authoritative.query.Lookup.AnyPolicy;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

class LookupTest {

    private static final Zones ZONES = TestZones.zones();

    private static Answer ask(String name, int type) {
        return Lookup.answer(ZONES, Name.of(name), type, AnyPolicy.ONE_RRSET);
    }

    private static List<String> lines(List<Record> records) {
        return records.stream().map(r -> r.toString().toLowerCase()).toList();
    }

    @Test
    void anExistingRRsetIsAnsweredAuthoritativelyWithoutAuthority() {
        Answer a = ask("web.example.test.", Type.A);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertTrue(a.authoritative());
        assertEquals(List.of("web.example.test. 3600 in a 192.0.2.80"), lines(a.answer()));
        assertEquals(List.of(), a.authority());
    }

    @Test
    void ownerNamesKeepTheCaseOfTheQuestion() {
        Answer a = ask("WeB.Example.TEST.", Type.A);
        assertTrue(a.answer().getFirst().name().equalsExact(Name.of("WeB.Example.TEST.")));
    }

    @Test
    void aCnameChainIsFollowedWithinTheZone() {
        Answer a = ask("chain1.example.test.", Type.A);
        assertEquals(List.of("chain1.example.test. 3600 in cname chain2.example.test.",
                "chain2.example.test. 3600 in cname chain3.example.test.",
                "chain3.example.test. 3600 in cname www.example.test.",
                "www.example.test. 3600 in cname web.example.test.",
                "web.example.test. 3600 in a 192.0.2.80"), lines(a.answer()));
        assertEquals(Rcode.NOERROR, a.rcode());
    }

    @Test
    void aCnameLoopEndsAfterEachNameOnce() {
        Answer a = ask("loop1.example.test.", Type.A);
        assertEquals(2, a.answer().size());
        assertEquals(Rcode.NOERROR, a.rcode());
    }

    @Test
    void aCnameOutOfTheZoneIsNotFollowed() {
        Answer a = ask("outside.example.test.", Type.A);
        assertEquals(List.of("outside.example.test. 3600 in cname www.example.net."), lines(a.answer()));
        assertEquals(List.of(), a.authority());
    }

    @Test
    void aCnameToANameThatDoesNotExistGivesNxdomainWithTheCname() {
        // RFC 6604 3: the RCODE is that of the last name in the chain
        Answer a = ask("dangling.example.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, a.rcode());
        assertEquals(1, a.answer().size());
        assertEquals(Type.SOA, a.authority().getFirst().type());
    }

    @Test
    void askingForTheCnameItselfGivesTheCname() {
        Answer a = ask("www.example.test.", Type.CNAME);
        assertEquals(List.of("www.example.test. 3600 in cname web.example.test."), lines(a.answer()));
    }

    @Test
    void nxdomainCarriesTheSoaWithTheNegativeTtl() {
        Answer a = ask("nope.example.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, a.rcode());
        assertTrue(a.authoritative());
        assertEquals(List.of(), a.answer());
        // RFC 2308 3: min(SOA TTL 3600, MINIMUM 300)
        assertEquals(List.of("example.test. 300 in soa ns1.example.test. hostmaster.example.test. 2026112801 7200 900 1209600 300"),
                lines(a.authority()));
    }

    @Test
    void nodataCarriesTheSoa() {
        Answer a = ask("web.example.test.", Type.MX);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals(List.of(), a.answer());
        assertEquals(Type.SOA, a.authority().getFirst().type());
    }

    @Test
    void anEmptyNonTerminalIsNodataNotNxdomain() {
        Answer ent = ask("deep.ent.example.test.", Type.A);
        assertEquals(Rcode.NOERROR, ent.rcode());
        assertEquals(List.of(), ent.answer());
        assertEquals(Rcode.NXDOMAIN, ask("other.ent.example.test.", Type.A).rcode());
    }

    @Test
    void aWildcardSynthesizesRecordsOwnedByTheQueryName() {
        Answer a = ask("anything.wild.example.test.", Type.A);
        assertEquals(List.of("anything.wild.example.test. 3600 in a 192.0.2.99"), lines(a.answer()));
        Answer deeper = ask("a.b.wild.example.test.", Type.TXT);
        assertEquals(List.of("a.b.wild.example.test. 3600 in txt \"wildcard\""), lines(deeper.answer()));
    }

    @Test
    void aWildcardWithoutTheTypeIsNodata() {
        Answer a = ask("x.wild.example.test.", Type.MX);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals(List.of(), a.answer());
        assertEquals(Type.SOA, a.authority().getFirst().type());
    }

    @Test
    void theWildcardDoesNotMatchItsOwnParentOrNamesThatExist() {
        assertEquals(Rcode.NOERROR, ask("wild.example.test.", Type.A).rcode()); // empty non-terminal
        assertEquals(List.of(), ask("wild.example.test.", Type.A).answer());
        assertEquals(Rcode.NXDOMAIN, ask("x.example.test.", Type.A).rcode());
    }

    @Test
    void aWildcardThatIsAnEmptyNonTerminalMatchesWithNodata() {
        // RFC 4592 4.9: "*.w" exists only because "x.*.w" does; "q.w" matches it and gets NODATA
        Zone z = Zone.parse("$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\nx.*.w A 192.0.2.2\n",
                Name.of("t.")).orElseThrow(e -> new IllegalStateException(e.describe()));
        Answer a = Lookup.answer(Zones.of(List.of(z)), Name.of("q.w.t."), Type.A, AnyPolicy.ALL);
        assertEquals(Rcode.NOERROR, a.rcode());
        assertEquals(List.of(), a.answer());
        assertEquals(Type.SOA, a.authority().getFirst().type());
        assertEquals(Rcode.NXDOMAIN, Lookup.answer(Zones.of(List.of(z)), Name.of("q.v.t."), Type.A, AnyPolicy.ALL).rcode());
    }

    @Test
    void aWildcardCnameIsSynthesizedAndFollowed() {
        Answer a = ask("q.cname-wild.example.test.", Type.A);
        assertEquals(List.of("q.cname-wild.example.test. 3600 in cname web.example.test.",
                "web.example.test. 3600 in a 192.0.2.80"), lines(a.answer()));
    }

    @Test
    void aDelegationGivesAReferralWithGlueAndNoAuthority() {
        for (String name : List.of("child.example.test.", "www.child.example.test.", "a.b.child.example.test.")) {
            Answer a = ask(name, Type.A);
            assertEquals(Rcode.NOERROR, a.rcode(), name);
            assertFalse(a.authoritative(), name);
            assertEquals(List.of(), a.answer(), name);
            assertEquals(List.of("child.example.test. 3600 in ns ns1.child.example.test.",
                    "child.example.test. 3600 in ns ns.example.net."), lines(a.authority()), name);
            assertEquals(List.of("ns1.child.example.test. 3600 in a 192.0.2.200",
                    "ns1.child.example.test. 3600 in aaaa 2001:db8::200"), lines(a.additional()), name);
        }
    }

    @Test
    void dsIsAnsweredAtTheParentSideOfTheCut() {
        Answer ds = ask("child.example.test.", Type.DS);
        assertTrue(ds.authoritative());
        assertEquals(1, ds.answer().size());
        assertEquals(Type.DS, ds.answer().getFirst().type());
        Answer none = ask("nodsdeleg.example.test.", Type.DS);
        assertTrue(none.authoritative());
        assertEquals(List.of(), none.answer());
        assertEquals(Type.SOA, none.authority().getFirst().type());
        // below the cut, DS is the child's business: a referral
        assertFalse(ask("x.child.example.test.", Type.DS).authoritative());
    }

    @Test
    void dsOfAServedChildZoneComesFromTheParentZone() {
        Zone child = Zone.parse("$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\n", Name.of("child.example.test."))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        Zones both = ZONES.with(child);
        Answer ds = Lookup.answer(both, Name.of("child.example.test."), Type.DS, AnyPolicy.ALL);
        assertEquals(Type.DS, ds.answer().getFirst().type());
        Answer ns = Lookup.answer(both, Name.of("child.example.test."), Type.NS, AnyPolicy.ALL);
        assertTrue(ns.authoritative());
        assertEquals(List.of("child.example.test. 60 in ns ns.child.example.test."), lines(ns.answer()));
    }

    @Test
    void aDnameRewritesNamesBelowItWithASynthesizedCname() {
        Answer a = ask("host.dn.example.test.", Type.A);
        assertEquals(List.of("dn.example.test. 3600 in dname example.net.",
                "host.dn.example.test. 3600 in cname host.example.net."), lines(a.answer()));
        Answer local = ask("x.dnlocal.example.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, local.rcode()); // x.web.example.test does not exist
        assertEquals(2, local.answer().size());
        Answer owner = ask("dn.example.test.", Type.DNAME);
        assertEquals(List.of("dn.example.test. 3600 in dname example.net."), lines(owner.answer()));
    }

    @Test
    void aDnameThatMakesTheNameTooLongIsYxdomain() {
        String label = "a".repeat(63);
        Zone z = Zone.parse("$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\nd DNAME " + label + "." + label + "."
                + label + ".x.\n", Name.of("t.")).orElseThrow(e -> new IllegalStateException(e.describe()));
        Name q = Name.of(label + "." + label + ".d.t.");
        Answer a = Lookup.answer(Zones.of(List.of(z)), q, Type.A, AnyPolicy.ALL);
        assertEquals(Rcode.YXDOMAIN, a.rcode());
    }

    @Test
    void namesOutsideEveryZoneAreRefusedWithoutAa() {
        Answer a = ask("example.org.", Type.A);
        assertEquals(Rcode.REFUSED, a.rcode());
        assertFalse(a.authoritative());
        assertEquals(Rcode.REFUSED, ask("test.", Type.SOA).rcode());
    }

    @Test
    void anyOverUdpGivesOneRRsetAndOverTcpAll() {
        Answer one = ask("example.test.", Type.ANY);
        assertEquals(Type.A, one.answer().getFirst().type());
        assertTrue(one.answer().stream().allMatch(r -> r.type() == Type.A));
        Answer all = Lookup.answer(ZONES, Name.of("example.test."), Type.ANY, AnyPolicy.ALL);
        assertEquals(List.of(Type.A, Type.NS, Type.SOA, Type.MX, Type.TXT, Type.AAAA, Type.HTTPS, Type.CAA),
                all.answer().stream().map(Record::type).distinct().toList());
        Answer cname = ask("www.example.test.", Type.ANY);
        assertEquals(Type.CNAME, cname.answer().getFirst().type());
        assertEquals(Rcode.NXDOMAIN, ask("nope.example.test.", Type.ANY).rcode());
    }

    @Test
    void mxNsAndSrvAnswersCarryTheTargetsAddresses() {
        Answer mx = ask("example.test.", Type.MX);
        assertEquals(List.of("mail.example.test. 3600 in a 192.0.2.25"), lines(mx.additional()));
        Answer ns = ask("example.test.", Type.NS);
        assertEquals(List.of("ns1.example.test. 3600 in a 192.0.2.53", "ns1.example.test. 3600 in aaaa 2001:db8::53"),
                lines(ns.additional()));
        Answer srv = ask("_sip._udp.example.test.", Type.SRV);
        assertEquals(List.of("sip.example.test. 3600 in a 192.0.2.60"), lines(srv.additional()));
    }

    @Test
    void unknownTypesAreServedAsStored() {
        Answer a = ask("unknown.example.test.", 65280);
        assertEquals(1, a.answer().size());
        assertTrue(a.answer().getFirst().rdata() instanceof Rdata.Opaque);
    }
}
