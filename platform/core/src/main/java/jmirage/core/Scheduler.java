package jmirage.core;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The event loop of one unikernel. Every callback of a unikernel runs on it, one at a time, so
 * service code needs no locks. Blocking work is {@link #detach detached} to a worker pool and its
 * result comes back on the loop.
 */
public interface Scheduler {

    /** Runs {@code task} on the loop, after what is already queued. Safe from any thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop after {@code delay}. Safe from any thread. */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs blocking work (file I/O, fsync, a git push) off the loop; the promise settles on the
     * loop. In the simulation the work runs on the loop itself, in order, so runs stay reproducible.
     */
    <T> Promise<T> detach(Callable<T> blockingWork);

    /** Whether the calling thread is this loop. */
    boolean inLoop();

    /** A promise that resolves after {@code delay}. */
    default Promise<Unit> sleep(Duration delay) {
        Promise<Unit> p = Promise.pending();
        schedule(delay, () -> p.resolve(Unit.UNIT));
        return p;
    }

    /**
     * Runs {@code task} every {@code period} until cancelled, the first time after one period. The
     * next run is armed when the task returns, so a slow task delays and never overlaps the next.
     */
    default Cancellable every(Duration period, Runnable task) {
        final class Repeating implements Runnable, Cancellable {
            private Cancellable pending;
            private boolean cancelled;

            @Override
            public void run() {
                if (cancelled) {
                    return;
                }
                task.run();
                if (!cancelled) {
                    pending = schedule(period, this);
                }
            }

            @Override
            public boolean cancel() {
                boolean was = !cancelled;
                cancelled = true;
                if (pending != null) {
                    pending.cancel();
                }
                return was;
            }
        }
        Repeating repeating = new Repeating();
        repeating.pending = schedule(period, repeating);
        return repeating;
    }

    /**
     * A promise that settles like {@code promise}, or resolves with {@code onTimeout} if that has
     * not happened within {@code limit}.
     */
    default <T> Promise<T> withTimeout(Promise<T> promise, Duration limit, T onTimeout) {
        if (promise.isDone()) {
            return promise;
        }
        Promise<T> bounded = Promise.pending();
        Cancellable timer = schedule(limit, () -> bounded.resolve(onTimeout));
        promise.onComplete((v, e) -> {
            timer.cancel();
            if (e != null) {
                bounded.reject(e);
            } else {
                bounded.resolve(v);
            }
        });
        return bounded;
    }
}
