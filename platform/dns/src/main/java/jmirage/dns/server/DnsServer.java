package jmirage.dns.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.core.net.UdpSocket;
import jmirage.dns.Message;
import jmirage.dns.Rcode;
import jmirage.dns.server.RequestDecoder;
import jmirage.dns.server.Responses;

/**
 * The network shell: DNS over UDP (RFC 1035 4.2.1) and TCP (RFC 7766) on one port of a Stack. It
 * decodes each request, hands it to a {@link Handler} and sends what comes back. Bad bytes get
 * FORMERR or silence and one log line per source and minute; UDP answers are rate limited per
 * source prefix ({@link RateLimiter}); TCP connections are limited per source and in total, several
 * queries may be pipelined on one connection and are answered in order, and a connection idle for
 * {@link Config#tcpIdle} is closed (RFC 7766 6.2.3).
 *
 * <p>The same connection code serves any stream of two-byte framed messages: a TLS listener hands
 * its flows to {@link #acceptStream} (DNS over TLS, RFC 7858 3.3), under the same limits; an HTTP
 * shell hands single messages to {@link #answerOne} (DNS over HTTPS, RFC 8484).
 *
 * <p>A handler may also answer UDP datagrams before they are decoded ({@link UdpShortcut}).
 */
public final class DnsServer {

    /**
     * @param rrlPerSecond UDP answers per second per /24 or /56; 0 turns rate limiting off
     * @param rrlSlip every slip-th limited request gets a truncated answer (0: never)
     * @param tcpPerSource open TCP connections allowed per source address
     * @param tcpTotal open TCP connections allowed in all
     * @param tcpIdle how long a TCP connection may wait for its next query
     */
    public record Config(int port, int rrlPerSecond, int rrlSlip, int tcpPerSource, int tcpTotal, Duration tcpIdle) {
        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (rrlPerSecond < 0 || rrlSlip < 0 || tcpPerSource < 1 || tcpTotal < 1 || tcpIdle.isNegative() || tcpIdle.isZero()) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static Config defaults(int port) {
            return new Config(port, 200, 2, 16, 512, Duration.ofSeconds(10));
        }
    }

    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final int TCP_LENGTH = 2;

    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private final Handler handler;
    private final QueryObserver observer;
    private final Config config;
    private final Optional<UdpShortcut> shortcut;
    private final RateLimiter rrl;
    private final SourceLog badInput;
    private final Map<InetAddress, Integer> tcpBySource = new HashMap<>();
    private final Set<Connection> connections = new HashSet<>();
    /** Connections closed whose flows have not finished closing yet; stop waits for them. */
    private int closingFlows;
    private UdpSocket udp;
    private TcpListener tcp;
    private boolean stopping;
    private Promise<Unit> drained;

    private DnsServer(Scheduler scheduler, Clock clock, Log log, Handler handler, Config config, QueryObserver observer,
            Optional<UdpShortcut> shortcut) {
        if (shortcut.isPresent() && config.rrlPerSecond() > 0) {
            throw new IllegalArgumentException("a shortcut answers before the response rate limit: rate limit in the handler");
        }
        this.shortcut = shortcut;
        this.observer = observer;
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
        this.handler = handler;
        this.config = config;
        this.rrl = new RateLimiter(config.rrlPerSecond(), config.rrlSlip(), 100_000);
        this.badInput = new SourceLog(log, LOG_INTERVAL_NANOS);
    }

    /** Binds UDP and TCP on the port; on the loop. */
    public static Promise<Result<DnsServer, ServerError>> start(Stack stack, Scheduler scheduler, Clock clock, Log log,
            Handler handler, Config config, QueryObserver observer) {
        return start(stack, scheduler, clock, log, handler, config, observer, Optional.empty());
    }

