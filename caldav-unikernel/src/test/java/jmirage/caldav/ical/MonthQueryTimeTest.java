package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/**
 * The acceptance bound of issue 15: a month's calendar-query over 10,000 events (one in ten a
 * weekly recurrence without end, in Berlin time) answered well under a second, cold and warm.
 */
class MonthQueryTimeTest {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    private static LocalDateTime start(int n) {
        // Spread over three years from 2025, every 2.6 hours or so, an hour long.
        return LocalDateTime.of(2025, 1, 1, 8, 0).plusMinutes(n * 157L);
    }

    private static boolean weekly(int n) {
        return n % 10 == 0;
    }

    /** Whether event n has an instance in [from, to): a weekly one does once it has begun before the end. */
    private static boolean inRange(int n, Instant from, Instant to) {
        Instant s = start(n).atZone(ZoneId.of("Europe/Berlin")).toInstant();
        Instant e = s.plus(Duration.ofHours(1));
        return weekly(n) ? s.isBefore(to) : s.isBefore(to) && e.isAfter(from);
    }

    private static String event(int n) {
        LocalDateTime start = start(n);
        boolean weekly = weekly(n);
        return Samples.crlf("""
                BEGIN:VCALENDAR
                VERSION:2.0
                PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
                """ + Samples.BERLIN + """
                BEGIN:VEVENT
                UID:event-%d
                DTSTAMP:20250101T000000Z
                SUMMARY:Event number %d
                DTSTART;TZID=Europe/Berlin:%s
                DTEND;TZID=Europe/Berlin:%s
                %sEND:VEVENT
                END:VCALENDAR
                """.formatted(n, n, LOCAL.format(start), LOCAL.format(start.plusHours(1)), weekly ? "RRULE:FREQ=WEEKLY\n" : ""));
    }

    @Test
    void aMonthOfTenThousandEventsIsQueriedWellUnderASecond() {
        List<Bytes> bodies = new ArrayList<>();
        List<CalendarIndex> indexes = new ArrayList<>();
        for (int n = 0; n < 10_000; n++) {
            Bytes body = Bytes.utf8(event(n));
            bodies.add(body);
            indexes.add(ICalendars.validate(body, EnumSet.of(ComponentKind.VEVENT)).orElseThrow());
        }
        Filters.CompFilter march = ICalendars.parseFilter(Samples.rangeFilter("VEVENT", "20260301T000000Z", "20260401T000000Z")).orElseThrow();
        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        Instant to = Instant.parse("2026-04-01T00:00:00Z");
        long expected = java.util.stream.IntStream.range(0, bodies.size()).filter(n -> inRange(n, from, to)).count();
        for (int round = 0; round < 2; round++) {
            long t0 = System.nanoTime();
            int found = 0;
            for (int i = 0; i < bodies.size(); i++) {
                if (ICalendars.matches(bodies.get(i), indexes.get(i), march, ZoneOffset.UTC)) {
                    found++;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(expected, found);
            assertTrue(took.toMillis() < 700, "round " + round + " took " + took.toMillis() + " ms for " + found + " matches");
        }
    }
}
