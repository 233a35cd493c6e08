package jmirage.resolver.cache;

import static jmirage.resolver.cache.Answers.SECOND;
import static jmirage.resolver.cache.Answers.a;
import static jmirage.resolver.cache.Answers.failure;
import static jmirage.resolver.cache.Answers.nodata;
import static jmirage.resolver.cache.Answers.nxdomain;
import static jmirage.resolver.cache.Answers.positive;
import static jmirage.resolver.cache.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    final AnswerCache cache = new AnswerCache(AnswerCache.Config.defaults());

    static List<Long> ttls(Resolution r) {
        return java.util.stream.Stream.of(r.answer(), r.authority()).flatMap(List::stream).map(Record::ttl).toList();
    }

    @Test
    void hitsWithinASecondShareOneCountedDownResolutionAndTheNextSecondCountsAgain() {
        cache.put(positive("www.example.", 300), 0);
        Resolution first = cache.get(q("www.example.", Type.A), 10 * SECOND).orElseThrow().resolution();
        Resolution same = cache.get(q("WWW.example.", Type.A), 10 * SECOND + SECOND / 2).orElseThrow().resolution();
        assertSame(first, same, "one object per entry and second: what the serving layer's copies are keyed on");
        Resolution next = cache.get(q("www.example.", Type.A), 11 * SECOND).orElseThrow().resolution();
        assertNotSame(first, next);
        assertEquals(List.of(290L, 290L), ttls(first));
        assertEquals(List.of(289L, 289L), ttls(next));
    }

    @Test
    void aNewerAnswerForTheNameSupersedesItsOlderNxdomain() {
        // found by AnswerCachePropertiesTest (seed -11430660546122312): once the newer answer
        // expired, the older NXDOMAIN came back with a larger TTL than the answer had shown
        cache.put(nxdomain("n0.example.", Type.A, 6, 3), 0);
        cache.put(positive("n0.example.", 60), 0);
        assertEquals(List.of(60L, 60L), ttls(cache.get(q("n0.example.", Type.A), 0).orElseThrow().resolution()));
        Optional<AnswerCache.Hit> later = cache.get(q("n0.example.", Type.MX), SECOND);
        assertTrue(later.isEmpty(), "the name exists: its NXDOMAIN must not answer another type");
    }

    @Test
    void aPositiveAnswerLastsItsSmallestTtlCountedDown() {
        cache.put(positive("www.example.", 300), 0);
        AnswerCache.Hit hit = cache.get(q("www.example.", Type.A), 100 * SECOND).orElseThrow();
        assertTrue(hit.fresh());
        // both records carry at most the entry's 300 s, less the 100 s gone by
        assertEquals(List.of(200L, 200L), ttls(hit.resolution()));
        assertEquals(List.of(1L, 1L), ttls(cache.get(q("www.example.", Type.A), 299 * SECOND + SECOND / 2).orElseThrow().resolution()));
        AnswerCache.Hit expired = cache.get(q("www.example.", Type.A), 300 * SECOND).orElseThrow();
        assertFalse(expired.fresh(), "past its TTL it is only kept for serve-stale");
        assertEquals(List.of(0L, 0L), ttls(expired.resolution()));
        assertEquals(Optional.empty(), cache.get(q("www.example.", Type.AAAA), 0));
    }

    @Test
    void keysIgnoreCaseAndTheAnswerIsGivenInTheAskersCase() {
        cache.put(positive("www.example.", 300), 0);
        Question shouted = q("WwW.ExAmple.", Type.A);
        AnswerCache.Hit hit = cache.get(shouted, SECOND).orElseThrow();
        assertTrue(hit.resolution().question().name().equalsExact(Name.of("www.example.")), "kept in its first asker's case");
        Resolution given = hit.resolution().askedAs(shouted);
        assertTrue(given.question().name().equalsExact(Name.of("WwW.ExAmple.")));
        assertTrue(given.answer().getFirst().name().equalsExact(Name.of("WwW.ExAmple.")));
    }

    @Test
    void ttlsAreCapped() {
        AnswerCache capped = new AnswerCache(AnswerCache.Config.defaults().withTtls(3600, 600, 0));
        capped.put(positive("www.example.", 7 * 86_400), 0);
        assertEquals(List.of(3600L, 3600L), ttls(capped.get(q("www.example.", Type.A), 0).orElseThrow().resolution()));
        assertFalse(capped.get(q("www.example.", Type.A), 3600 * SECOND).orElseThrow().fresh());
        capped.put(nxdomain("nx.example.", Type.A, 86_400, 86_400), 0);
        assertFalse(capped.get(q("nx.example.", Type.A), 600 * SECOND).orElseThrow().fresh(), "negative TTL capped at 600 s");
    }

    @Test
    void aZeroTtlIsNotKeptUnlessAFloorIsSet() {
        cache.put(positive("zero.example.", 0), 0);
        assertEquals(Optional.empty(), cache.get(q("zero.example.", Type.A), 0));
        AnswerCache floored = new AnswerCache(AnswerCache.Config.defaults().withTtls(86_400, 3600, 5));
        floored.put(positive("zero.example.", 0), 0);
        assertTrue(floored.get(q("zero.example.", Type.A), 4 * SECOND).orElseThrow().fresh());
    }

    @Test
    void nxdomainIsPerNameForEveryTypeWithTheSoaMinimum() {
        // RFC 2308 5: min(SOA TTL 900, MINIMUM 60) = 60 s
        cache.put(nxdomain("nx.example.", Type.A, 900, 60), 0);
        AnswerCache.Hit mx = cache.get(q("NX.example.", Type.MX), 10 * SECOND).orElseThrow();
        assertTrue(mx.fresh());
        assertEquals(Header.NXDOMAIN, mx.resolution().rcode());
        assertEquals(Type.MX, mx.resolution().question().qtype());
        assertEquals(List.of(50L), ttls(mx.resolution()), "the SOA's TTL is the negative TTL, counted down");
        assertFalse(cache.get(q("nx.example.", Type.TXT), 60 * SECOND).orElseThrow().fresh());
    }

    @Test
    void nodataIsPerNameAndType() {
        cache.put(nodata("www.example.", Type.AAAA, 30, 3600), 0);
        AnswerCache.Hit hit = cache.get(q("www.example.", Type.AAAA), 0).orElseThrow();
        assertEquals(Header.NOERROR, hit.resolution().rcode());
        assertTrue(hit.resolution().answer().isEmpty());
        assertEquals(List.of(30L), ttls(hit.resolution()));
        assertEquals(Optional.empty(), cache.get(q("www.example.", Type.A), 0));
    }

    @Test
    void aNegativeAnswerWithoutSoaIsNotKept() {
        cache.put(new Resolution(q("x.example.", Type.A), Header.NXDOMAIN, List.of(), List.of(), List.of(), Security.INSECURE,
                Optional.empty(), false), 0);
        assertEquals(Optional.empty(), cache.get(q("x.example.", Type.A), 0));
    }

    @Test
    void bogusDataIsKeptBrieflyWithItsStatusAndNeverServedStale() {
        cache.put(positive("bad.example.", 3600, new Security.Bogus(6, "signature fails")), 0);
        AnswerCache.Hit hit = cache.get(q("bad.example.", Type.A), 59 * SECOND).orElseThrow();
        assertEquals(new Security.Bogus(6, "signature fails"), hit.resolution().security());
        assertEquals(List.of(1L, 1L), ttls(hit.resolution()));
        assertEquals(Optional.empty(), cache.get(q("bad.example.", Type.A), 60 * SECOND));
    }

    @Test
    void serveStaleWithinTheWindowAndAFailureStartsTheRecheckTimer() {
        AnswerCache c = new AnswerCache(AnswerCache.Config.defaults().withStaleSeconds(3600));
        c.put(positive("www.example.", 300), 0);
        long later = 1000 * SECOND;
        AnswerCache.Hit expired = c.get(q("www.example.", Type.A), later).orElseThrow();
        assertFalse(expired.fresh());
        Resolution stale = c.stale(expired.resolution());
        assertTrue(stale.stale());
        assertEquals(Answers.stale(), stale.error());
        assertEquals(List.of(30L, 30L), ttls(stale));

        // the authorities fail: for 30 s the stale answer is given without asking
        c.put(failure("www.example.", Type.A), later);
        AnswerCache.Hit served = c.get(q("www.example.", Type.A), later + 10 * SECOND).orElseThrow();
        assertTrue(served.fresh());
        assertTrue(served.resolution().stale());
        assertEquals(List.of(30L, 30L), ttls(served.resolution()));
        assertFalse(c.get(q("www.example.", Type.A), later + 30 * SECOND).orElseThrow().fresh(), "then asked again");
        // past the window it is gone
        assertEquals(Optional.empty(), c.get(q("www.example.", Type.A), (300 + 3600) * SECOND));
        // a stale resolution is never stored as fresh
        c.put(stale, later);
        assertEquals(Optional.empty(), c.get(q("www.example.", Type.A), later));
    }

    @Test
    void aFailureIsRememberedBrieflyWhereNothingElseIsKnownAndNeverReplacesAnAnswer() {
        cache.put(failure("down.example.", Type.A), 0);
        AnswerCache.Hit hit = cache.get(q("down.example.", Type.A), 4 * SECOND).orElseThrow();
        assertTrue(hit.fresh());
        assertEquals(Header.SERVFAIL, hit.resolution().rcode());
        assertEquals(Optional.empty(), cache.get(q("down.example.", Type.A), 5 * SECOND));

        cache.put(positive("up.example.", 300), 0);
        cache.put(failure("up.example.", Type.A), SECOND);
        assertEquals(Header.NOERROR, cache.get(q("up.example.", Type.A), 2 * SECOND).orElseThrow().resolution().rcode());
    }

    @Test
    void popularEntriesNearExpiryAreFlaggedForPrefetchOnce() {
        cache.put(positive("pop.example.", 100), 0);
        assertFalse(cache.get(q("pop.example.", Type.A), 50 * SECOND).orElseThrow().prefetch(), "not in the last tenth");
        assertFalse(cache.get(q("pop.example.", Type.A), 91 * SECOND).orElseThrow().prefetch(), "one hit near expiry");
        assertTrue(cache.get(q("pop.example.", Type.A), 92 * SECOND).orElseThrow().prefetch(), "the second");
        assertFalse(cache.get(q("pop.example.", Type.A), 93 * SECOND).orElseThrow().prefetch(), "announced once");
        cache.put(positive("pop.example.", 100), 95 * SECOND);
        assertFalse(cache.get(q("pop.example.", Type.A), 96 * SECOND).orElseThrow().prefetch(), "the refreshed entry starts over");
    }

    @Test
    void aChainEndingInNxdomainLastsTheShorterOfItsLinksAndTheNegativeTtl() {
        Resolution chain = new Resolution(q("alias.example.", Type.A), Header.NXDOMAIN,
                List.of(Record.in(Name.of("alias.example."), 3600, new jmirage.dns.Rdata.Cname(Name.of("gone.example.")))),
                List.of(Answers.soa("example.", 120, 120)), List.of(), Security.INSECURE, Optional.empty(), false);
        cache.put(chain, 0);
        assertTrue(cache.get(q("alias.example.", Type.A), 119 * SECOND).orElseThrow().fresh());
        assertFalse(cache.get(q("alias.example.", Type.A), 120 * SECOND).orElseThrow().fresh());
        assertEquals(Optional.empty(), cache.get(q("alias.example.", Type.MX), 0), "a chain is per name and type");
    }

    @Test
    void aFloodStaysWithinTheBoundAndHotEntriesStay() {
        long bound = 200_000;
        AnswerCache small = new AnswerCache(AnswerCache.Config.defaults().withMaxBytes(bound));
        small.put(positive("hot.example.", 3600), 0);
        for (int i = 0; i < 50_000; i++) {
            small.put(positive("n" + i + ".flood.example.", 3600), i);
            assertTrue(small.bytes() <= bound, "bytes " + small.bytes());
            if (i % 100 == 0) {
                assertTrue(small.get(q("hot.example.", Type.A), i).isPresent(), "the hot entry stays at " + i);
            }
        }
        AnswerCache.Stats stats = small.stats();
        assertTrue(stats.evictions() > 40_000, "evicted " + stats.evictions());
        assertTrue(stats.entries() > 100, "still holds " + stats.entries());
        assertTrue(small.get(q("n49999.flood.example.", Type.A), 50_000).isPresent());
        assertEquals(Optional.empty(), small.get(q("n0.flood.example.", Type.A), 50_000), "the least recently used went first");
    }

    @Test
    void aCnameSynthesisedFromADnameLastsAsLongAsTheDname() {
        // RFC 6672 3.1; the resolver gave the synthesised CNAME TTL 0, as unbound does
        Resolution r = new Resolution(q("www.example.com.", Type.A), Header.NOERROR, List.of(
                Record.in(Name.of("example.com."), 3600, new jmirage.dns.Rdata.Dname(Name.of("example.net."))),
                Record.in(Name.of("www.example.com."), 0, new jmirage.dns.Rdata.Cname(Name.of("www.example.net."))),
                a("www.example.net.", 3600, 1)), List.of(), List.of(), Security.SECURE, Optional.empty(), false);
        cache.put(r, 0);
        assertEquals(List.of(3590L, 3590L, 3590L), ttls(cache.get(q("www.example.com.", Type.A), 10 * SECOND).orElseThrow().resolution()));
    }

    @Test
    void aRecordsTtlIsNeverAboveItsOwn() {
        Resolution mixed = new Resolution(q("m.example.", Type.A), Header.NOERROR, List.of(a("m.example.", 50, 1), a("m.example.", 500, 2)),
                List.of(), List.of(), Security.INSECURE, Optional.empty(), false);
        cache.put(mixed, 0);
        assertEquals(List.of(40L, 40L), ttls(cache.get(q("m.example.", Type.A), 10 * SECOND).orElseThrow().resolution()));
    }
}
