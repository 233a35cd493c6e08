package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.8.4.4): random daily and weekly series (UTC or
 * Europe/Berlin, counted or endless, with exclusions) split by one or two THISANDFUTURE overrides
 * (each moving its instance and the later ones by some hours and giving them a new length), and
 * an override of one instance besides, against a naive model written here with java.time: a
 * time-range match, the instances {@code expand} writes (RFC 4791 9.6.5), and the index bounds.
 */
class ThisAndFutureProperties {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final Pattern DTSTART = Pattern.compile("\r\nDTSTART:(\\d{8}T\\d{6}Z)\r\n");

    /** From instance {@code at} on (until a later split), instances move by {@code hours} and last {@code minutes}. */
    record Split(int at, int hours, int minutes) {}

    /** A series: first start (local), length, daily or weekly, how many (0: endless), exclusions, splits, one moved instance (-1: none). */
    record Series(boolean berlin, LocalDateTime first, int minutes, boolean weekly, int interval, int count,
                  Set<Integer> excluded, List<Split> splits, int moved, int movedByHours) {

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
            StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//thisandfuture//EN\n");
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

    @Provide
    Arbitrary<Series> series() {
        Arbitrary<Boolean> berlin = Arbitraries.of(true, false);
        // Not at 02:00-02:59, which does not exist on the day summer time starts in Berlin.
        Arbitrary<LocalDateTime> first = Combinators.combine(Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(3, 23), Arbitraries.integers().between(0, 59)).as((d, h, m) -> BASE.plusDays(d).withHour(h).withMinute(m));
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, 600);
        Arbitrary<Boolean> weekly = Arbitraries.of(true, false);
        Arbitrary<Integer> interval = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 30);
        Arbitrary<Set<Integer>> excluded = Arbitraries.integers().between(1, 14).set().ofMaxSize(3).map(TreeSet::new);
        Arbitrary<Split> split = Combinators.combine(Arbitraries.integers().between(1, 14), Arbitraries.integers().between(-20, 20),
                Arbitraries.integers().between(0, 300)).as(Split::new);
        Arbitrary<List<Split>> splits = split.list().ofMinSize(1).ofMaxSize(2).uniqueElements(Split::at)
                .map(l -> l.stream().sorted(java.util.Comparator.comparingInt(Split::at)).toList());
        Arbitrary<Integer> moved = Arbitraries.integers().between(-1, 14);
        Arbitrary<Integer> by = Arbitraries.integers().between(-30, 30);
        return Combinators.combine(berlin, first, minutes, weekly, interval, count, excluded, splits)
                .flatAs((b, f, m, w, i, c, x, s) -> Combinators.combine(moved, by).as((mv, h) -> {
                    // Overrides name instances that exist, are not excluded, and one override each.
                    List<Split> kept = s.stream().filter(p -> (c == 0 || p.at() < c) && !x.contains(p.at())).toList();
                    Set<Integer> taken = new TreeSet<>(x);
                    kept.forEach(p -> taken.add(p.at()));
                    int moveAt = mv > 0 && (c == 0 || mv < c) && !taken.contains(mv) ? mv : -1;
                    return new Series(b, f, m, w, i, c, x, kept, moveAt, h == 0 ? 1 : h);
                }));
    }

    /** RFC 4791 9.9 for a VEVENT with DTEND, written out again. */
    private static boolean overlaps(Instant[] instance, Instant[] range) {
        Instant s = instance[0];
        Instant e = instance[1];
        return e.isAfter(s) ? range[0].isBefore(e) && range[1].isAfter(s) : !range[0].isAfter(s) && range[1].isAfter(s);
    }

    private static Instant[] near(Series series, int k, int offsetMinutes, int lengthMinutes) {
        Instant start = series.nth(k).toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(offsetMinutes));
        return new Instant[] {start, start.plus(Duration.ofMinutes(lengthMinutes))};
    }

    @Property(tries = 400)
    void aTimeRangeMatchesAsTheModelSays(@ForAll("series") Series series, @ForAll @IntRange(min = 0, max = 30) int k,
                                         @ForAll @IntRange(min = -2000, max = 2000) int offsetMinutes,
                                         @ForAll @IntRange(min = 1, max = 3000) int lengthMinutes) {
        Instant[] range = near(series, k, offsetMinutes, lengthMinutes);
        Bytes body = Bytes.utf8(series.body());
        CalendarIndex index = ICalendars.validate(body, EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        boolean expected = series.instancesUntil(range[1]).stream().anyMatch(i -> overlaps(i, range));
        Filters.CompFilter filter = new Filters.CompFilter("VCALENDAR", false, Optional.empty(), List.of(), List.of(
                new Filters.CompFilter("VEVENT", false, Optional.of(new Filters.TimeRange(Optional.of(range[0]), Optional.of(range[1]))),
                        List.of(), List.of())));
        assertEquals(expected, ICalendars.matches(body, index, filter, ZoneOffset.UTC), series.body() + "\nrange " + range[0] + " " + range[1]);
    }

    @Property(tries = 300)
    void expandWritesTheInstancesOfTheModel(@ForAll("series") Series series, @ForAll @IntRange(min = 0, max = 30) int k,
                                            @ForAll @IntRange(min = 1, max = 20_000) int lengthMinutes) {
        Instant[] range = near(series, k, -600, lengthMinutes);
        List<String> expected = series.instancesUntil(range[1]).stream().filter(i -> overlaps(i, range))
                .map(i -> UTC.format(i[0])).sorted().toList();
        CalendarDataRequest request = new CalendarDataRequest(Optional.of(new Filters.TimeRange(Optional.of(range[0]), Optional.of(range[1]))),
                Optional.empty(), Optional.empty());
        String out = ICalendars.render(Bytes.utf8(series.body()), request, ZoneOffset.UTC).toUtf8();
        List<String> starts = new ArrayList<>();
        Matcher m = DTSTART.matcher(out);
        while (m.find()) {
            starts.add(m.group(1));
        }
        assertEquals(expected, starts.stream().sorted().toList(), series.body() + "\nrange " + range[0] + " " + range[1] + "\n" + out);
        assertTrue(!out.contains("RANGE=") && !out.contains("RRULE"), out);
    }

    @Property(tries = 200)
    void theIndexBoundsHoldEveryInstance(@ForAll("series") Series series) {
        CalendarIndex index = ICalendars.validate(Bytes.utf8(series.body()), EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        Instant horizon = series.first().plusYears(2).toInstant(ZoneOffset.UTC);
        for (Instant[] i : series.instancesUntil(horizon)) {
            assertTrue(index.mayOverlap(Optional.of(i[0]), Optional.of(i[0].plusSeconds(1))), "instance at " + i[0] + " rejected: " + index);
            assertTrue(index.latest().map(l -> !l.isBefore(i[1])).orElse(true), "latest " + index.latest() + " before " + i[1]);
        }
    }
}
