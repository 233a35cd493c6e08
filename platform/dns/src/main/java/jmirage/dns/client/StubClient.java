package jmirage.dns.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.UdpSocket;
import jmirage.dns.DecodeError;
import jmirage.dns.Edns;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;

/**
 * A stub resolver client over a {@link Stack}: one question to one recursive server. UDP first
 * with a random ID and a random source port per attempt (RFC 5452 9.2), retries on timeout, and
 * the same question over TCP (RFC 7766 5, two-byte length framing) when the UDP answer is truncated.
 * Call it on the scheduler's loop.
 */
public final class StubClient {

    /** Where to ask and how patiently. */
    public record Config(Endpoint server, Duration timeout, int attempts, int udpPayloadSize) {
        public Config {
            Objects.requireNonNull(server);
            Objects.requireNonNull(timeout);
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
        }

        public static Config of(Endpoint server) {
            return new Config(server, Duration.ofSeconds(2), 3, 1232);
        }
    }

    /** Why no answer came. */
    public sealed interface ClientError {
        record TimedOut(int attempts) implements ClientError {}

        record Network(NetError error) implements ClientError {}

        record Stream(FlowError error) implements ClientError {}

        record Malformed(DecodeError error) implements ClientError {}

        record TcpClosedEarly(int received) implements ClientError {}

        /** RFC 5452 9.1: the TCP answer's ID or question is not the query's. */
        record AnswerMismatch(int id, List<Question> questions) implements ClientError {}

        default String describe() {
            return switch (this) {
                case TimedOut(int attempts) -> "no answer after " + attempts + " attempts";
                case Network(NetError error) -> error.describe();
                case Stream(FlowError error) -> "TCP stream: " + error;
                case Malformed(DecodeError error) -> "malformed answer " + error.describe();
                case TcpClosedEarly(int received) -> "TCP closed after " + received + " bytes of the answer";
                case AnswerMismatch(int id, List<Question> questions) -> "answer with ID " + id + " and question "
                        + questions + " does not match the query";
            };
        }
    }

    private static final int MAX_BIND_TRIES = 8;

    private final Stack stack;
    private final Scheduler scheduler;
    private final Random random;
    private final Config config;

    public StubClient(Stack stack, Scheduler scheduler, Random random, Config config) {
        this.stack = stack;
        this.scheduler = scheduler;
        this.random = random;
        this.config = config;
    }

    /** Asks for {@code type} records of {@code name}, recursion desired, with EDNS. */
    public Promise<Result<Message, ClientError>> query(Name name, int type) {
        return send(Message.query(0, name, type, Optional.of(Edns.of(config.udpPayloadSize()))));
    }

    /** Sends {@code query} (its ID is replaced by a random one each attempt) and returns the answer. */
    public Promise<Result<Message, ClientError>> send(Message query) {
        Promise<Result<Message, ClientError>> done = Promise.pending();
        attempt(query, 1, done);
        return done;
    }

    private void attempt(Message query, int n, Promise<Result<Message, ClientError>> done) {
        Message q = query.withHeader(query.header().withId(random.nextInt(0x10000)));
        bindRandomPort(q, 1).onComplete((bound, failure) -> {
            if (failure != null) {
                done.reject(failure);
                return;
            }
            switch (bound) {
                case Result.Err<Exchange, NetError>(NetError e) -> done.resolve(Result.err(new ClientError.Network(e)));
                case Result.Ok<Exchange, NetError>(Exchange ex) -> {
                    ex.timer = scheduler.schedule(config.timeout(), () -> {
                        if (ex.finish()) {
                            if (n < config.attempts()) {
                                attempt(query, n + 1, done);
                            } else {
                                done.resolve(Result.err(new ClientError.TimedOut(n)));
                            }
                        }
                    });
                    ex.socket.send(config.server(), MessageCodec.encode(q)).onSuccess(sent -> {
                        if (sent instanceof Result.Err<?, NetError>(NetError e) && ex.finish()) {
                            done.resolve(Result.err(new ClientError.Network(e)));
                        }
                    });
                    ex.onAnswer = answer -> {
                        if (answer.header().tc()) {
                            tcp(q).forward(done);
                        } else {
                            done.resolve(Result.ok(answer));
                        }
                    };
                }
            }
        });
    }

