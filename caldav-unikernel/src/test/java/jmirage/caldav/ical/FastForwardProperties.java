package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.List;
import net.fortuna.ical4j.model.Recur;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Expanding from the seed {@link Occurrences#fastForward} gives exactly the instances expanding from
 * DTSTART gives, in any range after it: rules of every frequency with intervals and BYxxx parts,
 * starts in a zone with daylight saving time (local times kept across it) and all-day starts,
 * including the 29th to 31st of a month and 29 February.
 */
class FastForwardProperties {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    record Case(String rule, boolean allDay, ZonedDateTime start, long rangeDaysAfter, int rangeDays) {}

    @Property(tries = 300)
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theSeedChangesNoInstance(@ForAll("cases") Case c) {
        Recur recur = new Recur(c.rule());
        Temporal dtstart = c.allDay() ? c.start().toLocalDate() : c.start();
        Temporal from = c.allDay() ? c.start().toLocalDate().plusDays(c.rangeDaysAfter())
                : c.start().plusDays(c.rangeDaysAfter()).plusHours(c.rangeDaysAfter() % 24);
        Temporal to = from.plus(c.rangeDays(), ChronoUnit.DAYS);
        List<Temporal> direct = recur.getDates(dtstart, from, to, Occurrences.MAX_INSTANCES);
        List<Temporal> forwarded = recur.getDates(Occurrences.fastForward(recur, dtstart, from), from, to, Occurrences.MAX_INSTANCES);
        assertEquals(direct, forwarded, c.toString());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> freq = Arbitraries.of("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY");
        Arbitrary<Integer> interval = Arbitraries.integers().between(1, 5);
        Arbitrary<String> by = Arbitraries.of("", ";BYDAY=MO,WE", ";BYDAY=FR;BYMONTHDAY=13", ";BYMONTHDAY=31", ";BYMONTHDAY=-1",
                ";BYDAY=1MO,-1FR", ";BYMONTH=2;BYMONTHDAY=29", ";BYWEEKNO=20", ";BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", ";BYHOUR=2,14",
                ";WKST=SU;BYDAY=SU,SA", ";BYYEARDAY=60,-1");
        Arbitrary<String> rule = Combinators.combine(freq, interval, by).as((f, i, b) -> "FREQ=" + f + ";INTERVAL=" + i + b)
                .filter(r -> !(r.contains("BYWEEKNO") || r.contains("BYYEARDAY")) || r.startsWith("FREQ=YEARLY"))
                .filter(r -> !(r.contains("BYMONTHDAY") && r.startsWith("FREQ=WEEKLY")));
        Arbitrary<ZonedDateTime> start = Combinators.combine(Arbitraries.integers().between(1890, 2020),
                Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 31), Arbitraries.integers().between(0, 23))
                .as((y, m, d, h) -> LocalDate.of(y, m, 1).plusDays(d - 1).atStartOfDay(BERLIN).plusHours(h).withMinute(30));
        return Combinators.combine(rule, Arbitraries.of(false, true), start, Arbitraries.longs().between(0, 60_000),
                Arbitraries.integers().between(1, 400)).as(Case::new)
                .filter(c -> !(c.allDay() && c.rule().contains("HOURLY")) && !(c.allDay() && c.rule().contains("BYHOUR")));
    }
}
