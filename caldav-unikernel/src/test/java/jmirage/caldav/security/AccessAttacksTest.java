package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static jmirage.caldav.security.Attack.ok;
import static jmirage.caldav.security.Attack.refused;
import static jmirage.caldav.security.Attack.request;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bob (a read-write sharee of alice's work, nothing else of hers) tries to reach alice's secret
 * calendar, and carol (a read-only sharee of family) tries to write, through every trick a path
 * allows. Paths are given as the shell hands them to the core: percent-decoded once, so a literal
 * "%2F" here is what a client sent as "%252F".
 */
class AccessAttacksTest {

    private final Store store = Attack.store();

    @ParameterizedTest(name = "bob GET {0}")
    @ValueSource(strings = {
            "/calendars/alice/secret/plan.ics",
            "/calendars/bob/secret@alice/plan.ics",
            "/calendars/bob/work@alice/../secret@alice/plan.ics",
            "/calendars/bob/work@alice/../../alice/secret/plan.ics",
            "/calendars/bob/./secret@alice/./plan.ics",
            "/calendars/bob/secret@alice@bob/plan.ics",
            "/calendars/bob/work@alice@alice/meeting.ics",
            "/calendars/bob/secret@alice@alice/plan.ics",
            "/calendars/bob/@alice/plan.ics",
            "/calendars/bob/secret@/plan.ics",
            "/calendars/bob/secret@Alice/plan.ics",
            "/calendars/bob/secret@ALICE/plan.ics",
            "/calendars/Alice/secret/plan.ics",
            "/calendars/bob/secret@\uFF41lice/plan.ics",
            "/calendars/bob/secret@a\u200Blice/plan.ics",
            "/calendars/bob/secret%40alice/plan.ics",
            "/calendars/bob/work@alice%2F..%2Fsecret@alice/plan.ics",
            "/calendars/bob/work@alice/%2e%2e/secret@alice/plan.ics",
            "/calendars/bob/work@alice/..%2F..%2F..%2Falice%2Fsecret%2Fplan.ics",
            "/calendars/alice/secret/",
            "/calendars/bob/secret@alice/",
            "/calendars/alice/",
            "/../calendars/alice/secret/plan.ics",
            "/calendars/bob/work@alice/../../../../calendars/alice/secret/plan.ics",
    })
    void noPathReachesACalendarNotGranted(String path) {
        for (String method : new String[] {"GET", "HEAD", "PROPFIND", "DELETE", "PROPPATCH"}) {
            DavOutcome outcome = Attack.CORE.handle(store, request("bob", method, path, "Depth", "1"));
            int status = outcome.response().status();
            assertTrue(status == 404 || status == 403 || status == 400, method + " " + path + " -> " + status);
            assertFalse(body(outcome).contains("SECRET-ALICE"), method + " " + path);
            assertFalse(body(outcome).contains("plan.ics"), method + " " + path + " names alice's object");
            assertTrue(outcome.batch().isEmpty(), method + " " + path);
        }
    }

    @Test
    void multigetHrefsToOthersObjectsAre404EachWithoutData() {
        String[] hrefs = {
                "/calendars/alice/secret/plan.ics",
                "/calendars/bob/secret@alice/plan.ics",
                "http://evil.example/calendars/alice/secret/plan.ics",
                "/calendars/bob/work@alice%2F..%2F..%2Falice%2Fsecret%2Fplan.ics",
                "/calendars/bob/work@alice/%2e%2e/%2e%2e/alice/secret/plan.ics",
                "/calendars/bob/secret%40alice/plan.ics",
                "/calendars/bob/personal/dentist.ics",
        };
        StringBuilder b = new StringBuilder("<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                + "<D:prop><D:getetag/><C:calendar-data/></D:prop>");
        for (String h : hrefs) {
            b.append("<D:href>").append(h).append("</D:href>");
        }
        b.append("</C:calendar-multiget>");
        for (String at : new String[] {"/calendars/bob/", "/calendars/bob/work@alice/", "/calendars/bob/personal/"}) {
            DavOutcome outcome = refusedOrAnswered(store, xml("bob", "REPORT", at, b.toString(), "Depth", "1"));
            assertEquals(207, outcome.response().status(), body(outcome));
            String answer = body(outcome);
            assertFalse(answer.contains("SECRET-ALICE"), answer);
            assertTrue(answer.contains("SECRET-BOB"), "bob's own object is answered: " + answer);
            // six 404 responses, one 200
            assertEquals(hrefs.length - 1, answer.split("404 Not Found", -1).length - 1, answer);
        }
    }

    private static DavOutcome refusedOrAnswered(Store store, jmirage.caldav.dav.DavRequest request) {
        return Attack.CORE.handle(store, request);
    }

    @ParameterizedTest(name = "{0} REPORT {2} on {1} -> {3}")
    @CsvSource({
            "carol, /calendars/carol/family@alice/, sync, 207",
            "carol, /calendars/carol/family@alice/, query, 207",
            "carol, /calendars/carol/family@alice/, freebusy, 200",
            "carol, /calendars/carol/work@alice/, sync, 404",
            "carol, /calendars/carol/work@alice/, query, 404",
            "carol, /calendars/carol/work@alice/, freebusy, 404",
            "bob,   /calendars/bob/secret@alice/, freebusy, 404",
            "bob,   /calendars/alice/secret/, freebusy, 404",
            "bob,   /calendars/bob/secret@alice/, sync, 404",
            "bob,   /calendars/bob/secret@alice/, query, 404",
            "alice, /calendars/alice/personal@bob/, freebusy, 404",
    })
    void reportsFollowTheGrants(String user, String path, String report, int status) {
        String body = switch (report) {
            case "sync" -> "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token/><D:sync-level>1</D:sync-level>"
                    + "<D:prop><D:getetag/></D:prop></D:sync-collection>";
            case "query" -> "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><C:calendar-data/>"
                    + "</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
            default -> "<C:free-busy-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:time-range start=\"20260101T000000Z\" "
                    + "end=\"20270101T000000Z\"/></C:free-busy-query>";
        };
        DavOutcome outcome = Attack.CORE.handle(store, xml(user, "REPORT", path, body, "Depth", report.equals("query") ? "1" : "0"));
        assertEquals(status, outcome.response().status(), body(outcome));
        assertFalse(body(outcome).contains("SECRET"), body(outcome));
        assertTrue(outcome.batch().isEmpty());
    }

    @Test
    void aShareeCannotDeleteRenameOrRetitleTheOwnersCalendar() {
        refused(store, request("bob", "DELETE", "/calendars/bob/work@alice/"), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/work@alice/", "Destination", "/calendars/bob/stolen/"), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/work@alice/", "Destination", "/calendars/bob/work@alice/"), 403);
        refused(store, request("bob", "COPY", "/calendars/bob/work@alice/", "Destination", "/calendars/bob/stolen/"), 403);
        refused(store, xml("bob", "PROPPATCH", "/calendars/bob/work@alice/", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
                + "<D:displayname>pwned</D:displayname></D:prop></D:set></D:propertyupdate>"), 403);
        refused(store, request("carol", "DELETE", "/calendars/carol/family@alice/dinner.ics"), 403);
        refused(store, Attack.put("carol", "/calendars/carol/family@alice/new.ics", Attack.event("uid-new", "x")), 403);
        refused(store, request("carol", "MOVE", "/calendars/carol/family@alice/dinner.ics",
                "Destination", "/calendars/carol/family@alice/moved.ics"), 403);
    }

    @ParameterizedTest(name = "bob {0} work@alice/meeting.ics to {1} -> {2}")
    @CsvSource({
            "COPY, /calendars/bob/family@alice/x.ics, 403",
            "COPY, /calendars/alice/secret/x.ics, 403",
            "COPY, /calendars/bob/secret@alice/x.ics, 403",
            "COPY, /calendars/alice/work/x.ics, 403",
            "MOVE, /calendars/bob/secret@alice/x.ics, 403",
            "MOVE, http://localhost/calendars/alice/secret/x.ics, 403",
            "MOVE, /calendars/bob/work@alice/../../alice/secret/x.ics, 403",
            "MOVE, /calendars/bob/work@alice/%2e%2e/secret@alice/x.ics, 403",
            "COPY, /calendars/bob/work@alice%2F..%2Fsecret@alice/x.ics, 403",
            "MOVE, /calendars/bob/secret@alice/, 403",
            "MOVE, /calendars/bob/work@alice/.x.ics, 403",
    })
    void copyAndMoveNeverLandInACalendarWithoutWriteAccess(String method, String destination, int status) {
        refused(store, request("bob", method, "/calendars/bob/work@alice/meeting.ics", "Destination", destination), status);
    }

    @Test
    void anOwnerCannotMoveACalendarIntoAnotherHome() {
        refused(store, request("bob", "MOVE", "/calendars/bob/personal/", "Destination", "/calendars/alice/personal/"), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/personal/", "Destination", "/calendars/bob/personal@alice/"), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/personal/", "Destination", "/calendars/bob/work@alice/"), 403);
    }

    @Test
    void aShareeDeletingTheAliasLeavesTheOwnersCalendar() {
        Attack.CORE.handle(store, request("bob", "DELETE", "/calendars/bob/work@alice/"));
        DavOutcome owner = Attack.CORE.handle(store, request("alice", "GET", "/calendars/alice/work/meeting.ics"));
        assertEquals(200, owner.response().status());
    }

    @ParameterizedTest(name = "bob {0} {1}")
    @CsvSource({
            "MKCALENDAR, /calendars/alice/new/, 404",
            "MKCOL, /calendars/alice/new/, 404",
            "MKCALENDAR, /calendars/bob/new@alice/, 403",
            "MKCALENDAR, /calendars/bob/work@alice/, 403",
            "MKCALENDAR, /calendars/bob/work@alice/inner/, 403",
            "MKCALENDAR, /calendars/bob/.hidden/, 404",
            "MKCALENDAR, /calendars/bob/personal/, 403",
    })
    void mkcalendarOnlyInOnesOwnHome(String method, String path, int status) {
        refused(store, request("bob", method, path), status);
    }

    @ParameterizedTest(name = "PUT name of {0} bytes")
    @ValueSource(ints = {256, 300, 10_000})
    void aNameTheKvCannotHoldIsRefused(int length) {
        refused(store, Attack.put("bob", "/calendars/bob/personal/" + "x".repeat(length), Attack.event("uid-long", "x")), 403);
        // two-byte characters: 128 of them are 256 bytes
        refused(store, Attack.put("bob", "/calendars/bob/personal/" + "\u00e9".repeat(128), Attack.event("uid-long", "x")), 403);
        refused(store, request("bob", "MKCALENDAR", "/calendars/bob/" + "c".repeat(length) + "/"), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/personal/dentist.ics",
                "Destination", "/calendars/bob/personal/" + "y".repeat(length)), 403);
        refused(store, request("bob", "MOVE", "/calendars/bob/personal/", "Destination", "/calendars/bob/" + "y".repeat(length) + "/"), 403);
    }

    @Test
    void theLongestNameTheKvHoldsIsStoredAndReadBack() {
        String name = "x".repeat(251) + ".ics";
        Store next = ok(store, Attack.put("bob", "/calendars/bob/personal/" + name, Attack.event("uid-255", "x")));
        assertEquals(200, Attack.CORE.handle(next, request("bob", "GET", "/calendars/bob/personal/" + name)).response().status());
    }

    @ParameterizedTest(name = "PUT {0}")
    @ValueSource(strings = {
            "/calendars/bob/personal/.collection.xml",
            "/calendars/bob/personal/.hidden.ics",
            "/calendars/bob/personal/..",
            "/calendars/bob/personal/a\u0000b.ics",
            "/calendars/bob/personal/a\\b.ics",
            "/calendars/bob/.collection.xml",
            "/calendars/bob/personal/x/y.ics",
            "/htpasswd",
            "/shares",
            "/calendars/bob/personal/../../alice/secret/plan.ics",
    })
    void aPutNeverWritesTheServersOwnFiles(String path) {
        DavOutcome outcome = Attack.CORE.handle(store, Attack.put("bob", path, Attack.event("uid-x", "x")));
        int status = outcome.response().status();
        assertTrue(status >= 400 && status < 500, path + " -> " + status);
        assertTrue(outcome.batch().isEmpty());
    }

    @Test
    void anEncodedSlashInANameStaysInTheName() {
        // a client sent %252F: the name holds "%2F", stored as one Kv segment, answered under its own href
        Store next = ok(store, Attack.put("bob", "/calendars/bob/personal/a%2Fb.ics", Attack.event("uid-enc", "x")));
        DavOutcome listing = Attack.CORE.handle(next, request("bob", "PROPFIND", "/calendars/bob/personal/", "Depth", "1"));
        assertTrue(body(listing).contains("/calendars/bob/personal/a%252Fb.ics"), body(listing));
    }

    @Test
    void anotherUsersPrincipalShowsItsNameNotItsHome() {
        // By design (PropertiesSubject.Principal): sharing clients look up principals, so the basic
        // properties are public to users; the home and the calendars are not.
        DavOutcome outcome = Attack.CORE.handle(store, xml("bob", "PROPFIND", "/principals/alice/", "<D:propfind xmlns:D=\"DAV:\">"
                + "<D:prop><C:calendar-home-set xmlns:C=\"urn:ietf:params:xml:ns:caldav\"/></D:prop></D:propfind>", "Depth", "1"));
        assertEquals(207, outcome.response().status());
        assertFalse(body(outcome).contains("/calendars/alice/"), body(outcome));
        assertEquals(404, Attack.CORE.handle(store, request("bob", "GET", "/principals/alice/")).response().status());
    }

    @Test
    void aHomeListingShowsOnlyWhatWasGranted() {
        DavOutcome listing = Attack.CORE.handle(store, request("bob", "PROPFIND", "/calendars/bob/", "Depth", "1"));
        String answer = body(listing);
        assertTrue(answer.contains("/calendars/bob/work@alice/"), answer);
        assertFalse(answer.contains("secret"), answer);
        assertFalse(answer.contains("family"), answer);
    }
}
