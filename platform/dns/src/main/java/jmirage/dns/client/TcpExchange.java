package jmirage.dns.client;

import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;

/**
 * One DNS message to a server over TCP and its one answer back, on a {@link Stack}: a connection
 * per exchange, the message and the answer each behind a two-byte length (RFC 1035 4.2.2, RFC 7766
 * 8), the whole within a time limit, the connection closed after. The answer comes back as bytes:
 * what it must match is the caller's (RFC 5452 9.1 for a query, RFC 8945 5.3 for a signed update).
 * A transfer (many messages on one connection) frames with {@link #frame} and reads its own stream.
 * On the loop.
 */
public final class TcpExchange {

    /** RFC 1035 4.2.2: the length is 16 bits. */
    public static final int MAX_MESSAGE = 65535;

    private TcpExchange() {}

    /** {@code message} behind its two-byte length; a message longer than {@link #MAX_MESSAGE} is the caller's bug. */
    public static Bytes frame(Bytes message) {
        if (message.size() > MAX_MESSAGE) {
            throw new IllegalArgumentException("a DNS message of " + message.size() + " bytes does not fit TCP framing");
        }
        return Bytes.of((byte) (message.size() >>> 8), (byte) message.size()).concat(message);
    }

    /** Connects to {@code server}, sends {@code message} and reads one framed answer, within {@code timeout}. */
    public static Promise<Result<Bytes, ExchangeError>> exchange(Stack stack, Scheduler scheduler, Endpoint server, Bytes message,
            Duration timeout) {
        Bytes framed = frame(message);
        Flow[] open = new Flow[1];
        Promise<Result<Bytes, ExchangeError>> run = stack.connectTcp(server).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.resolved(Result.<Bytes, ExchangeError>err(new ExchangeError.Connect(server, e)));
            case Result.Ok<Flow, NetError>(Flow flow) -> {
                open[0] = flow;
                yield flow.write(framed).flatMap(w -> w instanceof Result.Err<Unit, FlowError>(FlowError e)
                        ? Promise.resolved(Result.<Bytes, ExchangeError>err(new ExchangeError.Send(server, e)))
                        : read(flow, server, Bytes.EMPTY)).flatMap(r -> flow.close().map(u -> r));
            }
        });
        Result<Bytes, ExchangeError> timedOut = Result.err(new ExchangeError.TimedOut(server, timeout));
        return scheduler.withTimeout(run, timeout, timedOut).map(r -> {
            if (r == timedOut && open[0] != null) {
                open[0].close(); // a silent server: let go of the connection, which ends the pending read
            }
            return r;
        });
    }

    private static Promise<Result<Bytes, ExchangeError>> read(Flow flow, Endpoint server, Bytes have) {
        if (have.size() >= 2) {
            int length = have.getUnsigned(0) << 8 | have.getUnsigned(1);
            if (have.size() >= 2 + length) {
                return Promise.resolved(Result.ok(have.slice(2, 2 + length)));
            }
        }
        return flow.read().flatMap(r -> switch (r) {
            case Result.Err<ReadResult, FlowError>(FlowError e) -> Promise.resolved(Result.<Bytes, ExchangeError>err(new ExchangeError.Read(server, e)));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) ->
                    Promise.resolved(Result.<Bytes, ExchangeError>err(new ExchangeError.ClosedEarly(server, have.size())));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> read(flow, server, have.concat(b));
        });
    }
}
