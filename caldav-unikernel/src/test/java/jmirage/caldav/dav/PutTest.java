package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.body;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.core.kv.Change;
import org.junit.jupiter.api.Test;

class PutTest {

    private static final String CALENDAR = "text/calendar; charset=utf-8";

    private final Store store = DavFixture.store();

    private static Bytes event(String uid) {
        return DavFixture.ics(uid, ComponentKind.VEVENT);
    }

    @Test
    void aNewObjectIsStoredAsSentWith201AndItsEtag() {
        Bytes body = event("uid-new");
        DavOutcome outcome = handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics", body, "Content-Type", CALENDAR));
        assertEquals(201, outcome.response().status(), body(outcome));
        Resource stored = outcome.store().calendar("alice", "work").orElseThrow().members().get("new.ics");
        assertEquals(body, stored.data());
        assertEquals("uid-new", stored.index().uid());
        assertEquals(DavFixture.NOW, stored.lastModified());
        assertEquals(Resource.etagOf(body), outcome.response().headers().get("ETag").orElseThrow());
        assertEquals("alice via caldav: PUT /calendars/alice/work/new.ics", outcome.batch().orElseThrow().message());
        assertEquals("alice", outcome.batch().orElseThrow().author());
        assertEquals(List.of(new Change.Set(Layout.resource("alice", "work", "new.ics"), body)), outcome.batch().orElseThrow().changes());
        DavOutcome get = handle(outcome.store(), request("alice", "GET", "/calendars/alice/work/new.ics"));
        assertEquals(outcome.response().headers().get("ETag"), get.response().headers().get("ETag"), "the ETag a GET answers");
    }

    @Test
    void replacingIs204() {
        Bytes changed = Bytes.utf8(event("uid-meeting").toUtf8().replace("SUMMARY:uid-meeting", "SUMMARY:moved"));
        DavOutcome outcome = handle(store, request("alice", "PUT", "/calendars/alice/work/meeting.ics", changed, "Content-Type", CALENDAR));
        assertEquals(204, outcome.response().status(), body(outcome));
        assertEquals(changed, outcome.store().calendar("alice", "work").orElseThrow().members().get("meeting.ics").data());
    }

    @Test
    void ifNoneMatchStarRefusesToReplace() {
        expect(412, "", handle(store, request("alice", "PUT", "/calendars/alice/work/meeting.ics", event("uid-meeting"),
                "Content-Type", CALENDAR, "If-None-Match", "*")));
        assertEquals(201, handle(store, request("alice", "PUT", "/calendars/alice/work/fresh.ics", event("uid-fresh"),
                "Content-Type", CALENDAR, "If-None-Match", "*")).response().status());
    }

    @Test
    void ifMatchMustNameTheCurrentTag() {
        expect(412, "", handle(store, request("alice", "PUT", "/calendars/alice/work/meeting.ics", event("uid-meeting"),
                "Content-Type", CALENDAR, "If-Match", "\"stale\"")));
        expect(412, "", handle(store, request("alice", "PUT", "/calendars/alice/work/absent.ics", event("uid-absent"),
                "Content-Type", CALENDAR, "If-Match", "*")));
        String etag = store.calendar("alice", "work").orElseThrow().members().get("meeting.ics").etag();
        assertEquals(204, handle(store, request("alice", "PUT", "/calendars/alice/work/meeting.ics", event("uid-meeting"),
                "Content-Type", CALENDAR, "If-Match", etag)).response().status());
    }