    /** One UDP attempt: its socket, its timer, and what to do with a matching answer. */
    private final class Exchange {
        final Message query;
        UdpSocket socket;
        Cancellable timer;
        java.util.function.Consumer<Message> onAnswer;
        boolean finished;

        Exchange(Message query) {
            this.query = query;
        }

        void receive(Datagram d) {
            if (finished || onAnswer == null || !d.source().equals(config.server())) {
                return; // RFC 5452 9.1: only the server we asked
            }
            Optional<Message> m = MessageCodec.decode(d.payload()) instanceof Result.Ok<Message, DecodeError>(Message v)
                    ? Optional.of(v) : Optional.empty();
            if (m.isEmpty() || !matches(query, m.get())) {
                return; // not our answer: keep waiting (a spoofer's or a late one)
            }
            if (finish()) {
                onAnswer.accept(m.get());
            }
        }

        boolean finish() {
            if (finished) {
                return false;
            }
            finished = true;
            if (timer != null) {
                timer.cancel();
            }
            if (socket != null) {
                socket.close();
            }
            return true;
        }
    }

    /** RFC 5452 9.1: the answer must carry our ID, be a response, and repeat our question. */
    static boolean matches(Message query, Message answer) {
        return answer.header().qr() && answer.header().id() == query.header().id()
                && answer.questions().equals(query.questions());
    }

    private Promise<Result<Exchange, NetError>> bindRandomPort(Message q, int tries) {
        Exchange ex = new Exchange(q);
        int port = 1024 + random.nextInt(65536 - 1024);
        return stack.bindUdp(port, ex::receive).flatMap(r -> switch (r) {
            case Result.Ok<UdpSocket, NetError>(UdpSocket s) -> {
                ex.socket = s;
                yield Promise.resolved(Result.ok(ex));
            }
            case Result.Err<UdpSocket, NetError>(NetError e) when e instanceof NetError.AddressInUse
                    && tries < MAX_BIND_TRIES -> bindRandomPort(q, tries + 1);
            case Result.Err<UdpSocket, NetError>(NetError e) -> Promise.resolved(Result.err(e));
        });
    }

    /** The same question over TCP ({@link TcpExchange}); the answer must match it too (RFC 5452 9.1). */
    private Promise<Result<Message, ClientError>> tcp(Message q) {
        return TcpExchange.exchange(stack, scheduler, config.server(), MessageCodec.encode(q), config.timeout()).map(r -> switch (r) {
            case Result.Err<Bytes, ExchangeError>(ExchangeError.Connect c) -> Result.err(new ClientError.Network(c.error()));
            case Result.Err<Bytes, ExchangeError>(ExchangeError.Send s) -> Result.err(new ClientError.Stream(s.error()));
            case Result.Err<Bytes, ExchangeError>(ExchangeError.Read e) -> Result.err(new ClientError.Stream(e.error()));
            case Result.Err<Bytes, ExchangeError>(ExchangeError.ClosedEarly c) -> Result.err(new ClientError.TcpClosedEarly(c.received()));
            case Result.Err<Bytes, ExchangeError>(ExchangeError.TimedOut t) -> Result.err(new ClientError.TimedOut(1));
            case Result.Ok<Bytes, ExchangeError>(Bytes wire) -> switch (MessageCodec.decode(wire)) {
                case Result.Ok<Message, DecodeError>(Message m) when matches(q, m) -> Result.ok(m);
                case Result.Ok<Message, DecodeError>(Message m) -> Result.err(new ClientError.AnswerMismatch(m.header().id(), m.questions()));
                case Result.Err<Message, DecodeError>(DecodeError e) -> Result.err(new ClientError.Malformed(e));
            };
        });
    }
}
