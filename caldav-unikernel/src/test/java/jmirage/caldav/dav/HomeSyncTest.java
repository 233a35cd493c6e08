package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static jmirage.caldav.dav.PropertiesFixture.assertCondition;
import static jmirage.caldav.dav.PropertiesFixture.found;
import static jmirage.caldav.dav.PropertiesFixture.multistatus;
import static jmirage.caldav.dav.PropertiesFixture.propfind;
import static jmirage.caldav.dav.PropertiesFixture.response;
import static jmirage.caldav.dav.PropertiesFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/**
 * DAV:sync-collection on the calendar home (RFC 6578, on the calendar-home-set of RFC 4791 6.2.1):
 * the home offers the report and a sync token; its members are calendars, reported when made,
 * changed (an event, a property: the ctag), renamed, deleted, and for a sharee when the owner changes
 * a shared calendar or a grant gives, takes away or changes one.
 */
class HomeSyncTest {

    private static final String NS = " xmlns:d=\"DAV:\" xmlns:cs=\"http://calendarserver.org/ns/\"";
    private static final String EVENT = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\n"
            + "DTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private Store store = DavFixture.store();

    private static String sync(String token, String level) {
        return "<d:sync-collection" + NS + "><d:sync-token>" + token + "</d:sync-token><d:sync-level>" + level + "</d:sync-level>"
                + "<d:prop><d:displayname/><cs:getctag/><d:sync-token/></d:prop></d:sync-collection>";
    }

    private Element homeSync(String user, String token) {
        return multistatus(handle(store, request(user, "REPORT", "/calendars/" + user + "/", Bytes.utf8(sync(token, "1")), "Depth", "1"))
                .response());
    }

    /** Each member the answer names, with its status: 404 when gone, else its getctag's (200). */
    private static Map<String, Integer> members(Element ms) {
        Map<String, Integer> out = new TreeMap<>();
        for (Element r : ms.elements(DavNames.RESPONSE)) {
            int status = r.element(DavNames.STATUS).isPresent() ? statusOf(r) : statusOf(r, DavNames.GETCTAG);
            out.put(r.element(DavNames.HREF).orElseThrow().text(), status);
        }
        return out;
    }

    private static String token(Element ms) {
        return ms.element(DavNames.SYNC_TOKEN).orElseThrow().text();
    }

    private void change(String user, String method, String path, String body, String... headers) {
        var outcome = handle(store, request(user, method, path, Bytes.utf8(body), headers));
        assertEquals(2, outcome.response().status() / 100, () -> method + " " + path + ": " + DavFixture.body(outcome));
        store = outcome.store();
    }

    @Test
    void theHomeOffersTheReportAndAToken() {
        Element home = response(multistatus(propfind(store, "/calendars/alice/", "alice",
                "<d:propfind" + NS + "><d:prop><d:supported-report-set/><d:sync-token/></d:prop></d:propfind>", "Depth", "0")),
                "/calendars/alice/");
        String reports = found(home, DavNames.SUPPORTED_REPORT_SET).toString();
        assertTrue(reports.contains("sync-collection") && reports.contains("calendar-multiget"), reports);
        assertEquals(token(homeSync("alice", "")), found(home, DavNames.SYNC_TOKEN).text());
    }

    @Test
    void anInitialSyncListsEveryCalendarOfTheHomeSharedOnesToo() {
        assertEquals(Map.of("/calendars/alice/family/", 200, "/calendars/alice/work/", 200), members(homeSync("alice", "")));
        assertEquals(Map.of("/calendars/bob/personal/", 200, "/calendars/bob/work@alice/", 200), members(homeSync("bob", "")));
    }

    @Test
    void calendarsMadeChangedRenamedAndDeletedAreReported() {
        String before = token(homeSync("alice", ""));
        change("alice", "MKCALENDAR", "/calendars/alice/trips/", "");
        change("alice", "PUT", "/calendars/alice/work/new.ics", EVENT.formatted("new"), "Content-Type", "text/calendar");
        change("alice", "MOVE", "/calendars/alice/family/", "", "Destination", "/calendars/alice/kin/");
        Element ms = homeSync("alice", before);
        assertEquals(Map.of("/calendars/alice/trips/", 200, "/calendars/alice/work/", 200, "/calendars/alice/family/", 404,
                "/calendars/alice/kin/", 200), members(ms));

        String after = token(ms);
        change("alice", "DELETE", "/calendars/alice/trips/", "");
        change("alice", "PROPPATCH", "/calendars/alice/kin/", "<d:propertyupdate" + NS + "><d:set><d:prop><d:displayname>Kin</d:displayname>"
                + "</d:prop></d:set></d:propertyupdate>");
        assertEquals(Map.of("/calendars/alice/trips/", 404, "/calendars/alice/kin/", 200), members(homeSync("alice", after)),
                "a deletion, and a new name (a dead property: the ctag changed, not the calendar's sync token)");
        assertEquals(Map.of(), members(homeSync("alice", token(homeSync("alice", "")))));
    }

    @Test
    void aShareeSeesTheOwnersChangesAndTheGrantsComeAndGo() {
        String bobBefore = token(homeSync("bob", ""));
        String carolBefore = token(homeSync("carol", ""));
        change("alice", "PUT", "/calendars/alice/work/new.ics", EVENT.formatted("new"), "Content-Type", "text/calendar");
        assertEquals(Map.of("/calendars/bob/work@alice/", 200), members(homeSync("bob", bobBefore)), "the shared calendar's ctag changed");
        assertEquals(Map.of(), members(homeSync("carol", carolBefore)), "carol was not given work");

        // the shares file changes (a reload): bob loses work, gets family read-only; carol's read becomes read-write
        String bobMiddle = token(homeSync("bob", ""));
        String carolMiddle = token(homeSync("carol", ""));
        Store reloaded = store.withShares(Shares.parse(Bytes.utf8("share alice/family with bob read\nshare alice/family with carol read-write\n"))
                .orElseThrow());
        store = Layout.carryOn(store, reloaded);
        assertEquals(Map.of("/calendars/bob/work@alice/", 404, "/calendars/bob/family@alice/", 200), members(homeSync("bob", bobMiddle)));
        assertEquals(Map.of("/calendars/carol/family@alice/", 200), members(homeSync("carol", carolMiddle)),
                "the access changed: its current-user-privilege-set is another");
        assertEquals(Map.of("/calendars/bob/work@alice/", 404, "/calendars/bob/family@alice/", 200), members(homeSync("bob", bobBefore)),
                "a token from before both changes: the alias that came and went is reported gone");
    }

    @Test
    void anUnknownTokenAndAnInfiniteLevelAreRefused() {
        assertCondition(handle(store, request("alice", "REPORT", "/calendars/alice/",
                Bytes.utf8(sync("http://jmirage.org/ns/sync/" + "0".repeat(63) + "1", "1")), "Depth", "1")).response(),
                403, DavNames.VALID_SYNC_TOKEN);
        assertCondition(handle(store, request("alice", "REPORT", "/calendars/alice/", Bytes.utf8(sync("", "infinite")), "Depth", "1"))
                .response(), 403, DavNames.dav("sync-traversal-supported"));
        assertEquals(404, handle(store, request("bob", "REPORT", "/calendars/alice/", Bytes.utf8(sync("", "1")), "Depth", "1"))
                .response().status(), "another user's home");
    }
}
