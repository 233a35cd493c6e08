package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.body;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Store;
import jmirage.core.kv.Change;
import org.junit.jupiter.api.Test;

class CopyMoveTest {

    private final Store store = DavFixture.store();

    @Test
    void movingAnObjectToAnotherCalendarIsOneBatch() {
        DavOutcome outcome = handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "https://cal.example:8443/calendars/alice/family/meeting.ics", "Host", "cal.example:8443"));
        assertEquals(201, outcome.response().status(), body(outcome));
        assertFalse(outcome.store().calendar("alice", "work").orElseThrow().members().containsKey("meeting.ics"));
        assertEquals(store.calendar("alice", "work").orElseThrow().members().get("meeting.ics").data(),
                outcome.store().calendar("alice", "family").orElseThrow().members().get("meeting.ics").data());
        assertEquals(List.of(new Change.Set(Layout.resource("alice", "family", "meeting.ics"),
                        store.calendar("alice", "work").orElseThrow().members().get("meeting.ics").data()),
                new Change.Remove(Layout.resource("alice", "work", "meeting.ics"))), outcome.batch().orElseThrow().changes());
        assertEquals("alice via caldav: MOVE /calendars/alice/work/meeting.ics", outcome.batch().orElseThrow().message());
    }

    @Test
    void renamingWithinACalendarKeepsTheUidFree() {
        DavOutcome outcome = handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/work/renamed.ics"));
        assertEquals(201, outcome.response().status(), body(outcome));
        Collection work = outcome.store().calendar("alice", "work").orElseThrow();
        assertEquals(List.of("renamed.ics", "task.ics"), List.copyOf(work.members().keySet()));
    }

    @Test
    void copyingWithinACalendarIsAUidConflict() {
        DavOutcome outcome = handle(store, request("alice", "COPY", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/work/again.ics"));
        expect(403, "no-uid-conflict", outcome);
        assertTrue(body(outcome).contains("/calendars/alice/work/meeting.ics"));
    }

    @Test
    void copyLeavesTheSourceAndAnswers204WhenReplacing() {
        DavOutcome first = handle(store, request("alice", "COPY", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/bob/personal/x.ics"));
        assertEquals(403, first.response().status(), "bob's calendar is not alice's to write");
        DavOutcome copy = handle(store, request("alice", "COPY", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/family/meeting.ics"));
        assertEquals(201, copy.response().status());
        assertTrue(copy.store().calendar("alice", "work").orElseThrow().members().containsKey("meeting.ics"));
        assertEquals(List.of(new Change.Set(Layout.resource("alice", "family", "meeting.ics"),
                store.calendar("alice", "work").orElseThrow().members().get("meeting.ics").data())), copy.batch().orElseThrow().changes());
        DavOutcome again = handle(copy.store(), request("alice", "COPY", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/family/meeting.ics"));
        assertEquals(204, again.response().status(), body(again));
    }

    @Test
    void overwriteFalseOnAnExistingDestinationIs412() {
        expect(412, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/family/dinner.ics", "Overwrite", "F")));
        expect(400, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/family/dinner.ics", "Overwrite", "maybe")));
    }

    @Test
    void theDestinationsComponentSetIsEnforced() {
        expect(403, "supported-calendar-component", handle(store, request("alice", "MOVE", "/calendars/alice/work/task.ics",
                "Destination", "/calendars/alice/family/task.ics")));
    }

    @Test
    void overwritingWithAnotherUidIsAConflict() {
        expect(403, "no-uid-conflict", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/family/dinner.ics")));
    }

    @Test
    void sharesAreFollowed() {
        assertEquals(201, handle(store, request("bob", "MOVE", "/calendars/bob/work@alice/meeting.ics",
                "Destination", "/calendars/bob/personal/meeting.ics")).response().status());
        expect(403, "need-privileges", handle(store, request("carol", "MOVE", "/calendars/carol/family@alice/dinner.ics",
                "Destination", "/calendars/carol/family@alice/other.ics")));
        expect(404, "", handle(store, request("carol", "COPY", "/calendars/carol/work@alice/meeting.ics",
                "Destination", "/calendars/carol/family@alice/x.ics")));
        expect(403, "", handle(store, request("alice", "COPY", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/bob/personal/meeting.ics")));
    }

    @Test
    void badDestinationsAreRefused() {
        expect(400, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics")));
        expect(400, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics", "Destination", "ht tp://%%")));
        expect(403, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics", "Destination", "/elsewhere/x")));
        expect(403, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics", "Destination", "/calendars/alice/family/")));
        expect(403, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/work/meeting.ics")));
        expect(409, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "/calendars/alice/nothing/meeting.ics")));
        expect(502, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/meeting.ics",
                "Destination", "https://other.example/calendars/alice/family/m.ics", "Host", "cal.example")));
    }

    @Test
    void aCalendarIsRenamedWithAllItsObjects() {
        DavOutcome outcome = handle(store, request("alice", "MOVE", "/calendars/alice/work/", "Destination", "/calendars/alice/job/"));
        assertEquals(201, outcome.response().status(), body(outcome));
        assertTrue(outcome.store().calendar("alice", "work").isEmpty());
        Collection job = outcome.store().calendar("alice", "job").orElseThrow();
        Collection work = store.calendar("alice", "work").orElseThrow();
        assertEquals(work.members().keySet(), job.members().keySet());
        assertEquals(work.deadProperties(), job.deadProperties());
        assertEquals(List.of(new Change.Remove(Layout.calendar("alice", "work")), new Change.Remove(Layout.objectIndex("alice", "work")),
                new Change.Set(Layout.properties("alice", "job"), Layout.encodeProperties(job)),
                new Change.Set(Layout.resource("alice", "job", "meeting.ics"), work.members().get("meeting.ics").data()),
                new Change.Set(Layout.resource("alice", "job", "task.ics"), work.members().get("task.ics").data())),
                outcome.batch().orElseThrow().changes());
    }

    @Test
    void renamingOntoAnExistingCalendarNeedsOverwrite() {
        expect(412, "", handle(store, request("alice", "MOVE", "/calendars/alice/work/", "Destination", "/calendars/alice/family/",
                "Overwrite", "F")));
        DavOutcome replaced = handle(store, request("alice", "MOVE", "/calendars/alice/work/", "Destination", "/calendars/alice/family/"));
        assertEquals(204, replaced.response().status());
        assertEquals(store.calendar("alice", "work").orElseThrow().members().keySet(),
                replaced.store().calendar("alice", "family").orElseThrow().members().keySet());
    }

    @Test
    void calendarsAreNotCopiedAndSharedOnesNotMoved() {
        expect(403, "", handle(store, request("alice", "COPY", "/calendars/alice/work/", "Destination", "/calendars/alice/job/")));
        expect(403, "", handle(store, request("bob", "MOVE", "/calendars/bob/work@alice/", "Destination", "/calendars/bob/job/")));
        expect(403, "calendar-collection-location-ok", handle(store, request("alice", "MOVE", "/calendars/alice/work/",
                "Destination", "/calendars/bob/work/")));
        expect(403, "", handle(store, request("alice", "MOVE", "/calendars/alice/", "Destination", "/calendars/alice2/")));
    }

    private void expect(int status, String inBody, DavOutcome outcome) {
        assertEquals(status, outcome.response().status(), body(outcome));
        assertTrue(body(outcome).contains(inBody), body(outcome));
        assertUnchanged(store, outcome);
    }

}