    /** As {@link #start(Stack, Scheduler, Clock, Log, Handler, Config, QueryObserver)}, UDP answered through {@code shortcut} first. */
    public static Promise<Result<DnsServer, ServerError>> start(Stack stack, Scheduler scheduler, Clock clock, Log log,
            Handler handler, Config config, QueryObserver observer, Optional<UdpShortcut> shortcut) {
        DnsServer server = new DnsServer(scheduler, clock, log, handler, config, observer, shortcut);
        return stack.bindUdp(config.port(), server::onDatagram).flatMap(u -> switch (u) {
            case Result.Err<UdpSocket, NetError>(NetError e) ->
                    Promise.resolved(Result.<DnsServer, ServerError>err(new ServerError.UdpPort(config.port(), e)));
            case Result.Ok<UdpSocket, NetError>(UdpSocket socket) -> {
                server.udp = socket;
                int tcpPort = socket.local().port(); // the same port, also when 0 asked for any
                yield stack.listenTcp(tcpPort, server::onAccept).flatMap(t -> switch (t) {
                    case Result.Err<TcpListener, NetError>(NetError e) -> socket.close().map(x ->
                            Result.<DnsServer, ServerError>err(new ServerError.TcpPort(tcpPort, e)));
                    case Result.Ok<TcpListener, NetError>(TcpListener listener) -> {
                        server.tcp = listener;
                        yield Promise.resolved(Result.<DnsServer, ServerError>ok(server));
                    }
                });
            }
        });
    }

    /** The port served, on UDP and TCP. */
    public int port() {
        return udp.local().port();
    }

    // ------------------------------------------------------------------ UDP

    private void onDatagram(Datagram d) {
        if (stopping) {
            return;
        }
        long now = clock.monotonicNanos();
        InetAddress source = d.source().address();
        if (shortcut.isPresent() && answeredFromBytes(d, source, now)) {
            return;
        }
        Message message;
        switch (RequestDecoder.decode(d.payload())) {
            case Result.Err<Message, RequestDecoder.Undecodable>(RequestDecoder.Undecodable why) -> {
                badInput.warn(source, "UDP, " + d.payload().size() + " bytes: " + why.describe(), now);
                // FORMERR is never larger than the request, but a spoofed flood of garbage is still limited
                why.answer().filter(f -> rrl.check(source, now) == RateLimiter.Verdict.ANSWER).ifPresent(f -> send(d, f));
                return;
            }
            case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> message = m;
        }
        switch (rrl.check(source, now)) {
            case DROP -> {
                observer.rateLimited(false);
                badInput.warn(source, "over the response rate limit (" + config.rrlPerSecond() + "/s per prefix); dropping", now);
                return;
            }
            case SLIP -> {
                observer.rateLimited(true);
                send(d, Responses.encodeWithin(Responses.truncated(message), 512));
                return;
            }
            case ANSWER -> { }
        }
        int limit = Responses.udpLimit(message);
        Request request = new Request(message, d.payload(), d.source(), d.destination(), Request.Transport.UDP, limit,
                clock.now());
        handle(request).onSuccess(responses -> {
            for (Bytes r : responses) {
                if (r.size() <= limit) {
                    send(d, r);
                }
            }
        });
    }

    private boolean answeredFromBytes(Datagram d, InetAddress source, long now) {
        Optional<List<Bytes>> answered;
        try {
            answered = shortcut.get().answer(d.payload(), source, now);
        } catch (RuntimeException bug) {
            log.error("shortcut failed on a datagram from " + d.source() + ": " + bug);
            return false; // the handler's way then
        }
        if (answered.isEmpty()) {
            return false;
        }
        for (Bytes r : answered.get()) {
            send(d, r);
        }
        observer.answeredFromBytes(answered.get());
        return true;
    }

    private void send(Datagram request, Bytes response) {
        UdpSocket socket = udp;
        if (socket == null) {
            return;
        }
        socket.send(request.source(), response).onSuccess(r -> {
            if (r instanceof Result.Err<Unit, NetError>(NetError e)) {
                log.debug(() -> "udp answer to " + request.source() + " failed: " + e.describe());
            }
        });
    }

    /** Runs the handler; a failure of the handler is a bug: logged, and answered SERVFAIL. */
    private Promise<List<Bytes>> handle(Request request) {
        Promise<List<Bytes>> handled;
        try {
            handled = handler.handle(request);
        } catch (RuntimeException bug) {
            handled = Promise.rejected(bug);
        }
        return handled.recover(bug -> {
            log.error("handler failed on a request from " + request.source() + ": " + bug);
            return List.of(Responses.error(request, Rcode.SERVFAIL));
        }).map(responses -> {
            observer.answered(request, responses);
            return responses;
        });
    }

