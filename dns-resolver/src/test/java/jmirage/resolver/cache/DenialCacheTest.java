package jmirage.resolver.cache;

import static jmirage.resolver.cache.Answers.SECOND;
import static jmirage.resolver.cache.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

/**
 * A signed zone {@code example.} whose NSEC chain is, in canonical order: the apex, a.example. (A),
 * del.example. (a delegation), the empty non-terminal x.example. (no NSEC of its own), c.x.example.
 * (TXT), then back to the apex.
 */
class DenialCacheTest {

    static Record nsec(String owner, String next, Integer... types) {
        return Record.in(Name.of(owner), 3600, new Rdata.Nsec(Name.of(next), List.of(types)));
    }

    static Record sig(Record of) {
        Name zone = of.name().isSubdomainOf(Name.of("other.")) ? Name.of("other.") : Name.of("example.");
        return Record.in(of.name(), of.ttl(), new Rdata.Rrsig(of.type(), 8, of.name().labelCount(), of.ttl(), 2_000_000_000L,
                1_000_000_000L, 12345, zone, Bytes.of((byte) 1, (byte) 2)));
    }

    static final Record APEX = nsec("example.", "a.example.", Type.NS, Type.SOA, Type.RRSIG, Type.NSEC, Type.DNSKEY);
    static final Record A = nsec("a.example.", "del.example.", Type.A, Type.RRSIG, Type.NSEC);
    static final Record DEL = nsec("del.example.", "c.x.example.", Type.NS, Type.RRSIG, Type.NSEC);
    static final Record CX = nsec("c.x.example.", "example.", Type.TXT, Type.RRSIG, Type.NSEC);

    /** A Secure negative answer carrying the SOA (TTL 3600, MINIMUM 300) and these NSEC records, each signed. */
    static Resolution negative(int rcode, Security security, Record... nsecs) {
        return negative("example.", rcode, security, nsecs);
    }

    static Resolution negative(String zone, int rcode, Security security, Record... nsecs) {
        List<Record> authority = new ArrayList<>();
        Record soa = Answers.soa(zone, 3600, 300);
        authority.add(soa);
        authority.add(sig(soa));
        for (Record n : nsecs) {
            authority.add(n);
            authority.add(sig(n));
        }
        return new Resolution(q("asked.example.", Type.A), rcode, List.of(), authority, List.of(), security, Optional.empty(), false);
    }

    static DenialCache learned(Security security) {
        DenialCache cache = new DenialCache(1000);
        cache.put(negative(Header.NXDOMAIN, security, A, APEX), 0);
        cache.put(negative(Header.NXDOMAIN, security, DEL, CX), 0);
        return cache;
    }

    static List<Record> nsecsOf(Resolution r) {
        return r.authority().stream().filter(x -> x.type() == Type.NSEC).toList();
    }

    @Test
    void aNameInsideASpanWithTheWildcardDisprovedIsNxdomain() {
        Resolution r = learned(Security.SECURE).answer(q("b.example.", Type.MX), 10 * SECOND).orElseThrow();
        assertEquals(Header.NXDOMAIN, r.rcode());
        assertEquals(Security.SECURE, r.security());
        assertEquals(Type.MX, r.question().qtype());
        // the span a->del covers b, the span apex->a covers *.example.
        assertEquals(List.of(Name.of("a.example."), Name.of("example.")), nsecsOf(r).stream().map(Record::name).toList());
        assertEquals(Type.SOA, r.authority().getFirst().type());
        // TTLs: min(3600, SOA MINIMUM 300), counted down
        assertTrue(r.authority().stream().allMatch(x -> x.ttl() == 290), r.authority().toString());
    }

    @Test
    void theLastSpanWrapsToTheApex() {
        Resolution r = learned(Security.SECURE).answer(q("z.x.example.", Type.A), 0).orElseThrow();
        assertEquals(Header.NXDOMAIN, r.rcode());
        assertEquals(List.of(Name.of("c.x.example."), Name.of("del.example.")), nsecsOf(r).stream().map(Record::name).toList());
    }

