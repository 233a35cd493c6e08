package jmirage.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A value that arrives later, as Lwt's {@code Lwt.t}: the one promise type of the platform.
 *
 * <p>A promise is resolved with a value or rejected with a {@link Throwable}. Expected failures are
 * values, so a promise that can fail in an expected way carries a {@link Result}; rejection means a
 * bug or an I/O fault nobody planned for.
 *
 * <p>Promises belong to one event loop and are not thread-safe: resolve them on the loop that owns
 * them ({@link Scheduler#execute} brings a result from elsewhere). Callbacks run on the thread that
 * settles the promise. Callbacks settled while other callbacks are running are queued and run right
 * after (a trampoline), so long chains of already-settled promises never grow the stack.
 */
public final class Promise<T> {

    private enum State { PENDING, RESOLVED, REJECTED }

    private State state = State.PENDING;
    private T value;
    private Throwable failure;
    private List<Runnable> callbacks;

    private Promise() {}

    public static <T> Promise<T> pending() {
        return new Promise<>();
    }

    public static <T> Promise<T> resolved(T value) {
        Promise<T> p = new Promise<>();
        p.state = State.RESOLVED;
        p.value = value;
        return p;
    }

    public static Promise<Unit> done() {
        return resolved(Unit.UNIT);
    }

    public static <T> Promise<T> rejected(Throwable failure) {
        Promise<T> p = new Promise<>();
        p.state = State.REJECTED;
        p.failure = Objects.requireNonNull(failure);
        return p;
    }

    /** Settles with {@code value}; returns false (and changes nothing) if already settled. */
    public boolean resolve(T value) {
        return settle(State.RESOLVED, value, null);
    }

    /** Settles with {@code failure}; returns false (and changes nothing) if already settled. */
    public boolean reject(Throwable failure) {
        return settle(State.REJECTED, null, Objects.requireNonNull(failure));
    }

    private boolean settle(State outcome, T value, Throwable failure) {
        if (state != State.PENDING) {
            return false;
        }
        this.state = outcome;
        this.value = value;
        this.failure = failure;
        fire();
        return true;
    }

    public boolean isDone() {
        return state != State.PENDING;
    }

    public boolean isResolved() {
        return state == State.RESOLVED;
    }

    public boolean isRejected() {
        return state == State.REJECTED;
    }

    /** The value of a resolved promise; a bug to ask otherwise. */
    public T value() {
        return switch (state) {
            case RESOLVED -> value;
            case REJECTED -> throw new IllegalStateException("promise rejected", failure);
            case PENDING -> throw new IllegalStateException("promise pending");
        };
    }

    /** The failure of a rejected promise; a bug to ask otherwise. */
    public Throwable failure() {
        if (state != State.REJECTED) {
            throw new IllegalStateException("promise not rejected: " + state);
        }
        return failure;
    }

    /** Calls {@code callback} with (value, null) or (null, failure) once settled. */
    public void onComplete(BiConsumer<? super T, ? super Throwable> callback) {
        Runnable run = () -> callback.accept(value, failure);
        if (state == State.PENDING) {
            if (callbacks == null) {
                callbacks = new ArrayList<>(2);
            }
            callbacks.add(run);
        } else {
            Trampoline.run(List.of(run));
        }
    }

    /** Calls {@code action} with the value once resolved; rejections are ignored. */
    public void onSuccess(Consumer<? super T> action) {
        onComplete((v, e) -> {
            if (e == null) {
                action.accept(v);
            }
        });
    }

    public <U> Promise<U> map(Function<? super T, ? extends U> f) {
        Promise<U> next = new Promise<>();
        onComplete((v, e) -> {
            if (e != null) {
                next.reject(e);
            } else {
                settle(next, f, v);
            }
        });
        return next;
    }

    public <U> Promise<U> flatMap(Function<? super T, Promise<U>> f) {
        Promise<U> next = new Promise<>();
        onComplete((v, e) -> {
            if (e != null) {
                next.reject(e);
                return;
            }
            Promise<U> inner;
            try {
                inner = f.apply(v);
            } catch (RuntimeException | Error bug) {
                next.reject(bug);
                return;
            }
            inner.forward(next);
        });
        return next;
    }

    /** A promise that resolves with {@code f(failure)} when this one is rejected. */
    public Promise<T> recover(Function<? super Throwable, ? extends T> f) {
        Promise<T> next = new Promise<>();
        onComplete((v, e) -> {
            if (e == null) {
                next.resolve(v);
            } else {
                settle(next, f, e);
            }
        });
        return next;
    }

    /** Resolves {@code next} with {@code f(input)}; a bug that {@code f} throws rejects it instead. */
    private static <A, U> void settle(Promise<U> next, Function<? super A, ? extends U> f, A input) {
        U result;
        try {
            result = f.apply(input);
        } catch (RuntimeException | Error bug) {
            next.reject(bug);
            return;
        }
        next.resolve(result);
    }

    /** Settles {@code target} the same way this promise settles. */
    public void forward(Promise<? super T> target) {
        onComplete((v, e) -> {
            if (e != null) {
                target.reject(e);
            } else {
                target.resolve(v);
            }
        });
    }

    /** Resolves when every promise has settled: with their values, or rejects with the first failure. */
    public static <T> Promise<List<T>> all(List<Promise<T>> promises) {
        Promise<List<T>> all = new Promise<>();
        if (promises.isEmpty()) {
            all.resolve(List.of());
            return all;
        }
        List<T> values = new ArrayList<>(promises.size());
        for (int i = 0; i < promises.size(); i++) {
            values.add(null);
        }
        int[] remaining = {promises.size()};
        for (int i = 0; i < promises.size(); i++) {
            int index = i;
            promises.get(i).onComplete((v, e) -> {
                if (e != null) {
                    all.reject(e);
                    return;
                }
                values.set(index, v);
                if (--remaining[0] == 0) {
                    all.resolve(java.util.Collections.unmodifiableList(values));
                }
            });
        }
        return all;
    }

    private void fire() {
        List<Runnable> toRun = callbacks;
        callbacks = null;
        if (toRun != null) {
            Trampoline.run(toRun);
        }
    }

    @Override
    public String toString() {
        return switch (state) {
            case PENDING -> "Promise[pending]";
            case RESOLVED -> "Promise[resolved: " + value + "]";
            case REJECTED -> "Promise[rejected: " + failure + "]";
        };
    }

    /** Runs callbacks in order, one at a time per thread, so nesting does not deepen the stack. */
    private static final class Trampoline {
        private static final ThreadLocal<Trampoline> CURRENT = ThreadLocal.withInitial(Trampoline::new);

        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private boolean draining;

        static void run(List<Runnable> callbacks) {
            Trampoline t = CURRENT.get();
            t.queue.addAll(callbacks);
            if (t.draining) {
                return;
            }
            t.draining = true;
            RuntimeException firstBug = null;
            try {
                Runnable next;
                while ((next = t.queue.poll()) != null) {
                    // A callback that throws is a bug; the others still run, then the bug surfaces.
                    try {
                        next.run();
                    } catch (RuntimeException bug) {
                        if (firstBug == null) {
                            firstBug = bug;
                        } else {
                            firstBug.addSuppressed(bug);
                        }
                    }
                }
            } finally {
                t.draining = false;
            }
            if (firstBug != null) {
                throw firstBug;
            }
        }
    }
}
