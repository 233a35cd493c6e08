package jmirage.net.tcp;

import java.util.ArrayDeque;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/**
 * A TCP connection as a {@link Flow}: reads pull from the receive buffer (so an unread flow closes
 * the peer's window: back-pressure), writes resolve once their bytes are in the bounded send buffer.
 */
public final class TcpFlow implements Flow {

    private static final int READ_CHUNK = 64 * 1024;

    private record PendingWrite(Bytes data, int[] offset, Promise<Result<Unit, FlowError>> done) {}

    private final TcpLayer.Conn conn;
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private Promise<Result<ReadResult, FlowError>> pendingRead;
    private Promise<Result<Unit, FlowError>> shutdown;
    private boolean readClosed;
    private boolean shutdownRequested;

    TcpFlow(TcpLayer.Conn conn) {
        this.conn = conn;
    }

    @Override
    public Endpoint local() {
        return conn.localEndpoint();
    }

    @Override
    public Endpoint remote() {
        return conn.remoteEndpoint();
    }

    /** Disables Nagle's algorithm (TCP_NODELAY). */
    public void setNoDelay(boolean on) {
        conn.core.setNoDelay(on);
    }

    public TcpConnection.State state() {
        return conn.core.state();
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        if (readClosed) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (pendingRead != null) {
            return Promise.rejected(new IllegalStateException("one read at a time on a flow"));
        }
        Promise<Result<ReadResult, FlowError>> p = Promise.pending();
        pendingRead = p;
        conn.settle();
        return p;
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (shutdownRequested) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        FlowError failed = failure();
        if (failed != null) {
            return Promise.resolved(Result.err(failed));
        }
        Promise<Result<Unit, FlowError>> p = Promise.pending();
        writes.add(new PendingWrite(data, new int[] {0}, p));
        conn.settle();
        return p;
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        if (shutdown != null) {
            return shutdown;
        }
        shutdownRequested = true;
        shutdown = Promise.pending();
        conn.settle();
        return shutdown;
    }

    @Override
    public Promise<Unit> close() {
        if (!readClosed) {
            readClosed = true;
            if (pendingRead != null) {
                Promise<Result<ReadResult, FlowError>> r = pendingRead;
                pendingRead = null;
                r.resolve(Result.err(new FlowError.Closed()));
            }
            shutdownOutput();
            conn.settle();
        }
        return Promise.done();
    }

    private FlowError failure() {
        return switch (conn.core.failure()) {
            case NONE -> conn.core.state() == TcpConnection.State.CLOSED ? new FlowError.Closed() : null;
            case RESET, REFUSED -> new FlowError.Reset();
            case TIMED_OUT -> new FlowError.TimedOut();
        };
    }

    /** Moves bytes between the application and the core; called by the shell after every event. */
    void pump() {
        long now = conn.now();
        TcpConnection core = conn.core;
        FlowError failed = failure();
        // writes, in order, as far as the send buffer takes them
        while (!writes.isEmpty() && failed == null) {
            PendingWrite w = writes.peekFirst();
            int remaining = w.data().size() - w.offset()[0];
            if (remaining > 0) {
                w.offset()[0] += core.write(now, w.data(), w.offset()[0], remaining);
            }
            if (w.offset()[0] < w.data().size()) {
                break;
            }
            writes.pollFirst();
            w.done().resolve(Result.ok());
        }
        if (failed != null) {
            while (!writes.isEmpty()) {
                writes.pollFirst().done().resolve(Result.err(failed));
            }
        }
        if (shutdownRequested && writes.isEmpty() && !core.outputShutdown() && failed == null) {
            core.shutdown(now);
        }
        if (shutdown != null && !shutdown.isDone() && (core.outputShutdown() || failed != null)) {
            shutdown.resolve(failed == null || failed instanceof FlowError.Closed ? Result.ok() : Result.err(failed));
        }
        if (readClosed && writes.isEmpty() && failed == null) {
            core.orphan(now);
        }
        // the pending read
        if (pendingRead != null) {
            Result<ReadResult, FlowError> r = null;
            if (core.available() > 0) {
                r = Result.ok(new ReadResult.Data(core.read(now, READ_CHUNK)));
            } else if (core.atEof()) {
                r = Result.ok(ReadResult.EOF);
            } else if (failed != null) {
                r = Result.err(failed);
            }
            if (r != null) {
                Promise<Result<ReadResult, FlowError>> p = pendingRead;
                pendingRead = null;
                p.resolve(r);
            }
        }
    }
}
