package jmirage.pinata;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/** A flow that runs {@code onClose} once, when it is closed and gone: gives an admission slot back. */
final class ReleasingFlow implements Flow {

    private final Flow flow;
    private Runnable onClose;

    ReleasingFlow(Flow flow, Runnable onClose) {
        this.flow = flow;
        this.onClose = onClose;
    }

    @Override
    public Endpoint local() {
        return flow.local();
    }

    @Override
    public Endpoint remote() {
        return flow.remote();
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        return flow.read();
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        return flow.write(data);
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        return flow.shutdownOutput();
    }

    /**
     * Closes the flow; {@code onClose} runs once the connection is really gone, not when close is
     * asked: a transport may hold a connection (and the bytes queued for it) until a peer that
     * stopped reading takes them, and that peer must keep holding its slot meanwhile, or it could
     * pile up such connections without bound.
     */
    @Override
    public Promise<Unit> close() {
        Promise<Unit> closed = flow.close();
        if (onClose != null) {
            Runnable r = onClose;
            onClose = null;
            closed.onComplete((u, bug) -> r.run());
        }
        return closed;
    }
}
