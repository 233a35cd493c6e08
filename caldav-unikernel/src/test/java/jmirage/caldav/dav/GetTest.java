package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.body;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.http.HttpDates;
import org.junit.jupiter.api.Test;

class GetTest {

    private final Store store = DavFixture.store();
    private final Resource meeting = store.calendar("alice", "work").orElseThrow().members().get("meeting.ics");

    @Test
    void anObjectComesBackAsStoredWithItsValidators() {
        DavOutcome outcome = handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics"));
        assertEquals(200, outcome.response().status());
        assertEquals(DavFixture.ics("uid-meeting", ComponentKind.VEVENT), outcome.response().bytes());
        assertEquals("text/calendar; charset=utf-8", outcome.response().headers().get("Content-Type").orElseThrow());
        assertEquals(meeting.etag(), outcome.response().headers().get("ETag").orElseThrow());
        assertEquals(HttpDates.format(DavFixture.T0), outcome.response().headers().get("Last-Modified").orElseThrow());
        assertUnchanged(store, outcome);
    }

    @Test
    void headAnswersTheSameHeaders() {
        DavOutcome get = handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics"));
        DavOutcome head = handle(store, request("alice", "HEAD", "/calendars/alice/work/meeting.ics"));
        assertEquals(get.response().headers(), head.response().headers());
    }

    @Test
    void ifNoneMatchWithTheCurrentTagIs304WithTheTag() {
        DavOutcome outcome = handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics", "If-None-Match",
                "\"other\", " + meeting.etag()));
        assertEquals(304, outcome.response().status());
        assertEquals(meeting.etag(), outcome.response().headers().get("ETag").orElseThrow());
        assertEquals(0, outcome.response().bytes().size());
    }

    @Test
    void ifNoneMatchWithAnotherTagIs200() {
        DavOutcome outcome = handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics", "If-None-Match", "\"other\""));
        assertEquals(200, outcome.response().status());
    }

    @Test
    void ifModifiedSinceLaterThanTheChangeIs304() {
        assertEquals(304, handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics", "If-Modified-Since",
                HttpDates.format(DavFixture.NOW))).response().status());
        assertEquals(200, handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics", "If-Modified-Since",
                HttpDates.format(DavFixture.T0.minusSeconds(1)))).response().status());
    }

    @Test
    void ifMatchWithAnotherTagIs412() {
        DavOutcome outcome = handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics", "If-Match", "\"other\""));
        assertEquals(412, outcome.response().status());
        assertUnchanged(store, outcome);
    }

    @Test
    void aMissingObjectIs404() {
        assertEquals(404, handle(store, request("alice", "GET", "/calendars/alice/work/none.ics")).response().status());
        assertEquals(404, handle(store, request("alice", "GET", "/calendars/alice/none/x.ics")).response().status());
    }

    @Test
    void aCalendarIsExportedAsOneVcalendarWithEachTimezoneOnce() {
        DavOutcome outcome = handle(store, request("alice", "GET", "/calendars/alice/work/"));
        assertEquals(200, outcome.response().status());
        assertEquals("text/calendar; charset=utf-8", outcome.response().headers().get("Content-Type").orElseThrow());
        String text = body(outcome);
        assertTrue(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//jmirage//caldav//EN\r\nX-WR-CALNAME:Work\r\n"), text);
        assertTrue(text.endsWith("END:VCALENDAR\r\n"), text);
        assertEquals(1, count(text, "BEGIN:VCALENDAR"));
        assertEquals(1, count(text, "BEGIN:VTIMEZONE"), "two objects with the same TZID give one VTIMEZONE");
        assertEquals(1, count(text, "BEGIN:VEVENT"));
        assertEquals(1, count(text, "BEGIN:VTODO"));
        assertEquals(0, count(text, "PRODID:-//test"), "the objects' own VCALENDAR properties are dropped");
        assertTrue(text.contains("UID:uid-meeting\r\n") && text.contains("UID:uid-task\r\n"));
        assertEquals(jmirage.caldav.store.Resource.etagOf(outcome.response().bytes()),
                outcome.response().headers().get("ETag").orElseThrow());
    }

    @Test
    void aSharedCalendarIsReadThroughItsAlias() {
        DavOutcome outcome = handle(store, request("carol", "GET", "/calendars/carol/family@alice/dinner.ics"));
        assertEquals(200, outcome.response().status());
        assertEquals(200, handle(store, request("carol", "GET", "/calendars/carol/family@alice/")).response().status());
    }

    @Test
    void theRootAndOnesOwnHomeAnswerAShortText() {
        for (String path : new String[] {"/", "/calendars/alice/", "/principals/alice/"}) {
            DavOutcome outcome = handle(store, request("alice", "GET", path));
            assertEquals(200, outcome.response().status(), path);
            assertTrue(outcome.response().headers().get("Content-Type").orElseThrow().startsWith("text/plain"));
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
