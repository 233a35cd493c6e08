package jmirage.resolver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.UpstreamError;
import jmirage.resolver.validate.Validated;
import jmirage.sim.SeededRandom;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

class ResolverTest {

    private static final Question WWW = new Question(Name.of("www.example.test."), Type.A);
    private static final Hints HINTS = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("ns.test."),
            List.of(jmirage.core.net.IpAddresses.parse("127.0.0.1").orElseThrow())))), Map.of());
    private static final Recursion.Config CONFIG = Recursion.Config.defaults().withPrimeRoot(false).withQnameMinimisation(false);

    /** A root server that answers every question authoritatively with one A record. */
    private static Recursion answering() {
        return new Recursion(HINTS, (server, query, transport) -> {
            Question q = query.questions().getFirst();
            Record a = Record.in(q.name(), 300, new Rdata.A((java.net.Inet4Address) jmirage.core.net.IpAddresses.parse("192.0.2.1").orElseThrow()));
            return Promise.resolved(Result.ok(new Message(new Header(query.header().id(), true, 0, true, false, false, false, false, false, false, 0),
                    query.questions(), List.of(a), List.of(), List.of(), Optional.empty())));
        }, new VirtualClock(VirtualClock.DEFAULT_START), new SeededRandom(1), CONFIG);
    }

    private static Resolution resolve(Resolver r, boolean cd) {
        Promise<Resolution> p = r.resolve(WWW, cd);
        assertTrue(p.isResolved());
        return p.value();
    }

    @Test
    void withoutValidationAnAnswerIsIndeterminate() {
        Resolution r = resolve(new Resolver(answering(), Optional.empty()), false);
        assertEquals(Header.NOERROR, r.rcode());
        assertEquals(1, r.answer().size());
        assertEquals(Security.INDETERMINATE, r.security());
        assertEquals(Optional.empty(), r.error());
    }

    @Test
    void unreachableAuthoritiesAreServfailWithEde22() {
        Recursion down = new Recursion(HINTS, (server, query, transport) -> Promise.resolved(Result.err(new UpstreamError.TimedOut(400))),
                new VirtualClock(VirtualClock.DEFAULT_START), new SeededRandom(1), CONFIG);
        Resolution r = resolve(new Resolver(down, Optional.empty()), false);
        assertEquals(Header.SERVFAIL, r.rcode());
        assertEquals(22, r.error().orElseThrow().infoCode());
    }

    @Test
    void aNetworkThatRefusesEverythingIsServfailWithEde23() {
        Recursion unreachable = new Recursion(HINTS, (server, query, transport) -> Promise.resolved(Result.err(new UpstreamError.Unreachable("no route"))),
                new VirtualClock(VirtualClock.DEFAULT_START), new SeededRandom(1), CONFIG);
        Resolution r = resolve(new Resolver(unreachable, Optional.empty()), false);
        assertEquals(Header.SERVFAIL, r.rcode());
        assertEquals(new EdnsOption.ExtendedError(23, ".: 127.0.0.1:53: unreachable: no route"), r.error().orElseThrow());
    }

    @Test
    void bogusIsServfailWithTheValidatorsCodeUnlessCheckingIsDisabled() {
        Resolver.Validation bogus = (q, m, keys) -> Promise.resolved(new Validated(new Security.Bogus(7, "signature expired"), m));
        Resolver r = new Resolver(answering(), Optional.of(bogus));
        Resolution servfail = resolve(r, false);
        assertEquals(Header.SERVFAIL, servfail.rcode());
        assertEquals(new EdnsOption.ExtendedError(7, "signature expired"), servfail.error().orElseThrow());
        Resolution cd = resolve(r, true);
        assertEquals(Header.NOERROR, cd.rcode());
        assertEquals(1, cd.answer().size());
        assertTrue(cd.security() instanceof Security.Bogus);
    }

    @Test
    void secureIsKeptWithTheValidatorsResponse() {
        Resolver.Validation secure = (q, m, keys) -> Promise.resolved(new Validated(Security.SECURE, m));
        Resolution r = resolve(new Resolver(answering(), Optional.of(secure)), false);
        assertEquals(Security.SECURE, r.security());
    }

    @Test
    void aBugBecomesServfailNotARejectedPromise() {
        Resolver.Validation broken = (q, m, keys) -> {
            throw new IllegalStateException("bug");
        };
        Resolution r = resolve(new Resolver(answering(), Optional.of(broken)), false);
        assertEquals(Header.SERVFAIL, r.rcode());
        assertEquals(0, r.error().orElseThrow().infoCode());
    }

    @Test
    void theKeyFetcherIsTheRecursion() {
        Message m = Resolver.keyFetcher(answering()).fetch(WWW).value().orElseThrow();
        assertEquals(1, m.answers().size());
    }

    /**
     * A client's question and every key question its validation asks share one work budget: a
     * validation that wants more keys than the budget allows gets errors, not more queries (the
     * KeyTrap and NRDelegation lesson: one question never costs unbounded work upstream).
     */
    @Test
    void keyQuestionsDrawOnTheClientQuestionsBudget() {
        int[] sent = {0};
        Recursion counting = new Recursion(HINTS, (server, query, transport) -> {
            sent[0]++;
            Question q = query.questions().getFirst();
            Record a = Record.in(q.name(), 300, new Rdata.A((java.net.Inet4Address) jmirage.core.net.IpAddresses.parse("192.0.2.1").orElseThrow()));
            return Promise.resolved(Result.ok(new Message(new Header(query.header().id(), true, 0, true, false, false, false, false, false, false, 0),
                    query.questions(), List.of(a), List.of(), List.of(), Optional.empty())));
        }, new VirtualClock(VirtualClock.DEFAULT_START), new SeededRandom(1), CONFIG.withMaxQueries(10));
        int[] refused = {0};
        Resolver.Validation greedy = (q, m, keys) -> {
            Promise<Boolean> chain = Promise.resolved(true);
            for (int i = 0; i < 30; i++) {
                Question key = new Question(Name.of("z" + i + ".example.test."), Type.DNSKEY);
                chain = chain.flatMap(x -> keys.fetch(key).map(r -> {
                    if (r instanceof Result.Err<Message, String>) {
                        refused[0]++;
                    }
                    return true;
                }));
            }
            return chain.map(x -> new Validated(Security.INDETERMINATE, m));
        };
        resolve(new Resolver(counting, Optional.of(greedy)), false);
        assertEquals(10, sent[0], "the question and its key questions together sent as many queries as one budget holds");
        assertEquals(21, refused[0], "one query for the answer, nine for keys, the other key questions refused");
    }
}
