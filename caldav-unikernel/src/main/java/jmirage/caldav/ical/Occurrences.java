package jmirage.caldav.ical;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.property.DateListProperty;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.RDate;
import net.fortuna.ical4j.model.property.RRule;

/**
 * The instances of a calendar object resource's components, recurrences expanded (RFC 5545 3.8.5:
 * DTSTART, RRULE, RDATE, EXDATE; an overridden instance, a component with RECURRENCE-ID, replaces
 * the master's instance it names), each with the test RFC 4791 9.9 prescribes against a time range.
 * Floating times and dates are read in the zone the caller gives (RFC 4791 9.9: the calendar's).
 */
final class Occurrences {

    /** Bound on the instances one expansion produces, whatever the rule says. */
    static final int MAX_INSTANCES = 20_000;

    private Occurrences() {}

    /** The condition of RFC 4791 9.9 that applies to an instance, by the properties its component has. */
    enum Test {
        /** VEVENT, VJOURNAL: (start < END or start <= START when END = START) and (end > START). */
        OVERLAP,
        /** VTODO with DTSTART and DURATION. */
        TODO_START_DURATION,
        /** VTODO with DTSTART and DUE. */
        TODO_START_DUE,
        /** VTODO with DTSTART only. */
        TODO_START,
        /** VTODO with DUE only. */
        TODO_DUE,
        /** VTODO with COMPLETED and CREATED only (start = CREATED, end = COMPLETED). */
        TODO_CREATED_COMPLETED,
        /** VTODO with COMPLETED only. */
        TODO_COMPLETED,
        /** VTODO with CREATED only. */
        TODO_CREATED,
        /** VTODO with none of them: every range. */
        ALWAYS,
        /** VJOURNAL without DTSTART: no range. */
        NEVER
    }

    /**
     * One instance: the component it comes from (the master or an override), its start and end,
     * the start the recurrence set gave it (its RECURRENCE-ID once expanded), and whether its times
     * were floating or dates (read in the given zone).
     */
    record Occurrence(Component component, Instant start, Instant end, Test test, Optional<Instant> recurrenceId,
                      boolean floating, boolean allDay) {}

    /** Whether the instance overlaps the range by RFC 4791 9.9's tables; an open side is no constraint. */
    static boolean test(Occurrence o, Optional<Instant> from, Optional<Instant> to) {
        Instant s = o.start();
        Instant e = o.end();
        boolean noFrom = from.isEmpty();
        boolean noTo = to.isEmpty();
        Instant rs = from.orElse(null);
        Instant re = to.orElse(null);
        return switch (o.test()) {
            case OVERLAP -> e.isAfter(s)
                    ? (noFrom || rs.isBefore(e)) && (noTo || re.isAfter(s))
                    : (noFrom || !rs.isAfter(s)) && (noTo || re.isAfter(s));
            case TODO_START_DURATION -> (noFrom || !rs.isAfter(e)) && (noTo || re.isAfter(s) || !re.isBefore(e));
            case TODO_START_DUE -> (noFrom || rs.isBefore(e) || !rs.isAfter(s)) && (noTo || re.isAfter(s) || !re.isBefore(e));
            case TODO_START -> (noFrom || !rs.isAfter(s)) && (noTo || re.isAfter(s));
            case TODO_DUE -> (noFrom || rs.isBefore(e)) && (noTo || !re.isBefore(e));
            case TODO_CREATED_COMPLETED -> (noFrom || !rs.isAfter(s) || !rs.isAfter(e)) && (noTo || !re.isBefore(s) || !re.isBefore(e));
            case TODO_COMPLETED -> (noFrom || !rs.isAfter(e)) && (noTo || !re.isBefore(e));
            case TODO_CREATED -> noTo || re.isAfter(s);
            case ALWAYS -> true;
            case NEVER -> false;
        };
    }

