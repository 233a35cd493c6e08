package jmirage.caldav.dav;

import static jmirage.caldav.dav.PropertiesFixture.found;
import static jmirage.caldav.dav.PropertiesFixture.hrefs;
import static jmirage.caldav.dav.PropertiesFixture.multistatus;
import static jmirage.caldav.dav.PropertiesFixture.response;
import static jmirage.caldav.dav.PropertiesFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(store.calendar("carol", "trips").orElseThrow().sync().token(), found(trips, DavNames.GETCTAG).text());
        assertEquals(200, statusOf(trips, DavNames.SUPPORTED_CALENDAR_COMPONENT_SET));

        Element changes = multistatus(send("REPORT", "/calendars/carol/trips/", syncBody.formatted(token), "Depth", "0").response());
        assertEquals(List.of("/calendars/carol/trips/rome.ics"), hrefs(changes));
        assertEquals(store.calendar("carol", "trips").orElseThrow().members().get("rome.ics").etag(),
                found(response(changes, "/calendars/carol/trips/rome.ics"), DavNames.GETETAG).text());
    }
}
