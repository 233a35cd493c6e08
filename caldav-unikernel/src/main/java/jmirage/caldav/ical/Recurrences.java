package jmirage.caldav.ical;

import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * The bounds a PUT's recurrence rules must keep, so that expanding them costs what a query can
 * afford (RFC 4791 5.2.8 and 5.3.2.1, CALDAV:max-instances; the property is not advertised, the
 * precondition is answered): a COUNT of at most {@link Occurrences#MAX_INSTANCES}, and at most
 * {@link #MAX_CANDIDATES_PER_PERIOD} candidate instances in one period of the rule (the product of
 * its BYxxx lists: FREQ=YEARLY;BYMONTH=1,...,12;BYMONTHDAY=1,...,31;BYHOUR=0,...,23;BYMINUTE=...
 * would be tens of millions per year, all held at once by ical4j). Endless rules and rules with
 * UNTIL are accepted: their expansion starts near the range asked for ({@link Occurrences#fastForward})
 * and stops at {@link Occurrences#MAX_INSTANCES}. VTIMEZONE observances recur yearly or monthly:
 * ical4j walks an observance's rule from its DTSTART whenever it reads an offset.
 */
final class Recurrences {

    /** Far above a real rule's (every day of a year by BYMONTH and BYMONTHDAY is 372). */
    static final long MAX_CANDIDATES_PER_PERIOD = 1_000;

    private Recurrences() {}

    static Optional<IcalError> unbounded(Calendar calendar) {
        for (Component c : calendar.getComponents()) {
            boolean timezone = c.getName().equals(Component.VTIMEZONE);
            for (Component part : timezone ? FilterMatcher.subcomponents(c) : List.of(c)) {
                for (Property p : part.getProperties(Property.RRULE)) {
                    if (!(p instanceof RRule<?> rule)) {
                        continue;
                    }
                    Optional<IcalError> problem = timezone ? observance(rule.getRecur()) : rule(rule.getRecur());
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a VTIMEZONE's observances keep the bounds, checked before ical4j builds a zone from it
     * (it walks the rules as it builds, so the refusal of the PUT would come too late).
     */
    static boolean bounded(Component timezone) {
        for (Component observance : FilterMatcher.subcomponents(timezone)) {
            for (Property p : observance.getProperties(Property.RRULE)) {
                if (p instanceof RRule<?> rule && observance(rule.getRecur()).isPresent()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Optional<IcalError> rule(Recur<?> recur) {
        if (recur.getCount() > Occurrences.MAX_INSTANCES) {
            return Optional.of(new IcalError.TooManyInstances("COUNT=" + recur.getCount(), Occurrences.MAX_INSTANCES));
        }
        long candidates = candidatesPerPeriod(recur);
        if (candidates > MAX_CANDIDATES_PER_PERIOD) {
            return Optional.of(new IcalError.TooManyInstances("too many candidates in each period of " + recur,
                    MAX_CANDIDATES_PER_PERIOD));
        }
        return Optional.empty();
    }

    private static Optional<IcalError> observance(Recur<?> recur) {
        return switch (recur.getFrequency()) {
            case YEARLY, MONTHLY -> rule(recur);
            default -> Optional.of(new IcalError.TooManyInstances("a VTIMEZONE observance recurring "
                    + recur.getFrequency(), MAX_CANDIDATES_PER_PERIOD));
        };
    }

    /**
     * An upper bound on the instances one period of the rule can hold: the product of its lists,
     * a BYDAY weekday counting for the weeks of the period (53 in a year, 5 in a month).
     */
    static long candidatesPerPeriod(Recur<?> recur) {
        boolean yearly = recur.getFrequency() == Frequency.YEARLY;
        boolean monthly = recur.getFrequency() == Frequency.MONTHLY;
        long weeks = yearly && recur.getMonthList().isEmpty() && recur.getWeekNoList().isEmpty() ? 53
                : yearly || monthly ? 5 : 1;
        long product = 1;
        for (int size : new int[] {recur.getSecondList().size(), recur.getMinuteList().size(), recur.getHourList().size(),
                recur.getMonthDayList().size(), recur.getYearDayList().size(), recur.getWeekNoList().size(),
                recur.getMonthList().size()}) {
            // capped just over the bound at each step: a list repeated a million times cannot overflow
            product = Math.min(MAX_CANDIDATES_PER_PERIOD + 1, product * Math.max(1, size));
        }
        return Math.min(MAX_CANDIDATES_PER_PERIOD + 1, product * Math.max(1, recur.getDayList().size() * weeks));
    }
}