    /**
     * The instances of one kind's components (all of one UID) that may overlap [from, to): every
     * instance that does is in the list (the caller applies {@link #test}); endless rules are
     * expanded only as far as the range (and a bounded span past its start when it has no end).
     *
     * <p>RFC 5545 3.8.4.4 and 3.2.13: an override whose RECURRENCE-ID has RANGE=THISANDFUTURE
     * changes its instance and every later one, until a later override of that kind: each later
     * instance of the master is taken from that override (its properties, its length), moved by the
     * override's shift (its DTSTART minus its RECURRENCE-ID, in local time so that it keeps its wall
     * clock across a change to summer time), and keeps the master's start as its RECURRENCE-ID. An
     * override of one instance (no RANGE) still replaces just that instance. Each master instance
     * gives one instance at most, so {@link #MAX_INSTANCES} bounds these too.
     */
    static List<Occurrence> of(List<? extends Component> group, ZoneId floating, Optional<Instant> from, Optional<Instant> to) {
        List<Occurrence> out = new ArrayList<>();
        Set<Instant> overridden = new HashSet<>();
        TreeMap<Instant, Component> thisAndFuture = new TreeMap<>();
        Duration reach = Duration.ZERO;
        for (Component c : group) {
            Optional<Temporal> rid = date(c, Property.RECURRENCE_ID);
            if (rid.isPresent()) {
                Instant original = instant(rid.get(), floating);
                overridden.add(original);
                Shape shape = shape(c, floating);
                Temporal start = start(c).orElse(rid.get());
                shape.at(c, start, floating, Optional.of(original)).ifPresent(out::add);
                if (isThisAndFuture(c)) {
                    thisAndFuture.put(original, c);
                    reach = max(reach, Duration.between(original, instant(start, floating)).abs().plus(shape.length(start, floating)));
                }
            }
        }
        // A later instance may be moved into the range from as far as the largest shift.
        Duration widen = reach;
        Optional<Instant> wideFrom = from.map(f -> f.minus(widen));
        Optional<Instant> wideTo = to.map(t -> t.plus(widen));
        for (Component c : group) {
            if (date(c, Property.RECURRENCE_ID).isPresent()) {
                continue;
            }
            Shape shape = shape(c, floating);
            Optional<Temporal> dtstart = start(c);
            if (dtstart.isEmpty() || !isRecurring(c)) {
                shape.at(c, dtstart.orElse(null), floating, Optional.empty()).ifPresent(out::add);
                continue;
            }
            for (Instance i : recurrenceSet(c, dtstart.get(), shape, floating, wideFrom, wideTo)) {
                if (overridden.contains(i.originalStart)) {
                    continue;
                }
                Map.Entry<Instant, Component> governing = thisAndFuture.lowerEntry(i.originalStart);
                if (governing != null) {
                    Component override = governing.getValue();
                    Temporal rid = date(override, Property.RECURRENCE_ID).orElseThrow();
                    Temporal moved = shifted(i.start, rid, start(override).orElse(rid), floating);
                    shape(override, floating).at(override, moved, floating, Optional.of(i.originalStart)).ifPresent(out::add);
                    continue;
                }
                Optional<Occurrence> o = i.explicitEnd.isPresent()
                        ? Optional.of(new Occurrence(c, i.originalStart, i.explicitEnd.get(), shape.test, Optional.of(i.originalStart),
                                isFloating(i.start), i.start instanceof LocalDate))
                        : shape.at(c, i.start, floating, Optional.of(i.originalStart));
                o.ifPresent(out::add);
            }
        }
        return out;
    }

    /** RFC 5545 3.2.13: RANGE=THISANDFUTURE on the RECURRENCE-ID (THISANDPRIOR is deprecated and not honoured). */
    static boolean isThisAndFuture(Component c) {
        return c.getProperty(Property.RECURRENCE_ID).flatMap(p -> p.<Parameter>getParameter(Parameter.RANGE))
                .map(r -> r.getValue().equalsIgnoreCase("THISANDFUTURE")).orElse(false);
    }

    /**
     * {@code instance} moved as far as a THISANDFUTURE override moved its own instance from
     * {@code rid} to {@code overrideStart}: by whole days for dates, in the instance's local time for
     * zoned and floating times (a 10:00 moved to 11:00 stays at 11:00 after a change of offset),
     * exactly for UTC times; when the override changed the value type (a date to a time), exactly,
     * as an instant.
     */
    static Temporal shifted(Temporal instance, Temporal rid, Temporal overrideStart, ZoneId floating) {
        return switch (instance) {
            case LocalDate d when rid instanceof LocalDate r && overrideStart instanceof LocalDate s -> d.plusDays(ChronoUnit.DAYS.between(r, s));
            case ZonedDateTime z when !(overrideStart instanceof LocalDate) ->
                    z.toLocalDateTime().plus(localShift(rid, overrideStart, z.getZone(), floating)).atZone(z.getZone());
            case LocalDateTime l when !(overrideStart instanceof LocalDate) -> l.plus(localShift(rid, overrideStart, floating, floating));
            default -> instant(instance, floating).plus(Duration.between(instant(rid, floating), instant(overrideStart, floating)));
        };
    }

