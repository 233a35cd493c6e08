package jmirage.resolver.rpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import jmirage.resolver.upstream.Upstream;
import org.junit.jupiter.api.Test;

/** The runner and the replay upstream against a stand-in resolver whose behaviour the test knows. */
class RplRunnerTest {

    /**
     * Asks the first stub address once, over UDP; the answer's AD bit stands for "secure" and its
     * first answer's TTL is noted with the clock, so a test sees what the runner gave it.
     */
    static final class OneQuestion {
        final List<String> seen = new ArrayList<>();

        RplRunner.Factory factory() {
            return (config, upstream, clock, random, loop) -> (question, cd) -> {
                InetAddress server = config.stubZones().values().iterator().next().getFirst();
                Message query = new Message(Header.query(random.nextInt(65536)), List.of(question), List.of(), List.of(),
                        List.of(), Optional.of(new Edns(1232, 0, true, 0, List.of())));
                seen.add(clock.now() + " cd=" + cd);
                return upstream.ask(new Endpoint(server, 53), query, Upstream.Transport.UDP).map(r -> switch (r) {
                    case Result.Ok<Message, ?>(Message m) -> new Resolution(question, m.header().rcode(), m.answers(),
                            m.authority(), m.additional(), m.header().ad() ? Security.SECURE : Security.INSECURE,
                            Optional.empty(), false);
                    case Result.Err<Message, ?> e -> Resolution.failure(question, 22, "timeout");
                });
            };
        }
    }

    static final String SCENARIO = """
            server:
            \tval-override-date: "20070916134226"
            stub-zone:
            \tname: "."
            \tstub-addr: 193.0.14.129 # K.ROOT-SERVERS.NET.
            CONFIG_END
            SCENARIO_BEGIN the runner's own test
            RANGE_BEGIN 0 10
            \tADDRESS 193.0.14.129
            ENTRY_BEGIN
            MATCH opcode qtype qname
            ADJUST copy_id
            REPLY QR AA AD NOERROR
            SECTION QUESTION
            www.example.com. IN A
            SECTION ANSWER
            www.example.com. 3600 IN A 10.20.30.40
            www.example.com. 3600 IN RRSIG A 8 3 3600 20070926134150 20070829134150 2854 example.com. AAAA
            ENTRY_END
            ENTRY_BEGIN
            MATCH opcode subdomain
            ADJUST copy_id
            REPLY QR NXDOMAIN
            SECTION QUESTION
            nx.example.com. IN A
            ENTRY_END
            RANGE_END
            RANGE_BEGIN 11 30
            \tADDRESS 193.0.14.129
            ENTRY_BEGIN
            MATCH opcode qtype qname
            ADJUST copy_id
            REPLY QR AA NOERROR
            SECTION QUESTION
            www.example.com. IN A
            SECTION ANSWER
            www.example.com. 3600 IN A 10.20.30.41
            ENTRY_END
            RANGE_END
            RANGE_BEGIN 0 100
            \tADDRESS 192.0.2.99
            ENTRY_BEGIN
            MATCH opcode
            ADJUST copy_id
            REPLY QR SERVFAIL
            SECTION QUESTION
            www.example.com. IN A
            ENTRY_END
            RANGE_END
            STEP 1 QUERY
            ENTRY_BEGIN
            REPLY RD DO
            SECTION QUESTION
            WWW.Example.com. IN A
            ENTRY_END
            STEP 2 CHECK_ANSWER
            ENTRY_BEGIN
            MATCH all
            REPLY QR RD RA AD DO NOERROR
            SECTION QUESTION
            www.example.com. IN A
            SECTION ANSWER
            www.example.com. 100 IN A 10.20.30.40
            www.example.com. 3600 IN RRSIG A 8 3 3600 20070926134150 20070829134150 2854 example.com. AAAA
            ENTRY_END
            STEP 3 QUERY
            ENTRY_BEGIN
            REPLY RD CD
            SECTION QUESTION
            deep.nx.example.com. IN TXT
            ENTRY_END
            STEP 4 CHECK_ANSWER
            ENTRY_BEGIN
            MATCH all
            REPLY QR RD RA NXDOMAIN
            SECTION QUESTION
            deep.nx.example.com. IN TXT
            ENTRY_END
            STEP 11 TIME_PASSES ELAPSE 0.5
            STEP 20 QUERY
            ENTRY_BEGIN
            REPLY RD
            SECTION QUESTION
            www.example.com. IN A
            ENTRY_END
            STEP 21 CHECK_ANSWER
            ENTRY_BEGIN
            MATCH all
            REPLY QR RD RA NOERROR
            SECTION QUESTION
            www.example.com. IN A
            SECTION ANSWER
            www.example.com. IN A 10.20.30.41
            ENTRY_END
            SCENARIO_END
            """;