    @Test
    void anotherContentTypeIs415AndAMissingOneIsAccepted() {
        expect(415, "supported-calendar-data", handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics", event("uid-new"),
                "Content-Type", "text/plain")));
        assertEquals(201, handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics", event("uid-new"),
                "Content-Type", "Text/Calendar")).response().status());
        assertEquals(201, handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics", event("uid-new"))).response().status());
    }

    @Test
    void aBodyOverTheLimitIs403MaxResourceSize() {
        DavCore small = new DavCore(new DavConfig(100, 10));
        DavOutcome outcome = small.handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics", event("uid-new"),
                "Content-Type", CALENDAR));
        expect(403, "max-resource-size", outcome);
    }

    @Test
    void invalidDataIs403ValidCalendarData() {
        expect(403, "valid-calendar-data", handle(store, request("alice", "PUT", "/calendars/alice/work/new.ics",
                Bytes.utf8("BEGIN:VCALENDAR\r\nthis is not icalendar\r\n"), "Content-Type", CALENDAR)));
    }

    @Test
    void aComponentTheCalendarDoesNotTakeIs403() {
        expect(403, "supported-calendar-component", handle(store, request("alice", "PUT", "/calendars/alice/family/todo.ics",
                DavFixture.ics("uid-todo", ComponentKind.VTODO), "Content-Type", CALENDAR)));
    }

    @Test
    void aUidUsedByAnotherMemberIs403NoUidConflictWithItsHref() {
        DavOutcome outcome = handle(store, request("alice", "PUT", "/calendars/alice/work/copy.ics", event("uid-meeting"),
                "Content-Type", CALENDAR));
        expect(403, "no-uid-conflict", outcome);
        assertTrue(body(outcome).contains("<d:href>/calendars/alice/work/meeting.ics</d:href>"), body(outcome));
        DavOutcome viaAlias = handle(store, request("bob", "PUT", "/calendars/bob/work@alice/copy.ics", event("uid-meeting"),
                "Content-Type", CALENDAR));
        assertTrue(body(viaAlias).contains("<d:href>/calendars/bob/work@alice/meeting.ics</d:href>"), "the href the sharee uses");
    }

    @Test
    void replacingWithAnotherUidIs403NoUidConflict() {
        expect(403, "no-uid-conflict", handle(store, request("alice", "PUT", "/calendars/alice/work/meeting.ics", event("uid-other"),
                "Content-Type", CALENDAR)));
    }

    @Test
    void theSameUidInAnotherCalendarIsFine() {
        assertEquals(201, handle(store, request("alice", "PUT", "/calendars/alice/family/meeting.ics", event("uid-meeting"),
                "Content-Type", CALENDAR)).response().status());
    }

    @Test
    void aReadWriteShareeWritesThroughTheAliasIntoTheOwnersFolder() {
        DavOutcome outcome = handle(store, request("bob", "PUT", "/calendars/bob/work@alice/bobs.ics", event("uid-bobs"),
                "Content-Type", CALENDAR));
        assertEquals(201, outcome.response().status());
        assertEquals(List.of(new Change.Set(Layout.resource("alice", "work", "bobs.ics"), event("uid-bobs"))),
                outcome.batch().orElseThrow().changes());
        assertEquals("bob", outcome.batch().orElseThrow().author());
    }

    @Test
    void readOnlyMissingAndHiddenCalendars() {
        expect(403, "need-privileges", handle(store, request("carol", "PUT", "/calendars/carol/family@alice/x.ics", event("uid-x"),
                "Content-Type", CALENDAR)));
        expect(409, "", handle(store, request("alice", "PUT", "/calendars/alice/nocalendar/x.ics", event("uid-x"),
                "Content-Type", CALENDAR)));
        expect(404, "", handle(store, request("carol", "PUT", "/calendars/carol/work@alice/x.ics", event("uid-x"),
                "Content-Type", CALENDAR)));
        expect(404, "", handle(store, request("bob", "PUT", "/calendars/alice/work/x.ics", event("uid-x"),
                "Content-Type", CALENDAR)));
    }

    @Test
    void putOnACollectionIs405() {
        expect(405, "", handle(store, request("alice", "PUT", "/calendars/alice/work/", event("uid-x"), "Content-Type", CALENDAR)));
    }

    @Test
    void aNameTheServerKeepsIsRefused() {
        expect(404, "", handle(store, request("alice", "PUT", "/calendars/alice/work/.collection.xml", event("uid-x"),
                "Content-Type", CALENDAR)));
        expect(403, "", handle(store, request("alice", "PUT", "/calendars/alice/work/" + "x".repeat(300), event("uid-x"),
                "Content-Type", CALENDAR)));
    }

    private void expect(int status, String inBody, DavOutcome outcome) {
        assertEquals(status, outcome.response().status(), body(outcome));
        assertTrue(body(outcome).contains(inBody), body(outcome));
        assertUnchanged(store, outcome);
    }
}
