package jmirage.caldav.ical;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recurring VEVENT for the property tests, and its instances written out naively with java.time
 * (the model the server's expansion is checked against): RecurrenceOracleProperties uses it without
 * splits, ThisAndFutureProperties with RANGE=THISANDFUTURE splits. Its parts: the first start (local
 * time in Europe/Berlin, or UTC), length, daily or weekly, interval, how many (0: endless), excluded
 * instances, splits, one moved instance (-1: none) and by how many hours.
 */
record RecurringSeries(boolean berlin, LocalDateTime first, int minutes, boolean weekly, int interval, int count,
        Set<Integer> excluded, List<Split> splits, int moved, int movedByHours) {

    /** From instance {@code at} on (until a later split), instances move by {@code hours} and last {@code minutes}. */
    record Split(int at, int hours, int minutes) {}

    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    ZoneId zone() {
        return berlin ? ZoneId.of("Europe/Berlin") : ZoneOffset.UTC;
    }

    String time(String name, LocalDateTime t) {
        return berlin ? name + ";TZID=Europe/Berlin:" + LOCAL.format(t) : name + ":" + LOCAL.format(t) + "Z";
    }

    LocalDateTime nth(int k) {
        return first.plusDays((long) k * interval * (weekly ? 7 : 1));
    }

    String body() {
        StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//series//EN\n");
        if (berlin) {
            b.append(Samples.BERLIN);
        }
        b.append("BEGIN:VEVENT\nUID:series\nDTSTAMP:20260101T000000Z\nSUMMARY:master\n");
        b.append(time("DTSTART", first)).append('\n');
        b.append(time("DTEND", first.plusMinutes(minutes))).append('\n');
        b.append("RRULE:FREQ=").append(weekly ? "WEEKLY" : "DAILY").append(";INTERVAL=").append(interval)
                .append(count > 0 ? ";COUNT=" + count : "").append('\n');
        for (int k : excluded) {
            b.append(time("EXDATE", nth(k))).append('\n');
        }
        b.append("END:VEVENT\n");
        for (Split s : splits) {
            LocalDateTime start = nth(s.at()).plusHours(s.hours());
            b.append("BEGIN:VEVENT\nUID:series\nDTSTAMP:20260101T000000Z\nSUMMARY:from ").append(s.at()).append('\n');
            b.append(time("RECURRENCE-ID;RANGE=THISANDFUTURE", nth(s.at()))).append('\n');
            b.append(time("DTSTART", start)).append('\n');
            b.append(time("DTEND", start.plusMinutes(s.minutes()))).append('\n');
            b.append("END:VEVENT\n");
        }
        if (moved >= 0) {
            b.append("BEGIN:VEVENT\nUID:series\nDTSTAMP:20260101T000000Z\nSUMMARY:moved\n");
            b.append(time("RECURRENCE-ID", nth(moved))).append('\n');
            b.append(time("DTSTART", nth(moved).plusHours(movedByHours))).append('\n');
            b.append(time("DTEND", nth(moved).plusHours(movedByHours).plusMinutes(minutes))).append('\n');
            b.append("END:VEVENT\n");
        }
        return Samples.crlf(b.append("END:VCALENDAR\n").toString());
    }

    /** The instances, naively: the k-th start, unless excluded or moved alone, else as the latest split at or before it says. */
    List<Instant[]> instancesUntil(Instant until) {
        List<Instant[]> out = new ArrayList<>();
        for (int k = 0; count == 0 || k < count; k++) {
            if (nth(k).atZone(zone()).toInstant().isAfter(until.plus(Duration.ofDays(3)))) {
                break;
            }
            LocalDateTime start = nth(k);
            int length = minutes;
            if (k == moved) {
                start = start.plusHours(movedByHours);
            } else if (excluded.contains(k)) {
                continue;
            } else {
                for (Split s : splits) {
                    if (s.at() <= k) {
                        start = nth(k).plusHours(s.hours());
                        length = s.minutes();
                    }
                }
            }
            out.add(new Instant[] {start.atZone(zone()).toInstant(), start.plusMinutes(length).atZone(zone()).toInstant()});
        }
        return out;
    }
}
