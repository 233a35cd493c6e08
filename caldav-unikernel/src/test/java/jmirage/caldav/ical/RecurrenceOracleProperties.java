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
import jmirage.core.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random daily and weekly recurrences (UTC or Europe/Berlin, counted or endless, with exclusions
 * and a moved instance) against random ranges: matches() agrees with a naive expansion written
 * here with java.time alone, and the index bounds hold every instance.
 */
class RecurrenceOracleProperties {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);

    /** A recurring event: its first start (local), length, every how many days, how many (0: endless), what is excluded or moved. */
    record Rule(boolean berlin, LocalDateTime first, int minutes, boolean weekly, int interval, int count,
                Set<Integer> excluded, int moved, int movedByHours) {

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
            StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//oracle//EN\n");
            if (berlin) {
                b.append(Samples.BERLIN);
            }
            b.append("BEGIN:VEVENT\nUID:oracle\nDTSTAMP:20260101T000000Z\n");
            b.append(time("DTSTART", first)).append('\n');
            b.append(time("DTEND", first.plusMinutes(minutes))).append('\n');
            b.append("RRULE:FREQ=").append(weekly ? "WEEKLY" : "DAILY").append(";INTERVAL=").append(interval)
                    .append(count > 0 ? ";COUNT=" + count : "").append('\n');
            for (int k : excluded) {
                b.append(time("EXDATE", nth(k))).append('\n');
            }
            b.append("END:VEVENT\n");
            if (moved >= 0) {
                b.append("BEGIN:VEVENT\nUID:oracle\nDTSTAMP:20260101T000000Z\n");
                b.append(time("RECURRENCE-ID", nth(moved))).append('\n');
                b.append(time("DTSTART", nth(moved).plusHours(movedByHours))).append('\n');
                b.append(time("DTEND", nth(moved).plusHours(movedByHours).plusMinutes(minutes))).append('\n');
                b.append("END:VEVENT\n");
            }
            return Samples.crlf(b.append("END:VCALENDAR\n").toString());
        }

        /** The instances, naively: the k-th local start, skipping excluded ones, the moved one moved. */
        List<Instant[]> instancesUntil(Instant until) {
            List<Instant[]> out = new ArrayList<>();
            for (int k = 0; count == 0 || k < count; k++) {
                // Past this, neither the k-th start nor a start moved by up to 30 hours reaches back.
                if (nth(k).atZone(zone()).toInstant().isAfter(until.plus(Duration.ofDays(2)))) {
                    break;
                }
                LocalDateTime start = nth(k);
                if (k == moved) {
                    start = start.plusHours(movedByHours);
                } else if (excluded.contains(k)) {
                    continue;
                }
                out.add(new Instant[] {start.atZone(zone()).toInstant(), start.plusMinutes(minutes).atZone(zone()).toInstant()});
            }
            return out;
        }
    }

    @Provide
    Arbitrary<Rule> rules() {
        Arbitrary<Boolean> berlin = Arbitraries.of(true, false);
        Arbitrary<LocalDateTime> first = Arbitraries.integers().between(0, 60 * 24 * 60).map(m -> BASE.plusMinutes(m));
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, 600);
        Arbitrary<Boolean> weekly = Arbitraries.of(true, false);
        Arbitrary<Integer> interval = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 30);
        Arbitrary<Set<Integer>> excluded = Arbitraries.integers().between(1, 12).set().ofMaxSize(4).map(TreeSet::new);
        Arbitrary<Integer> moved = Arbitraries.integers().between(-1, 12);
        Arbitrary<Integer> by = Arbitraries.integers().between(-30, 30);
        return Combinators.combine(berlin, first, minutes, weekly, interval, count, excluded, moved)
                .flatAs((b, f, m, w, i, c, x, mv) -> by.map(h -> {
                    // The moved instance must exist and not be excluded too.
                    int moveAt = mv >= 0 && (c == 0 || mv < c) && !x.contains(mv) && mv > 0 ? mv : -1;
                    return new Rule(b, f, m, w, i, c, x, moveAt, h == 0 ? 1 : h);
                }));
    }

    /** A range near the k-th instance of the rule, so that edges, exclusions and moves are hit often. */
    private static Instant[] near(Rule rule, int k, int offsetMinutes, int lengthMinutes) {
        Instant start = rule.nth(k).toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(offsetMinutes));
        return new Instant[] {start, start.plus(Duration.ofMinutes(lengthMinutes))};
    }

    /** RFC 4791 9.9 for a VEVENT with DTEND, written out again. */
    private static boolean overlaps(Instant[] instance, Instant[] range) {
        Instant s = instance[0];
        Instant e = instance[1];
        return e.isAfter(s) ? range[0].isBefore(e) && range[1].isAfter(s) : !range[0].isAfter(s) && range[1].isAfter(s);
    }

    @Property(tries = 500)
    void matchesAgreesWithANaiveExpansion(@ForAll("rules") Rule rule, @ForAll @IntRange(min = 0, max = 40) int k,
                                          @ForAll @IntRange(min = -2000, max = 2000) int offsetMinutes,
                                          @ForAll @IntRange(min = 1, max = 3000) int lengthMinutes) {
        Instant[] range = near(rule, k, offsetMinutes, lengthMinutes);
        Bytes body = Bytes.utf8(rule.body());
        CalendarIndex index = ICalendars.validate(body, EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        boolean expected = rule.instancesUntil(range[1]).stream().anyMatch(i -> overlaps(i, range));
        Filters.CompFilter filter = new Filters.CompFilter("VCALENDAR", false, Optional.empty(), List.of(), List.of(
                new Filters.CompFilter("VEVENT", false, Optional.of(new Filters.TimeRange(Optional.of(range[0]), Optional.of(range[1]))),
                        List.of(), List.of())));
        assertEquals(expected, ICalendars.matches(body, index, filter, ZoneOffset.UTC), rule.body() + "\nrange " + range[0] + " " + range[1]);
    }

    @Property(tries = 300)
    void indexBoundsHoldEveryInstance(@ForAll("rules") Rule rule) {
        CalendarIndex index = ICalendars.validate(Bytes.utf8(rule.body()), EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        assertEquals(rule.count() == 0, index.latest().isEmpty(), rule.body());
        Instant horizon = rule.first().plusYears(3).toInstant(ZoneOffset.UTC);
        for (Instant[] i : rule.instancesUntil(horizon)) {
            assertTrue(!index.earliest().orElseThrow().isAfter(i[0]), "earliest " + index.earliest() + " after " + i[0]);
            assertTrue(index.latest().map(l -> !l.isBefore(i[1])).orElse(true), "latest " + index.latest() + " before " + i[1]);
            assertTrue(index.mayOverlap(Optional.of(i[0]), Optional.of(i[0].plusSeconds(1))), "instance at " + i[0] + " rejected");
        }
    }
}
