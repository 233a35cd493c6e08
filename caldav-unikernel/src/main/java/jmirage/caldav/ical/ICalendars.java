package jmirage.caldav.ical;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import jmirage.caldav.xml.Element;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Everything the server does with iCalendar text, through ical4j: validate what a client PUTs,
 * index it, evaluate calendar-query filters (recurrences expanded, overridden and excluded instances
 * honoured, TZIDs read with the JDK's rules or the object's VTIMEZONE), shape calendar-data, compute
 * free-busy. Pure functions of their arguments (a bounded cache of parsed objects, keyed by
 * content, is an implementation detail).
 */
public final class ICalendars {

    private ICalendars() {}

    /** A PUT body checked against RFC 5545 and RFC 4791 4.1, and the collection's component set. */
    public static Result<CalendarIndex, IcalError> validate(Bytes body, Set<ComponentKind> allowed) {
        return Validation.validate(body, allowed);
    }

    /**
     * The text of a CALDAV:calendar-timezone property checked as RFC 4791 5.2.2 requires: an
     * iCalendar object holding exactly one VTIMEZONE and nothing else.
     */
    public static java.util.Optional<IcalError> checkTimezone(String text) {
        return switch (Parsing.parse(Bytes.utf8(text))) {
            case Result.Err<net.fortuna.ical4j.model.Calendar, IcalError>(IcalError e) -> java.util.Optional.of(e);
            case Result.Ok<net.fortuna.ical4j.model.Calendar, IcalError>(var calendar) -> {
                var components = calendar.getComponents();
                yield components.size() == 1 && components.getFirst().getName().equals(net.fortuna.ical4j.model.Component.VTIMEZONE)
                        ? java.util.Optional.empty()
                        : java.util.Optional.of(new IcalError.InvalidObject("a calendar-timezone holds exactly one VTIMEZONE and nothing else"));
            }
        };
    }

    /** The {@code C:filter} element of a calendar-query as a value. */
    public static Result<Filters.CompFilter, IcalError> parseFilter(Element filter) {
        return FilterParser.filter(filter);
    }

    /** The {@code C:calendar-data} element of a REPORT's prop. */
    public static Result<CalendarDataRequest, IcalError> parseCalendarData(Element calendarData) {
        return CalendarData.parse(calendarData);
    }

    /**
     * Whether the stored object matches the filter; floating times are read in {@code floatingZone}
     * (the collection's calendar-timezone, else UTC: RFC 4791 9.9).
     */
    public static boolean matches(Bytes stored, CalendarIndex index, Filters.CompFilter filter, ZoneId floatingZone) {
        if (!mayMatch(index, filter)) {
            return false;
        }
        return switch (Parsing.forQuery(stored)) {
            case Result.Ok<net.fortuna.ical4j.model.Calendar, IcalError>(var calendar) -> FilterMatcher.matches(calendar, filter, floatingZone);
            // Stored objects were validated on the way in; one that no longer parses matches nothing.
            case Result.Err<net.fortuna.ical4j.model.Calendar, IcalError> e -> false;
        };
    }

    /** The calendar-data to return for a stored object. */
    public static Bytes render(Bytes stored, CalendarDataRequest request, ZoneId floatingZone) {
        return CalendarData.render(stored, request, floatingZone);
    }

    /** A VCALENDAR with one VFREEBUSY for the range, from the given stored objects (RFC 4791 7.10). */
    public static Bytes freeBusy(List<Bytes> stored, Filters.TimeRange range, ZoneId floatingZone, java.time.Instant now) {
        return FreeBusy.report(stored, range, floatingZone, now);
    }

    /**
     * The quick reject from the index alone, without parsing: a filter naming one kind the object is
     * not, or a time range on its kind that none of its instances can reach. Index bounds were
     * widened for floating times, so they hold whatever the calendar's zone.
     */
    static boolean mayMatch(CalendarIndex index, Filters.CompFilter top) {
        for (Filters.CompFilter f : top.compFilters()) {
            boolean sameKind = f.name().equals(index.kind().name());
            if (f.isNotDefined()) {
                if (sameKind) {
                    return false;
                }
                continue;
            }
            if (!f.name().equals(net.fortuna.ical4j.model.Component.VTIMEZONE) && !sameKind) {
                return false;
            }
            if (sameKind && f.timeRange().isPresent() && !index.mayOverlap(f.timeRange().get().start(), f.timeRange().get().end())) {
                return false;
            }
        }
        return true;
    }
}
