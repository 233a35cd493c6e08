package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestDecoder;
import jmirage.dns.server.Responses;
import jmirage.dns.server.SourceLog;
import jmirage.resolver.ScriptedResolve;
import jmirage.sim.Simulation;

/**
 * The resolver's query path as the server shell runs it for each message: decode, then FORMERR or
 * silence for bytes that are no query, else the serving layer over a scripted core. Whatever the
 * bytes: no exception, and exactly one answer that decodes, fits the transport and carries the ID.
 */
class QueryPathFuzzTest {

    private static final Endpoint US = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 53);
    private static final List<Endpoint> CLIENTS = List.of(new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 5300),
            new Endpoint(InetAddress.ofLiteral("192.0.2.9"), 5300));
    private final Simulation sim = new Simulation(1, Instant.parse("2027-01-01T00:00:00Z"));
    private final QueryHandler handler = new QueryHandler(ScriptedResolve.example(), AccessControl.loopbackAnd(List.of()), 0,
            sim.clock(), ResolverStats.NONE, new SourceLog(sim.log("access", LogLevel.ERROR), 60_000_000_000L), 4711, LocalPolicy.NONE);

    @FuzzTest(maxDuration = "20s")
    void anyBytesGetOneAnswerThatDecodesOrSilence(byte[] data) {
        Bytes wire = Bytes.of(data);
        int last = data.length > 0 ? data[data.length - 1] & 0xff : 0;
        Request.Transport transport = Request.Transport.values()[last % Request.Transport.values().length];
        Endpoint client = CLIENTS.get(last / 4 % 2);
        switch (RequestDecoder.decode(wire)) {
            case Result.Err<Message, RequestDecoder.Undecodable>(RequestDecoder.Undecodable why) -> why.answer().ifPresent(f ->
                    assertTrue(MessageCodec.decode(f).orElseThrow().header().qr()));
            case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> {
                int limit = transport == Request.Transport.UDP ? Responses.udpLimit(m) : 65535;
                // the same bytes again in the same second come back from the shortcut, as handle would answer them
                Optional<List<Bytes>> quick = transport == Request.Transport.UDP
                        ? handler.answer(wire, client.address(), sim.clock().monotonicNanos()) : Optional.empty();
                List<Bytes> answers = sim.await(handler.handle(new Request(m, wire, client, US, transport, limit, sim.clock().now())));
                quick.ifPresent(q -> assertEquals(answers, q));
                assertEquals(1, answers.size());
                assertTrue(answers.getFirst().size() <= limit);
                Message back = MessageCodec.decode(answers.getFirst()).orElseThrow(x -> new IllegalStateException("does not decode: " + x));
                assertTrue(back.header().qr() && back.header().id() == m.header().id());
            }
        }
    }
}
