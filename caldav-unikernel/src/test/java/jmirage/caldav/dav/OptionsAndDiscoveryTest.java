package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsAndDiscoveryTest {

    private final Store store = DavFixture.store();

    @ParameterizedTest
    @ValueSource(strings = {"/", "/calendars/alice/work/", "/calendars/alice/work/meeting.ics", "/nothing/here", "/principals/alice/"})
    void optionsAnswersTheDavClassesAndEveryMethodOnAnyPath(String path) {
        DavOutcome outcome = handle(store, request("alice", "OPTIONS", path));
        assertEquals(200, outcome.response().status());
        assertEquals("1, 3, calendar-access, extended-mkcol", outcome.response().headers().get("DAV").orElseThrow());
        String allow = outcome.response().headers().get("Allow").orElseThrow();
        for (String method : new String[] {"GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT", "MKCALENDAR", "MKCOL",
                "COPY", "MOVE", "OPTIONS"}) {
            assertTrue(allow.contains(method), allow + " lists " + method);
        }
        assertEquals(0, outcome.response().bytes().size());
        assertUnchanged(store, outcome);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PROPFIND", "HEAD", "PUT", "REPORT"})
    void theWellKnownPathRedirectsToTheRoot(String method) {
        DavOutcome outcome = handle(store, request("alice", method, "/.well-known/caldav"));
        assertEquals(301, outcome.response().status());
        assertEquals("/", outcome.response().headers().get("Location").orElseThrow());
        assertUnchanged(store, outcome);
    }

    @Test
    void anUnknownMethodIs405WithAllow() {
        DavOutcome outcome = handle(store, request("alice", "LOCK", "/calendars/alice/work/"));
        assertEquals(405, outcome.response().status());
        assertTrue(outcome.response().headers().get("Allow").orElseThrow().contains("MKCALENDAR"));
        assertUnchanged(store, outcome);
    }

    @Test
    void aUserNotInTheStoreIsRefusedWhateverTheMethod() {
        for (String method : new String[] {"GET", "PUT", "DELETE", "OPTIONS", "PROPFIND"}) {
            DavOutcome outcome = handle(store, request("dave", method, "/calendars/dave/"));
            assertEquals(403, outcome.response().status(), method);
            assertUnchanged(store, outcome);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/elsewhere", "/calendars/alice/work/meeting.ics/more", "/principals/alice/x", "/calendars/alice/.git/x"})
    void aPathNamingNothingIs404(String path) {
        DavOutcome outcome = handle(store, request("alice", "GET", path));
        assertEquals(404, outcome.response().status());
        assertUnchanged(store, outcome);
    }
}
