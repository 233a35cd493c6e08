package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/**
 * RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.8.4.4, 3.2.13) in what a client stores when a
 * person moves "this and all following" meetings: the override moves its own instance and every
 * later one, keeps them at their wall-clock time across the change to summer time, gives them its
 * summary, and an override of one later instance still wins for that instance. Time ranges,
 * {@code expand} and {@code limit-recurrence-set} (RFC 4791 9.9, 9.6.5, 9.6.6) and free-busy
 * (7.10) all see the moved series.
 */
class ThisAndFutureTest {

    /**
     * A weekly planning meeting, Mondays 10:00-11:00 Berlin from 5 January 2026, 14 times; from 2
     * February on, "this and future" moved to Tuesdays 14:00-15:30 and renamed; the Tuesday that
     * follows 9 March moved once more, alone, to Thursday 12 March 09:00.
     */
    static final String MOVED_SERIES = Samples.crlf("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//test//thisandfuture//EN
            """ + Samples.BERLIN + """
            BEGIN:VEVENT
            UID:planning@example.org
            DTSTAMP:20260101T000000Z
            DTSTART;TZID=Europe/Berlin:20260105T100000
            DTEND;TZID=Europe/Berlin:20260105T110000
            RRULE:FREQ=WEEKLY;COUNT=14
            SUMMARY:Planning
            END:VEVENT
            BEGIN:VEVENT
            UID:planning@example.org
            DTSTAMP:20260125T000000Z
            RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260202T100000
            DTSTART;TZID=Europe/Berlin:20260203T140000
            DTEND;TZID=Europe/Berlin:20260203T153000
            SUMMARY:Planning (Tuesdays)
            END:VEVENT
            BEGIN:VEVENT
            UID:planning@example.org
            DTSTAMP:20260301T000000Z
            RECURRENCE-ID;TZID=Europe/Berlin:20260309T100000
            DTSTART;TZID=Europe/Berlin:20260312T090000
            DTEND;TZID=Europe/Berlin:20260312T100000
            SUMMARY:Planning (moved once)
            END:VEVENT
            END:VCALENDAR
            """);

    private static final Bytes STORED = Bytes.utf8(MOVED_SERIES);

    private static Filters.TimeRange range(String start, String end) {
        return new Filters.TimeRange(Optional.of(Instant.parse(start)), Optional.of(Instant.parse(end)));
    }

    private static boolean inRange(String start, String end) {
        CalendarIndex index = ICalendars.validate(STORED, EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        Filters.CompFilter filter = new Filters.CompFilter("VCALENDAR", false, Optional.empty(), List.of(), List.of(
                new Filters.CompFilter("VEVENT", false, Optional.of(range(start, end)), List.of(), List.of())));
        return ICalendars.matches(STORED, index, filter, ZoneOffset.UTC);
    }

    private static String expand(String start, String end) {
        return ICalendars.render(STORED, new CalendarDataRequest(Optional.of(range(start, end)), Optional.empty(), Optional.empty()),
                ZoneOffset.UTC).toUtf8();
    }

    @Test
    void laterMondaysAreFreeAndTheirTuesdaysBusy() {
        assertTrue(inRange("2026-01-26T09:00:00Z", "2026-01-26T10:00:00Z"), "before the split: Monday as before");
        assertFalse(inRange("2026-02-16T09:00:00Z", "2026-02-16T10:00:00Z"), "a later Monday is no longer taken");
        assertTrue(inRange("2026-02-17T13:00:00Z", "2026-02-17T14:30:00Z"), "its Tuesday 14:00 Berlin (13:00Z) is");
        assertTrue(inRange("2026-02-17T14:15:00Z", "2026-02-17T14:20:00Z"), "and lasts the override's 90 minutes");
        assertFalse(inRange("2026-03-10T13:00:00Z", "2026-03-10T14:30:00Z"), "the Tuesday after 9 March moved alone, to Thursday");
        assertTrue(inRange("2026-03-12T08:00:00Z", "2026-03-12T09:00:00Z"));
        // Summer time from 29 March: still 14:00 Berlin, now 12:00Z (the last instance, 6 April, is on Tuesday 7 April).
        assertTrue(inRange("2026-04-07T12:00:00Z", "2026-04-07T12:01:00Z"));
        assertFalse(inRange("2026-04-07T13:30:00Z", "2026-04-07T14:00:00Z"));
        assertFalse(inRange("2026-04-13T00:00:00Z", "2026-05-01T00:00:00Z"), "COUNT=14 still ends the series");
    }

    @Test
    void expandWritesEachLaterInstanceFromTheOverrideWithItsOwnRecurrenceId() {
        String out = expand("2026-03-23T00:00:00Z", "2026-04-10T00:00:00Z");
        assertEquals(3, out.split("BEGIN:VEVENT").length - 1, out);
        // Monday 23 March 10:00 CET (09:00Z) is Tuesday 24 March 14:00 CET (13:00Z).
        assertTrue(out.contains("DTSTART:20260324T130000Z"), out);
        assertTrue(out.contains("RECURRENCE-ID:20260323T090000Z"), out);
        // Monday 30 March 10:00 CEST (08:00Z) is Tuesday 31 March 14:00 CEST (12:00Z).
        assertTrue(out.contains("RECURRENCE-ID:20260330T080000Z"), out);
        assertTrue(out.contains("DTSTART:20260331T120000Z"), out);
        assertTrue(out.contains("DTEND:20260331T133000Z"), out);
        assertTrue(out.contains("DTSTART:20260407T120000Z"), out);
        assertEquals(3, out.split("SUMMARY:Planning \\(Tuesdays\\)").length - 1, out);
        assertFalse(out.contains("RANGE"), out);
        assertTrue(ICalendars.validate(Bytes.utf8(out), EnumSet.of(ComponentKind.VEVENT)).isOk(), out);
    }

    @Test
    void expandKeepsTheOverrideOfOneLaterInstance() {
        String out = expand("2026-03-09T00:00:00Z", "2026-03-14T00:00:00Z");
        assertEquals(1, out.split("BEGIN:VEVENT").length - 1, out);
        assertTrue(out.contains("SUMMARY:Planning (moved once)"), out);
        assertTrue(out.contains("DTSTART:20260312T080000Z"), out);
    }

    @Test
    void limitRecurrenceSetKeepsTheOverrideThatShapesTheRange() {
        String out = ICalendars.render(STORED, new CalendarDataRequest(Optional.empty(),
                Optional.of(range("2026-03-16T00:00:00Z", "2026-03-21T00:00:00Z")), Optional.empty()), ZoneOffset.UTC).toUtf8();
        assertEquals(2, out.split("BEGIN:VEVENT").length - 1, "the master and the THISANDFUTURE override, not the one moved alone:\n" + out);
        assertTrue(out.contains("RANGE=THISANDFUTURE"), out);
        assertFalse(out.contains("moved once"), out);
    }

    @Test
    void freeBusyShowsTheMovedSeries() {
        String out = ICalendars.freeBusy(List.of(STORED), range("2026-02-01T00:00:00Z", "2026-02-15T00:00:00Z"), ZoneOffset.UTC,
                Instant.parse("2026-01-15T12:00:00Z")).toUtf8();
        assertTrue(out.contains("FREEBUSY;FBTYPE=BUSY:20260203T130000Z/20260203T143000Z\r\n"
                + "FREEBUSY;FBTYPE=BUSY:20260210T130000Z/20260210T143000Z\r\n"), out);
        assertEquals(2, out.split("FREEBUSY;").length - 1, out);
    }

    @Test
    void theIndexSpansTheMovedInstances() {
        CalendarIndex index = ICalendars.validate(STORED, EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        assertTrue(index.latest().orElseThrow().isAfter(Instant.parse("2026-04-07T13:30:00Z")), index.toString());
    }
}
