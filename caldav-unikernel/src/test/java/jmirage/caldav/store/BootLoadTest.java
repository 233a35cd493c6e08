package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import jmirage.caldav.bench.CalendarGenerator;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.ical.IcalError;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A boot's load, made fast two ways without changing what it gives: the objects indexed on the
 * worker pool, and the index of each unchanged object taken from the calendar's {@code .index}.
 * Prints the times and the heap the loaded store retains ({@code -Dboot.events=10000} for the
 * benchmark's size).
 */
class BootLoadTest {

    private static final int EVENTS = Integer.getInteger("boot.events", 1_500);
    private static final int BROKEN = 7;

    private final HostScheduler loop = HostScheduler.start("caldav-load");
    private final HostClock clock = new HostClock();
    private final MemKv kv = new MemKv(clock);
    private final AtomicInteger parses = new AtomicInteger();
    private final Layout.Indexer counting = (Bytes body, Set<ComponentKind> allowed) -> {
        parses.incrementAndGet();
        return ICalendars.validate(body, allowed);
    };

    @AfterEach
    void stop() throws Exception {
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aLoadOnTheWorkerPoolEqualsALoadOnTheLoop() throws Exception {
        storeEvents();
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

        assertEquals(EVENTS + BROKEN, work(onWorkers).members().size());
        assertSameLoad(onLoop, onWorkers);
        assertEquals(BROKEN, onWorkers.warnings().size(), onWorkers.warnings()::toString);
        assertEquals(Layout.keptAtStop(onLoop.store()), Layout.keptAtStop(onWorkers.store()));
    }

    @Test
    void aBootAfterTheIndexWasWrittenParsesOnlyWhatChanged() throws Exception {
        List<CalendarGenerator.Event> events = storeEvents();
        Instant now = clock.now();
        Layout.Loaded first = load(now);
        assertEquals(EVENTS + BROKEN, parses.getAndSet(0));
        writeIndex(first);

        long t0 = System.nanoTime();
        Layout.Loaded second = load(now);
        long t1 = System.nanoTime();
        System.out.printf("load of %d objects with their index: %d ms%n", EVENTS + BROKEN, (t1 - t0) / 1_000_000);
        assertEquals(BROKEN, parses.getAndSet(0), "the objects that did not validate are parsed again (and warned about), only they");
        assertSameLoad(first, second);
        assertEquals(indexOf(first), indexOf(second), "the same index, nothing to write at the next stop");

        // A person edits an event in git: its digest changed, so it is validated again and its new index is served.
        CalendarGenerator.Event edited = events.get(3);
        Bytes changed = Bytes.utf8(edited.ics().replace("UID:" + edited.uid(), "UID:" + edited.uid() + "-edited"));
        Key key = Layout.resource("bench", "work", edited.name());
        OnLoop.await(loop, () -> kv.set(key, changed)).orElseThrow();
        Layout.Loaded third = load(now);
        assertEquals(BROKEN + 1, parses.get());
        assertEquals(edited.uid() + "-edited", work(third).members().get(edited.name()).index().uid());
        assertEquals(ICalendars.validate(changed, Set.of(ComponentKind.values())).orElseThrow(), work(third).members().get(edited.name()).index());
        assertEquals(edited.uid() + "-edited", ObjectIndexFile.decode(indexOf(third)).get(edited.name()).index().uid(), "the next stop writes its new index");
    }

    @Test
    void anIndexedObjectOfAKindTheCalendarNoLongerTakesIsValidatedAgain() throws Exception {
        storeEvents();
        Instant now = clock.now();
        Layout.Loaded first = load(now);
        writeIndex(first);
        Collection todosOnly = new Collection("bench", "work", Set.of(ComponentKind.VTODO), new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                SyncLog.of(new java.util.TreeMap<>()), now, now);
        OnLoop.await(loop, () -> kv.set(Layout.properties("bench", "work"), Layout.encodeProperties(todosOnly))).orElseThrow();
        parses.set(0);
        Layout.Loaded second = load(now);
        assertEquals(EVENTS + BROKEN, parses.get());
        assertEquals(EVENTS + BROKEN, second.warnings().size());
        assertTrue(ObjectIndexFile.decode(indexOf(second)).isEmpty(), "no object validates in a calendar of todos");
    }

    /** The object index file a clean stop writes for the calendar the load holds. */
    private static Bytes indexOf(Layout.Loaded loaded) {
        return Layout.keptAtStop(loaded.store()).stream().filter(f -> f.key().equals(Layout.objectIndex("bench", "work")))
                .findFirst().orElseThrow().content();
    }

    /** What a clean stop after {@code loaded} stores for the calendar's index. */
    private void writeIndex(Layout.Loaded loaded) throws Exception {
        OnLoop.await(loop, () -> kv.set(Layout.objectIndex("bench", "work"), indexOf(loaded))).orElseThrow();
    }

    private Layout.Loaded load(Instant now) throws Exception {
        Result<Layout.Loaded, StoreError> r = OnLoop.await(loop, () -> Layout.open(kv, now, counting, loop), Duration.ofMinutes(5));
        return r.orElseThrow();
    }

    private List<CalendarGenerator.Event> storeEvents() throws Exception {
        List<CalendarGenerator.Event> events = CalendarGenerator.generate(EVENTS, 15);
        List<Change> changes = new ArrayList<>();
        for (CalendarGenerator.Event e : events) {
            changes.add(new Change.Set(Layout.resource("bench", "work", e.name()), Bytes.of(e.bytes())));
        }
        for (int i = 0; i < BROKEN; i++) {
            changes.add(new Change.Set(Layout.resource("bench", "work", "broken-" + i + ".ics"), Bytes.utf8("BEGIN:VCALENDAR\r\nnot ical " + i + "\r\n")));
        }
        OnLoop.await(loop, () -> kv.commit(new Batch("test", "events", changes))).orElseThrow();
        return events;
    }

    private static Collection work(Layout.Loaded loaded) {
        return loaded.store().calendar("bench", "work").orElseThrow();
    }

    private static void assertSameLoad(Layout.Loaded expected, Layout.Loaded actual) {
        assertEquals(new ArrayList<>(work(expected).members().values()), new ArrayList<>(work(actual).members().values()));
        assertEquals(work(expected).sync().token(), work(actual).sync().token());
        assertEquals(expected.warnings(), actual.warnings());
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