    /**
     * Answers one message that came by other means than this server's ports (the body of a DNS over
     * HTTPS request): decoded as the other transports decode, FORMERR or nothing for bad bytes, the
     * handler's first response otherwise (none: silence). Not rate limited here: the caller's
     * transport is a connection. On the loop.
     */
    public Promise<Optional<Bytes>> answerOne(Bytes wire, Endpoint source, Endpoint destination, Request.Transport transport) {
        switch (RequestDecoder.decode(wire)) {
            case Result.Err<Message, RequestDecoder.Undecodable>(RequestDecoder.Undecodable why) -> {
                badInput.warn(source.address(), transport + ", " + wire.size() + " bytes: " + why.describe(),
                        clock.monotonicNanos());
                return Promise.resolved(why.answer());
            }
            case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> {
                Request request = new Request(m, wire, source, destination, transport, 65535, clock.now());
                return handle(request).map(responses -> responses.stream().findFirst());
            }
        }
    }

    // ------------------------------------------------------------------ TCP

    private void onAccept(Flow flow) {
        acceptStream(flow, Request.Transport.TCP);
    }

    /**
     * Serves a connection accepted elsewhere (a TLS listener's decrypted flow) as a TCP one: the same
     * framing, pipelining, idle limit and per-source and total limits; its requests carry
     * {@code transport}. On the loop.
     */
    public void acceptStream(Flow flow, Request.Transport transport) {
        if (transport == Request.Transport.UDP) {
            throw new IllegalArgumentException("a stream is not UDP");
        }
        InetAddress source = flow.remote().address();
        int fromSource = tcpBySource.getOrDefault(source, 0);
        if (!stopping && fromSource < config.tcpPerSource() && connections.size() >= config.tcpTotal()) {
            makeRoomFor(source, fromSource);
        }
        if (stopping || connections.size() >= config.tcpTotal() || fromSource >= config.tcpPerSource()) {
            badInput.warn(source, "TCP connection refused: " + fromSource + " open from this source (limit "
                    + config.tcpPerSource() + "), " + connections.size() + " in all (limit " + config.tcpTotal() + ")",
                    clock.monotonicNanos());
            flow.close();
            return;
        }
        tcpBySource.merge(source, 1, Integer::sum);
        Connection c = new Connection(flow, transport);
        connections.add(c);
        c.next();
    }

    /**
     * The table is full: closes the connection that waits longest for its next query among those of
     * the source holding the most, if that source holds more than {@code newcomer} does (RFC 7766
     * 6.2.3: a server under pressure may close idle connections). So a few sources that fill the table
     * with slow or silent connections cannot keep every other client out; a connection answering a
     * query is never cut.
     */
    private void makeRoomFor(InetAddress newcomer, int newcomerHolds) {
        connections.stream().filter(c -> c.waiting)
                .filter(c -> tcpBySource.getOrDefault(c.source(), 0) > newcomerHolds)
                .min(java.util.Comparator.comparingInt((Connection c) -> -tcpBySource.getOrDefault(c.source(), 0))
                        .thenComparingLong(c -> c.waitingSince))
                .ifPresent(c -> {
                    log.debug(() -> "tcp table full: closing " + c.flow.remote() + ", waiting since "
                            + c.waitingSince + " ns, to make room for " + newcomer);
                    c.close();
                });
    }

    /**
     * One TCP connection: two-byte length-prefixed messages (RFC 1035 4.2.2), answered in order. The
     * whole next message must arrive within {@link Config#tcpIdle} of the connection starting to wait
     * for it: bytes that trickle in do not restart the timer, or a client sending one byte every few
     * seconds would hold its slot forever.
     */
    private final class Connection {
        private final Flow flow;
        private final Request.Transport transport;
        private Bytes buffer = Bytes.EMPTY;
        /** Armed when the connection starts waiting for a message, cancelled when the message is whole. */
        private Cancellable deadline;
        private long waitingSince;
        private boolean waiting;
        private boolean closed;

