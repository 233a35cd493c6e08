package jmirage.testkit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jmirage.core.Promise;
import jmirage.core.Scheduler;

/**
 * Runs promise-returning code on a scheduler's loop and brings its outcome to the test thread: the
 * bridge between a JUnit thread and the single-threaded world of a unikernel on the host target.
 */
public final class OnLoop {

    /** How long {@link #await(Scheduler, Supplier)} waits before it fails the test. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    private OnLoop() {}

    /** Starts {@code action} on the loop; the future completes with its promise. */
    public static <T> CompletableFuture<T> start(Scheduler loop, Supplier<Promise<T>> action) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                action.get().onComplete((value, failure) -> {
                    if (failure != null) {
                        outcome.completeExceptionally(failure);
                    } else {
                        outcome.complete(value);
                    }
                });
            } catch (RuntimeException bug) {
                outcome.completeExceptionally(bug);
            }
        });
        return outcome;
    }

    /** Runs {@code action} on the loop and waits for its promise, at most {@link #DEFAULT_LIMIT}. */
    public static <T> T await(Scheduler loop, Supplier<Promise<T>> action) throws Exception {
        return await(loop, action, DEFAULT_LIMIT);
    }

    public static <T> T await(Scheduler loop, Supplier<Promise<T>> action, Duration limit) throws Exception {
        return start(loop, action).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} on the loop and waits until it has run. */
    public static void run(Scheduler loop, Runnable action) throws Exception {
        await(loop, () -> {
            action.run();
            return Promise.resolved(Boolean.TRUE);
        });
    }
}
