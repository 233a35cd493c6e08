package jmirage.resolver.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private static final Endpoint SERVER = new Endpoint(jmirage.core.net.IpAddresses.parse("127.0.0.1").orElseThrow(), 53);
    private static final Message QUERY = Message.query(1, Name.of("www.example.test."), Type.A, Optional.empty());

    private final List<Promise<Result<Message, UpstreamError>>> inFlight = new ArrayList<>();
    private final Upstream silent = (server, query, transport) -> {
        Promise<Result<Message, UpstreamError>> p = Promise.pending();
        inFlight.add(p);
        return p;
    };

    @Test
    void beyondTheBoundQueriesWaitThenAreRefused() {
        Throttle throttle = new Throttle(silent, 2, 3);
        List<Promise<Result<Message, UpstreamError>>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(throttle.ask(SERVER, QUERY, Upstream.Transport.UDP));
        }
        assertEquals(2, inFlight.size(), "two sent");
        assertEquals(2, throttle.outstanding());
        assertEquals(3, throttle.queued());
        Promise<Result<Message, UpstreamError>> refused = throttle.ask(SERVER, QUERY, Upstream.Transport.UDP);
        assertEquals(Result.err(new UpstreamError.Overloaded(2, 3)), refused.value());

        inFlight.getFirst().resolve(Result.err(new UpstreamError.TimedOut(400)));
        assertEquals(Result.err(new UpstreamError.TimedOut(400)), answers.getFirst().value());
        assertEquals(3, inFlight.size(), "the first waiting query is sent when one finishes");
        assertEquals(2, throttle.outstanding());
        assertEquals(2, throttle.queued());
        assertFalse(answers.get(2).isDone());
        inFlight.get(2).resolve(Result.ok(QUERY));
        assertEquals(Result.ok(QUERY), answers.get(2).value(), "answers go to their own askers");
    }

    @Test
    void answersThatComeAtOnceNeverFillTheQueue() {
        Throttle throttle = new Throttle((server, query, transport) -> Promise.resolved(Result.ok(query)), 1, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(throttle.ask(SERVER, QUERY, Upstream.Transport.UDP).value().isOk());
        }
        assertEquals(0, throttle.outstanding());
    }
}
