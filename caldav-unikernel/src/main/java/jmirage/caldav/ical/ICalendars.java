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
 * honoured, VTIMEZONE used), shape calendar-data, compute free-busy. Pure functions of their
 * arguments (a bounded cache of parsed objects, keyed by content, is an implementation detail).
 */
public final class ICalendars {

    private ICalendars() {}

    /** A PUT body checked against RFC 5545 and RFC 4791 4.1, and the collection's component set. */
    public static Result<CalendarIndex, IcalError> validate(Bytes body, Set<ComponentKind> allowed) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }

    /** The {@code C:filter} element of a calendar-query as a value. */
    public static Result<Filters.CompFilter, IcalError> parseFilter(Element filter) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }

    /** The {@code C:calendar-data} element of a REPORT's prop. */
    public static Result<CalendarDataRequest, IcalError> parseCalendarData(Element calendarData) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }

    /**
     * Whether the stored object matches the filter; floating times are read in {@code floatingZone}
     * (the collection's calendar-timezone, else UTC: RFC 4791 9.9).
     */
    public static boolean matches(Bytes stored, CalendarIndex index, Filters.CompFilter filter, ZoneId floatingZone) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }

    /** The calendar-data to return for a stored object. */
    public static Bytes render(Bytes stored, CalendarDataRequest request, ZoneId floatingZone) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }

    /** A VCALENDAR with one VFREEBUSY for the range, from the given stored objects (RFC 4791 7.10). */
    public static Bytes freeBusy(List<Bytes> stored, Filters.TimeRange range, ZoneId floatingZone, java.time.Instant now) {
        throw new UnsupportedOperationException("seam: the ical helper implements this");
    }
}
