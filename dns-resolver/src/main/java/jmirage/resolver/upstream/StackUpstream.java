package jmirage.resolver.upstream;

import java.time.Duration;
import java.util.List;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;
import jmirage.core.net.UdpSocket;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;

/**
 * The shell that sends recursion's queries over the unikernel's {@link Stack}: over UDP from a
 * fresh random source port with a fresh random ID and the question's letters in random case (RFC
 * 5452 9.2, DNS 0x20), accepting only the answer that {@link AnswerMatch} accepts and dropping (and
 * counting) every other datagram; over TCP with two-byte framing, a connection per query (RFC 7766
 * 8); over TLS to forwarders configured with the name their certificate must carry (RFC 7858 3.2,
 * RFC 8310 8). Timeouts run on the {@link Scheduler}. Call it on the loop.
 *
 * <p><b>Servers that do not echo case.</b> Some authorities answer with the question lower-cased.
 * A UDP datagram that matches a query in everything but case is dropped (it may be a spoofer's), and
 * the query is asked again over TCP at once, while the UDP wait goes on: an answer on the query's own
 * connection cannot come from off-path, so there a case-only difference is accepted, and it proves
 * that the server does not preserve case. Such a server is then asked without 0x20 for
 * {@link #CASELESS_TTL} (unbound's caps-fallback, remembered in its infrastructure cache). Only the
 * TCP answer marks a server, so a spoofer cannot switch 0x20 off.
 */
public final class StackUpstream implements Upstream {

    /**
     * @param timeout the wait when the caller gives none
     * @param tls for each DNS-over-TLS forwarder, its anchors and the name to check (RFC 8310 8.1)
     */
    public record Config(Duration timeout, Map<Endpoint, TlsClientConfig> tls) {
        public Config {
            Objects.requireNonNull(timeout);
            tls = Map.copyOf(tls);
        }

        public static Config of(Duration timeout) {
            return new Config(timeout, Map.of());
        }
    }

    private static final int MAX_BIND_TRIES = 8;
    /** How long a server seen not to preserve case is asked without 0x20 (unbound's infra-host-ttl). */
    static final Duration CASELESS_TTL = Duration.ofMinutes(15);
    /** Servers remembered as not preserving case, at most (the oldest forgotten first). */
    private static final int MAX_CASELESS = 10_000;
    private static final int FIRST_EPHEMERAL_PORT = 1024;

    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Config config;
    private final Map<AnswerMatch.Dropped, Long> dropped = new EnumMap<>(AnswerMatch.Dropped.class);
    /** Servers that answered over TCP without our case, and until when (monotonic nanos) 0x20 is off for them. */
    private final LinkedHashMap<Endpoint, Long> caseless = new LinkedHashMap<>();

    public StackUpstream(Stack stack, Scheduler scheduler, Clock clock, Random random, Config config) {
        this.stack = Objects.requireNonNull(stack);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.config = Objects.requireNonNull(config);
    }

    /** Answers dropped so far, by reason (for the statistics page): none of them reached recursion. */
    public Map<AnswerMatch.Dropped, Long> dropped() {
        return Map.copyOf(dropped);
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport) {
        return ask(server, query, transport, config.timeout());
    }

    /** Whether {@code server} is asked with 0x20 now: it has not been seen to answer in another case lately. */
    public boolean preservesCase(Endpoint server) {
        Long until = caseless.get(server);
        if (until != null && until - clock.monotonicNanos() <= 0) {
            caseless.remove(server);
            return true;
        }
        return until == null;
    }

    private void sawCaseless(Endpoint server) {
        caseless.remove(server);
        caseless.put(server, clock.monotonicNanos() + CASELESS_TTL.toNanos());
        if (caseless.size() > MAX_CASELESS) {
            caseless.remove(caseless.firstEntry().getKey());
        }
    }