    @Test
    void aResolverThatAnswersAsScriptedPasses() {
        OneQuestion resolver = new OneQuestion();
        RplRunner.Outcome outcome = RplRunner.run(RplParser.parse("runner", SCENARIO).orElseThrow(), resolver.factory());
        assertTrue(outcome.passed(), outcome.report());
        // the ranges change with the step; the clock starts at val-override-date and moves with TIME_PASSES
        assertEquals(List.of("2007-09-16T13:42:26Z cd=false", "2007-09-16T13:42:26Z cd=true",
                "2007-09-16T13:42:26.500Z cd=false"), resolver.seen);
        assertEquals(List.of(1, 3, 20), outcome.transcript().stream().map(ReplayUpstream.Exchange::step).toList());
    }

    @Test
    void wrongRcodeAdOrAnswerAreEachReported() {
        String wrong = SCENARIO.replace("REPLY QR RD RA AD DO NOERROR", "REPLY QR RD RA DO NOERROR")
                .replace("REPLY QR RD RA NXDOMAIN", "REPLY QR RD RA SERVFAIL")
                .replace("www.example.com. IN A 10.20.30.41\nENTRY_END\nSCENARIO_END", "www.example.com. IN A 10.20.30.42\nENTRY_END\nSCENARIO_END");
        RplRunner.Outcome outcome = RplRunner.run(RplParser.parse("runner", wrong).orElseThrow(), new OneQuestion().factory());
        assertEquals(3, outcome.failures().size(), outcome.report());
        assertTrue(outcome.failures().get(0).startsWith("step 2 (WWW.Example.com. A): AD true, expected false"), outcome.report());
        assertTrue(outcome.failures().get(1).startsWith("step 4 (deep.nx.example.com. TXT): rcode NXDOMAIN, expected SERVFAIL"),
                outcome.report());
        assertTrue(outcome.failures().get(2).contains("missing [www.example.com. 3600 IN A 10.20.30.42], unexpected "
                + "[www.example.com. 3600 IN A 10.20.30.41]"), outcome.report());
    }

    @Test
    void rrsigsCountOnlyWhenTheQueryHadDo() {
        // without DO the runner hides the RRSIG the stand-in returns, so the check without it passes
        String noDo = SCENARIO.replace("REPLY RD DO\nSECTION QUESTION\nWWW", "REPLY RD\nSECTION QUESTION\nWWW")
                .replace("REPLY QR RD RA AD DO NOERROR", "REPLY QR RD RA NOERROR")
                .replace("www.example.com. 3600 IN RRSIG A 8 3 3600 20070926134150 20070829134150 2854 example.com. AAAA\nENTRY_END\nSTEP 3",
                        "ENTRY_END\nSTEP 3");
        RplRunner.Outcome outcome = RplRunner.run(RplParser.parse("runner", noDo).orElseThrow(), new OneQuestion().factory());
        assertTrue(outcome.passed(), outcome.report());
    }

