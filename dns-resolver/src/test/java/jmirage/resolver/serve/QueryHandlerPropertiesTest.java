package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestDecoder;
import jmirage.dns.server.Responses;
import jmirage.dns.server.SourceLog;
import jmirage.resolver.ScriptedResolve;
import jmirage.sim.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any query that decodes, from any client over any transport, gets exactly one answer: a response
 * with the query's ID and, when it asked one question, that question exactly as spelled, within
 * the transport's size; the handler never throws.
 */
class QueryHandlerPropertiesTest {

    private static final Endpoint US = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 53);

    @Property(tries = 600)
    void everyDecodableQueryGetsOneAnswerWithItsIdAndQuestion(@ForAll @IntRange(max = 65535) int id,
            @ForAll @IntRange(max = 15) int opcode, @ForAll boolean rd, @ForAll boolean ad, @ForAll boolean cd,
            @ForAll("questions") List<Question> questions, @ForAll("edns") Optional<Edns> edns,
            @ForAll("transports") Request.Transport transport, @ForAll("clients") InetAddress client) {
        Simulation sim = new Simulation(id, Instant.parse("2027-01-01T00:00:00Z"));
        QueryHandler handler = new QueryHandler(ScriptedResolve.example(), AccessControl.loopbackAnd(List.of()), 0, sim.clock(),
                ResolverStats.NONE, new SourceLog(sim.log("access", LogLevel.INFO), 60_000_000_000L), id, LocalPolicy.NONE);
        Header h = new Header(id, false, opcode, false, false, rd, false, false, ad, cd, 0);
        Bytes wire = MessageCodec.encode(new Message(h, questions, List.of(), List.of(), List.of(), edns));
        Message query;
        switch (RequestDecoder.decode(wire)) {
            case Result.Err<Message, RequestDecoder.Undecodable> e -> {
                Assume.that(false);
                return;
            }
            case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> query = m;
        }
        int limit = transport == Request.Transport.UDP ? Responses.udpLimit(query) : 65535;
        List<Bytes> answers = sim.await(handler.handle(new Request(query, wire, new Endpoint(client, 5300), US, transport, limit,
                sim.clock().now())));
        assertEquals(1, answers.size());
        assertTrue(answers.getFirst().size() <= limit, answers.getFirst().size() + " bytes over " + limit);
        Message answer = MessageCodec.decode(answers.getFirst()).orElseThrow();
        assertTrue(answer.header().qr());
        assertEquals(id, answer.header().id());
        assertEquals(opcode, answer.header().opcode());
        if (questions.size() == 1) {
            assertEquals(1, answer.questions().size());
            Question back = answer.questions().getFirst();
            assertTrue(back.name().equalsExact(questions.getFirst().name()), back + " for " + questions.getFirst());
            assertEquals(questions.getFirst().qtype(), back.qtype());
            assertEquals(questions.getFirst().qclass(), back.qclass());
        }
    }

    @Provide
    Arbitrary<List<Question>> questions() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("www.example.test.", "WWW.Example.TEST.", "long.example.test.", "bogus.example.test.",
                        "signed.example.test.", "."),
                Arbitraries.strings().withChars("abcXYZ019-").ofMinLength(1).ofMaxLength(12).list().ofMinSize(1).ofMaxSize(4)
                        .map(labels -> String.join(".", labels) + "."));
        Arbitrary<Integer> types = Arbitraries.oneOf(Arbitraries.of(Type.A, Type.AAAA, Type.TXT, Type.RRSIG, Type.NSEC, Type.ANY,
                Type.AXFR, Type.IXFR, Type.OPT, Type.TSIG), Arbitraries.integers().between(0, 65535));
        Arbitrary<Integer> classes = Arbitraries.oneOf(Arbitraries.just(DnsClass.IN), Arbitraries.integers().between(0, 65535));
        Arbitrary<Question> one = names.flatMap(n -> types.flatMap(t -> classes.map(c -> new Question(Name.of(n), t, c))));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, one.map(List::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.<Question>of())),
                net.jqwik.api.Tuple.of(1, one.list().ofMinSize(2).ofMaxSize(3).map(ArrayList::new)));
    }

    @Provide
    Arbitrary<Optional<Edns>> edns() {
        return Arbitraries.oneOf(Arbitraries.just(Optional.<Edns>empty()),
                Arbitraries.integers().between(0, 65535).flatMap(size -> Arbitraries.integers().between(0, 2).flatMap(version ->
                        Arbitraries.of(true, false).map(dnssecOk -> Optional.of(new Edns(size, version, dnssecOk, 0, List.of()))))));
    }

    @Provide
    Arbitrary<Request.Transport> transports() {
        return Arbitraries.of(Request.Transport.class);
    }

    @Provide
    Arbitrary<InetAddress> clients() {
        return Arbitraries.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"), InetAddress.ofLiteral("192.0.2.7"),
                InetAddress.ofLiteral("2001:db8::7"));
    }
}
