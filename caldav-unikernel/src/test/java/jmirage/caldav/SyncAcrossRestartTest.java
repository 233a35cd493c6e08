package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.SyncHistoryFile;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.kv.Key;
import jmirage.http.HttpResponse;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * Sync tokens across a restart (RFC 6578): a clean stop writes each calendar's recent history
 * beside it, so a client's token from before the stop still gets exactly the changes made since;
 * when the calendar changed while the server was down, the history does not lead to the content
 * and older tokens get 403 valid-sync-token, as after a kill -9.
 */
class SyncAcrossRestartTest {

    private static final String CALENDAR = "/calendars/" + FirstUser.USER + "/" + FirstUser.CALENDAR + "/";

    private final SimCalDav cal = new SimCalDav(21, VirtualSwitch.Conditions.PERFECT);
    private DirectStack client;
    private String auth;

    private void firstBoot() {
        cal.boot().orElseThrow();
        client = cal.stack(3);
        auth = SimCalDav.basic(FirstUser.USER, cal.printedPasswords().getFirst());
    }

    private static String event(String uid, String summary) {
        return SimTargetTest.EVENT.replace("sim-1@jmirage", uid).replace("SUMMARY:Planning", "SUMMARY:" + summary);
    }

    private int put(String name, String body) {
        return cal.send(client, SimCalDav.request("PUT", CALENDAR + name, auth, body, "Content-Type", "text/calendar")).status();
    }

    private HttpResponse sync(String token) {
        return cal.send(client, SimCalDav.request("REPORT", CALENDAR, auth, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<sync-collection xmlns=\"DAV:\"><sync-token>" + token + "</sync-token><sync-level>1</sync-level>"
                + "<prop><getetag/></prop></sync-collection>", "Depth", "0", "Content-Type", "application/xml"));
    }

    /** Each member a sync-collection answer names, with 200 (changed: its properties found) or 404 (gone); and its new token. */
    private record Changes(Map<String, Integer> members, String token) {}

    private Changes changes(String token) {
        HttpResponse r = sync(token);
        assertEquals(207, r.status(), () -> r.bytes().toUtf8() + cal.logText());
        Element ms = XmlReader.parse(r.bytes()).orElseThrow();
        Map<String, Integer> members = new TreeMap<>();
        for (Element response : ms.elements(DavNames.RESPONSE)) {
            String href = response.element(DavNames.HREF).orElseThrow().text();
            String status = response.element(DavNames.STATUS).map(Element::text)
                    .orElseGet(() -> response.element(DavNames.PROPSTAT).orElseThrow().element(DavNames.STATUS).orElseThrow().text());
            members.put(href.substring(href.lastIndexOf('/') + 1), Integer.parseInt(status.split(" ")[1]));
        }
        return new Changes(members, ms.element(DavNames.SYNC_TOKEN).orElseThrow().text());
    }

    private long historiesWritten() {
        return cal.sim.records().stream().filter(r -> r.message().startsWith("stopping: wrote ")).count();
    }

    @Test
    void aCleanRestartKeepsAClientsTokenValid() {
        firstBoot();
        assertEquals(201, put("a.ics", event("a", "A")));
        assertEquals(201, put("b.ics", event("b", "B")));
        assertEquals(201, put("c.ics", event("c", "C")));
        String before = changes("").token();
        assertEquals(204, put("b.ics", event("b", "B, moved")));
        assertEquals(204, cal.send(client, SimCalDav.request("DELETE", CALENDAR + "c.ics", auth, "")).status());
        assertEquals(201, put("d.ics", event("d", "D")));
        String now = changes("").token();

        cal.stop();
        Bytes file = cal.sim.await(cal.kv.get(SyncHistoryFile.key(FirstUser.USER, FirstUser.CALENDAR))).orElseThrow();
        assertTrue(file.toUtf8().endsWith("\ntoken " + now + "\n"), file.toUtf8());
        assertEquals(1, historiesWritten(), cal.logText());

        cal.boot().orElseThrow();
        assertEquals(new Changes(Map.of("b.ics", 200, "c.ics", 404, "d.ics", 200), now), changes(before),
                "the token from before the stop: exactly what changed since" + cal.logText());
        assertEquals(Map.of(), changes(now).members());

        cal.stop();
        assertEquals(1, historiesWritten(), "nothing changed: the file is not written again" + cal.logText());
        cal.boot().orElseThrow();
        assertEquals(Map.of("b.ics", 200, "c.ics", 404, "d.ics", 200), changes(before).members(), "and after a second restart");
    }

