package jmirage.host;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jmirage.core.Promise;
import jmirage.core.Scheduler;

/** Runs promise-returning code on a loop and brings its outcome to the test thread. */
final class OnLoop {

    private OnLoop() {}

    static <T> CompletableFuture<T> start(Scheduler loop, Supplier<Promise<T>> action) {
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

    static <T> T await(Scheduler loop, Supplier<Promise<T>> action) throws Exception {
        return start(loop, action).get(30, TimeUnit.SECONDS);
    }
}
