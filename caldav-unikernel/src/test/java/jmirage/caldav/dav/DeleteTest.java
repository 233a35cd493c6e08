package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Store;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import org.junit.jupiter.api.Test;

class DeleteTest {

    private final Store store = DavFixture.store();

    @Test
    void deletingAnObjectRemovesItsKeyInOneBatch() {
        DavOutcome outcome = handle(store, request("alice", "DELETE", "/calendars/alice/work/meeting.ics"));
        assertEquals(204, outcome.response().status());
        assertFalse(outcome.store().calendar("alice", "work").orElseThrow().members().containsKey("meeting.ics"));
        Batch batch = outcome.batch().orElseThrow();
        assertEquals("alice", batch.author());
        assertEquals("alice via caldav: DELETE /calendars/alice/work/meeting.ics", batch.message());
        assertEquals(List.of(new Change.Remove(Layout.resource("alice", "work", "meeting.ics"))), batch.changes());
    }

    @Test
    void theSyncTokenMovesOnADeletion() {
        String before = store.calendar("alice", "work").orElseThrow().sync().token();
        DavOutcome outcome = handle(store, request("alice", "DELETE", "/calendars/alice/work/meeting.ics"));
        assertFalse(before.equals(outcome.store().calendar("alice", "work").orElseThrow().sync().token()));
    }

    @Test
    void ifMatchIsHonoured() {
        DavOutcome stale = handle(store, request("alice", "DELETE", "/calendars/alice/work/meeting.ics", "If-Match", "\"stale\""));
        assertEquals(412, stale.response().status());
        assertUnchanged(store, stale);
        String etag = store.calendar("alice", "work").orElseThrow().members().get("meeting.ics").etag();
        assertEquals(204, handle(store, request("alice", "DELETE", "/calendars/alice/work/meeting.ics", "If-Match", etag))
                .response().status());
    }

    @Test
    void aReadWriteShareeDeletesObjectsButNotTheCalendar() {
        assertEquals(204, handle(store, request("bob", "DELETE", "/calendars/bob/work@alice/task.ics")).response().status());
        DavOutcome calendar = handle(store, request("bob", "DELETE", "/calendars/bob/work@alice/"));
        assertEquals(403, calendar.response().status());
        assertUnchanged(store, calendar);
    }

    @Test
    void aReadOnlyShareeDeletesNothing() {
        DavOutcome outcome = handle(store, request("carol", "DELETE", "/calendars/carol/family@alice/dinner.ics"));
        assertEquals(403, outcome.response().status());
        assertTrue(DavFixture.body(outcome).contains("need-privileges"));
        assertUnchanged(store, outcome);
    }

    @Test
    void deletingACalendarRemovesItsWholeFolderAndItsObjectIndex() {
        DavOutcome outcome = handle(store, request("alice", "DELETE", "/calendars/alice/work/"));
        assertEquals(204, outcome.response().status());
        assertTrue(outcome.store().calendar("alice", "work").isEmpty());
        assertTrue(outcome.store().calendar("alice", "family").isPresent());
        assertEquals(List.of(new Change.Remove(Layout.calendar("alice", "work")), new Change.Remove(Layout.objectIndex("alice", "work"))),
                outcome.batch().orElseThrow().changes());
    }

    @Test
    void ifNoneMatchStarOnAnExistingCalendarIs412() {
        DavOutcome outcome = handle(store, request("alice", "DELETE", "/calendars/alice/work/", "If-None-Match", "*"));
        assertEquals(412, outcome.response().status());
        assertUnchanged(store, outcome);
    }

    @Test
    void homesPrincipalsAndTheRootAreNotDeleted() {
        for (String path : new String[] {"/calendars/alice/", "/principals/alice/", "/", "/calendars/", "/principals/"}) {
            DavOutcome outcome = handle(store, request("alice", "DELETE", path));
            assertEquals(403, outcome.response().status(), path);
            assertUnchanged(store, outcome);
        }
    }

    @Test
    void missingThingsAre404() {
        for (String path : new String[] {"/calendars/alice/work/none.ics", "/calendars/alice/none/", "/calendars/alice/none/x.ics"}) {
            DavOutcome outcome = handle(store, request("alice", "DELETE", path));
            assertEquals(404, outcome.response().status(), path);
            assertUnchanged(store, outcome);
        }
    }
}
