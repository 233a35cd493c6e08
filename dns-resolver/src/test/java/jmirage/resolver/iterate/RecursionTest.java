package jmirage.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.upstream.Upstream;
import jmirage.sim.SeededRandom;
import org.junit.jupiter.api.Test;

class RecursionTest {

    private final ManualClock clock = new ManualClock();
    private final ScriptedAuthorities authorities = Hierarchy.authorities(clock);
    private static final Recursion.Config PLAIN = Recursion.Config.defaults().withQnameMinimisation(false).withPrimeRoot(false);

    private Recursion recursion(Recursion.Config config) {
        return new Recursion(Hierarchy.hints(), authorities, clock, new SeededRandom(1), config);
    }

    private static Result<Answer, RecursionError> resolve(Recursion r, String name, int type) {
        Promise<Result<Answer, RecursionError>> p = r.resolve(new Question(Name.of(name), type));
        assertTrue(p.isResolved(), "a scripted upstream answers at once");
        return p.value();
    }

    private static Message answer(Result<Answer, RecursionError> r) {
        return r.orElseThrow().message();
    }

    private static List<String> data(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.answers()) {
            out.add(r.name() + " " + Type.name(r.type()) + " " + jmirage.dns.RdataText.print(r.rdata()));
        }
        return out;
    }

    private List<String> asked() {
        return authorities.log.stream().map(ScriptedAuthorities.Asked::toString).toList();
    }

    @Test
    void followsReferralsFromTheRootDown() {
        Message m = answer(resolve(recursion(PLAIN), "www.example.com.", Type.A));
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(m));
        assertEquals(Header.NOERROR, m.header().rcode());
        assertEquals(3, authorities.log.size(), asked().toString());
        assertEquals("127.0.0.1 www.example.com. A UDP", asked().get(0));
        assertEquals("127.0.0.2 www.example.com. A UDP", asked().get(1));
        Message sent = authorities.log.getFirst().query();
        assertFalse(sent.header().rd(), "RFC 1034 5.3.1: no recursion desired of authorities");
        assertEquals(1232, sent.edns().orElseThrow().udpPayloadSize());
    }

    @Test
    void learnedDelegationsStartTheNextQuestionBelowTheRoot() {
        Recursion r = recursion(PLAIN);
        resolve(r, "www.example.com.", Type.A);
        authorities.log.clear();
        Message m = answer(resolve(r, "deep.sub.example.com.", Type.A));
        assertEquals(List.of("deep.sub.example.com. A 192.0.2.9"), data(m));
        assertEquals(1, authorities.log.size(), "example.com's servers asked at once: " + asked());
    }

    @Test
    void negativeAnswersKeepTheSoaForTheValidatorAndTheCache() {
        Recursion r = recursion(PLAIN);
        Answer nx = resolve(r, "nope.example.com.", Type.A).orElseThrow();
        assertEquals(Header.NXDOMAIN, nx.message().header().rcode());
        assertEquals(Name.of("example.com."), nx.zone());
        assertEquals(Type.SOA, nx.message().authority().getFirst().type());
        Message nodata = answer(resolve(r, "www.example.com.", Type.TXT));
        assertEquals(Header.NOERROR, nodata.header().rcode());
        assertTrue(nodata.answers().isEmpty());
        assertEquals(Type.SOA, nodata.authority().getFirst().type());
    }

    @Test
    void glueOutsideTheReferringZoneIsIgnored() {
        // com's server adds an address for ns.outside.net, a name com does not serve: a poisoning attempt
        authorities.rewrite("127.0.0.2", m -> m.authority().stream().anyMatch(r -> r.name().equals(Name.of("outside.com.")))
                ? m.withAdditional(List.of(Record.in(Name.of("ns.outside.net."), 3600,
                        new Rdata.A((java.net.Inet4Address) ScriptedAuthorities.ip("127.0.0.66")))))
                : m);
        Message m = answer(resolve(recursion(PLAIN), "www.outside.com.", Type.A));
        assertEquals(List.of("www.outside.com. A 192.0.2.2"), data(m));
        assertEquals(0, authorities.queriesTo("127.0.0.66"), asked().toString());
        assertTrue(asked().contains("127.0.0.4 ns.outside.net. A UDP"), "the name server's own name resolved through net: " + asked());
    }

    @Test
    void cnameAcrossZonesIsAssembledInOrder() {
        Answer a = resolve(recursion(PLAIN), "alias.example.com.", Type.A).orElseThrow();
        assertEquals(List.of("alias.example.com. CNAME www.outside.com.", "www.outside.com. A 192.0.2.2"), data(a.message()));
        assertEquals(Name.of("outside.com."), a.zone());
        assertEquals(new Question(Name.of("alias.example.com."), Type.A), a.message().questions().getFirst());
    }

    @Test
    void dnameSynthesisesTheCname() {
        Message m = answer(resolve(recursion(PLAIN), "x.dn.example.com.", Type.A));
        assertEquals(List.of("dn.example.com. DNAME outside.com.", "x.dn.example.com. CNAME x.outside.com.",
                "x.outside.com. A 192.0.2.3"), data(m));
    }

    @Test
    void aCnameLoopIsWorkNotAnAnswer() {
        Result<Answer, RecursionError> r = resolve(recursion(PLAIN), "loop.example.com.", Type.A);
        RecursionError e = assertInstanceOf(Result.Err.class, r) instanceof Result.Err<?, ?>(RecursionError err) ? err : null;
        assertInstanceOf(RecursionError.TooMuchWork.class, e);
        assertTrue(e.describe().contains("loop"), e.describe());
    }

    @Test
    void aLameServerIsSkippedForAGoodOne() {
        // 127.0.0.7 is listed for example.com but answers like a recursive server from its cache (RA, no AA)
        ScriptedAuthorities lame = new ScriptedAuthorities(clock)
                .serve("127.0.0.1", ".", Hierarchy.ROOT).serve("127.0.0.2", "com.", Hierarchy.COM)
                .serve("127.0.0.3", "example.com.", Hierarchy.EXAMPLE).serve("127.0.0.7", "example.com.", Hierarchy.EXAMPLE)
                .rewrite("127.0.0.7", m -> m.withHeader(new Header(m.header().id(), true, 0, false, false, false, true, false,
                        false, false, m.header().rcode())));
        for (long seed = 0; seed < 8; seed++) {
            Recursion r = new Recursion(Hierarchy.hints(), lame, clock, new SeededRandom(seed), PLAIN);
            lame.log.clear();
            assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
            assertTrue(lame.queriesTo("127.0.0.7") <= 1, "a lame server is asked once per question");
            assertEquals(1, lame.queriesTo("127.0.0.3"));
        }
    }

    @Test
    void refusedEverywhereIsNoReachableAuthority() {
        authorities.rewrite("127.0.0.3", m -> jmirage.authoritative.query.Responder.error(m, jmirage.dns.Rcode.REFUSED, Optional.empty()));
        authorities.rewrite("127.0.0.7", m -> jmirage.authoritative.query.Responder.error(m, jmirage.dns.Rcode.SERVFAIL, Optional.empty()));
        Result<Answer, RecursionError> r = resolve(recursion(PLAIN), "www.example.com.", Type.A);
        assertEquals(Result.err(new RecursionError.NoReachableAuthority("example.com.")), r);
    }

    @Test
    void aTimeoutIsRetriedWithTheTimeoutDoubled() {
        // one server for example.com: the first query times out, the second (backed off) is answered
        ScriptedAuthorities one = new ScriptedAuthorities(clock)
                .serve("127.0.0.1", ".", Hierarchy.ROOT).serve("127.0.0.2", "com.", Hierarchy.COM.replace("example.com. NS ns2.example.com.\n", ""))
                .serve("127.0.0.3", "example.com.", Hierarchy.EXAMPLE).timeouts("127.0.0.3", 1);
        Recursion r = new Recursion(Hierarchy.hints(), one, clock, new SeededRandom(1), PLAIN);
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
        List<ScriptedAuthorities.Asked> toExample = one.log.stream().filter(q -> q.server().equals(ScriptedAuthorities.ip("127.0.0.3"))).toList();
        assertEquals(2, toExample.size());
        assertEquals(Duration.ofMillis(400), toExample.get(0).timeout());
        assertEquals(Duration.ofMillis(800), toExample.get(1).timeout());
    }

    @Test
    void aServerThatTimesOutIsAskedAfterTheOneThatAnswers() {
        authorities.timeouts("127.0.0.3", -1);
        Recursion r = recursion(PLAIN);
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
        authorities.log.clear();
        assertEquals(List.of("deep.sub.example.com. A 192.0.2.9"), data(answer(resolve(r, "deep.sub.example.com.", Type.A))));
        assertEquals(List.of("127.0.0.7 deep.sub.example.com. A UDP"), asked(), "the measured server first");
    }

    @Test
    void theFasterServerIsPreferredOnceMeasured() {
        authorities.latency("127.0.0.3", Duration.ofMillis(200)).latency("127.0.0.7", Duration.ofMillis(5));
        Recursion r = recursion(PLAIN);
        // a server never measured is tried first, so after two questions both are measured
        for (int i = 0; i < 2; i++) {
            resolve(r, "n" + i + ".example.com.", Type.A);
        }
        authorities.log.clear();
        for (int i = 0; i < 5; i++) {
            resolve(r, "m" + i + ".example.com.", Type.A);
        }
        assertEquals(5, authorities.queriesTo("127.0.0.7"), asked().toString());
    }

    @Test
    void truncationIsAskedAgainOverTcp() {
        authorities.truncateUdp("127.0.0.3").truncateUdp("127.0.0.7");
        Message m = answer(resolve(recursion(PLAIN), "www.example.com.", Type.A));
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(m));
        List<String> log = asked();
        assertTrue(log.get(2).endsWith("UDP") && log.get(3).endsWith("TCP"), log.toString());
        assertEquals(log.get(2).split(" ")[0], log.get(3).split(" ")[0], "the same server, over TCP");
    }

    @Test
    void qnameMinimisationAsksOneLabelMoreAtEachCut() {
        Recursion r = recursion(PLAIN.withQnameMinimisation(true));
        Message m = answer(resolve(r, "deep.sub.example.com.", Type.A));
        assertEquals(List.of("deep.sub.example.com. A 192.0.2.9"), data(m));
        List<String> log = asked().stream().map(s -> s.substring(s.indexOf(' ') + 1)).toList();
        assertEquals(List.of("com. A UDP", "example.com. A UDP", "sub.example.com. A UDP", "deep.sub.example.com. A UDP"), log);
    }

    @Test
    void qnameMinimisationFallsBackToTheFullNameOnNxdomain() {
        // a broken server says NXDOMAIN for the empty non-terminal sub.example.com (RFC 9156 relaxed mode)
        authorities.rewrite("127.0.0.3", m -> m.questions().getFirst().name().equals(Name.of("sub.example.com."))
                ? m.withHeader(new Header(m.header().id(), true, 0, true, false, false, false, false, false, false, Header.NXDOMAIN)) : m)
                .timeouts("127.0.0.7", -1);
        Recursion r = recursion(PLAIN.withQnameMinimisation(true));
        assertEquals(List.of("deep.sub.example.com. A 192.0.2.9"), data(answer(resolve(r, "deep.sub.example.com.", Type.A))));
    }

    @Test
    void dsIsAskedOfTheParentNeverOfTheChild() {
        Recursion r = recursion(PLAIN);
        resolve(r, "www.example.com.", Type.A); // example.com's delegation is now known
        authorities.log.clear();
        Message m = answer(resolve(r, "example.com.", Type.DS));
        assertEquals(Type.DS, m.answers().getFirst().type());
        assertEquals(List.of("127.0.0.2 example.com. DS UDP"), asked());
    }

    @Test
    void aMinimisedQueryThatTimesOutThreeTimesIsAskedInFull() {
        // unbound's MAX_MINIMISE_TIMEOUT_COUNT: servers (or middleboxes) that drop the minimised question
        authorities.timeouts("127.0.0.1", 3);
        Recursion r = recursion(PLAIN.withQnameMinimisation(true));
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
        assertEquals(List.of("127.0.0.1 com. A UDP", "127.0.0.1 com. A UDP", "127.0.0.1 com. A UDP", "127.0.0.1 www.example.com. A UDP",
                "127.0.0.2 www.example.com. A UDP", "127.0.0.3 www.example.com. A UDP"), asked().subList(0, 6));
    }

    @Test
    void aDeadServerCostsNoMoreWithMinimisationThanWithout() {
        authorities.timeouts("127.0.0.1", -1);
        resolve(recursion(PLAIN.withQnameMinimisation(true)), "www.example.com.", Type.A);
        assertEquals(Recursion.Config.defaults().attemptsPerServer(), authorities.queriesTo("127.0.0.1"));
        assertEquals(List.of("com. A", "com. A", "com. A", "www.example.com. A", "www.example.com. A"),
                authorities.log.stream().map(q -> q.question().name() + " " + Type.name(q.question().qtype())).toList());
    }

    @Test
    void aFloodOfNamesOpensABoundedNumberOfQueriesAndTheRestFailAtOnce() {
        List<Promise<Result<Message, jmirage.resolver.upstream.UpstreamError>>> sent = new ArrayList<>();
        Recursion r = new Recursion(Hierarchy.hints(), (server, query, transport) -> {
            Promise<Result<Message, jmirage.resolver.upstream.UpstreamError>> p = Promise.pending();
            sent.add(p); // authorities that never answer: every query stays outstanding
            return p;
        }, clock, new SeededRandom(1), PLAIN.withOutstandingLimit(4, 8));
        List<Promise<Result<Answer, RecursionError>>> flood = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            flood.add(r.resolve(new Question(Name.of("n" + i + ".example.com."), Type.A)));
        }
        assertEquals(4, sent.size(), "no more than four queries sent");
        assertEquals(4, r.outstanding());
        assertEquals(12, flood.stream().filter(p -> !p.isDone()).count(), "four sent, eight waiting");
        assertTrue(flood.stream().filter(Promise::isDone).allMatch(p -> p.value() instanceof Result.Err<Answer, RecursionError>(
                RecursionError.TooMuchWork w) && w.why().contains("overloaded")), flood.toString());
    }

    @Test
    void theWorkBudgetEndsAResolution() {
        Result<Answer, RecursionError> r = resolve(recursion(PLAIN.withMaxQueries(2)), "www.outside.com.", Type.A);
        assertTrue(r instanceof Result.Err<Answer, RecursionError>(RecursionError.TooMuchWork w) && w.why().contains("budget"), r.toString());
        assertTrue(authorities.log.size() <= 2, asked().toString());
    }

    @Test
    void primingAsksTheHintsForTheRootsServersOnce() {
        // the hint (127.0.0.9) knows the root's NS set; the root zone names 127.0.0.1
        authorities.serve("127.0.0.9", ".", Hierarchy.ROOT);
        Hints hints = new Hints(Map.of(Name.ROOT, List.of(new Hints.Server(Name.of("hint.test."), List.of(ScriptedAuthorities.ip("127.0.0.9"))))), Map.of());
        Recursion r = new Recursion(hints, authorities, clock, new SeededRandom(1), PLAIN.withPrimeRoot(true));
        resolve(r, "www.example.com.", Type.A);
        resolve(r, "www.outside.com.", Type.A);
        assertEquals(List.of("127.0.0.9 . NS UDP"), asked().stream().filter(s -> s.startsWith("127.0.0.9")).toList());
        assertEquals("127.0.0.1 www.example.com. A UDP", asked().get(1));
        clock.advance(Duration.ofHours(2)); // past the root NS set's TTL (3600 s): primed again
        resolve(r, "www.example.com.", Type.A);
        assertEquals(2, authorities.queriesTo("127.0.0.9"));
    }

    @Test
    void aForwardZoneAsksItsForwardersWithRecursionDesired() {
        // a forwarder that answers from its own data with RA and without AA, as a recursive server does
        authorities.serve("127.0.0.53", "example.com.", Hierarchy.EXAMPLE)
                .rewrite("127.0.0.53", m -> m.withHeader(new Header(m.header().id(), true, 0, false, false, true, true, false, false,
                        false, m.header().rcode())));
        Hints hints = new Hints(Hierarchy.hints().stubs(), Map.of(Name.of("example.com."),
                List.of(new Endpoint(ScriptedAuthorities.ip("127.0.0.53"), 53))));
        Recursion r = new Recursion(hints, authorities, clock, new SeededRandom(1), PLAIN);
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
        assertEquals(List.of("127.0.0.53 www.example.com. A UDP"), asked());
        assertTrue(authorities.log.getFirst().query().header().rd());
    }

    @Test
    void anAnswerToAnotherQuestionIsLame() {
        Reply reply = Reply.classify(new Question(Name.of("www.example.com."), Type.A), Name.of("example.com."),
                Message.query(0, Name.of("evil.example.com."), Type.A, Optional.empty())
                        .withHeader(new Header(0, true, 0, true, false, false, false, false, false, false, 0)), false);
        assertInstanceOf(Reply.Lame.class, reply);
    }

    @Test
    void everyServerDownIsNoReachableAuthorityWithTheClockMoved() {
        authorities.timeouts("127.0.0.3", -1).timeouts("127.0.0.7", -1);
        Result<Answer, RecursionError> r = resolve(recursion(PLAIN), "www.example.com.", Type.A);
        assertEquals(Result.err(new RecursionError.NoReachableAuthority("example.com.")), r);
        assertEquals(10, authorities.queriesTo("127.0.0.3") + authorities.queriesTo("127.0.0.7"), "five attempts each");
        // each backed off: 400, 800, 1600, 3200 ms, then the 5 s ceiling
        assertEquals(Duration.ofMillis(2 * (400 + 800 + 1600 + 3200 + 5000) + 20).toNanos(), clock.monotonicNanos());
    }

    @Test
    void transportIsUdpToAuthorities() {
        resolve(recursion(PLAIN), "www.example.com.", Type.A);
        assertTrue(authorities.log.stream().allMatch(q -> q.transport() == Upstream.Transport.UDP));
    }

    @Test
    void aServerThatRefusesEdnsIsAskedWithoutIt() {
        // RFC 6891 7: FORMERR without an OPT record to a query with one: ask again without EDNS, and remember
        authorities.rewrite("127.0.0.2", m -> m.edns().isPresent()
                ? new Message(new Header(m.header().id(), true, 0, false, false, false, false, false, false, false, Header.FORMERR),
                        m.questions(), List.of(), List.of(), List.of(), Optional.empty())
                : m);
        Recursion r = recursion(PLAIN);
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(resolve(r, "www.example.com.", Type.A))));
        List<ScriptedAuthorities.Asked> toCom = authorities.log.stream().filter(q -> q.server().equals(ScriptedAuthorities.ip("127.0.0.2"))).toList();
        assertEquals(2, toCom.size());
        assertTrue(toCom.get(0).query().edns().isPresent());
        assertTrue(toCom.get(1).query().edns().isEmpty());
        authorities.log.clear();
        resolve(r, "www.outside.com.", Type.A);
        assertTrue(authorities.log.stream().filter(q -> q.server().equals(ScriptedAuthorities.ip("127.0.0.2")))
                .allMatch(q -> q.query().edns().isEmpty()), "remembered: " + asked());
    }

    @Test
    void theDoBitIsSetWhenValidating() {
        resolve(recursion(PLAIN.withDnssecOk(true)), "www.example.com.", Type.A);
        assertTrue(authorities.log.stream().allMatch(q -> q.query().edns().orElseThrow().dnssecOk()));
    }

    @Test
    void theInfrastructureCacheStaysWithinItsBound() {
        Recursion r = recursion(PLAIN.withInfrastructureEntries(2));
        for (String name : List.of("www.example.com.", "www.outside.com.", "alias.example.com.", "x.dn.example.com.", "ns.net-servers.net.")) {
            assertEquals(Header.NOERROR, answer(resolve(r, name, Type.A)).header().rcode(), name);
        }
        assertTrue(r.infrastructureSize() <= 3 * 2, "servers, delegations and addresses: " + r.infrastructureSize());
    }

    @Test
    void aMinimisedQueryRefusedIsAskedInFullButSilenceIsNot() {
        // REFUSED for the minimised name only: the full name is asked of the same servers (relaxed)
        authorities.rewrite("127.0.0.3", m -> m.questions().getFirst().name().equals(Name.of("sub.example.com."))
                ? jmirage.authoritative.query.Responder.error(m, jmirage.dns.Rcode.REFUSED, Optional.empty()) : m)
                .rewrite("127.0.0.7", m -> m.questions().getFirst().name().equals(Name.of("sub.example.com."))
                        ? jmirage.authoritative.query.Responder.error(m, jmirage.dns.Rcode.REFUSED, Optional.empty()) : m);
        Recursion r = recursion(PLAIN.withQnameMinimisation(true));
        assertEquals(List.of("deep.sub.example.com. A 192.0.2.9"), data(answer(resolve(r, "deep.sub.example.com.", Type.A))));
        // a zone whose servers are all silent is not asked everything twice
        ManualClock quiet = new ManualClock();
        ScriptedAuthorities down = Hierarchy.authorities(quiet).timeouts("127.0.0.3", -1).timeouts("127.0.0.7", -1);
        Recursion q = new Recursion(Hierarchy.hints(), down, quiet, new SeededRandom(1), PLAIN.withQnameMinimisation(true));
        assertEquals(Result.err(new RecursionError.NoReachableAuthority("example.com.")), resolve(q, "deep.sub.example.com.", Type.A));
        assertEquals(10, down.queriesTo("127.0.0.3") + down.queriesTo("127.0.0.7"));
    }

    @Test
    void askersOfAQuestionInFlightShareOneResolution() {
        // an upstream that answers only when told: both questions are asked before any answer comes
        List<Promise<Result<Message, jmirage.resolver.upstream.UpstreamError>>> held = new ArrayList<>();
        List<Message> queries = new ArrayList<>();
        Upstream later = (server, query, transport) -> {
            Promise<Result<Message, jmirage.resolver.upstream.UpstreamError>> p = Promise.pending();
            held.add(p);
            queries.add(query);
            return p;
        };
        Recursion r = new Recursion(Hierarchy.hints(), later, clock, new SeededRandom(1), PLAIN);
        Question www = new Question(Name.of("www.example.com."), Type.A);
        Promise<Result<Answer, RecursionError>> first = r.resolve(www);
        Promise<Result<Answer, RecursionError>> second = r.resolve(new Question(Name.of("WWW.example.com."), Type.A));
        assertEquals(1, held.size(), "one query for both");
        // the authorities answer each query as the scripted ones would
        for (int i = 0; i < held.size(); i++) {
            held.get(i).resolve(authorities.ask(new Endpoint(ScriptedAuthorities.ip(i == 0 ? "127.0.0.1" : i == 1 ? "127.0.0.2" : "127.0.0.3"), 53),
                    queries.get(i), Upstream.Transport.UDP).value());
        }
        assertEquals(List.of("www.example.com. A 192.0.2.1"), data(answer(first.value())));
        assertSame(first.value(), second.value());
        // once answered, the question is asked again (the cache, above, is what remembers answers)
        r.resolve(www);
        assertEquals(4, held.size());
    }
}