    /** From {@code rid} to {@code start} on the wall clock of {@code zone}. */
    private static Duration localShift(Temporal rid, Temporal start, ZoneId zone, ZoneId floating) {
        return Duration.between(instant(rid, floating).atZone(zone).toLocalDateTime(), instant(start, floating).atZone(zone).toLocalDateTime());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * A seed for expanding {@code recur} from, no later than {@code rangeStart} and as late as keeps
     * the rule's instances exactly those counted from {@code dtstart}: DTSTART moved on by whole
     * periods. ical4j walks every period from the seed it is given, so without this a rule begun long
     * before the range (FREQ=SECONDLY since 1970, DAILY since the year 1000) costs one step per
     * period in between: one PUT and one query would hold the server's loop for hours. A rule with
     * COUNT keeps its DTSTART (COUNT counts from it; {@link Validation} bounds it). Seconds to weeks
     * move by whole intervals (a day keeps its local time, a week its weekday, which is all a rule
     * takes from DTSTART at those frequencies); a month only from a day every month has (no clamping
     * to the 28th); a month or a year otherwise by whole 400-year cycles, after which the Gregorian
     * calendar repeats to the weekday (so BYWEEKNO and the weekday a yearly rule takes from DTSTART hold).
     */
    static Temporal fastForward(Recur<?> recur, Temporal dtstart, Temporal rangeStart) {
        if (recur.getCount() >= 1) {
            return dtstart;
        }
        long interval = Math.max(1, recur.getInterval());
        ChronoUnit unit;
        long step;
        switch (recur.getFrequency()) {
            case SECONDLY -> { unit = ChronoUnit.SECONDS; step = interval; }
            case MINUTELY -> { unit = ChronoUnit.MINUTES; step = interval; }
            case HOURLY -> { unit = ChronoUnit.HOURS; step = interval; }
            case DAILY -> { unit = ChronoUnit.DAYS; step = interval; }
            case WEEKLY -> { unit = ChronoUnit.WEEKS; step = interval; }
            case MONTHLY -> {
                unit = ChronoUnit.MONTHS;
                step = dtstart.get(ChronoField.DAY_OF_MONTH) <= 28 ? interval : lcm(interval, GREGORIAN_CYCLE_MONTHS);
            }
            default -> { unit = ChronoUnit.MONTHS; step = lcm(interval * 12, GREGORIAN_CYCLE_MONTHS); }
        }
        if (!dtstart.isSupported(unit)) {
            return dtstart;
        }
        // one period short of the range: the instance just before it may still reach into it
        long periods = unit.between(dtstart, rangeStart) / step - 1;
        return periods > 0 ? dtstart.plus(periods * step, unit) : dtstart;
    }

    /** 400 Gregorian years: 146,097 days, exactly 20,871 weeks. */
    private static final long GREGORIAN_CYCLE_MONTHS = 400 * 12;

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    static boolean isRecurring(Component c) {
        return c.getProperty(Property.RRULE).isPresent() || c.getProperty(Property.RDATE).isPresent();
    }

    /** Whether the recurrence set is endless: an RRULE with neither COUNT nor UNTIL (RFC 5545 3.3.10). */
    static boolean isEndless(Component c) {
        for (Property p : c.getProperties(Property.RRULE)) {
            Recur<?> r = ((RRule<?>) p).getRecur();
            if (r.getCount() < 1 && r.getUntil() == null) {
                return true;
            }
        }
        return false;
    }

    private record Instance(Temporal start, Instant originalStart, Optional<Instant> explicitEnd) {}

    /** DTSTART, then RRULE and RDATE instances, minus EXDATE (RFC 5545 3.8.5), as far as the range needs. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Instance> recurrenceSet(Component c, Temporal dtstart, Shape shape, ZoneId floating,
                                                Optional<Instant> from, Optional<Instant> to) {
        Instant seed = instant(dtstart, floating);
        // Instances that start this long before the range may still reach into it.
        Duration reach = shape.length(dtstart, floating).plusDays(2);
        Instant windowStart = from.map(f -> f.minus(reach)).filter(f -> f.isAfter(seed)).orElse(seed);
        Instant windowEnd = to.map(t -> t.plus(Duration.ofDays(2)))
                .orElse((from.isPresent() && from.get().isAfter(seed) ? from.get() : seed).atZone(ZoneOffset.UTC).plusYears(isEndless(c) ? 2 : 500).toInstant());
        List<Instance> set = new ArrayList<>();
        Set<Instant> seen = new HashSet<>();
        if (seen.add(seed)) {
            set.add(new Instance(dtstart, seed, Optional.empty()));
        }
        if (!windowEnd.isAfter(windowStart)) {
            return excluded(c, set, floating);
        }
        for (Property p : c.getProperties(Property.RRULE)) {
            Recur recur = ((RRule<?>) p).getRecur();
            Temporal rangeStart = like(dtstart, windowStart, floating);
            List<Temporal> dates = recur.getDates(fastForward(recur, dtstart, rangeStart), rangeStart,
                    like(dtstart, windowEnd, floating), MAX_INSTANCES);
            for (Temporal d : dates) {
                Instant at = instant(d, floating);
                if (seen.add(at)) {
                    set.add(new Instance(d, at, Optional.empty()));
                }
            }
        }
        for (Property p : c.getProperties(Property.RDATE)) {
            RDate<?> rdate = (RDate<?>) p;
            Optional<? extends Set<? extends Period<?>>> periods = rdate.getPeriods();
            if (periods.isPresent()) {
                for (Period<?> period : periods.get()) {
                    Instant at = instant(period.getStart(), floating);
                    if (seen.add(at)) {
                        set.add(new Instance(period.getStart(), at, Optional.of(instant(period.getEnd(), floating))));
                    }
                }
            } else {
                for (Temporal d : rdate.getDates()) {
                    Instant at = instant(d, floating);
                    if (seen.add(at)) {
                        set.add(new Instance(d, at, Optional.empty()));
                    }
                }
            }
        }
        return excluded(c, set, floating);
    }

    private static List<Instance> excluded(Component c, List<Instance> set, ZoneId floating) {
        Set<Instant> exdates = new HashSet<>();
        for (Property p : c.getProperties(Property.EXDATE)) {
            for (Object d : ((DateListProperty<?>) p).getDates()) {
                exdates.add(instant((Temporal) d, floating));
            }
        }
        if (exdates.isEmpty()) {
            return set;
        }
        return set.stream().filter(i -> !exdates.contains(i.originalStart)).toList();
    }

    /** How a component's instances last and which 9.9 test applies, from the properties it has. */
    record Shape(Test test, Optional<Temporal> end, Optional<TemporalAmount> duration, Optional<Temporal> other,
                 Optional<Duration> exact) {

        Shape(Test test, Optional<Temporal> end, Optional<TemporalAmount> duration, Optional<Temporal> other) {
            this(test, end, duration, other, Optional.empty());
        }

        /**
         * How long the instance starting at {@code start} lasts: DURATION from that start (nominal
         * days), or the exact span of DTSTART to DTEND/DUE that every instance keeps (RFC 5545
         * 3.8.5.3), or a day for a date, or nothing.
         */
        Duration length(Temporal start, ZoneId floating) {
            if (duration.isPresent()) {
                return Duration.between(instant(start, floating), plus(start, duration.get(), floating));
            }
            if (exact.isPresent()) {
                return exact.get();
            }
            return start instanceof LocalDate ? Duration.ofDays(1) : Duration.ZERO;
        }

        /** The instance starting at {@code start} (null: the component has no DTSTART). */
        Optional<Occurrence> at(Component c, Temporal start, ZoneId floating, Optional<Instant> recurrenceId) {
            if (test == Test.NEVER) {
                return Optional.empty();
            }
            if (start == null) {
                // No DTSTART: only VTODOs get here (a VEVENT without one is refused by validate).
                return switch (test) {
                    case TODO_DUE -> {
                        Instant due = instant(end.orElseThrow(), floating);
                        yield Optional.of(new Occurrence(c, due, due, test, recurrenceId, isFloating(end.get()), end.get() instanceof LocalDate));
                    }
                    case TODO_CREATED_COMPLETED, TODO_COMPLETED, TODO_CREATED -> {
                        Temporal a = test == Test.TODO_COMPLETED ? end.orElseThrow() : other.orElseThrow();
                        Temporal b = test == Test.TODO_CREATED ? other.orElseThrow() : end.orElseThrow();
                        yield Optional.of(new Occurrence(c, instant(a, floating), instant(b, floating), test, recurrenceId, false, false));
                    }
                    default -> Optional.of(new Occurrence(c, Instant.EPOCH, Instant.EPOCH, Test.ALWAYS, recurrenceId, false, false));
                };
            }
            Instant s = instant(start, floating);
            Instant e = s.plus(length(start, floating));
            return Optional.of(new Occurrence(c, s, e, test, recurrenceId, isFloating(start), start instanceof LocalDate));
        }
    }

    /** RFC 4791 9.9: which properties decide the instance's span, by component kind. */
    static Shape shape(Component c, ZoneId floating) {
        Optional<Temporal> dtstart = start(c);
        Optional<TemporalAmount> duration = c.<net.fortuna.ical4j.model.property.Duration>getProperty(Property.DURATION)
                .map(net.fortuna.ical4j.model.property.Duration::getDuration);
        String name = c.getName();
        if (Component.VTODO.equals(name)) {
            Optional<Temporal> due = date(c, Property.DUE);
            Optional<Temporal> completed = date(c, Property.COMPLETED);
            Optional<Temporal> created = date(c, Property.CREATED);
            if (dtstart.isPresent()) {
                if (duration.isPresent()) {
                    return new Shape(Test.TODO_START_DURATION, Optional.empty(), duration, Optional.empty());
                }
                if (due.isPresent()) {
                    return new Shape(Test.TODO_START_DUE, due, Optional.empty(), Optional.empty(),
                            Optional.of(span(dtstart.get(), due.get(), floating)));
                }
                return new Shape(Test.TODO_START, Optional.empty(), Optional.of(Duration.ZERO), Optional.empty());
            }
            if (due.isPresent()) {
                return new Shape(Test.TODO_DUE, due, Optional.empty(), Optional.empty());
            }
            if (completed.isPresent() && created.isPresent()) {
                return new Shape(Test.TODO_CREATED_COMPLETED, completed, Optional.empty(), created);
            }
            if (completed.isPresent()) {
                return new Shape(Test.TODO_COMPLETED, completed, Optional.empty(), Optional.empty());
            }
            if (created.isPresent()) {
                return new Shape(Test.TODO_CREATED, Optional.empty(), Optional.empty(), created);
            }
            return new Shape(Test.ALWAYS, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (dtstart.isEmpty()) {
            return new Shape(Test.NEVER, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (Component.VJOURNAL.equals(name)) {
            // RFC 4791 9.9: a journal lasts its day when DTSTART is a date, an instant otherwise.
            return new Shape(Test.OVERLAP, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Temporal> dtend = date(c, Property.DTEND);
        if (duration.isPresent()) {
            return new Shape(Test.OVERLAP, Optional.empty(), duration, Optional.empty());
        }
        return new Shape(Test.OVERLAP, dtend, Optional.empty(), Optional.empty(),
                dtend.map(e -> span(dtstart.get(), e, floating)));
    }

    /** DTSTART to DTEND (or DUE), never negative. */
    private static Duration span(Temporal start, Temporal end, ZoneId floating) {
        Duration d = Duration.between(instant(start, floating), instant(end, floating));
        return d.isNegative() ? Duration.ZERO : d;
    }

    static Optional<Temporal> start(Component c) {
        return date(c, Property.DTSTART);
    }

    /** The value of a date or date-time property, when the component has it. */
    @SuppressWarnings("unchecked")
    static Optional<Temporal> date(Component c, String property) {
        return c.getProperty(property).filter(DateProperty.class::isInstance)
                .map(p -> ((DateProperty<Temporal>) p).getDate());
    }

    /** A date or time as an instant: floating times and dates in {@code floating} (RFC 4791 9.9). */
    static Instant instant(Temporal t, ZoneId floating) {
        return switch (t) {
            case Instant i -> i;
            case ZonedDateTime z -> z.toInstant();
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.atZone(floating).toInstant();
            case LocalDate d -> d.atStartOfDay(floating).toInstant();
            default -> throw new IllegalArgumentException("not a date or time: " + t.getClass().getName());
        };
    }

    static boolean isFloating(Temporal t) {
        return t instanceof LocalDateTime || t instanceof LocalDate;
    }

    /** {@code start} plus a duration: nominal days and weeks in local time, exact hours (RFC 5545 3.3.6). */
    static Instant plus(Temporal start, TemporalAmount amount, ZoneId floating) {
        ZonedDateTime at = switch (start) {
            case ZonedDateTime z -> z;
            case OffsetDateTime o -> o.toZonedDateTime();
            case Instant i -> i.atZone(ZoneOffset.UTC);
            case LocalDateTime l -> l.atZone(floating);
            case LocalDate d -> d.atStartOfDay(floating);
            default -> throw new IllegalArgumentException("not a date or time: " + start.getClass().getName());
        };
        return at.plus(amount).toInstant();
    }

    /** An instant as a value of the same type as {@code seed}, for ical4j's recurrence expansion. */
    static Temporal like(Temporal seed, Instant at, ZoneId floating) {
        return switch (seed) {
            case ZonedDateTime z -> at.atZone(z.getZone());
            case OffsetDateTime o -> at.atOffset(o.getOffset());
            case LocalDateTime l -> LocalDateTime.ofInstant(at, floating);
            case LocalDate d -> LocalDate.ofInstant(at, floating);
            default -> at;
        };
    }
}
