package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static jmirage.caldav.security.Attack.ok;
import static jmirage.caldav.security.Attack.refused;
import static jmirage.caldav.security.Attack.request;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import org.junit.jupiter.api.Test;

/**
 * The bounds on what one user may make the server store or compute: dead properties (64 KiB each,
 * 256 KiB per calendar: 507 in the propstat), calendars per home (1,000: 507), properties named in
 * one request (200: 400), and the cost of large but legal requests.
 */
class LimitsTest {

    private final Store store = Attack.store();

    private static String proppatch(String... values) {
        StringBuilder b = new StringBuilder("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:X=\"urn:x\"><D:set><D:prop>");
        for (int i = 0; i < values.length; i++) {
            b.append("<X:p").append(i).append('>').append(values[i]).append("</X:p").append(i).append('>');
        }
        return b.append("</D:prop></D:set></D:propertyupdate>").toString();
    }

    @Test
    void aMegabyteDeadPropertyIsRefusedWith507AndNothingStored() {
        DavOutcome outcome = refused(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", proppatch("x".repeat(1_000_000))), 207);
        assertTrue(body(outcome).contains("HTTP/1.1 507 Insufficient Storage"), body(outcome));
    }

    @Test
    void deadPropertiesUpToTheBoundsAreKept() {
        Store next = ok(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", proppatch("x".repeat(60_000))));
        next = ok(next, xml("bob", "PROPPATCH", "/calendars/bob/personal/",
                proppatch("x".repeat(60_000), "y".repeat(60_000), "z".repeat(60_000))));
        // a fifth one of 60 KB takes the calendar over 256 KiB; the others are 424
        DavOutcome over = refused(next, xml("bob", "PROPPATCH", "/calendars/bob/personal/",
                proppatch("x".repeat(60_000), "y".repeat(60_000), "z".repeat(60_000), "w".repeat(60_000), "v".repeat(60_000))), 207);
        assertTrue(body(over).contains("507 Insufficient Storage"), body(over));
        assertTrue(body(over).contains("424 Failed Dependency"), body(over));
    }

    @Test
    void mkcalendarWithAHugePropertyIsRefusedWith507() {
        String mk = "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
                + "<C:calendar-description>" + "d".repeat(100_000) + "</C:calendar-description></D:prop></D:set></C:mkcalendar>";
        DavOutcome outcome = refused(store, xml("bob", "MKCALENDAR", "/calendars/bob/big/", mk), 403);
        assertTrue(body(outcome).contains("507 Insufficient Storage"), body(outcome));
    }

    @Test
    void aHomeHoldsAThousandCalendars() {
        Store next = store;
        for (int i = 1; i < 1_000; i++) {
            next = ok(next, request("bob", "MKCALENDAR", "/calendars/bob/c" + i + "/"));
        }
        refused(next, request("bob", "MKCALENDAR", "/calendars/bob/one-too-many/"), 507);
        // removing one makes room again
        Store fewer = ok(next, request("bob", "DELETE", "/calendars/bob/c1/"));
        ok(fewer, request("bob", "MKCALENDAR", "/calendars/bob/one-more/"));
    }

    @Test
    void tooManyPropertiesInOneRequestIs400() {
        StringBuilder props = new StringBuilder();
        for (int i = 0; i < 201; i++) {
            props.append("<X:p").append(i).append("/>");
        }
        refused(store, xml("bob", "PROPFIND", "/calendars/bob/personal/", "<D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:x\"><D:prop>"
                + props + "</D:prop></D:propfind>", "Depth", "1"), 400);
        refused(store, xml("bob", "REPORT", "/calendars/bob/personal/", "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:X=\"urn:x\" "
                + "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>" + props + "</D:prop><D:href>/calendars/bob/personal/dentist.ics"
                + "</D:href></C:calendar-multiget>", "Depth", "1"), 400);
    }

    @Test
    void aMultigetOfFiftyThousandHrefsIsAnsweredQuickly() {
        StringBuilder b = new StringBuilder("<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                + "<D:prop><D:getetag/></D:prop>");
        for (int i = 0; i < 50_000; i++) {
            b.append("<D:href>/calendars/alice/secret/").append(i).append(".ics</D:href>");
        }
        String body = b.append("</C:calendar-multiget>").toString();
        DavOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Attack.CORE.handle(store, xml("bob", "REPORT", "/calendars/bob/personal/", body, "Depth", "1")));
        assertEquals(207, outcome.response().status());
    }

    /**
     * Fifteen endless hourly events expanded over a millennium would be some 300,000 instances and
     * tens of megabytes of text: the answer stops at 32 million characters (ReportQuery.MAX_ANSWER_CHARS,
     * written as at most half as many bytes again once escaped), the list cut
     * with 507 for the calendar (calendar-query) or for each href left (multiget).
     */
    @Test
    void anExpandOverAMillenniumIsCutAtTheAnswerBound() {
        Store next = store;
        StringBuilder hrefs = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            next = ok(next, Attack.put("bob", "/calendars/bob/personal/h" + i + ".ics", jmirage.core.Bytes.utf8(
                    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VEVENT\r\nUID:uid-h" + i
                            + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=HOURLY\r\n"
                            + "SUMMARY:hourly " + i + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")));
            hrefs.append("<D:href>/calendars/bob/personal/h").append(i).append(".ics</D:href>");
        }
        String data = "<C:calendar-data><C:expand start=\"20260101T000000Z\" end=\"30260101T000000Z\"/></C:calendar-data>";
        String query = "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>" + data
                + "</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"/></C:comp-filter></C:filter>"
                + "</C:calendar-query>";
        Store full = next;
        DavOutcome answer = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Attack.CORE.handle(full, xml("bob", "REPORT", "/calendars/bob/personal/", query, "Depth", "1")));
        assertEquals(207, answer.response().status());
        assertTrue(answer.response().bytes().size() < 48_000_000, "answer of " + answer.response().bytes().size() + " bytes");
        assertTrue(body(answer).contains("507 Insufficient Storage"), "the list is cut");
        String multiget = "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>" + data
                + "</D:prop>" + hrefs + "</C:calendar-multiget>";
        DavOutcome many = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Attack.CORE.handle(full, xml("bob", "REPORT", "/calendars/bob/personal/", multiget, "Depth", "1")));
        assertTrue(many.response().bytes().size() < 48_000_000, "answer of " + many.response().bytes().size() + " bytes");
        assertTrue(body(many).contains("507 Insufficient Storage"), "the hrefs left are 507");
    }

    @Test
    void deeplyNestedXmlIs400() {
        String deep = "<D:propfind xmlns:D=\"DAV:\">" + "<D:prop>".repeat(10_000) + "</D:prop>".repeat(10_000) + "</D:propfind>";
        refused(store, xml("bob", "PROPFIND", "/calendars/bob/personal/", deep, "Depth", "0"), 400);
        refused(store, xml("bob", "PROPPATCH", "/calendars/bob/personal/", deep), 400);
        refused(store, xml("bob", "REPORT", "/calendars/bob/personal/", deep), 400);
    }
}
