package jmirage.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
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
 * A TCP connection as a {@link Flow}: the last handler of one Netty channel. Everything here runs on
 * the channel's event loop, which is the unikernel's loop.
 *
 * <p>Back-pressure. Reading: auto-read is off and {@link #read} asks the channel for one read only
 * when the service asks, so unread data waits in the kernel and the peer's window closes. Writing:
 * {@link #write} queues the bytes and resolves at once while the channel's outbound queue is under
 * the high water mark, else once it has drained to the low one, so a slow peer slows the writer.
 *
 * <p>ByteBuf discipline. An inbound ByteBuf is copied into {@link Bytes} and released in {@link
 * #channelRead}; nothing keeps it. An outbound ByteBuf wraps the immutable bytes of a write and is
 * Netty's from {@code writeAndFlush} on: Netty releases it once written or failed.
 */
final class TcpFlow extends ChannelInboundHandlerAdapter implements Flow {

    /** Under 64 KiB queued a write resolves at once; over it, writers wait until 32 KiB remain. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final SocketChannel channel;
    private final Consumer<Flow> onActive;
    /** Data that came without a pending read (a read cycle the kernel triggered); at most one cycle's worth. */
    private final ArrayDeque<Bytes> received = new ArrayDeque<>();
    private final ArrayDeque<Promise<Result<Unit, FlowError>>> blockedWriters = new ArrayDeque<>();
    private final Promise<Unit> closed = Promise.pending();
    private Promise<Result<ReadResult, FlowError>> pendingRead;
    private ChannelFuture lastWrite;
    private boolean eof;
    private boolean outputShut;
    private boolean closing;
    /** Why the connection broke; set once. */
    private FlowError failure;
    /** Remembered while the channel is open: a closed channel may no longer know them. */
    private Endpoint local;
    private Endpoint remote;

    /** Configures {@code channel} for the flow; {@code onActive} receives the flow once connected. */
    TcpFlow(SocketChannel channel, Consumer<Flow> onActive) {
        this.channel = channel;
        this.onActive = onActive;
        channel.config()
                .setAutoRead(false)
                .setAllowHalfClosure(true)
                .setWriteBufferWaterMark(WATER_MARK)
                // Flows carry whole messages (a DNS answer, an HTTP response, a TLS record) and
                // back-pressure already batches bulk writes; Nagle with delayed ACKs would only add
                // up to 40 ms to every request and answer.
                .setTcpNoDelay(true)
                // One channel read brings at most one buffer, so what waits here without a pending
                // read stays small.
                .setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1));
    }

    @Override
    public Endpoint local() {
        rememberEndpoints();
        return local;
    }

    @Override
    public Endpoint remote() {
        rememberEndpoints();
        return remote;
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        if (pendingRead != null) {
            return Promise.rejected(new IllegalStateException("a read is already pending on " + this));
        }
        Result<ReadResult, FlowError> ready = nextReadResult();
        if (ready != null) {
            return Promise.resolved(ready);
        }
        Promise<Result<ReadResult, FlowError>> read = Promise.pending();
        pendingRead = read;
        channel.read();
        return read;
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (outputShut) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (failure != null) {
            return Promise.resolved(Result.err(failure));
        }
        lastWrite = channel.writeAndFlush(Unpooled.wrappedBuffer(data.asReadOnlyBuffer()));
        lastWrite.addListener(written -> {
            if (!written.isSuccess()) {
                fail(Failures.flow(written.cause()));
            }
        });
        if (failure != null) {
            return Promise.resolved(Result.err(failure));
        }
        if (channel.isWritable()) {
            return Promise.resolved(Result.ok());
        }
        Promise<Result<Unit, FlowError>> blocked = Promise.pending();
        blockedWriters.add(blocked);
        return blocked;
    }

    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        if (closing) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (failure != null) {
            return Promise.resolved(Result.err(failure));
        }
        if (outputShut) {
            return Promise.resolved(Result.ok());
        }
        outputShut = true;
        Promise<Result<Unit, FlowError>> shut = Promise.pending();
        // Netty's shutdownOutput drops what is still queued, so the FIN waits for the last write.
        afterQueuedWrites(() -> channel.shutdownOutput().addListener(done -> shut.resolve(
                done.isSuccess() ? Result.ok() : Result.err(Failures.flow(done.cause())))));
        return shut;
    }

    /** Stops reading at once; the connection closes once the queued writes are out, as with close(2). */
    @Override
    public Promise<Unit> close() {
        if (!closing) {
            closing = true;
            outputShut = true;
            settlePendingRead();
            afterQueuedWrites(channel::close);
        }
        return closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        rememberEndpoints();
        onActive.accept(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = (ByteBuf) msg;
        try {
            received.add(Bytes.adopt(ByteBufUtil.getBytes(buffer)));
        } finally {
            buffer.release();
        }
        settlePendingRead();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            eof = true;
            settlePendingRead();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            settleBlockedWriters(Result.ok());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(Failures.flow(cause));
        ctx.close();
        if (!(cause instanceof IOException)) {
            // Not the network: a bug, most likely in a service callback run by a settled read. Let
            // the pipeline's tail log it.
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Without an error on the way, the connection was closed from this side (the flow or the stack).
        fail(new FlowError.Closed());
        closed.resolve(Unit.UNIT);
        ctx.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "tcp flow " + channel.localAddress() + " <-> " + channel.remoteAddress();
    }

    private void rememberEndpoints() {
        if (local == null) {
            local = HostStack.endpoint(channel.localAddress());
            remote = HostStack.endpoint(channel.remoteAddress());
        }
    }

    /** What a read gets now, in the order it happened; null if it must wait for the network. */
    private Result<ReadResult, FlowError> nextReadResult() {
        if (closing) {
            return Result.err(new FlowError.Closed());
        }
        if (!received.isEmpty()) {
            return Result.ok(new ReadResult.Data(received.poll()));
        }
        if (failure != null) {
            return Result.err(failure);
        }
        if (eof) {
            return Result.ok(ReadResult.EOF);
        }
        return null;
    }

    private void settlePendingRead() {
        if (pendingRead == null) {
            return;
        }
        Result<ReadResult, FlowError> ready = nextReadResult();
        if (ready != null) {
            Promise<Result<ReadResult, FlowError>> read = pendingRead;
            pendingRead = null;
            read.resolve(ready);
        }
    }

    private void fail(FlowError error) {
        if (failure == null) {
            failure = error;
        }
        settlePendingRead();
        settleBlockedWriters(Result.err(failure));
    }

    private void settleBlockedWriters(Result<Unit, FlowError> outcome) {
        // A writer woken here may write again and block anew: that one waits for the next change.
        List<Promise<Result<Unit, FlowError>>> woken = List.copyOf(blockedWriters);
        blockedWriters.clear();
        woken.forEach(writer -> writer.resolve(outcome));
    }

    private void afterQueuedWrites(Runnable action) {
        if (lastWrite == null || lastWrite.isDone()) {
            action.run();
        } else {
            lastWrite.addListener(written -> action.run());
        }
    }
}
