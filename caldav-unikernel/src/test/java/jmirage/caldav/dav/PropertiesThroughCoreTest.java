package jmirage.caldav.dav;

import static jmirage.caldav.dav.PropertiesFixture.found;
import static jmirage.caldav.dav.PropertiesFixture.hrefs;
import static jmirage.caldav.dav.PropertiesFixture.multistatus;
import static jmirage.caldav.dav.PropertiesFixture.response;
import static jmirage.caldav.dav.PropertiesFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import org.junit.jupiter.api.Test;

/**
 * What a client sees through the whole core: the calendar it made and the properties it set come
 * back in PROPFIND, and a sync from the token it held gives exactly what it changed since.
 */
class PropertiesThroughCoreTest {

    private static final DavCore CORE = new DavCore(DavConfig.defaults());
    private static final String NS = " xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\""
            + " xmlns:cs=\"http://calendarserver.org/ns/\" xmlns:ic=\"http://apple.com/ns/ical/\"";

    private Store store = PropertiesFixture.store();

    private DavOutcome send(String method, String path, String body, String... headers) {
        DavOutcome outcome = CORE.handle(store, new DavRequest(method, path, Headers.of(headers), Bytes.utf8(body), "carol",
                PropertiesFixture.NOW));
        store = outcome.store();
        return outcome;
    }

    @Test
    void aNewCalendarItsPropertiesAndItsSync() {
        assertEquals(201, send("MKCALENDAR", "/calendars/carol/trips/", "<c:mkcalendar" + NS + "><d:set><d:prop>"
                + "<d:displayname>Trips</d:displayname><c:supported-calendar-component-set><c:comp name=\"VEVENT\"/>"
                + "</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>").response().status());
        assertEquals(207, send("PROPPATCH", "/calendars/carol/trips/", "<d:propertyupdate" + NS + "><d:set><d:prop>"
                + "<ic:calendar-color>#00FF00FF</ic:calendar-color><ic:calendar-order>3</ic:calendar-order></d:prop></d:set>"
                + "</d:propertyupdate>").response().status());
        String syncBody = "<d:sync-collection" + NS + "><d:sync-token>%s</d:sync-token><d:sync-level>1</d:sync-level>"
                + "<d:prop><d:getetag/></d:prop></d:sync-collection>";
        Element empty = multistatus(send("REPORT", "/calendars/carol/trips/", syncBody.formatted(""), "Depth", "0").response());
        String token = empty.element(DavNames.SYNC_TOKEN).orElseThrow().text();
        assertEquals(List.of(), hrefs(empty));

        assertEquals(201, send("PUT", "/calendars/carol/trips/rome.ics", PropertiesFixture.ics("rome", "20260410T080000Z"),
                "Content-Type", "text/calendar", "If-None-Match", "*").response().status());

        Element ms = multistatus(send("PROPFIND", "/calendars/carol/", "<d:propfind" + NS + "><d:prop><d:displayname/>"
                + "<ic:calendar-color/><ic:calendar-order/><cs:getctag/><d:resourcetype/><c:supported-calendar-component-set/>"
                + "<d:current-user-privilege-set/></d:prop></d:propfind>", "Depth", "1").response());
        assertEquals(List.of("/calendars/carol/", "/calendars/carol/trips/"), hrefs(ms));
        Element trips = response(ms, "/calendars/carol/trips/");
        assertEquals("Trips", found(trips, DavNames.DISPLAYNAME).text());
        assertEquals("#00FF00FF", found(trips, DavNames.CALENDAR_COLOR).text());
        assertEquals("3", found(trips, DavNames.CALENDAR_ORDER).text());
        assertEquals(store.calendar("carol", "trips").orElseThrow().ctag(), found(trips, DavNames.GETCTAG).text());
        assertEquals(200, statusOf(trips, DavNames.SUPPORTED_CALENDAR_COMPONENT_SET));

        Element changes = multistatus(send("REPORT", "/calendars/carol/trips/", syncBody.formatted(token), "Depth", "0").response());
        assertEquals(List.of("/calendars/carol/trips/rome.ics"), hrefs(changes));
        assertEquals(store.calendar("carol", "trips").orElseThrow().members().get("rome.ics").etag(),
                found(response(changes, "/calendars/carol/trips/rome.ics"), DavNames.GETETAG).text());
    }

    /**
     * Apple Calendar and Thunderbird read a calendar's name and colour again only when its getctag
     * changes, so a PROPPATCH changes it; the sync token reflects the members only (RFC 6578 4) and
     * stays, and a change of a member changes both.
     */
    @Test
    void aPropertyChangeChangesTheCtagAndNotTheSyncToken() {
        assertEquals(201, send("MKCALENDAR", "/calendars/carol/trips/", "").response().status());
        String body = "<d:propfind" + NS + "><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>";
        Element bare = response(multistatus(send("PROPFIND", "/calendars/carol/trips/", body, "Depth", "0").response()), "/calendars/carol/trips/");
        String token = found(bare, DavNames.SYNC_TOKEN).text();
        assertEquals(token, found(bare, DavNames.GETCTAG).text(), "no dead property: the ctag is the token");

        assertEquals(207, send("PROPPATCH", "/calendars/carol/trips/", "<d:propertyupdate" + NS + "><d:set><d:prop>"
                + "<d:displayname>Trips</d:displayname></d:prop></d:set></d:propertyupdate>").response().status());
        Element named = response(multistatus(send("PROPFIND", "/calendars/carol/trips/", body, "Depth", "0").response()), "/calendars/carol/trips/");
        assertEquals(token, found(named, DavNames.SYNC_TOKEN).text(), "RFC 6578: the members did not change");
        String ctagNamed = found(named, DavNames.GETCTAG).text();
        assertTrue(ctagNamed.matches(java.util.regex.Pattern.quote(token) + "-[0-9a-f]{8}"), ctagNamed);

        assertEquals(207, send("PROPPATCH", "/calendars/carol/trips/", "<d:propertyupdate" + NS + "><d:set><d:prop>"
                + "<ic:calendar-color>#00FF00FF</ic:calendar-color></d:prop></d:set></d:propertyupdate>").response().status());
        Element coloured = response(multistatus(send("PROPFIND", "/calendars/carol/trips/", body, "Depth", "0").response()), "/calendars/carol/trips/");
        assertEquals(token, found(coloured, DavNames.SYNC_TOKEN).text());
        String ctagColoured = found(coloured, DavNames.GETCTAG).text();
        assertNotEquals(ctagNamed, ctagColoured, "a new colour, a new ctag");

        assertEquals(201, send("PUT", "/calendars/carol/trips/rome.ics", PropertiesFixture.ics("rome", "20260410T080000Z"),
                "Content-Type", "text/calendar").response().status());
        Element changed = response(multistatus(send("PROPFIND", "/calendars/carol/trips/", body, "Depth", "0").response()), "/calendars/carol/trips/");
        String newToken = found(changed, DavNames.SYNC_TOKEN).text();
        assertNotEquals(token, newToken);
        assertEquals(newToken + ctagColoured.substring(token.length()), found(changed, DavNames.GETCTAG).text(),
                "a member changed: the token part follows, the properties' part stays");
    }
}