        Connection(Flow flow, Request.Transport transport) {
            this.flow = flow;
            this.transport = transport;
        }

        void next() {
            if (closed) {
                return;
            }
            if (buffer.size() >= TCP_LENGTH) {
                int length = buffer.getUnsigned(0) << 8 | buffer.getUnsigned(1);
                if (length < 12) {
                    badInput.warn(flow.remote().address(), "TCP message of " + length + " bytes, shorter than a header; closing",
                            clock.monotonicNanos());
                    close();
                    return;
                }
                if (buffer.size() >= TCP_LENGTH + length) {
                    Bytes wire = buffer.slice(TCP_LENGTH, TCP_LENGTH + length);
                    buffer = buffer.slice(TCP_LENGTH + length, buffer.size());
                    if (deadline != null) {
                        deadline.cancel();
                        deadline = null;
                    }
                    waiting = false;
                    answer(wire).onComplete((u, bug) -> next());
                    return;
                }
            }
            if (stopping) {
                close();
                return;
            }
            if (deadline == null) {
                waitingSince = clock.monotonicNanos();
                deadline = scheduler.schedule(config.tcpIdle(), () -> {
                    log.debug(() -> "tcp " + flow.remote() + ": no whole query within " + config.tcpIdle() + ", closing");
                    close();
                });
            }
            waiting = true;
            flow.read().onComplete((r, bug) -> {
                if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes data))) {
                    buffer = buffer.isEmpty() ? data : buffer.concat(data);
                    next();
                } else {
                    close();
                }
            });
        }

        private Promise<Unit> answer(Bytes wire) {
            long now = clock.monotonicNanos();
            Message message;
            switch (RequestDecoder.decode(wire)) {
                case Result.Err<Message, RequestDecoder.Undecodable>(RequestDecoder.Undecodable why) -> {
                    badInput.warn(flow.remote().address(), transport + ", " + wire.size() + " bytes: " + why.describe(), now);
                    return why.answer().map(f -> write(List.of(f))).orElseGet(Promise::done);
                }
                case Result.Ok<Message, RequestDecoder.Undecodable>(Message m) -> message = m;
            }
            Request request = new Request(message, wire, flow.remote(), flow.local(), transport, 65535, clock.now());
            return handle(request).flatMap(this::write);
        }

        /** Writes each response with its length; resolves when the flow has taken the last one. */
        private Promise<Unit> write(List<Bytes> responses) {
            Promise<Unit> chain = Promise.done();
            for (Bytes r : responses) {
                byte[] prefix = {(byte) (r.size() >>> 8), (byte) r.size()};
                chain = chain.flatMap(u -> closed ? Promise.done() : flow.write(Bytes.of(prefix).concat(r)).map(w -> {
                    if (!w.isOk()) {
                        close();
                    }
                    return Unit.UNIT;
                }));
            }
            return chain;
        }

        InetAddress source() {
            return flow.remote().address();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (deadline != null) {
                deadline.cancel();
            }
            InetAddress source = flow.remote().address();
            tcpBySource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
            connections.remove(this); // at once: its slot is free for the next connection
            closingFlows++;
            flow.close().onComplete((u, e) -> {
                closingFlows--;
                if (connections.isEmpty() && closingFlows == 0 && drained != null) {
                    drained.resolve(Unit.UNIT);
                }
            });
        }
    }

    /** Stops accepting; connections finish the query they are answering, then close. */
    public Promise<Unit> stop() {
        stopping = true;
        List<Promise<Unit>> closing = new ArrayList<>();
        if (udp != null) {
            closing.add(udp.close());
            udp = null;
        }
        if (tcp != null) {
            closing.add(tcp.close());
            tcp = null;
        }
        return Promise.all(closing).flatMap(x -> {
            drained = Promise.pending();
            if (connections.isEmpty() && closingFlows == 0) {
                return Promise.done();
            }
            // a connection waiting for its next query closes now; one answering closes after its answer
            List.copyOf(connections).forEach(c -> {
                if (c.waiting) {
                    c.close();
                }
            });
            return drained;
        });
    }
}
