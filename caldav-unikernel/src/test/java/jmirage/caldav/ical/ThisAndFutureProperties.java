package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
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

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final Pattern DTSTART = Pattern.compile("\r\nDTSTART:(\\d{8}T\\d{6}Z)\r\n");

    @Provide
    Arbitrary<RecurringSeries> series() {
        Arbitrary<Boolean> berlin = Arbitraries.of(true, false);
        // Not at 02:00-02:59, which does not exist on the day summer time starts in Berlin.
        Arbitrary<LocalDateTime> first = Combinators.combine(Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(3, 23), Arbitraries.integers().between(0, 59)).as((d, h, m) -> BASE.plusDays(d).withHour(h).withMinute(m));
        Arbitrary<Integer> minutes = Arbitraries.integers().between(0, 600);
        Arbitrary<Boolean> weekly = Arbitraries.of(true, false);
        Arbitrary<Integer> interval = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 30);
        Arbitrary<Set<Integer>> excluded = Arbitraries.integers().between(1, 14).set().ofMaxSize(3).map(TreeSet::new);
        Arbitrary<RecurringSeries.Split> split = Combinators.combine(Arbitraries.integers().between(1, 14), Arbitraries.integers().between(-20, 20),
                Arbitraries.integers().between(0, 300)).as(RecurringSeries.Split::new);
        Arbitrary<List<RecurringSeries.Split>> splits = split.list().ofMinSize(1).ofMaxSize(2).uniqueElements(RecurringSeries.Split::at)
                .map(l -> l.stream().sorted(java.util.Comparator.comparingInt(RecurringSeries.Split::at)).toList());
        Arbitrary<Integer> moved = Arbitraries.integers().between(-1, 14);
        Arbitrary<Integer> by = Arbitraries.integers().between(-30, 30);
        return Combinators.combine(berlin, first, minutes, weekly, interval, count, excluded, splits)
                .flatAs((b, f, m, w, i, c, x, s) -> Combinators.combine(moved, by).as((mv, h) -> {
                    // Overrides name instances that exist, are not excluded, and one override each.
                    List<RecurringSeries.Split> kept = s.stream().filter(p -> (c == 0 || p.at() < c) && !x.contains(p.at())).toList();
                    Set<Integer> taken = new TreeSet<>(x);
                    kept.forEach(p -> taken.add(p.at()));
                    int moveAt = mv > 0 && (c == 0 || mv < c) && !taken.contains(mv) ? mv : -1;
                    return new RecurringSeries(b, f, m, w, i, c, x, kept, moveAt, h == 0 ? 1 : h);
                }));
    }

    /** RFC 4791 9.9 for a VEVENT with DTEND, written out again. */
    private static boolean overlaps(Instant[] instance, Instant[] range) {
        Instant s = instance[0];
        Instant e = instance[1];
        return e.isAfter(s) ? range[0].isBefore(e) && range[1].isAfter(s) : !range[0].isAfter(s) && range[1].isAfter(s);
    }

    private static Instant[] near(RecurringSeries series, int k, int offsetMinutes, int lengthMinutes) {
        Instant start = series.nth(k).toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(offsetMinutes));
        return new Instant[] {start, start.plus(Duration.ofMinutes(lengthMinutes))};
    }

    @Property(tries = 400)
    void aTimeRangeMatchesAsTheModelSays(@ForAll("series") RecurringSeries series, @ForAll @IntRange(min = 0, max = 30) int k,
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
    void expandWritesTheInstancesOfTheModel(@ForAll("series") RecurringSeries series, @ForAll @IntRange(min = 0, max = 30) int k,
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
    void theIndexBoundsHoldEveryInstance(@ForAll("series") RecurringSeries series) {
        CalendarIndex index = ICalendars.validate(Bytes.utf8(series.body()), EnumSet.of(ComponentKind.VEVENT)).orElseThrow();
        Instant horizon = series.first().plusYears(2).toInstant(ZoneOffset.UTC);
        for (Instant[] i : series.instancesUntil(horizon)) {
            assertTrue(index.mayOverlap(Optional.of(i[0]), Optional.of(i[0].plusSeconds(1))), "instance at " + i[0] + " rejected: " + index);
            assertTrue(index.latest().map(l -> !l.isBefore(i[1])).orElse(true), "latest " + index.latest() + " before " + i[1]);
        }
    }
}