    private Changes homeChanges(String token) {
        HttpResponse r = cal.send(client, SimCalDav.request("REPORT", "/calendars/" + FirstUser.USER + "/", auth,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><sync-collection xmlns=\"DAV:\" xmlns:cs=\"http://calendarserver.org/ns/\">"
                        + "<sync-token>" + token + "</sync-token><sync-level>1</sync-level><prop><cs:getctag/></prop></sync-collection>",
                "Depth", "1", "Content-Type", "application/xml"));
        assertEquals(207, r.status(), () -> r.bytes().toUtf8() + cal.logText());
        Element ms = XmlReader.parse(r.bytes()).orElseThrow();
        Map<String, Integer> members = new TreeMap<>();
        for (Element response : ms.elements(DavNames.RESPONSE)) {
            String href = response.element(DavNames.HREF).orElseThrow().text();
            String status = response.element(DavNames.STATUS).map(Element::text)
                    .orElseGet(() -> response.element(DavNames.PROPSTAT).orElseThrow().element(DavNames.STATUS).orElseThrow().text());
            members.put(href, Integer.parseInt(status.split(" ")[1]));
        }
        return new Changes(members, ms.element(DavNames.SYNC_TOKEN).orElseThrow().text());
    }

    @Test
    void theHomesTokenSurvivesACleanRestartToo() {
        firstBoot();
        String before = homeChanges("").token();
        assertEquals(201, cal.send(client, SimCalDav.request("MKCALENDAR", "/calendars/admin/trips/", auth, "")).status());
        assertEquals(201, put("a.ics", event("a", "A")));
        String now = homeChanges("").token();

        cal.stop();
        Bytes file = cal.sim.await(cal.kv.get(SyncHistoryFile.homeKey(FirstUser.USER))).orElseThrow();
        assertTrue(file.toUtf8().endsWith("\ntoken " + now + "\n"), file.toUtf8());

        cal.boot().orElseThrow();
        assertEquals(new Changes(Map.of(CALENDAR, 200, "/calendars/admin/trips/", 200), now), homeChanges(before),
                "a token of the home from before the stop: the calendars changed since" + cal.logText());
        assertEquals(Map.of(), homeChanges(now).members());
    }

    @Test
    void aCalendarEditedWhileDownGetsA403ForOlderTokens() {
        firstBoot();
        assertEquals(201, put("a.ics", event("a", "A")));
        String before = changes("").token();
        assertEquals(201, put("b.ics", event("b", "B")));
        cal.stop();

        // a person adds an event while the server is down
        cal.sim.await(cal.kv.set(Layout.resource(FirstUser.USER, FirstUser.CALENDAR, "e.ics"), Bytes.utf8(event("e", "E")))).orElseThrow();
        cal.boot().orElseThrow();
        HttpResponse stale = sync(before);
        assertEquals(403, stale.status(), () -> stale.bytes().toUtf8());
        Element error = XmlReader.parse(stale.bytes()).orElseThrow();
        assertTrue(error.element(DavNames.VALID_SYNC_TOKEN).isPresent(), stale.bytes().toUtf8());
        // the calendar's file, and its home's: the calendar's ctag, which the home's token follows, changed too
        for (Key file : List.of(SyncHistoryFile.key(FirstUser.USER, FirstUser.CALENDAR), SyncHistoryFile.homeKey(FirstUser.USER))) {
            assertEquals(1, cal.sim.records().stream().filter(r -> r.level() == LogLevel.WARN && r.message().startsWith(file + ": ")
                    && r.message().contains("changed while the server was stopped")).count(), file + "\n" + cal.logText());
        }
        assertEquals(Map.of("a.ics", 200, "b.ics", 200, "e.ics", 200), changes("").members(), "a client syncs again from scratch");

        // reported once: the next clean stop writes both files for the content as it is now, so the
        // restart after it keeps the tokens of this session and says nothing
        String after = changes("").token();
        String homeAfter = homeChanges("").token();
        cal.stop();
        cal.boot().orElseThrow();
        assertEquals(2, cal.sim.records().stream().filter(r -> r.level() == LogLevel.WARN
                && r.message().contains("changed while the server was stopped")).count(), cal.logText());
        assertEquals(Map.of(), changes(after).members());
        assertEquals(Map.of(), homeChanges(homeAfter).members());
    }
}
