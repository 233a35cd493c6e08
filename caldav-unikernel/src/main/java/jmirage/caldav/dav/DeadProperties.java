package jmirage.caldav.dav;

import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;

/** The rules a dead property's value must follow, where a specification gives one (MKCALENDAR and PROPPATCH). */
final class DeadProperties {

    private DeadProperties() {}

    /**
     * RFC 4791 5.2.2 (and 5.3.1.1 for MKCALENDAR): a CALDAV:calendar-timezone that is not one
     * VTIMEZONE in an iCalendar object fails with CALDAV:valid-calendar-data.
     */
    static boolean invalidTimezone(Element property) {
        return property.name().equals(DavNames.CALENDAR_TIMEZONE) && ICalendars.checkTimezone(property.text()).isPresent();
    }
}
