package jmirage.sim;

import java.io.ByteArrayOutputStream;
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

/**
 * One end of an in-memory connection, for protocols layered on a Flow (TLS, HTTP) in the
 * simulation: what one end writes the other reads, delivered through the scheduler (on the
 * SimScheduler, a task in virtual time). Unbounded, no loss: for a lossy network use the
 * VirtualSwitch with the direct stack.
 */
public final class MemoryFlow implements Flow {

    private final Scheduler scheduler;
    private final Endpoint local;
    private final Endpoint remote;
    private final ArrayDeque<Bytes> inbox = new ArrayDeque<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private MemoryFlow peer;
    private Promise<Result<ReadResult, FlowError>> pendingRead;
    private boolean eof;
    private boolean outputShut;
    private boolean closed;

    private MemoryFlow(Scheduler scheduler, Endpoint local, Endpoint remote) {
        this.scheduler = scheduler;
        this.local = local;
        this.remote = remote;
    }

    /** Two connected ends: [client, server]. */
    public static MemoryFlow[] pair(Scheduler scheduler) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Endpoint a = new Endpoint(loopback, 40000);
        Endpoint b = new Endpoint(loopback, 80);
        MemoryFlow client = new MemoryFlow(scheduler, a, b);
        MemoryFlow server = new MemoryFlow(scheduler, b, a);
        client.peer = server;
        server.peer = client;
        return new MemoryFlow[] {client, server};
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
        if (pendingRead != null) {
            return Promise.rejected(new IllegalStateException("a read is already pending"));
        }
        if (!inbox.isEmpty()) {
            return Promise.resolved(Result.ok(new ReadResult.Data(inbox.poll())));
        }
        if (eof) {
            return Promise.resolved(Result.ok(ReadResult.EOF));
        }
        pendingRead = Promise.pending();
        return pendingRead;
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (closed || outputShut) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        sent.writeBytes(data.toArray());
        scheduler.execute(() -> peer.deliver(data));
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        if (!outputShut) {
            outputShut = true;
            scheduler.execute(peer::deliverEof);
        }
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Unit> close() {
        if (!closed) {
            closed = true;
            shutdownOutput();
            if (pendingRead != null) {
                Promise<Result<ReadResult, FlowError>> p = pendingRead;
                pendingRead = null;
                p.resolve(Result.err(new FlowError.Closed()));
            }
        }
        return Promise.done();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Everything this end has written. */
    public Bytes sent() {
        return Bytes.adopt(sent.toByteArray());
    }

    private void deliver(Bytes data) {
        if (closed) {
            return;
        }
        if (pendingRead != null) {
            Promise<Result<ReadResult, FlowError>> p = pendingRead;
            pendingRead = null;
            p.resolve(Result.ok(new ReadResult.Data(data)));
        } else {
            inbox.add(data);
        }
    }

    private void deliverEof() {
        eof = true;
        if (pendingRead != null && inbox.isEmpty()) {
            Promise<Result<ReadResult, FlowError>> p = pendingRead;
            pendingRead = null;
            p.resolve(Result.ok(ReadResult.EOF));
        }
    }
}
