package jmirage.certify;

import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.Stack;

/**
 * One DNS message to the server over TCP and its one answer back (RFC 7766 8: two-byte length
 * framing), within a time limit. TCP because certificates and their chain do not fit a UDP answer,
 * and an update is then answered on the same connection. On the loop.
 */
final class DnsExchange {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_MESSAGE = 65535;

    private DnsExchange() {}

    static Promise<Result<Bytes, CertifyError>> exchange(Stack stack, Scheduler scheduler, Endpoint server, Bytes message) {
        Flow[] open = new Flow[1];
        Promise<Result<Bytes, CertifyError>> run = stack.connectTcp(server).flatMap(c -> switch (c) {
            case Result.Err<Flow, NetError>(NetError e) ->
                    Promise.resolved(Result.<Bytes, CertifyError>err(new CertifyError.NoAnswer(server, e.describe())));
            case Result.Ok<Flow, NetError>(Flow flow) -> {
                open[0] = flow;
                Bytes framed = Bytes.of((byte) (message.size() >>> 8), (byte) message.size()).concat(message);
                yield flow.write(framed).flatMap(w -> switch (w) {
                    case Result.Err<jmirage.core.Unit, FlowError>(FlowError e) ->
                            Promise.resolved(Result.<Bytes, CertifyError>err(new CertifyError.NoAnswer(server, "writing: " + e)));
                    case Result.Ok<jmirage.core.Unit, FlowError> ok -> read(flow, server, Bytes.EMPTY);
                });
            }
        });
        Promise<Result<Bytes, CertifyError>> bounded = scheduler.withTimeout(run, TIMEOUT,
                Result.err(new CertifyError.NoAnswer(server, "no answer within " + TIMEOUT.toSeconds() + " s")));
        bounded.onComplete((v, e) -> {
            if (open[0] != null) {
                open[0].close();
            }
        });
        return bounded;
    }

    private static Promise<Result<Bytes, CertifyError>> read(Flow flow, Endpoint server, Bytes have) {
        if (have.size() >= 2) {
            int length = have.getUnsigned(0) << 8 | have.getUnsigned(1);
            if (have.size() >= 2 + length) {
                return Promise.resolved(Result.ok(have.slice(2, 2 + length)));
            }
        }
        if (have.size() > 2 + MAX_MESSAGE) {
            return Promise.resolved(Result.err(new CertifyError.BadAnswer("more than a framed message")));
        }
        return flow.read().flatMap(r -> switch (r) {
            case Result.Err<ReadResult, FlowError>(FlowError e) ->
                    Promise.resolved(Result.<Bytes, CertifyError>err(new CertifyError.NoAnswer(server, "reading: " + e)));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> Promise.resolved(Result.<Bytes, CertifyError>err(
                    new CertifyError.NoAnswer(server, "closed after " + have.size() + " bytes of the answer")));
            case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) -> read(flow, server, have.concat(b));
        });
    }
}