    @Test
    void queriesMatchByAddressStepAndTerms() {
        Rpl rpl = RplParser.parse("runner", SCENARIO).orElseThrow();
        int[] step = {1};
        ReplayUpstream upstream = new ReplayUpstream(rpl.ranges(), () -> step[0]);
        Endpoint root = new Endpoint(addr("193.0.14.129"), 53);
        Message query = Message.query(4242, Name.of("wWw.example.COM"), Type.A, Optional.empty());
        Message reply = upstream.ask(root, query, Upstream.Transport.UDP).value().orElseThrow();
        assertEquals(4242, reply.header().id());
        assertTrue(reply.questions().getFirst().name().equalsExact(Name.of("wWw.example.COM")), "the question as sent");
        assertEquals("10.20.30.40", ((jmirage.dns.Rdata.A) reply.answers().getFirst().rdata()).address().getHostAddress());

        // another type at the same name: no entry in range 0-10 matches; a timeout
        Message aaaa = Message.query(1, Name.of("www.example.com"), Type.AAAA, Optional.empty());
        assertFalse(upstream.ask(root, aaaa, Upstream.Transport.UDP).value().isOk());
        // subdomain matching, any type
        Message below = Message.query(2, Name.of("a.b.nx.example.com"), Type.MX, Optional.empty());
        assertEquals(Header.NXDOMAIN, upstream.ask(root, below, Upstream.Transport.TCP).value().orElseThrow().header().rcode());
        // the other server's range answers everything with SERVFAIL
        assertEquals(Header.SERVFAIL, upstream.ask(new Endpoint(addr("192.0.2.99"), 53), aaaa, Upstream.Transport.UDP)
                .value().orElseThrow().header().rcode());
        // an address no range serves
        assertFalse(upstream.ask(new Endpoint(addr("192.0.2.98"), 53), query, Upstream.Transport.UDP).value().isOk());
        step[0] = 20;
        assertEquals("10.20.30.41", ((jmirage.dns.Rdata.A) upstream.ask(root, query, Upstream.Transport.UDP).value()
                .orElseThrow().answers().getFirst().rdata()).address().getHostAddress());
        assertFalse(upstream.ask(root, below, Upstream.Transport.UDP).value().isOk(), "range 0-10 is over at step 20");
        assertEquals(7, upstream.transcript().size());
        assertTrue(upstream.transcript().get(1).outcome().contains("no scripted answer"));
    }

    @Test
    void transportTermsAndAMissingCopyId() {
        RplEntry tcpOnly = new RplEntry(1, java.util.Set.of(RplEntry.Match.TCP), true, false, RplEntry.Flags.NONE,
                List.of(new Question(Name.of("x"), Type.A)), List.of(), List.of(), List.of());
        Message query = Message.query(1, Name.of("x"), Type.A, Optional.empty());
        assertTrue(ReplayUpstream.matches(tcpOnly, query, Upstream.Transport.TCP));
        assertFalse(ReplayUpstream.matches(tcpOnly, query, Upstream.Transport.UDP));
        RplEntry noCopyId = new RplEntry(1, java.util.Set.of(), false, false, RplEntry.Flags.NONE, List.of(), List.of(),
                List.of(), List.of());
        ReplayUpstream upstream = new ReplayUpstream(List.of(new RplRange(1, 0, 10, List.of(), List.of(noCopyId))), () -> 1);
        assertFalse(upstream.ask(new Endpoint(addr("192.0.2.1"), 53), query, Upstream.Transport.UDP).value().isOk());
    }

    @Test
    void aPendingAnswerIsAFailureNotAHang() {
        RplRunner.Factory never = (config, upstream, clock, random, loop) -> (question, cd) -> Promise.pending();
        RplRunner.Outcome outcome = RplRunner.run(RplParser.parse("runner", SCENARIO).orElseThrow(), never);
        assertEquals(3, outcome.failures().size());
        assertTrue(outcome.failures().getFirst().contains("no resolution for the query of step 1"));
        assertEquals(Instant.parse("2007-09-16T13:42:26Z"), RplParser.parse("runner", SCENARIO).orElseThrow().config()
                .overrideDate().orElseThrow());
        assertEquals(Duration.ofMillis(500), ((RplStep.TimePasses) RplParser.parse("runner", SCENARIO).orElseThrow()
                .steps().get(4)).elapse());
    }

    static InetAddress addr(String literal) {
        return jmirage.core.net.IpAddresses.parse(literal).orElseThrow();
    }
}
