package jmirage.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {

    private final Simulation sim = new Simulation(1);
    private final SimScheduler scheduler = sim.scheduler();

    @Test
    void tasksRunInTimeOrderAndTheClockJumpsToEach() {
        List<String> seen = new ArrayList<>();
        scheduler.schedule(Duration.ofSeconds(3), () -> seen.add("3s@" + sim.clock().elapsed().toSeconds()));
        scheduler.schedule(Duration.ofSeconds(1), () -> seen.add("1s@" + sim.clock().elapsed().toSeconds()));
        scheduler.execute(() -> seen.add("now@" + sim.clock().elapsed().toSeconds()));
        scheduler.runFor(Duration.ofSeconds(2));
        assertEquals(List.of("now@0", "1s@1"), seen);
        assertEquals(Duration.ofSeconds(2), sim.clock().elapsed());
        scheduler.runFor(Duration.ofSeconds(2));
        assertEquals(List.of("now@0", "1s@1", "3s@3"), seen);
    }

    @Test
    void tiesRunInTheOrderQueued() {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            scheduler.schedule(Duration.ofMillis(10), () -> seen.add(n));
        }
        scheduler.runUntilIdle(100);
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void cancelledTimersDoNotRun() {
        boolean[] ran = {false};
        Cancellable c = scheduler.schedule(Duration.ofSeconds(1), () -> ran[0] = true);
        assertTrue(c.cancel());
        assertFalse(c.cancel());
        scheduler.runFor(Duration.ofSeconds(5));
        assertFalse(ran[0]);
    }

    @Test
    void everyRepeatsUntilCancelledAndTimeoutResolvesWithTheFallback() {
        int[] ticks = {0};
        Cancellable c = scheduler.every(Duration.ofMinutes(1), () -> ticks[0]++);
        scheduler.runFor(Duration.ofHours(1));
        assertEquals(60, ticks[0]);
        c.cancel();
        scheduler.runFor(Duration.ofHours(1));
        assertEquals(60, ticks[0]);

        Promise<String> never = Promise.pending();
        Promise<String> bounded = scheduler.withTimeout(never, Duration.ofSeconds(5), "timeout");
        scheduler.runFor(Duration.ofSeconds(4));
        assertFalse(bounded.isDone());
        scheduler.runFor(Duration.ofSeconds(1));
        assertEquals("timeout", bounded.value());
    }

    @Test
    void detachedWorkRunsOnTheLoopAndFailuresReject() {
        Promise<Integer> ok = scheduler.detach(() -> 41 + 1);
        Promise<Integer> failed = scheduler.detach(() -> {
            throw new java.io.IOException("disk");
        });
        scheduler.runUntilIdle(10);
        assertEquals(42, ok.value());
        assertEquals("disk", failed.failure().getMessage());
    }

    @Test
    void sameSeedSameBytes() {
        assertEquals(new Simulation(7).random().bytes(64), new Simulation(7).random().bytes(64));
        assertFalse(new Simulation(7).random().bytes(64).equals(new Simulation(8).random().bytes(64)));
    }
}
