package jmirage.resolver.upstream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;

/**
 * A bound on the queries outstanding to authorities at once, over all client questions: at most
 * {@code maxOutstanding} are in flight (each a socket and a timer in the shell), up to
 * {@code maxQueued} more wait their turn in order, and beyond that a query is not sent at all
 * ({@link UpstreamError.Overloaded}): a flood of random names costs a bounded number of sockets and
 * a bounded amount of memory, and the questions beyond the bound fail at once (unbound's
 * num-queries-per-thread and outgoing-range play this part). Call it on the loop.
 */
public final class Throttle implements Upstream {

    private record Waiting(Endpoint server, Message query, Transport transport, Optional<Duration> timeout,
            Promise<Result<Message, UpstreamError>> answer) {}

    private final Upstream upstream;
    private final int maxOutstanding;
    private final int maxQueued;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private int outstanding;
    private boolean draining;

    public Throttle(Upstream upstream, int maxOutstanding, int maxQueued) {
        if (maxOutstanding < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("maxOutstanding must be positive, maxQueued not negative");
        }
        this.upstream = Objects.requireNonNull(upstream);
        this.maxOutstanding = maxOutstanding;
        this.maxQueued = maxQueued;
    }

    /** Queries sent and not yet answered or timed out. */
    public int outstanding() {
        return outstanding;
    }

    /** Queries waiting for one of those to finish. */
    public int queued() {
        return queue.size();
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport) {
        return enqueue(server, query, transport, Optional.empty());
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport, Duration timeout) {
        return enqueue(server, query, transport, Optional.of(timeout));
    }

    private Promise<Result<Message, UpstreamError>> enqueue(Endpoint server, Message query, Transport transport, Optional<Duration> timeout) {
        if (queue.size() >= maxQueued && outstanding >= maxOutstanding) {
            return Promise.resolved(Result.err(new UpstreamError.Overloaded(outstanding, queue.size())));
        }
        Promise<Result<Message, UpstreamError>> answer = Promise.pending();
        queue.add(new Waiting(server, query, transport, timeout, answer));
        drain();
        return answer;
    }

    /** Sends what waits while there is room; not re-entered when an answer comes at once (a replay). */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (outstanding < maxOutstanding && !queue.isEmpty()) {
                Waiting w = queue.poll();
                outstanding++;
                Promise<Result<Message, UpstreamError>> sent = w.timeout().isPresent()
                        ? upstream.ask(w.server(), w.query(), w.transport(), w.timeout().get())
                        : upstream.ask(w.server(), w.query(), w.transport());
                sent.onComplete((r, failure) -> {
                    outstanding--;
                    if (failure != null) {
                        w.answer().reject(failure);
                    } else {
                        w.answer().resolve(r);
                    }
                    drain();
                });
            }
        } finally {
            draining = false;
        }
    }
}