    @Override
    public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport, Duration timeout) {
        Message sent = disguised(query, preservesCase(server));
        Promise<Result<Message, UpstreamError>> answer = switch (transport) {
            case UDP -> udp(server, sent, timeout);
            case TCP -> stream(server, sent, timeout, false);
            case TLS -> config.tls().containsKey(server) ? stream(server, sent, timeout, true)
                    : Promise.resolved(Result.err(new UpstreamError.Unreachable("no TLS configuration for " + server)));
        };
        // the caller sees its own question's case back, the matching having checked ours
        Name original = query.questions().getFirst().name();
        Name mixed = sent.questions().getFirst().name();
        return answer.map(r -> r.map(m -> CaseRestore.restore(
                new Message(m.header(), query.questions(), m.answers(), m.authority(), m.additional(), m.edns()), mixed, original)));
    }

    /** A fresh random ID (RFC 5452 9.2) and, with {@code caps}, the question's name in random case (0x20). */
    private Message disguised(Message query, boolean caps) {
        Question q = query.questions().getFirst();
        Question mixed = caps ? new Question(AnswerMatch.randomiseCase(q.name(), random), q.qtype(), q.qclass()) : q;
        return new Message(query.header().withId(random.nextInt(0x10000)), List.of(mixed), query.answers(),
                query.authority(), query.additional(), query.edns());
    }

    private void drop(AnswerMatch.Dropped why) {
        dropped.merge(why, 1L, Long::sum);
    }

    // ---- UDP ----

    private Promise<Result<Message, UpstreamError>> udp(Endpoint server, Message query, Duration timeout) {
        Promise<Result<Message, UpstreamError>> done = Promise.pending();
        Bytes wire = MessageCodec.encode(query);
        bind(server, query, done, 1).onComplete((bound, failure) -> {
            if (failure != null) {
                done.reject(failure);
                return;
            }
            switch (bound) {
                case Result.Err<UdpSocket, NetError>(NetError e) -> done.resolve(Result.err(new UpstreamError.Unreachable(e.describe())));
                case Result.Ok<UdpSocket, NetError>(UdpSocket socket) -> {
                    Cancellable timer = scheduler.schedule(timeout,
                            () -> done.resolve(Result.err(new UpstreamError.TimedOut(timeout.toMillis()))));
                    done.onComplete((v, e) -> {
                        timer.cancel();
                        socket.close();
                    });
                    socket.send(server, wire).onSuccess(sent -> {
                        if (sent instanceof Result.Err<?, NetError>(NetError e)) {
                            done.resolve(Result.err(new UpstreamError.Unreachable(e.describe())));
                        }
                    });
                }
            }
        });
        return done;
    }

    /** Binds a random port (RFC 5452 9.2: from the whole ephemeral range) whose datagrams are matched against the query. */
    private Promise<Result<UdpSocket, NetError>> bind(Endpoint server, Message query, Promise<Result<Message, UpstreamError>> done, int tries) {
        int port = FIRST_EPHEMERAL_PORT + random.nextInt(65536 - FIRST_EPHEMERAL_PORT);
        boolean[] tcpAsked = {false};
        return stack.bindUdp(port, (Datagram d) -> {
            if (done.isDone()) {
                return; // a late or duplicate datagram: the socket is closing
            }
            switch (AnswerMatch.check(server, query, d.source(), d.payload())) {
                case Result.Ok<Message, AnswerMatch.Dropped>(Message m) -> done.resolve(Result.ok(m));
                case Result.Err<Message, AnswerMatch.Dropped>(AnswerMatch.Dropped why) -> {
                    drop(why);
                    if (why == AnswerMatch.Dropped.WRONG_CASE && !tcpAsked[0]) {
                        tcpAsked[0] = true;
                        askOverTcp(server, query, done);
                    }
                }
            }
        }).flatMap(r -> switch (r) {
            case Result.Err<UdpSocket, NetError>(NetError e) when e instanceof NetError.AddressInUse && tries < MAX_BIND_TRIES ->
                    bind(server, query, done, tries + 1);
            default -> Promise.resolved(r);
        });
    }

    /**
     * A case-only mismatch on UDP: the same query over TCP, its answer taken if it comes before a
     * matching datagram; a TCP failure leaves the UDP wait to its timeout.
     */
    private void askOverTcp(Endpoint server, Message query, Promise<Result<Message, UpstreamError>> done) {
        Duration timeout = config.timeout();
        stream(server, query, timeout, false).onSuccess(r -> {
            if (r.isOk() && !done.isDone()) {
                done.resolve(r);
            }
        });
    }

    // ---- TCP and TLS ----

    private Promise<Result<Message, UpstreamError>> stream(Endpoint server, Message query, Duration timeout, boolean tls) {
        Promise<Result<Message, UpstreamError>> done = Promise.pending();
        Cancellable timer = scheduler.schedule(timeout, () -> done.resolve(Result.err(new UpstreamError.TimedOut(timeout.toMillis()))));
        done.onComplete((v, e) -> timer.cancel());
        stack.connectTcp(server).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.resolved(Result.<Flow, UpstreamError>err(new UpstreamError.Unreachable(e.describe())));
            case Result.Ok<Flow, NetError>(Flow flow) when tls -> TlsFlow.connect(flow, config.tls().get(server),
                    new TlsDevices(scheduler, clock, random)).map(t -> switch (t) {
                        case Result.Ok<TlsFlow, TlsFailure>(TlsFlow f) -> Result.<Flow, UpstreamError>ok(f);
                        case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> {
                            flow.close();
                            yield Result.<Flow, UpstreamError>err(switch (f) {
                                case TlsFailure.PeerCertificateRejected r -> new UpstreamError.Unauthenticated(f.describe());
                                case TlsFailure.PeerCertificateMissing m -> new UpstreamError.Unauthenticated(f.describe());
                                default -> new UpstreamError.Unreachable("TLS: " + f.describe());
                            });
                        }
                    });
            case Result.Ok<Flow, NetError>(Flow flow) -> Promise.resolved(Result.<Flow, UpstreamError>ok(flow));
        }).onComplete((connected, failure) -> {
            if (failure != null) {
                done.reject(failure);
                return;
            }
            switch (connected) {
                case Result.Err<Flow, UpstreamError>(UpstreamError e) -> done.resolve(Result.err(e));
                case Result.Ok<Flow, UpstreamError>(Flow flow) -> {
                    done.onComplete((v, e) -> flow.close());
                    Bytes msg = MessageCodec.encode(query);
                    // RFC 1035 4.2.2, RFC 7766 8: a two-byte length before the message
                    flow.write(Bytes.of((byte) (msg.size() >>> 8), (byte) msg.size()).concat(msg)).onSuccess(w -> {
                        if (w instanceof Result.Err<?, FlowError>(FlowError e)) {
                            done.resolve(Result.err(new UpstreamError.Unreachable("write: " + e)));
                        } else {
                            read(flow, server, query, Bytes.EMPTY, done);
                        }
                    });
                }
            }
        });
        return done;
    }

    private void read(Flow flow, Endpoint server, Message query, Bytes have, Promise<Result<Message, UpstreamError>> done) {
        if (done.isDone()) {
            return;
        }
        if (have.size() >= 2) {
            int len = have.getUnsigned(0) << 8 | have.getUnsigned(1);
            if (have.size() >= 2 + len) {
                switch (MessageCodec.decode(have.slice(2, 2 + len))) {
                    case Result.Err<Message, DecodeError>(DecodeError e) -> {
                        drop(AnswerMatch.Dropped.MALFORMED);
                        done.resolve(Result.err(new UpstreamError.Malformed(e.describe())));
                    }
                    case Result.Ok<Message, DecodeError>(Message m) -> {
                        switch (AnswerMatch.check(query, m)) {
                            case Result.Ok<Message, AnswerMatch.Dropped>(Message ok) -> done.resolve(Result.ok(ok));
                            case Result.Err<Message, AnswerMatch.Dropped>(AnswerMatch.Dropped why) when why == AnswerMatch.Dropped.WRONG_CASE -> {
                                // on our own connection the case is no defence: the server does not preserve it
                                sawCaseless(server);
                                done.resolve(Result.ok(m));
                            }
                            case Result.Err<Message, AnswerMatch.Dropped>(AnswerMatch.Dropped why) -> {
                                drop(why);
                                done.resolve(Result.err(new UpstreamError.Malformed("an answer that does not match: " + why)));
                            }
                        }
                    }
                }
                return;
            }
        }
        flow.read().onSuccess(r -> {
            switch (r) {
                case Result.Err<ReadResult, FlowError>(FlowError e) -> done.resolve(Result.err(new UpstreamError.Unreachable("read: " + e)));
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) ->
                        done.resolve(Result.err(new UpstreamError.Malformed("closed after " + have.size() + " bytes")));
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> read(flow, server, query, have.concat(b), done);
            }
        });
    }
}
