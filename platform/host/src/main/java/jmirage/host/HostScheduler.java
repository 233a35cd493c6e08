package jmirage.host;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Scheduler;

/**
 * The host target's {@link Scheduler}: one Netty event loop thread. It is also the loop of every
 * channel of a {@link HostStack} built on it, so Netty's callbacks already run on the unikernel's
 * loop and settle promises directly. Blocking work runs on virtual threads.
 */
public final class HostScheduler implements Scheduler {

    private final Transport transport;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jmirage-worker-", 0).factory());

    private HostScheduler(Transport transport, EventLoopGroup group) {
        this.transport = transport;
        this.group = group;
        this.loop = group.next();
    }

    /** Starts a loop on a thread named after {@code name} (the unikernel's name). */
    public static HostScheduler start(String name) {
        return start(name, Transport.detect());
    }

    static HostScheduler start(String name, Transport transport) {
        return new HostScheduler(transport,
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name), transport.ioHandlerFactory()));
    }

    /** The group of the one loop, for host devices that open their own Netty channels. */
    public EventLoopGroup group() {
        return group;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    Transport transport() {
        return transport;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> timer = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> timer.cancel(false);
    }

    @Override
    public <T> Promise<T> detach(Callable<T> blockingWork) {
        Promise<T> promise = Promise.pending();
        workers.execute(() -> {
            Runnable settle;
            try {
                T value = blockingWork.call();
                settle = () -> promise.resolve(value);
            } catch (Exception | Error failure) {
                settle = () -> promise.reject(failure);
            }
            loop.execute(settle);
        });
        return promise;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    /**
     * Stops, for the runner once the unikernel has stopped and its devices are closed: refuses new
     * detached work, waits for the work in flight (its results still reach the loop), then lets the
     * loop run what is queued and end. Returns whether everything ended within {@code timeout}.
     * Call it from outside the loop, which cannot wait for itself.
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        if (inLoop()) {
            throw new IllegalStateException("shutdown called on the loop it would wait for");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        workers.shutdown();
        boolean workersDone = workers.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        long left = Math.max(0, deadline - System.nanoTime());
        // No quiet period: the unikernel has stopped, so nothing legitimate still submits tasks.
        group.shutdownGracefully(0, left, TimeUnit.NANOSECONDS);
        return group.awaitTermination(left, TimeUnit.NANOSECONDS) && workersDone;
    }
}
