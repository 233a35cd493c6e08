package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.caldav.bench.CalendarGenerator;
import jmirage.caldav.ical.ICalendars;
import jmirage.core.Bytes;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loading on the worker pool gives the store and the warnings a load on the loop gives: same
 * members in the same order, same ETags and indexes, the warnings of objects that do not validate in
 * name order. Prints both times and the heap the loaded store retains ({@code -Dboot.events=10000}
 * for the benchmark's size).
 */
class ParallelLoadTest {

    private static final int EVENTS = Integer.getInteger("boot.events", 1_500);
    private static final int BROKEN = 7;

    private final HostScheduler loop = HostScheduler.start("caldav-load");
    private final HostClock clock = new HostClock();
    private final MemKv kv = new MemKv(clock);

    @AfterEach
    void stop() throws Exception {
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aLoadOnTheWorkerPoolEqualsALoadOnTheLoop() throws Exception {
        List<Change> changes = new ArrayList<>();
        for (CalendarGenerator.Event e : CalendarGenerator.generate(EVENTS, 15)) {
            changes.add(new Change.Set(Layout.resource("bench", "work", e.name()), Bytes.of(e.bytes())));
        }
        for (int i = 0; i < BROKEN; i++) {
            changes.add(new Change.Set(Layout.resource("bench", "work", "broken-" + i + ".ics"), Bytes.utf8("BEGIN:VCALENDAR\r\nnot ical " + i + "\r\n")));
        }
        OnLoop.await(loop, () -> kv.commit(new Batch("test", "events", changes))).orElseThrow();
        Instant now = clock.now();

        long before = retainedHeap();
        long t0 = System.nanoTime();
        Layout.Loaded onLoop = OnLoop.await(loop, () -> Layout.open(kv, now, ICalendars::validate), Duration.ofMinutes(5)).orElseThrow();
        long t1 = System.nanoTime();
        long retained = retainedHeap() - before;
        Layout.Loaded onWorkers = OnLoop.await(loop, () -> Layout.open(kv, now, ICalendars::validate, loop), Duration.ofMinutes(5)).orElseThrow();
        long t2 = System.nanoTime();
        System.out.printf("load of %d objects: %d ms on the loop, %d ms on the worker pool (%d cores); the store retains %.1f MiB%n",
                EVENTS + BROKEN, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Runtime.getRuntime().availableProcessors(),
                retained / 1048576.0);

        Collection sequential = onLoop.store().calendar("bench", "work").orElseThrow();
        Collection parallel = onWorkers.store().calendar("bench", "work").orElseThrow();
        assertEquals(EVENTS + BROKEN, parallel.members().size());
        assertEquals(new ArrayList<>(sequential.members().values()), new ArrayList<>(parallel.members().values()));
        assertEquals(sequential.sync().token(), parallel.sync().token());
        assertEquals(onLoop.warnings(), onWorkers.warnings());
        assertEquals(BROKEN, onWorkers.warnings().size(), onWorkers.warnings()::toString);
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