    @Test
    void aTypeMissingFromTheNamesOwnNsecIsNodata() {
        DenialCache cache = learned(Security.SECURE);
        Resolution r = cache.answer(q("A.example.", Type.MX), 0).orElseThrow();
        assertEquals(Header.NOERROR, r.rcode());
        assertTrue(r.answer().isEmpty());
        assertEquals(List.of(Name.of("a.example.")), nsecsOf(r).stream().map(Record::name).toList());
        assertEquals(Optional.empty(), cache.answer(q("a.example.", Type.A), 0), "the type exists");
    }

    @Test
    void anEmptyNonTerminalIsNodata() {
        Resolution r = learned(Security.SECURE).answer(q("x.example.", Type.A), 0).orElseThrow();
        assertEquals(Header.NOERROR, r.rcode());
        assertEquals(List.of(Name.of("del.example.")), nsecsOf(r).stream().map(Record::name).toList());
    }

    @Test
    void aDelegationProvesOnlyItsDsAbsent() {
        DenialCache cache = learned(Security.SECURE);
        assertEquals(Header.NOERROR, cache.answer(q("del.example.", Type.DS), 0).orElseThrow().rcode());
        assertEquals(Optional.empty(), cache.answer(q("del.example.", Type.A), 0), "the child holds the data");
        assertEquals(Optional.empty(), cache.answer(q("www.del.example.", Type.A), 0), "below the cut the span proves nothing");
        assertEquals(Optional.empty(), cache.answer(q("example.", Type.DS), 0), "the apex's NSEC says nothing of its DS");
        assertEquals(Header.NOERROR, cache.answer(q("example.", Type.MX), 0).orElseThrow().rcode());
    }

    @Test
    void withoutTheWildcardsProofItAsks() {
        DenialCache cache = new DenialCache(1000);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, A), 0);
        assertEquals(Optional.empty(), cache.answer(q("b.example.", Type.A), 0));
    }

    @Test
    void onlySecureAnswersAreLearnedAndTheyExpire() {
        assertEquals(Optional.empty(), learned(Security.INSECURE).answer(q("b.example.", Type.A), 0));
        assertEquals(Optional.empty(), learned(new Security.Bogus(6, "x")).answer(q("b.example.", Type.A), 0));
        DenialCache cache = learned(Security.SECURE);
        assertTrue(cache.answer(q("b.example.", Type.A), 299 * SECOND).isPresent());
        assertEquals(Optional.empty(), cache.answer(q("b.example.", Type.A), 300 * SECOND));
        assertEquals(Optional.empty(), cache.answer(q("b.other.", Type.A), 0), "another zone");
    }

    @Test
    void theBoundDropsTheLeastRecentlyUsedZone() {
        DenialCache cache = new DenialCache(4);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, A, APEX), 0);
        cache.put(negative("other.", Header.NXDOMAIN, Security.SECURE, nsec("other.", "m.other.", Type.SOA, Type.NS),
                nsec("m.other.", "other.", Type.A)), 0);
        assertEquals(4, cache.size());
        assertTrue(cache.answer(q("b.example.", Type.A), 0).isPresent(), "example. is now the most recently used");
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, DEL), 0);
        assertEquals(3, cache.size(), "over the bound: other., used least recently, is dropped whole");
        assertEquals(Optional.empty(), cache.answer(q("b.other.", Type.A), 0));
        assertTrue(cache.answer(q("b.example.", Type.A), 0).isPresent());
    }

    @Test
    void aZoneAloneOverTheBoundLosesItsOldestRecordsNotAll() {
        // a random-subdomain flood against a zone with more NSEC records than the cache holds
        DenialCache cache = new DenialCache(3);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, APEX), 0);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, A), 0);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, DEL), 0);
        cache.put(negative(Header.NXDOMAIN, Security.SECURE, CX), 0);
        assertEquals(3, cache.size(), "the bound, not zero");
        // NODATA at a name is proved by that name's own NSEC (RFC 4035 3.1.3.1)
        assertEquals(Optional.empty(), cache.answer(q("example.", Type.MX), 0), "the apex's NSEC, learned first, is gone");
        assertTrue(cache.answer(q("a.example.", Type.MX), 0).isPresent(), "a.example.'s stays");
        assertTrue(cache.answer(q("c.x.example.", Type.MX), 0).isPresent(), "and the newest, c.x.example.'s");
    }
}
