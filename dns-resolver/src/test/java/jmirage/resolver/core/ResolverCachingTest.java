package jmirage.resolver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.cache.AnswerCache;
import jmirage.resolver.cache.DenialCache;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.UpstreamError;
import jmirage.resolver.validate.Validated;
import jmirage.sim.SeededRandom;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/** The resolver with its caches, against one scripted authority that can be switched off. */
class ResolverCachingTest {

    static final Question WWW = new Question(Name.of("www.example.test."), Type.A);
    static final Hints HINTS = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.test."),
            List.of(jmirage.core.net.IpAddresses.parse("127.0.0.1").orElseThrow())))), Map.of());

    final VirtualClock clock = new VirtualClock(VirtualClock.DEFAULT_START);
    final SimScheduler loop = new SimScheduler(clock);
    int asked;
    boolean down;
    boolean nxdomain;
    long ttl = 300;

    Recursion recursion() {
        return new Recursion(HINTS, (server, query, transport) -> {
            asked++;
            if (down) {
                return Promise.resolved(Result.err(new UpstreamError.TimedOut(400)));
            }
            Question q = query.questions().getFirst();
            if (nxdomain) {
                return Promise.resolved(Result.ok(new Message(new Header(query.header().id(), true, 0, true, false, false, false,
                        false, false, false, Header.NXDOMAIN), query.questions(), List.of(), denial(), List.of(), Optional.empty())));
            }
            Record a = Record.in(q.name(), ttl, new Rdata.A((java.net.Inet4Address) jmirage.core.net.IpAddresses.parse("192.0.2.1").orElseThrow()));
            return Promise.resolved(Result.ok(new Message(new Header(query.header().id(), true, 0, true, false, false, false, false, false, false, 0),
                    query.questions(), List.of(a), List.of(), List.of(), Optional.empty())));
        }, clock, new SeededRandom(1), Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(false));
    }

    /** The SOA of test. and the NSEC records proving b.test. absent (a -> c) and no *.test. (test. -> a), signed by test. */
    static List<Record> denial() {
        Record soa = Record.in(Name.of("test."), 3600, new Rdata.Soa(Name.of("ns.test."), Name.of("admin.test."), 1, 3600, 600, 86400, 300));
        Record apex = Record.in(Name.of("test."), 3600, new Rdata.Nsec(Name.of("a.test."), List.of(Type.NS, Type.SOA, Type.NSEC, Type.RRSIG)));
        Record a = Record.in(Name.of("a.test."), 3600, new Rdata.Nsec(Name.of("c.test."), List.of(Type.A, Type.NSEC, Type.RRSIG)));
        List<Record> out = new java.util.ArrayList<>();
        for (Record r : List.of(soa, apex, a)) {
            out.add(r);
            out.add(Record.in(r.name(), 3600, new Rdata.Rrsig(r.type(), 13, r.name().labelCount(), 3600, 2_000_000_000L, 1_000_000_000L, 1,
                    Name.of("test."), jmirage.core.Bytes.of((byte) 1))));
        }
        return out;
    }

    Resolver resolver(Optional<Resolver.Validation> validation, AnswerCache cache) {
        return new Resolver(recursion(), validation, Optional.of(new Resolver.Caching(cache, Optional.of(new DenialCache(1000)), clock)));
    }

    Resolution resolve(Resolver r, boolean cd) {
        return loop.runUntil(r.resolve(WWW, cd)).value();
    }

    @Test
    void keyFetchesUseAFreshCachedAnswerButDoNotFillTheCache() {
        Recursion recursion = recursion();
        Resolver.Caching caching = new Resolver.Caching(new AnswerCache(AnswerCache.Config.defaults()), Optional.empty(), clock);
        Resolver r = new Resolver(recursion, Optional.empty(), Optional.of(caching));
        jmirage.resolver.validate.KeyFetcher keys = Resolver.keyFetcher(recursion, caching);
        assertEquals(Header.NOERROR, loop.runUntil(keys.fetch(WWW)).value().orElseThrow().header().rcode());
        assertEquals(1, asked, "a miss asks the authorities");
        loop.runUntil(keys.fetch(WWW));
        assertEquals(2, asked, "an unvalidated key answer is not written to the answer cache");
        resolve(r, false);
        assertEquals(3, asked);
        loop.runFor(Duration.ofSeconds(100));
        Message cached = loop.runUntil(keys.fetch(WWW)).value().orElseThrow();
        assertEquals(3, asked, "the client's cached answer serves the key fetch");
        assertEquals(List.of(WWW), cached.questions());
        assertEquals(200, cached.answers().getFirst().ttl());
        loop.runFor(Duration.ofSeconds(300));
        loop.runUntil(keys.fetch(WWW));
        assertEquals(4, asked, "an expired entry is not used for keys: the authorities are asked");
    }

    @Test
    void aSecondQuestionIsAnsweredFromTheCacheWithItsTtlCountedDown() {
        Resolver r = resolver(Optional.empty(), new AnswerCache(AnswerCache.Config.defaults()));
        resolve(r, false);
        int first = asked;
        loop.runFor(Duration.ofSeconds(100));
        Resolution again = resolve(r, false);
        assertEquals(first, asked, "not asked again");
        assertEquals(200, again.answer().getFirst().ttl());
    }

    @Test
    void aCachedAnswerIsGivenInTheCaseOfEachAsker() {
        Resolver r = resolver(Optional.empty(), new AnswerCache(AnswerCache.Config.defaults()));
        resolve(r, false);
        int first = asked;
        Question mixed = new Question(Name.of("WwW.ExAmPlE.TeSt."), Type.A);
        Resolution again = loop.runUntil(r.resolve(mixed, false)).value();
        assertEquals(first, asked, "from the cache");
        assertTrue(again.question().name().equalsExact(mixed.name()));
        assertTrue(again.answer().getFirst().name().equalsExact(mixed.name()), again.answer().getFirst().name().toString());
    }

    @Test
    void whenTheAuthoritiesFailAnExpiredAnswerIsServedStale() {
        Resolver r = resolver(Optional.empty(), new AnswerCache(AnswerCache.Config.defaults()));
        resolve(r, false);
        loop.runFor(Duration.ofSeconds(400));
        down = true;
        Resolution stale = resolve(r, false);
        assertEquals(Header.NOERROR, stale.rcode());
        assertTrue(stale.stale());
        assertEquals(Optional.of(new EdnsOption.ExtendedError(AnswerCache.EDE_STALE_ANSWER, "")), stale.error());
        assertEquals(30, stale.answer().getFirst().ttl());
        int after = asked;
        assertTrue(resolve(r, false).stale());
        assertEquals(after, asked, "within the failure recheck the stale answer is given without asking");
    }

    @Test
    void withoutAnythingKeptAFailureIsServfail() {
        down = true;
        Resolution r = resolve(resolver(Optional.empty(), new AnswerCache(AnswerCache.Config.defaults())), false);
        assertEquals(Header.SERVFAIL, r.rcode());
        assertFalse(r.stale());
    }

    @Test
    void bogusDataIsCachedAsBogusServfailWithoutCdAndDataWithIt() {
        Resolver.Validation bogus = (q, m, keys) -> Promise.resolved(new Validated(new Security.Bogus(6, "signature fails"), m));
        Resolver r = resolver(Optional.of(bogus), new AnswerCache(AnswerCache.Config.defaults()));
        assertEquals(Header.SERVFAIL, resolve(r, false).rcode());
        int first = asked;
        Resolution withCd = resolve(r, true);
        assertEquals(first, asked, "the bogus answer came from the cache");
        assertEquals(Header.NOERROR, withCd.rcode());
        assertEquals(new Security.Bogus(6, "signature fails"), withCd.security());
        assertEquals(Optional.of(new EdnsOption.ExtendedError(6, "signature fails")), resolve(r, false).error());
        loop.runFor(Duration.ofSeconds(60));
        resolve(r, false);
        assertTrue(asked > first, "bogus is kept only 60 s");
    }

    @Test
    void aPopularNameNearExpiryIsRefreshedInTheBackground() {
        Resolver r = resolver(Optional.empty(), new AnswerCache(AnswerCache.Config.defaults()));
        ttl = 100;
        resolve(r, false);
        int first = asked;
        loop.runFor(Duration.ofSeconds(91));
        resolve(r, false);
        assertEquals(first, asked);
        ttl = 500;
        Resolution second = resolve(r, false); // the second hit in the last tenth: a prefetch starts
        assertEquals(9, second.answer().getFirst().ttl(), "this client still gets the cached answer");
        assertTrue(asked > first, "and the authorities were asked again");
        loop.runFor(Duration.ofSeconds(20));
        int refreshed = asked;
        assertEquals(480, resolve(r, false).answer().getFirst().ttl(), "the refreshed answer, not expired");
        assertEquals(refreshed, asked);
    }

    @Test
    void validatedNsecRecordsAnswerOtherNamesTheyCoverWithoutAsking() {
        nxdomain = true;
        Resolver.Validation secure = (q, m, keys) -> Promise.resolved(new Validated(Security.SECURE, m));
        Resolver r = resolver(Optional.of(secure), new AnswerCache(AnswerCache.Config.defaults()));
        assertEquals(Header.NXDOMAIN, loop.runUntil(r.resolve(new Question(Name.of("b.test."), Type.A), false)).value().rcode());
        int first = asked;
        Resolution other = loop.runUntil(r.resolve(new Question(Name.of("bb.test."), Type.MX), false)).value();
        assertEquals(first, asked, "bb.test. is inside the span a.test. -> c.test.: not asked (RFC 8198)");
        assertEquals(Header.NXDOMAIN, other.rcode());
        assertEquals(Security.SECURE, other.security());
        loop.runUntil(r.resolve(new Question(Name.of("d.test."), Type.A), false));
        assertTrue(asked > first, "d.test. is outside what the NSEC records cover");
    }
}
