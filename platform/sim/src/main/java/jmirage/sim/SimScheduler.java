package jmirage.sim;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Scheduler;

/**
 * A scheduler on virtual time. Nothing runs until the test drives it ({@link #runFor},
 * {@link #runUntilIdle}, {@link #runUntil}); then tasks run in time order, ties in the order they
 * were queued, and the {@link VirtualClock} jumps from one task to the next. An hour of timers
 * takes as long as the tasks themselves.
 *
 * <p>Detached work runs on the loop as an ordinary task: the simulation has no other thread, so a
 * run is a function of its seed.
 */
public final class SimScheduler implements Scheduler {

    private record Task(long at, long sequence, Runnable body, boolean[] cancelled) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final VirtualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nextSequence;
    private long tasksRun;

    public SimScheduler(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualClock clock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        enqueue(clock.monotonicNanos(), task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long at = clock.monotonicNanos() + Math.max(0, delay.toNanos());
        boolean[] cancelled = enqueue(at, task);
        return () -> {
            boolean was = !cancelled[0];
            cancelled[0] = true;
            return was;
        };
    }

    @Override
    public <T> Promise<T> detach(Callable<T> blockingWork) {
        Promise<T> result = Promise.pending();
        execute(() -> {
            T value;
            try {
                value = blockingWork.call();
            } catch (Exception | Error e) {
                result.reject(e);
                return;
            }
            result.resolve(value);
        });
        return result;
    }

    @Override
    public boolean inLoop() {
        return true;
    }

    /** Runs every task due within {@code duration} of now, then sets the clock to its end. */
    public void runFor(Duration duration) {
        long end = clock.monotonicNanos() + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().at() <= end) {
            runNext();
        }
        clock.advanceTo(end);
    }

    /** Runs until nothing is queued; fails if that takes more than {@code maxTasks} tasks. */
    public void runUntilIdle(long maxTasks) {
        long budget = maxTasks;
        while (!queue.isEmpty()) {
            if (budget-- == 0) {
                throw new IllegalStateException("still busy after " + maxTasks + " tasks");
            }
            runNext();
        }
    }

    /** Runs until {@code promise} settles, and returns it; fails if the queue empties first. */
    public <T> Promise<T> runUntil(Promise<T> promise) {
        while (!promise.isDone()) {
            if (queue.isEmpty()) {
                throw new IllegalStateException("nothing left to run and the promise is still pending");
            }
            runNext();
        }
        return promise;
    }

    /** How many tasks have run so far. */
    public long tasksRun() {
        return tasksRun;
    }

    public int queued() {
        return queue.size();
    }

    private boolean[] enqueue(long at, Runnable body) {
        boolean[] cancelled = {false};
        queue.add(new Task(at, nextSequence++, body, cancelled));
        return cancelled;
    }

    private void runNext() {
        Task t = queue.poll();
        if (t.cancelled()[0]) {
            return;
        }
        clock.advanceTo(Math.max(t.at(), clock.monotonicNanos()));
        tasksRun++;
        t.body().run();
    }
}
