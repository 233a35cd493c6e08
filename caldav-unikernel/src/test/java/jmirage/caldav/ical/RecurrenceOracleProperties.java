package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

    private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);

    @Provide
    Arbitrary<RecurringSeries> rules() {
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
                    return new RecurringSeries(b, f, m, w, i, c, x, List.of(), moveAt, h == 0 ? 1 : h);
                }));
    }

    /** A range near the k-th instance of the rule, so that edges, exclusions and moves are hit often. */
    private static Instant[] near(RecurringSeries rule, int k, int offsetMinutes, int lengthMinutes) {
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
    void matchesAgreesWithANaiveExpansion(@ForAll("rules") RecurringSeries rule, @ForAll @IntRange(min = 0, max = 40) int k,
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
    void indexBoundsHoldEveryInstance(@ForAll("rules") RecurringSeries rule) {
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
