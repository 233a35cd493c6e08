package jmirage.tls;

import java.net.InetAddress;
import java.util.ArrayDeque;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;

/** One end of an in-memory byte pipe pair; deliveries go through the scheduler, as a network would. */
final class MemoryFlow implements Flow {

    private final Scheduler scheduler;
    private final Endpoint local;
    private final Endpoint remote;
    private MemoryFlow peer;
    private final ArrayDeque<Bytes> inbox = new ArrayDeque<>();
    private boolean eof;
    private boolean closed;
    private boolean outputShut;
    private Promise<Result<ReadResult, FlowError>> pending;
    private final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();

    private MemoryFlow(Scheduler scheduler, Endpoint local, Endpoint remote) {
        this.scheduler = scheduler;
        this.local = local;
        this.remote = remote;
    }

    static MemoryFlow[] pair(Scheduler scheduler) {
        Endpoint a = new Endpoint(InetAddress.getLoopbackAddress(), 40000);
        Endpoint b = new Endpoint(InetAddress.getLoopbackAddress(), 443);
        MemoryFlow client = new MemoryFlow(scheduler, a, b);
        MemoryFlow server = new MemoryFlow(scheduler, b, a);
        client.peer = server;
        server.peer = client;
        return new MemoryFlow[] {client, server};
    }

    /** Everything written to this end so far. */
    Bytes sent() {
        return Bytes.of(sent.toByteArray());
    }

    @Override
    public Endpoint local() {
        return local;
    }

    @Override
    public Endpoint remote() {
        return remote;
    }

    private void deliver(Bytes data) {
        if (closed) {
            return;
        }
        inbox.add(data);
        wake();
    }

    private void deliverEof() {
        eof = true;
        wake();
    }

    private void wake() {
        if (pending != null && (!inbox.isEmpty() || eof)) {
            Promise<Result<ReadResult, FlowError>> p = pending;
            pending = null;
            p.resolve(Result.ok(inbox.isEmpty() ? ReadResult.EOF : new ReadResult.Data(inbox.poll())));
        }
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        if (closed) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (pending != null) {
            return Promise.rejected(new IllegalStateException("read pending"));
        }
        pending = Promise.pending();
        Promise<Result<ReadResult, FlowError>> p = pending;
        wake();
        return p;
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (closed || outputShut) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        sent.writeBytes(data.toArray());
        MemoryFlow to = peer;
        scheduler.execute(() -> to.deliver(data));
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        if (!outputShut) {
            outputShut = true;
            MemoryFlow to = peer;
            scheduler.execute(to::deliverEof);
        }
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Unit> close() {
        shutdownOutput();
        closed = true;
        if (pending != null) {
            Promise<Result<ReadResult, FlowError>> p = pending;
            pending = null;
            p.resolve(Result.err(new FlowError.Closed()));
        }
        return Promise.done();
    }
}
