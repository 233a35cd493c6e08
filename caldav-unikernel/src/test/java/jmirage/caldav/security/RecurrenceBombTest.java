package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrence rules that would expand to billions of instances: those within the bounds are stored
 * and then queried over a century, expanded over a millennium and asked for free-busy, every answer
 * in bounded time (each step here within seconds on a slow machine) and never a 5xx; those over
 * them are refused at PUT with CALDAV:max-instances.
 */
class RecurrenceBombTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "FREQ=SECONDLY",
            "FREQ=MINUTELY",
            "FREQ=MINUTELY;BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59",
            "FREQ=SECONDLY;UNTIL=99991231T235959Z",
            "FREQ=YEARLY;INTERVAL=1;BYSETPOS=-1;BYDAY=MO;COUNT=20000",
            "FREQ=HOURLY;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59",
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31;BYHOUR=0,6,12,18",
    })
    void anExplodingRuleIsAnsweredInBoundedTime(String rule) {
        Store store = Attack.store();
        Bytes bomb = bomb(rule);
        DavOutcome put = assertTimeoutPreemptively(BOUND, () -> Attack.CORE.handle(store, Attack.put("bob", "/calendars/bob/personal/bomb.ics", bomb)));
        assertEquals(201, put.response().status(), body(put));
        queriesAreBounded(put.store());
    }

    /**
     * RFC 5545 3.8.4.4: a THISANDFUTURE override that moves every later instance of a dense rule by
     * thousands of years, one way or the other, widens what an expansion must walk by as much; the
     * 20,000-instance bound still holds every answer.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FREQ=SECONDLY|90000101T000010Z", "FREQ=MINUTELY|00010101T000010Z", "FREQ=SECONDLY;UNTIL=99991231T235959Z|50000101T000010Z"})
    void aThisAndFutureOverrideFarAwayIsAnsweredInBoundedTime(String ruleAndStart) {
        String[] parts = ruleAndStart.split("\\|");
        String text = bomb(parts[0]).toUtf8().replace("END:VCALENDAR\r\n", "BEGIN:VEVENT\r\nUID:uid-bomb\r\nDTSTAMP:20260101T000000Z\r\n"
                + "RECURRENCE-ID;RANGE=THISANDFUTURE:19700101T000010Z\r\nDTSTART:" + parts[1] + "\r\nSUMMARY:far\r\nEND:VEVENT\r\n"
                + "END:VCALENDAR\r\n");
        Store store = Attack.store();
        DavOutcome put = assertTimeoutPreemptively(BOUND, () -> Attack.CORE.handle(store,
                Attack.put("bob", "/calendars/bob/personal/bomb.ics", Bytes.utf8(text))));
        assertEquals(201, put.response().status(), body(put));
        queriesAreBounded(put.store());
    }

    /**
     * RFC 4791 5.3.2.1 CALDAV:max-instances: a COUNT over 20,000, or more than 1,000 candidates in
     * one period of a rule, is refused at PUT, as is a VTIMEZONE observance recurring more often
     * than monthly.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "FREQ=SECONDLY;COUNT=2000000000",
            "FREQ=DAILY;COUNT=20001",
            "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59;BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59",
            "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
            "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
    })
    void aRuleOverTheBoundsIsRefusedAtPut(String rule) {
        Store store = Attack.store();
        DavOutcome put = assertTimeoutPreemptively(BOUND,
                () -> Attack.refused(store, Attack.put("bob", "/calendars/bob/personal/bomb.ics", bomb(rule)), 403));
        assertTrue(body(put).contains("max-instances"), body(put));
    }

    @org.junit.jupiter.api.Test
    void aTimeZoneRecurringEverySecondIsRefusedAtPut() {
        Bytes zoneBomb = Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VTIMEZONE\r\n"
                + "TZID:Invented/Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nRRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\n"
                + "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:uid-zone\r\nDTSTAMP:20260101T000000Z\r\n"
                + "DTSTART;TZID=Invented/Zone:20260105T100000\r\nSUMMARY:zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        Store store = Attack.store();
        DavOutcome put = assertTimeoutPreemptively(BOUND,
                () -> Attack.refused(store, Attack.put("bob", "/calendars/bob/personal/zone.ics", zoneBomb), 403));
        assertTrue(body(put).contains("max-instances"), body(put));
    }

    private static Bytes bomb(String rule) {
        return Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VEVENT\r\nUID:uid-bomb\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:19700101T000000Z\r\nDTEND:19700101T000001Z\r\nRRULE:" + rule
                + "\r\nSUMMARY:bomb\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    /** A query over a century, one over 9,000 years, expand over a millennium, free-busy likewise, and the export. */
    private static void queriesAreBounded(Store next) {
        String query = "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/>"
                + "<C:calendar-data><C:expand start=\"%s\" end=\"%s\"/></C:calendar-data></D:prop><C:filter>"
                + "<C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"%s\" end=\"%s\"/>"
                + "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";
        String[][] ranges = {
                {"20000101T000000Z", "21000101T000000Z", "20000101T000000Z", "21000101T000000Z"},
                {"10000101T000000Z", "99991231T000000Z", "10000101T000000Z", "99991231T000000Z"},
                {"29990101T000000Z", "30000101T000000Z", "29990101T000000Z", "30000101T000000Z"},
                {"19700101T000000Z", "29700101T000000Z", "19700101T000000Z", "29700101T000000Z"},
        };
        for (String[] r : ranges) {
            DavOutcome answer = assertTimeoutPreemptively(BOUND, () -> Attack.CORE.handle(next,
                    xml("bob", "REPORT", "/calendars/bob/personal/", query.formatted((Object[]) r), "Depth", "1")), String.join(" ", r));
            assertTrue(answer.response().status() < 500, answer.response().status() + " " + String.join(" ", r));
            String freeBusy = "<C:free-busy-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:time-range start=\"" + r[0]
                    + "\" end=\"" + r[1] + "\"/></C:free-busy-query>";
            DavOutcome busy = assertTimeoutPreemptively(BOUND, () -> Attack.CORE.handle(next,
                    xml("bob", "REPORT", "/calendars/bob/personal/", freeBusy, "Depth", "1")), "free-busy " + String.join(" ", r));
            assertTrue(busy.response().status() < 500, busy.response().status() + " free-busy");
            DavOutcome get = assertTimeoutPreemptively(BOUND, () -> Attack.CORE.handle(next,
                    Attack.request("bob", "GET", "/calendars/bob/personal/")));
            assertTrue(get.response().status() < 500);
        }
    }
}
