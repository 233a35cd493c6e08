package jmirage.authoritative.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.server.AuthoritativeCorePropertiesTest.Sent;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The memo never answers other than the core would: random sequences of queries (repeated, with
 * other IDs, letter cases, EDNS sizes, DO bits and transports) mixed with updates that change the
 * zone, signed queries, notifies and transfers, each handed to the memo and to the core from the
 * same state, give the same bytes and the same next state; and it stays within its budget.
 */
class AnswerMemoTest {

    static Arbitrary<Sent> queries() {
        Arbitrary<Integer> id = Arbitraries.integers().between(0, 65535);
        Arbitrary<Integer> name = Arbitraries.of(0, 1, 6);
        Arbitrary<Integer> type = Arbitraries.of(Type.A, Type.A, Type.ANY, Type.SOA, Type.MX);
        Arbitrary<Boolean> upper = Arbitraries.of(false, false, false, false, true);
        Arbitrary<Integer> edns = Arbitraries.of(0, 0, 0, 512, 1232); // 0: no OPT record
        Arbitrary<Request.Transport> transport = Arbitraries.of(Request.Transport.UDP, Request.Transport.UDP, Request.Transport.TCP);
        Arbitrary<Boolean> dnssecOk = Arbitraries.of(false, false, false, true);
        return Combinators.combine(id, name, type, upper, edns, transport, dnssecOk).as((i, n, t, u, size, tr, d) -> {
            String owner = n == 6 ? "example.test." : "p" + n + ".example.test.";
            Name qname = Name.of(u ? owner.toUpperCase() : owner);
            Message m = new Message(new Header(i, false, Header.QUERY, false, false, true, false, false, false, false, 0),
                    List.of(new Question(qname, t, DnsClass.IN)), List.of(), List.of(), List.of(),
                    size == 0 ? Optional.empty() : Optional.of(new Edns(size, 0, d, 0, List.of())));
            return AuthoritativeCorePropertiesTest.sent("query " + qname + " " + Type.name(t) + " id " + i + " edns " + size + " "
                    + tr, m, false, tr);
        });
    }

    @Provide
    Arbitrary<List<Sent>> sequences() {
        return Arbitraries.frequencyOf(Tuple.of(6, queries()), Tuple.of(1, AuthoritativeCorePropertiesTest.updates()),
                Tuple.of(1, AuthoritativeCorePropertiesTest.others())).list().ofMinSize(20).ofMaxSize(80);
    }

    @Provide
    Arbitrary<Integer> budgets() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 2_000), Arbitraries.just(1 << 20), Arbitraries.just(1 << 20));
    }

    @Property(tries = 300)
    void answersAsTheCoreWouldFromTheSameState(@ForAll("sequences") List<Sent> requests,
                                               @ForAll("budgets") int budget) {
        AnswerMemo memo = new AnswerMemo(budget);
        AuthoritativeCore.State state = AuthoritativeCorePropertiesTest.fresh();
        for (Sent s : requests) {
            AuthoritativeCore.Outcome core = AuthoritativeCore.handle(state, s.request());
            AuthoritativeCore.Outcome memoised = memo.handle(state, s.request());
            assertEquals(core.replies(), memoised.replies(), "the same bytes: " + s);
            assertEquals(core.effects(), memoised.effects(), s.toString());
            assertEquals(new HashSet<>(core.state().zones().all()), new HashSet<>(memoised.state().zones().all()), s.toString());
            assertEquals(core.state().journal(), memoised.state().journal(), s.toString());
            assertTrue(memo.bytes() <= budget, "within the budget: " + memo.bytes() + " > " + budget);
            state = core.state();
        }
        Statistics.collect(memo.hits() > 0 ? "answered from memory" : "not");
        Statistics.coverage(c -> c.check("answered from memory").percentage(p -> p > 50));
    }

    @Test
    void aRepeatedQueryIsAnsweredFromMemoryWithItsOwnIdAndAnUpdateForgetsIt() {
        AnswerMemo memo = new AnswerMemo(1 << 20);
        AuthoritativeCore.State state = AuthoritativeCorePropertiesTest.fresh();
        Message query = new Message(new Header(7, false, Header.QUERY, false, false, true, false, false, false, false, 0),
                List.of(new Question(Name.of("example.test."), Type.SOA, DnsClass.IN)), List.of(), List.of(), List.of(),
                Optional.empty());
        Request first = AuthoritativeCorePropertiesTest.sent("first", query, false, Request.Transport.UDP).request();
        Request again = AuthoritativeCorePropertiesTest.sent("again", new Message(query.header().withId(4242),
                query.questions(), List.of(), List.of(), List.of(), Optional.empty()), false, Request.Transport.UDP).request();
        Bytes one = memo.handle(state, first).replies().getFirst();
        Bytes two = memo.handle(state, again).replies().getFirst();
        assertEquals(1, memo.hits());
        assertEquals(7, MessageCodec.decode(one).orElseThrow().header().id());
        assertEquals(4242, MessageCodec.decode(two).orElseThrow().header().id());
        assertEquals(one.slice(2, one.size()), two.slice(2, two.size()));

        // a signed update raises the serial: the same query is answered anew, with the new SOA
        Sent update = AuthoritativeCorePropertiesTest.updates().sampleStream()
                .filter(s -> s.what().startsWith("signed add") && !s.what().endsWith("if in use")).findFirst().orElseThrow();
        AuthoritativeCore.Outcome changed = AuthoritativeCore.handle(state, update.request());
        assertTrue(changed.state() != state);
        Bytes three = memo.handle(changed.state(), again).replies().getFirst();
        assertEquals(1, memo.hits(), "not from memory after the change");
        assertEquals(AuthoritativeCore.handle(changed.state(), again).replies().getFirst(), three);
        assertTrue(!three.equals(two), "the new serial");
    }

    @Test
    void signedQueriesAlwaysGoToTheCore() {
        AnswerMemo memo = new AnswerMemo(1 << 20);
        AuthoritativeCore.State state = AuthoritativeCorePropertiesTest.fresh();
        Message query = new Message(new Header(9, false, Header.QUERY, false, false, true, false, false, false, false, 0),
                List.of(new Question(Name.of("example.test."), Type.SOA, DnsClass.IN)), List.of(), List.of(), List.of(),
                Optional.empty());
        Request signed = AuthoritativeCorePropertiesTest.sent("signed", query, true, Request.Transport.UDP).request();
        memo.handle(state, signed);
        memo.handle(state, signed);
        assertEquals(0, memo.hits());
        assertEquals(0, memo.bytes());
        assertSame(state, memo.handle(state, signed).state());
    }
}
