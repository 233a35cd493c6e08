package jmirage.caldav.ical;

import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;

/** Bodies shaped like what Thunderbird, Apple Calendar and DAVx5 PUT, and query helpers. */
final class Samples {

    private Samples() {}

    static final String BERLIN = """
            BEGIN:VTIMEZONE
            TZID:Europe/Berlin
            X-LIC-LOCATION:Europe/Berlin
            BEGIN:DAYLIGHT
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0200
            TZNAME:CEST
            DTSTART:19700329T020000
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
            END:DAYLIGHT
            BEGIN:STANDARD
            TZOFFSETFROM:+0200
            TZOFFSETTO:+0100
            TZNAME:CET
            DTSTART:19701025T030000
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
            END:STANDARD
            END:VTIMEZONE
            """;

    static final String NEW_YORK = """
            BEGIN:VTIMEZONE
            TZID:America/New_York
            BEGIN:DAYLIGHT
            TZOFFSETFROM:-0500
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
            DTSTART:20070311T020000
            TZNAME:EDT
            TZOFFSETTO:-0400
            END:DAYLIGHT
            BEGIN:STANDARD
            TZOFFSETFROM:-0400
            RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
            DTSTART:20071104T020000
            TZNAME:EST
            TZOFFSETTO:-0500
            END:STANDARD
            END:VTIMEZONE
            """;

    /**
     * Thunderbird: a weekly stand-up on Mondays 10:00 Berlin (09:00Z in winter) from 2026-01-05,
     * endless, 19 January excluded, 26 January moved to Wednesday 28 January 15:00, a 15-minute alarm.
     */
    static final String THUNDERBIRD_WEEKLY = crlf("""
            BEGIN:VCALENDAR
            PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
            VERSION:2.0
            """ + BERLIN + """
            BEGIN:VEVENT
            CREATED:20251220T101010Z
            LAST-MODIFIED:20251221T101010Z
            DTSTAMP:20251221T101010Z
            UID:a8f2c1d0-weekly-standup
            SUMMARY:Standup
            RRULE:FREQ=WEEKLY
            EXDATE;TZID=Europe/Berlin:20260119T100000
            DTSTART;TZID=Europe/Berlin:20260105T100000
            DTEND;TZID=Europe/Berlin:20260105T110000
            TRANSP:OPAQUE
            X-MOZ-GENERATION:3
            SEQUENCE:1
            BEGIN:VALARM
            ACTION:DISPLAY
            TRIGGER;VALUE=DURATION:-PT15M
            DESCRIPTION:Default Mozilla Description
            END:VALARM
            END:VEVENT
            BEGIN:VEVENT
            CREATED:20251220T101010Z
            LAST-MODIFIED:20251222T101010Z
            DTSTAMP:20251222T101010Z
            UID:a8f2c1d0-weekly-standup
            SUMMARY:Moved standup
            RECURRENCE-ID;TZID=Europe/Berlin:20260126T100000
            DTSTART;TZID=Europe/Berlin:20260128T150000
            DTEND;TZID=Europe/Berlin:20260128T160000
            SEQUENCE:2
            X-MOZ-GENERATION:4
            END:VEVENT
            END:VCALENDAR
            """);

    /** Apple Calendar: an all-day event on 14 February 2026, X-APPLE properties. */
    static final String APPLE_ALL_DAY = crlf("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Apple Inc.//macOS 14.2//EN
            CALSCALE:GREGORIAN
            BEGIN:VEVENT
            CREATED:20260101T120000Z
            DTEND;VALUE=DATE:20260215
            DTSTAMP:20260101T120000Z
            DTSTART;VALUE=DATE:20260214
            LAST-MODIFIED:20260101T120000Z
            SEQUENCE:0
            SUMMARY:Valentine's day
            TRANSP:TRANSPARENT
            UID:5B1C7E0A-2E1D-4D43-9D2A-0A4E3B1C2D3E
            X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
            END:VEVENT
            END:VCALENDAR
            """);

    /** Apple Calendar: a tentative meeting in New York, 14:00-15:30 local on 3 February 2026 (19:00Z). */
    static final String APPLE_NEW_YORK = crlf("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Apple Inc.//macOS 14.2//EN
            CALSCALE:GREGORIAN
            """ + NEW_YORK + """
            BEGIN:VEVENT
            CREATED:20260101T120000Z
            DTEND;TZID=America/New_York:20260203T153000
            DTSTAMP:20260101T120000Z
            DTSTART;TZID=America/New_York:20260203T140000
            LAST-MODIFIED:20260101T120000Z
            SEQUENCE:0
            STATUS:TENTATIVE
            SUMMARY:Budget review
            UID:8C1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8
            X-APPLE-CREATOR-IDENTITY:com.apple.calendar
            END:VEVENT
            END:VCALENDAR
            """);

    /** DAVx5 (from jtx Board / OpenTasks): a todo due 10 February 2026 12:00Z, with a folded long line. */
    static final String DAVX5_TODO_DUE = crlf("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:+//IDN bitfire.at//ical4android (org.dmfs.tasks)
            BEGIN:VTODO
            DTSTAMP:20260101T090000Z
            UID:20d3f7e6-todo-due@davx5
            CREATED:20260101T090000Z
            LAST-MODIFIED:20260101T090000Z
            SUMMARY:File the tax return before the deadline that the office set for this y
             ear
            DUE:20260210T120000Z
            STATUS:NEEDS-ACTION
            END:VTODO
            END:VCALENDAR
            """);

    /** DAVx5: a todo with no date at all (matches every time range: RFC 4791 9.9). */
    static final String DAVX5_TODO_UNDATED = crlf("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:+//IDN bitfire.at//ical4android (org.dmfs.tasks)
            BEGIN:VTODO
            DTSTAMP:20260101T090000Z
            UID:4b1e-todo-undated@davx5
            SUMMARY:Buy milk
            STATUS:COMPLETED
            COMPLETED:20260105T080000Z
            END:VTODO
            END:VCALENDAR
            """);

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static Bytes bytes(String text) {
        return Bytes.utf8(text);
    }

    static Element xml(String text) {
        return XmlReader.parse(Bytes.utf8(text)).orElseThrow();
    }

    /** A calendar-query filter on one kind, with a time range. */
    static Element rangeFilter(String kind, String start, String end) {
        return xml("""
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR">
                    <C:comp-filter name="%s">
                      <C:time-range start="%s" end="%s"/>
                    </C:comp-filter>
                  </C:comp-filter>
                </C:filter>""".formatted(kind, start, end));
    }
}
