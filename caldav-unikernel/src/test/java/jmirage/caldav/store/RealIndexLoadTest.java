package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jmirage.caldav.ical.ICalendars;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Kv;
import jmirage.kv.MemKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/** The store loaded with the server's own indexer, ICalendars.validate (ical4j): 10,000 events, a tenth recurring. */
class RealIndexLoadTest {

    static Bytes event(int i) {
        String rrule = i % 10 == 0 ? "RRULE:FREQ=WEEKLY;COUNT=20\r\n" : "";
        String day = String.format("202601%02d", 1 + i % 28);
        return Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:event-" + i
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + day + "T090000Z\r\nDTEND:" + day + "T100000Z\r\n" + rrule
                + "SUMMARY:Event " + i + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    @Test
    void tenThousandRealEventsLoadAndIndexQuickly() {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        Kv kv = new MemKv(scheduler.clock());
        int count = 10_000;
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(new Change.Set(Layout.resource("alice", "big", "event-" + i + ".ics"), event(i)));
        }
        changes.add(new Change.Set(Layout.resource("alice", "big", "hand-edited.ics"), Bytes.utf8("BEGIN:VCALENDAR\r\nUID:x\r\n")));
        assertTrue(scheduler.runUntil(kv.commit(new Batch("t", "t", changes))).value().isOk());
        // one warm-up load so the time measures loading, not class loading
        scheduler.runUntil(Layout.open(kv, scheduler.clock().now(), ICalendars::validate));
        long start = System.nanoTime();
        Result<Layout.Loaded, StoreError> r = scheduler.runUntil(Layout.open(kv, scheduler.clock().now(), ICalendars::validate)).value();
        long millis = (System.nanoTime() - start) / 1_000_000;
        Layout.Loaded loaded = r.orElseThrow();
        Collection big = loaded.store().calendar("alice", "big").orElseThrow();
        assertEquals(count + 1, big.members().size());
        assertEquals("event-7", big.members().get("event-7.ics").index().uid());
        assertTrue(big.members().get("event-10.ics").index().recurring());
        assertFalse(big.members().get("event-11.ics").index().recurring());
        assertEquals(1, loaded.warnings().size(), loaded.warnings().toString());
        assertTrue(loaded.warnings().get(0).startsWith("calendars/alice/big/hand-edited.ics: "), loaded.warnings().get(0));
        System.out.println("RealIndexLoadTest: loaded and validated " + count + " events in " + millis + " ms");
        assertTrue(millis < 30_000, millis + " ms");
    }
}
