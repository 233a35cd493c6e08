package jmirage.caldav.ical;

import static jmirage.caldav.ical.Samples.bytes;
import static jmirage.caldav.ical.Samples.rangeFilter;
import static jmirage.caldav.ical.Samples.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class ICalendarsTest {

    private static final Set<ComponentKind> ALL = EnumSet.allOf(ComponentKind.class);

    private static CalendarIndex index(String body) {
        return ICalendars.validate(bytes(body), ALL).orElseThrow();
    }

    private static IcalError error(String body, Set<ComponentKind> allowed) {
        Result<CalendarIndex, IcalError> r = ICalendars.validate(bytes(body), allowed);
        assertInstanceOf(Result.Err.class, r, "expected an error for\n" + body);
        return ((Result.Err<CalendarIndex, IcalError>) r).error();
    }

    private static boolean inRange(String body, String kind, String start, String end, ZoneId zone) {
        Filters.CompFilter filter = ICalendars.parseFilter(rangeFilter(kind, start, end)).orElseThrow();
        return ICalendars.matches(bytes(body), index(body), filter, zone);
    }

    private static boolean matches(String body, String filterXml) {
        Filters.CompFilter filter = ICalendars.parseFilter(xml(filterXml)).orElseThrow();
        return ICalendars.matches(bytes(body), index(body), filter, ZoneOffset.UTC);
    }

    // validate

    @Test
    void weeklyEventIsIndexedFromItsFirstInstanceWithNoEnd() {
        CalendarIndex i = index(Samples.THUNDERBIRD_WEEKLY);
        assertEquals("a8f2c1d0-weekly-standup", i.uid());
        assertEquals(ComponentKind.VEVENT, i.kind());
        assertTrue(i.recurring());
        assertEquals(Optional.of(Instant.parse("2026-01-05T08:59:59Z")), i.earliest());
        assertEquals(Optional.empty(), i.latest());
    }

    @Test
    void allDayEventIsBoundedWithFloatingSlack() {
        CalendarIndex i = index(Samples.APPLE_ALL_DAY);
        assertFalse(i.recurring());
        assertEquals(Optional.of(Instant.parse("2026-02-13T09:59:59Z")), i.earliest());
        assertEquals(Optional.of(Instant.parse("2026-02-15T14:00:01Z")), i.latest());
    }

    @Test
    void todoWithoutDatesHasNoBounds() {
        CalendarIndex i = index(Samples.DAVX5_TODO_UNDATED.replace("COMPLETED:20260105T080000Z\r\n", ""));
        assertEquals(ComponentKind.VTODO, i.kind());
        assertEquals(Optional.empty(), i.earliest());
        assertEquals(Optional.empty(), i.latest());
    }

    @Test
    void todoWithDueIsBoundedAroundIt() {
        CalendarIndex i = index(Samples.DAVX5_TODO_DUE);
        assertEquals(Optional.of(Instant.parse("2026-02-10T11:59:59Z")), i.earliest());
        assertEquals(Optional.of(Instant.parse("2026-02-10T12:00:01Z")), i.latest());
    }

    @Test
    void countedRecurrenceHasItsLastInstanceAsLatest() {
        CalendarIndex i = index(Samples.THUNDERBIRD_WEEKLY.replace("RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEEKLY;COUNT=6"));
        // 6 Mondays from 5 January: the 6th is 9 February, 10:00-11:00 Berlin = 10:00Z end.
        assertEquals(Optional.of(Instant.parse("2026-02-09T10:00:01Z")), i.latest());
    }

    @Test
    void methodIsRefusedAsNotAnObjectResource() {
        IcalError e = error(Samples.APPLE_ALL_DAY.replace("CALSCALE:GREGORIAN", "METHOD:REQUEST"), ALL);
        assertInstanceOf(IcalError.InvalidObject.class, e);
        assertEquals("valid-calendar-object-resource", e.precondition());
    }

    @Test
    void twoUidsAreRefused() {
        String second = Samples.THUNDERBIRD_WEEKLY.replace("UID:a8f2c1d0-weekly-standup\r\nSUMMARY:Moved", "UID:other\r\nSUMMARY:Moved");
        assertInstanceOf(IcalError.InvalidObject.class, error(second, ALL));
    }

    @Test
    void twoKindsAreRefused() {
        String both = Samples.APPLE_ALL_DAY.replace("END:VCALENDAR",
                "BEGIN:VTODO\r\nUID:5B1C7E0A-2E1D-4D43-9D2A-0A4E3B1C2D3E\r\nDTSTAMP:20260101T120000Z\r\nEND:VTODO\r\nEND:VCALENDAR");
        assertInstanceOf(IcalError.InvalidObject.class, error(both, ALL));
    }

    @Test
    void missingUidIsRefused() {
        assertInstanceOf(IcalError.InvalidObject.class,
                error(Samples.DAVX5_TODO_DUE.replace("UID:20d3f7e6-todo-due@davx5\r\n", ""), ALL));
    }

    @Test
    void aKindTheCollectionDoesNotTakeIsUnsupported() {
        IcalError e = error(Samples.DAVX5_TODO_DUE, EnumSet.of(ComponentKind.VEVENT));
        assertEquals(new IcalError.UnsupportedComponent(ComponentKind.VTODO), e);
        assertEquals("supported-calendar-component", e.precondition());
    }

    @Test
    void garbageIsInvalidData() {
        assertInstanceOf(IcalError.InvalidData.class, error("hello, world", ALL));
        assertInstanceOf(IcalError.InvalidData.class, error("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n", ALL));
        assertInstanceOf(IcalError.InvalidData.class,
                error(Samples.APPLE_ALL_DAY.replace("DTSTART;VALUE=DATE:20260214", "DTSTART;VALUE=DATE:2026021X"), ALL));
    }

    @Test
    void aTzidNeedsItsVtimezoneOrTheTzDatabase() {
        // Found by IcalValidateFuzzTest: ical4j read an unknown TZID with ZoneId.of and threw.
        for (String property : List.of("DTSTART", "RECURRENCE-ID", "EXDATE", "RDATE", "X-ANY")) {
            String body = Samples.THUNDERBIRD_WEEKLY.replace("RRULE:FREQ=WEEKLY",
                    "RRULE:FREQ=WEEKLY\r\n" + property + ";TZID=@:20260112T100000");
            IcalError e = error(body, ALL);
            assertEquals(new IcalError.InvalidData(property
                    + " names TZID \"@\", which is neither a VTIMEZONE of the object nor a zone of the tz database"), e);
            assertEquals("valid-calendar-data", e.precondition());
        }
        // Outlook's ids are not in the tz database; its objects carry the VTIMEZONE they name.
        index(Samples.THUNDERBIRD_WEEKLY.replace("Europe/Berlin", "W. Europe Standard Time"));
        // A zone of the tz database needs none (clients leave it out).
        index(Samples.THUNDERBIRD_WEEKLY.replace(Samples.BERLIN.replace("\n", "\r\n"), ""));
    }

    @Test
    void aDatePropertyWithoutAValueIsInvalid() {
        // Found by IcalValidateFuzzTest: ical4j's lenient parser kept it, and failed writing it back.
        assertEquals(new IcalError.InvalidData("DTSTAMP has no valid value"),
                error(Samples.THUNDERBIRD_WEEKLY.replace("DTSTAMP:20251221T101010Z", "DTSTAMP:"), ALL));
    }

    @Test
    void eventWithoutDtstartIsInvalid() {
        assertInstanceOf(IcalError.InvalidData.class,
                error(Samples.APPLE_ALL_DAY.replace("DTSTART;VALUE=DATE:20260214\r\n", ""), ALL));
    }

    @Test
    void alarmsNeedATrigger() {
        assertInstanceOf(IcalError.InvalidData.class,
                error(Samples.THUNDERBIRD_WEEKLY.replace("TRIGGER;VALUE=DURATION:-PT15M\r\n", ""), ALL));
        assertInstanceOf(IcalError.InvalidData.class,
                error(Samples.THUNDERBIRD_WEEKLY.replace("TRIGGER;VALUE=DURATION:-PT15M", "TRIGGER;VALUE=DURATION:-PT15M\r\nREPEAT:2"), ALL));
    }

    @Test
    void journalsWithAndWithoutADate() {
        String journal = Samples.crlf("""
                BEGIN:VCALENDAR
                VERSION:2.0
                PRODID:-//test//journal//EN
                BEGIN:VJOURNAL
                UID:journal-1
                DTSTAMP:20260101T000000Z
                DTSTART;VALUE=DATE:20260110
                SUMMARY:Notes
                END:VJOURNAL
                END:VCALENDAR
                """);
        assertEquals(ComponentKind.VJOURNAL, index(journal).kind());
        // RFC 4791 9.9: a dated journal lasts its day; one without DTSTART matches no range.
        assertTrue(inRange(journal, "VJOURNAL", "20260110T230000Z", "20260111T000000Z", ZoneOffset.UTC));
        assertFalse(inRange(journal, "VJOURNAL", "20260111T000000Z", "20260112T000000Z", ZoneOffset.UTC));
        String undated = journal.replace("DTSTART;VALUE=DATE:20260110\r\n", "");
        assertFalse(inRange(undated, "VJOURNAL", "19700101T000000Z", "20991231T000000Z", ZoneOffset.UTC));
    }

    @Test
    void floatingTimesAreReadInTheCalendarZone() {
        String floating = Samples.APPLE_NEW_YORK.replace(";TZID=America/New_York", "");
        // 14:00 floating: 14:00Z in UTC, 13:00Z in Berlin (winter).
        assertTrue(inRange(floating, "VEVENT", "20260203T140000Z", "20260203T141000Z", ZoneOffset.UTC));
        assertFalse(inRange(floating, "VEVENT", "20260203T130000Z", "20260203T131000Z", ZoneOffset.UTC));
        assertTrue(inRange(floating, "VEVENT", "20260203T130000Z", "20260203T131000Z", ZoneId.of("Europe/Berlin")));
    }

    @Test
    void relaxedUnfoldingReadsATabContinuationAndLowerCaseNames() {
        String body = Samples.APPLE_ALL_DAY.replace("SUMMARY:Valentine's day", "summary:Valentine's\r\n\t day");
        assertTrue(ICalendars.validate(bytes(body), ALL).isOk());
    }

    @Test
    void prefixedAndInventedZonesAreRead() {
        // Mozilla's old prefixed TZID is the JDK's Europe/Berlin; an invented name uses its VTIMEZONE.
        for (String tzid : List.of("/mozilla.org/20050126_1/Europe/Berlin", "My own zone")) {
            String body = Samples.THUNDERBIRD_WEEKLY.replace("Europe/Berlin", tzid);
            assertEquals(Optional.of(Instant.parse("2026-01-05T08:59:59Z")), index(body).earliest(), tzid);
            assertTrue(inRange(body, "VEVENT", "20260706T080000Z", "20260706T081000Z", ZoneOffset.UTC), tzid);
        }
    }

    // matches: recurrences, overrides, exclusions

    @Test
    void anExcludedInstanceDoesNotMatch() {
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260119T000000Z", "20260120T000000Z", ZoneOffset.UTC));
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260112T000000Z", "20260113T000000Z", ZoneOffset.UTC));
    }

    @Test
    void aMovedInstanceMatchesAtItsNewTimeOnly() {
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260126T000000Z", "20260127T000000Z", ZoneOffset.UTC));
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260128T140000Z", "20260128T141500Z", ZoneOffset.UTC));
    }

    @Test
    void anEndlessRuleMatchesFarAheadAndNotBeforeItsStart() {
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20300107T083000Z", "20300107T093000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20251201T000000Z", "20260105T090000Z", ZoneOffset.UTC));
        // Summer time: 10:00 Berlin is 08:00Z.
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260706T080000Z", "20260706T081000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260706T090000Z", "20260706T100000Z", ZoneOffset.UTC));
    }

    @Test
    void anOldDailyRuleIsExpandedInARecentRange() {
        // Over 24,000 days from 1960 to 2026: the range still finds its instance.
        String old = Samples.THUNDERBIRD_WEEKLY.replace("RRULE:FREQ=WEEKLY", "RRULE:FREQ=DAILY")
                .replace("DTSTART;TZID=Europe/Berlin:20260105T100000", "DTSTART;TZID=Europe/Berlin:19600105T100000")
                .replace("DTEND;TZID=Europe/Berlin:20260105T110000", "DTEND;TZID=Europe/Berlin:19600105T110000");
        assertTrue(inRange(old, "VEVENT", "20260303T090000Z", "20260303T091000Z", ZoneOffset.UTC));
        assertFalse(inRange(old, "VEVENT", "20260303T100000Z", "20260303T110000Z", ZoneOffset.UTC));
    }

    @Test
    void rdatesAddInstancesWithTheirOwnPeriods() {
        String body = Samples.APPLE_NEW_YORK.replace("STATUS:TENTATIVE",
                "RDATE;TZID=America/New_York:20260210T140000\r\nRDATE;VALUE=PERIOD:20260301T100000Z/20260301T160000Z");
        CalendarIndex i = index(body);
        assertTrue(i.recurring());
        assertEquals(Optional.of(Instant.parse("2026-03-01T16:00:01Z")), i.latest());
        // 10 February 14:00 New York = 19:00Z, lasting 90 minutes like DTSTART-DTEND.
        assertTrue(inRange(body, "VEVENT", "20260210T202000Z", "20260210T203000Z", ZoneOffset.UTC));
        assertFalse(inRange(body, "VEVENT", "20260210T203000Z", "20260210T210000Z", ZoneOffset.UTC));
        // The period instance lasts its own six hours.
        assertTrue(inRange(body, "VEVENT", "20260301T155000Z", "20260301T170000Z", ZoneOffset.UTC));
    }

    @Test
    void todoWithStartAndDueCoversItsSpan() {
        String body = Samples.DAVX5_TODO_DUE.replace("DUE:20260210T120000Z", "DTSTART:20260201T090000Z\r\nDUE:20260210T120000Z");
        assertTrue(inRange(body, "VTODO", "20260205T000000Z", "20260206T000000Z", ZoneOffset.UTC));
        // ((start < DUE) or (start <= DTSTART)) fails for a range starting at DUE.
        assertFalse(inRange(body, "VTODO", "20260210T120000Z", "20260211T000000Z", ZoneOffset.UTC));
        assertFalse(inRange(body, "VTODO", "20260131T000000Z", "20260201T090000Z", ZoneOffset.UTC));
    }

    @Test
    void theRangeEdgesFollowRfc4791() {
        // [09:00Z, 10:00Z) on 12 January: a range ending at the start does not overlap, one starting at the end neither.
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260112T080000Z", "20260112T090000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260112T100000Z", "20260112T110000Z", ZoneOffset.UTC));
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260112T095959Z", "20260112T110000Z", ZoneOffset.UTC));
    }

    @Test
    void allDayEventsAreReadInTheCalendarZone() {
        // 14 February in New York is 05:00Z on the 14th to 05:00Z on the 15th.
        ZoneId ny = ZoneId.of("America/New_York");
        assertTrue(inRange(Samples.APPLE_ALL_DAY, "VEVENT", "20260215T020000Z", "20260215T030000Z", ny));
        assertFalse(inRange(Samples.APPLE_ALL_DAY, "VEVENT", "20260215T020000Z", "20260215T030000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.APPLE_ALL_DAY, "VEVENT", "20260214T020000Z", "20260214T030000Z", ny));
    }

    @Test
    void aFilterOnAnotherKindDoesNotMatch() {
        assertFalse(inRange(Samples.APPLE_ALL_DAY, "VTODO", "20260101T000000Z", "20270101T000000Z", ZoneOffset.UTC));
    }

    @Test
    void todosFollowTheTableOfRfc4791() {
        // DUE only: (start < DUE) and (end >= DUE).
        assertTrue(inRange(Samples.DAVX5_TODO_DUE, "VTODO", "20260210T000000Z", "20260210T120000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.DAVX5_TODO_DUE, "VTODO", "20260210T120000Z", "20260211T000000Z", ZoneOffset.UTC));
        // COMPLETED only: (start <= COMPLETED) and (end >= COMPLETED).
        assertTrue(inRange(Samples.DAVX5_TODO_UNDATED, "VTODO", "20260105T080000Z", "20260105T090000Z", ZoneOffset.UTC));
        assertFalse(inRange(Samples.DAVX5_TODO_UNDATED, "VTODO", "20260106T000000Z", "20260107T000000Z", ZoneOffset.UTC));
        // Nothing at all: every range.
        String undated = Samples.DAVX5_TODO_UNDATED.replace("COMPLETED:20260105T080000Z\r\n", "");
        assertTrue(inRange(undated, "VTODO", "19990101T000000Z", "19990102T000000Z", ZoneOffset.UTC));
    }

    @Test
    void textMatchSeesTheOverrideItsRangeSelects() {
        String moved = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                    <C:time-range start="%s" end="%s"/>
                    <C:prop-filter name="SUMMARY"><C:text-match>MOVED</C:text-match></C:prop-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.THUNDERBIRD_WEEKLY, moved.formatted("20260128T000000Z", "20260129T000000Z")));
        assertFalse(matches(Samples.THUNDERBIRD_WEEKLY, moved.formatted("20260202T000000Z", "20260203T000000Z")));
    }

    @Test
    void textMatchCollationsAndNegation() {
        String filter = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                    <C:prop-filter name="SUMMARY"><C:text-match %s>%s</C:text-match></C:prop-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.APPLE_NEW_YORK, filter.formatted("", "budget")));
        assertFalse(matches(Samples.APPLE_NEW_YORK, filter.formatted("collation=\"i;octet\"", "budget")));
        assertTrue(matches(Samples.APPLE_NEW_YORK, filter.formatted("collation=\"i;octet\"", "Budget")));
        assertFalse(matches(Samples.APPLE_NEW_YORK, filter.formatted("negate-condition=\"yes\"", "budget")));
        assertTrue(matches(Samples.APPLE_NEW_YORK, filter.formatted("negate-condition=\"yes\"", "lunch")));
    }

    @Test
    void isNotDefinedAndParamFilters() {
        String noAlarm = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                    <C:comp-filter name="VALARM"><C:is-not-defined/></C:comp-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.APPLE_NEW_YORK, noAlarm));
        // The override of the weekly event has no alarm, so some VEVENT of it matches.
        assertTrue(matches(Samples.THUNDERBIRD_WEEKLY, noAlarm));
        assertFalse(matches(Samples.THUNDERBIRD_WEEKLY.replace("END:VEVENT\r\nEND:VCALENDAR",
                "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR"), noAlarm));
        String tzid = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                    <C:prop-filter name="DTSTART"><C:param-filter name="TZID"><C:text-match>%s</C:text-match></C:param-filter></C:prop-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.APPLE_NEW_YORK, tzid.formatted("new_york")));
        assertFalse(matches(Samples.APPLE_NEW_YORK, tzid.formatted("Berlin")));
    }

    @Test
    void alarmTimeRangeFindsTheTriggerOfAnInstance() {
        // 2 February 10:00 Berlin = 09:00Z; the alarm fires 15 minutes before, at 08:45Z.
        String alarm = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                    <C:comp-filter name="VALARM"><C:time-range start="%s" end="%s"/></C:comp-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.THUNDERBIRD_WEEKLY, alarm.formatted("20260202T084000Z", "20260202T085000Z")));
        assertFalse(matches(Samples.THUNDERBIRD_WEEKLY, alarm.formatted("20260202T085000Z", "20260202T090000Z")));
        // The excluded instance of 19 January has no alarm either.
        assertFalse(matches(Samples.THUNDERBIRD_WEEKLY, alarm.formatted("20260119T084000Z", "20260119T085000Z")));
    }

    @Test
    void propertyTimeRange() {
        String completed = """
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO">
                    <C:prop-filter name="COMPLETED"><C:time-range start="%s" end="%s"/></C:prop-filter>
                  </C:comp-filter></C:comp-filter>
                </C:filter>""";
        assertTrue(matches(Samples.DAVX5_TODO_UNDATED, completed.formatted("20260105T000000Z", "20260106T000000Z")));
        assertFalse(matches(Samples.DAVX5_TODO_UNDATED, completed.formatted("20260106T000000Z", "20260107T000000Z")));
        assertFalse(matches(Samples.DAVX5_TODO_DUE, completed.formatted("20260105T000000Z", "20260106T000000Z")));
    }

    // parseFilter

    @Test
    void filterErrors() {
        assertInstanceOf(IcalError.InvalidFilter.class, ICalendars.parseFilter(xml("""
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav"><C:comp-filter name="VEVENT"/></C:filter>""")).mapError(e -> e)
                .flatMap(f -> Result.<Filters.CompFilter, IcalError>err(new IcalError.InvalidData("parsed"))) instanceof Result.Err<?, ?>(var e) ? e : null);
        assertEquals(Result.err(new IcalError.UnsupportedFilter("collation i;unicode-casemap")), ICalendars.parseFilter(xml("""
                <C:filter xmlns:C="urn:ietf:params:xml:ns:caldav"><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                <C:prop-filter name="SUMMARY"><C:text-match collation="i;unicode-casemap">x</C:text-match></C:prop-filter>
                </C:comp-filter></C:comp-filter></C:filter>""")));
        assertEquals(Result.err(new IcalError.InvalidFilter("time-range start '2026-01-01' is not a UTC date-time")),
                ICalendars.parseFilter(rangeFilter("VEVENT", "2026-01-01", "20260201T000000Z")));
        assertEquals(Result.err(new IcalError.InvalidFilter("time-range end is not after its start")),
                ICalendars.parseFilter(rangeFilter("VEVENT", "20260201T000000Z", "20260101T000000Z")));
    }

    @Test
    void filterIsReadAsAValue() {
        Filters.CompFilter f = ICalendars.parseFilter(rangeFilter("vevent", "20260101T000000Z", "20260201T000000Z")).orElseThrow();
        assertEquals(new Filters.CompFilter("VCALENDAR", false, Optional.empty(), List.of(), List.of(
                new Filters.CompFilter("VEVENT", false, Optional.of(new Filters.TimeRange(
                        Optional.of(Instant.parse("2026-01-01T00:00:00Z")), Optional.of(Instant.parse("2026-02-01T00:00:00Z")))),
                        List.of(), List.of()))), f);
    }

    // calendar-data

    private static CalendarDataRequest data(String xmlText) {
        return ICalendars.parseCalendarData(xml(xmlText)).orElseThrow();
    }

    @Test
    void wholeIsTheStoredBytes() {
        Bytes stored = bytes(Samples.THUNDERBIRD_WEEKLY);
        assertSame(stored, ICalendars.render(stored, data("<C:calendar-data xmlns:C=\"urn:ietf:params:xml:ns:caldav\"/>"), ZoneOffset.UTC));
    }

    @Test
    void expandWritesInstancesInUtcWithRecurrenceIds() {
        CalendarDataRequest r = data("""
                <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:expand start="20260112T000000Z" end="20260202T000000Z"/>
                </C:calendar-data>""");
        String out = ICalendars.render(bytes(Samples.THUNDERBIRD_WEEKLY), r, ZoneOffset.UTC).toUtf8();
        assertFalse(out.contains("RRULE"), out);
        assertFalse(out.contains("EXDATE"), out);
        assertFalse(out.contains("VTIMEZONE"), out);
        // 12 January, then 19 excluded, 26 moved to 28 at 15:00 Berlin = 14:00Z.
        assertEquals(2, out.split("BEGIN:VEVENT").length - 1, out);
        assertTrue(out.contains("DTSTART:20260112T090000Z"), out);
        assertTrue(out.contains("RECURRENCE-ID:20260112T090000Z"), out);
        assertTrue(out.contains("DTSTART:20260128T140000Z"), out);
        assertTrue(out.contains("RECURRENCE-ID:20260126T090000Z"), out);
        assertTrue(ICalendars.validate(Bytes.utf8(out), ALL).isOk(), out);
        // The expansion was built beside the cached parse, which still has its rule and exclusion.
        assertFalse(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260119T000000Z", "20260120T000000Z", ZoneOffset.UTC));
        assertTrue(inRange(Samples.THUNDERBIRD_WEEKLY, "VEVENT", "20260302T090000Z", "20260302T091000Z", ZoneOffset.UTC));
    }

    @Test
    void limitRecurrenceSetKeepsTheMasterAndOnlyOverridesInRange() {
        String limit = """
                <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:limit-recurrence-set start="%s" end="%s"/>
                </C:calendar-data>""";
        String outside = ICalendars.render(bytes(Samples.THUNDERBIRD_WEEKLY),
                data(limit.formatted("20260301T000000Z", "20260401T000000Z")), ZoneOffset.UTC).toUtf8();
        assertEquals(1, outside.split("BEGIN:VEVENT").length - 1, outside);
        assertTrue(outside.contains("RRULE:FREQ=WEEKLY"), outside);
        String inside = ICalendars.render(bytes(Samples.THUNDERBIRD_WEEKLY),
                data(limit.formatted("20260127T000000Z", "20260130T000000Z")), ZoneOffset.UTC).toUtf8();
        assertEquals(2, inside.split("BEGIN:VEVENT").length - 1, inside);
    }

    @Test
    void selectionKeepsTheNamedPropertiesAndComponents() {
        CalendarDataRequest r = data("""
                <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <C:comp name="VCALENDAR">
                    <C:prop name="VERSION"/>
                    <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/></C:comp>
                  </C:comp>
                </C:calendar-data>""");
        String out = ICalendars.render(bytes(Samples.APPLE_NEW_YORK), r, ZoneOffset.UTC).toUtf8();
        assertEquals(Samples.crlf("""
                BEGIN:VCALENDAR
                VERSION:2.0
                BEGIN:VEVENT
                SUMMARY:Budget review
                UID:8C1A2B3C-4D5E-6F70-8192-A3B4C5D6E7F8
                END:VEVENT
                END:VCALENDAR
                """), out);
    }

    @Test
    void calendarDataErrors() {
        assertInstanceOf(Result.Err.class, ICalendars.parseCalendarData(xml("""
                <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"><C:expand start="20260101T000000Z"/></C:calendar-data>""")));
        assertInstanceOf(Result.Err.class, ICalendars.parseCalendarData(xml("""
                <C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"><C:comp name="VEVENT"/></C:calendar-data>""")));
    }

    // free-busy

    @Test
    void freeBusyMergesAndTypesPeriods() {
        Filters.TimeRange feb = new Filters.TimeRange(Optional.of(Instant.parse("2026-02-01T00:00:00Z")),
                Optional.of(Instant.parse("2026-02-10T00:00:00Z")));
        String overlapping = Samples.APPLE_NEW_YORK.replace("UID:8C1A2B3C", "UID:other").replace("STATUS:TENTATIVE", "STATUS:CONFIRMED")
                .replace("20260203T153000", "20260203T170000").replace("20260203T140000", "20260203T150000");
        String cancelled = Samples.APPLE_NEW_YORK.replace("STATUS:TENTATIVE", "STATUS:CANCELLED").replace("20260203", "20260204");
        String out = ICalendars.freeBusy(List.of(bytes(Samples.THUNDERBIRD_WEEKLY), bytes(Samples.APPLE_ALL_DAY),
                bytes(Samples.APPLE_NEW_YORK), bytes(overlapping), bytes(cancelled), bytes(Samples.DAVX5_TODO_DUE)),
                feb, ZoneOffset.UTC, Instant.parse("2026-01-15T12:00:00Z")).toUtf8();
        assertEquals(Samples.crlf("""
                BEGIN:VCALENDAR
                VERSION:2.0
                PRODID:-//jmirage//caldav-unikernel//EN
                BEGIN:VFREEBUSY
                DTSTAMP:20260115T120000Z
                DTSTART:20260201T000000Z
                DTEND:20260210T000000Z
                FREEBUSY;FBTYPE=BUSY:20260202T090000Z/20260202T100000Z
                FREEBUSY;FBTYPE=BUSY:20260203T200000Z/20260203T220000Z
                FREEBUSY;FBTYPE=BUSY:20260209T090000Z/20260209T100000Z
                FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260203T190000Z/20260203T203000Z
                END:VFREEBUSY
                END:VCALENDAR
                """), out);
    }
}
