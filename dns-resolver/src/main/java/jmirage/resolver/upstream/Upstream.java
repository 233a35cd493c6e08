package jmirage.resolver.upstream;

import java.time.Duration;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;

/**
 * How the resolver's core reaches authorities (or forwarders): one query to one server, the
 * matching answer or an error, on the loop. The shell ({@code StackUpstream}) sends it over the
 * unikernel's Stack with a fresh random ID and source port and accepts only an answer from that
 * server, with that ID and the question exactly as sent (0x20 case included; RFC 5452); tests
 * replay scripted authorities ({@code .rpl} scenarios) through the same interface. The query's ID
 * is the implementation's to choose; the answer returned is the one that matched.
 */
@FunctionalInterface
public interface Upstream {

    /** UDP (falling back to TCP is the caller's decision, on TC), TCP, or DNS over TLS (forwarding). */
    enum Transport { UDP, TCP, TLS }

    Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport);

    /**
     * The same, waiting at most {@code timeout} for the answer: recursion passes each server's
     * retransmission timeout (its smoothed round trip, backed off after timeouts). An upstream that
     * answers at once (a replay) ignores it.
     */
    default Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport, Duration timeout) {
        return ask(server, query, transport);
    }
}
