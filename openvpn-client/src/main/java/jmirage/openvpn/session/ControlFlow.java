package jmirage.openvpn.session;

import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/**
 * The reliable control channel of one key state as the byte stream TLS runs over: what the
 * platform's TLS writes goes to {@code sink} (which cuts it into P_CONTROL_V1 messages), and the
 * payloads {@link jmirage.openvpn.control.Reliability} delivers in order are what TLS reads.
 */
final class ControlFlow implements Flow {

    private final Endpoint local;
    private final Endpoint remote;
    private final Consumer<Bytes> sink;
    private Bytes buffered = Bytes.EMPTY;
    private Promise<Result<ReadResult, FlowError>> pendingRead;
    private boolean closed;

    ControlFlow(Endpoint local, Endpoint remote, Consumer<Bytes> sink) {
        this.local = local;
        this.remote = remote;
        this.sink = sink;
    }

    /** A payload the reliability layer delivered, in order. */
    void deliver(Bytes payload) {
        if (closed || payload.isEmpty()) {
            return;
        }
        buffered = buffered.concat(payload);
        if (pendingRead != null) {
            Promise<Result<ReadResult, FlowError>> p = pendingRead;
            pendingRead = null;
            Bytes data = buffered;
            buffered = Bytes.EMPTY;
            p.resolve(Result.ok(new ReadResult.Data(data)));
        }
    }

    @Override
    public Endpoint local() {
        return local;
    }

    @Override
    public Endpoint remote() {
        return remote;
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        if (closed) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (!buffered.isEmpty()) {
            Bytes data = buffered;
            buffered = Bytes.EMPTY;
            return Promise.resolved(Result.ok(new ReadResult.Data(data)));
        }
        pendingRead = Promise.pending();
        return pendingRead;
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (closed) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        sink.accept(data);
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Unit> close() {
        closed = true;
        if (pendingRead != null) {
            Promise<Result<ReadResult, FlowError>> p = pendingRead;
            pendingRead = null;
            p.resolve(Result.err(new FlowError.Closed()));
        }
        return Promise.done();
    }
}
