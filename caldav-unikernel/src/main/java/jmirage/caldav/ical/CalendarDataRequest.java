package jmirage.caldav.ical;

import java.util.Optional;

/**
 * What a {@code calendar-data} element of a REPORT asks for (RFC 4791 9.6): the whole object, or
 * the instances of a range expanded, or the recurrence set limited to a range. Component and
 * property selection ({@code comp}/{@code prop}) is honoured when {@code select} is present.
 */
public record CalendarDataRequest(Optional<Filters.TimeRange> expand, Optional<Filters.TimeRange> limitRecurrenceSet,
                                  Optional<jmirage.caldav.xml.Element> select) {

    public static final CalendarDataRequest WHOLE = new CalendarDataRequest(Optional.empty(), Optional.empty(), Optional.empty());
}
