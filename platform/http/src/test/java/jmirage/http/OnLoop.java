package jmirage.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jmirage.core.Promise;
import jmirage.core.Scheduler;

/** Runs promise-returning code on a loop and brings its outcome to the test thread. */
public final class OnLoop {

    private OnLoop() {}

    public static <T> T await(Scheduler loop, Supplier<Promise<T>> action) throws Exception {
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
        return outcome.get(30, TimeUnit.SECONDS);
    }
}
