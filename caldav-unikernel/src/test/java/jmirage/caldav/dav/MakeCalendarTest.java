package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.assertUnchanged;
import static jmirage.caldav.dav.DavFixture.body;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.core.Bytes;
import jmirage.core.kv.Change;
import org.junit.jupiter.api.Test;

class MakeCalendarTest {

    private final Store store = DavFixture.store();

    /** What Thunderbird and python3-caldav send (RFC 4791 5.3.1.2's example, with Apple's colour). */
    private static final String MKCALENDAR_BODY = """
            <?xml version="1.0" encoding="utf-8" ?>
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
              <D:set><D:prop>
                <D:displayname>Lisa's Events</D:displayname>
                <C:calendar-description xml:lang="en">Calendar restricted to events.</C:calendar-description>
                <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
                <I:calendar-color>#FF2968FF</I:calendar-color>
              </D:prop></D:set>
            </C:mkcalendar>
            """;

    @Test
    void mkcalendarWithoutBodyMakesACalendarForEveryComponent() {
        DavOutcome outcome = handle(store, request("carol", "MKCALENDAR", "/calendars/carol/home/"));
        assertEquals(201, outcome.response().status());
        Collection made = outcome.store().calendar("carol", "home").orElseThrow();
        assertEquals(EnumSet.allOf(ComponentKind.class), made.components());
        assertEquals(DavFixture.NOW, made.created());
        assertEquals(List.of(new Change.Set(Layout.properties("carol", "home"), Layout.encodeProperties(made))),
                outcome.batch().orElseThrow().changes());
        assertEquals("carol via caldav: MKCALENDAR /calendars/carol/home/", outcome.batch().orElseThrow().message());
    }

    @Test
    void mkcalendarKeepsThePropertiesOfItsBody() {
        DavOutcome outcome = handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/", Bytes.utf8(MKCALENDAR_BODY)));
        assertEquals(201, outcome.response().status());
        Collection made = outcome.store().calendar("alice", "events").orElseThrow();
        assertEquals(EnumSet.of(ComponentKind.VEVENT), made.components());
        assertEquals("Lisa's Events", made.deadProperties().get(DavNames.DISPLAYNAME).text());
        assertEquals("#FF2968FF", made.deadProperties().get(DavNames.CALENDAR_COLOR).text());
        assertTrue(made.deadProperties().containsKey(DavNames.CALENDAR_DESCRIPTION));
        assertTrue(!made.deadProperties().containsKey(DavNames.SUPPORTED_CALENDAR_COMPONENT_SET), "held by the collection");
    }

    @Test
    void anExistingCalendarIs403ResourceMustBeNull() {
        DavOutcome outcome = handle(store, request("alice", "MKCALENDAR", "/calendars/alice/work/"));
        assertEquals(403, outcome.response().status());
        assertTrue(body(outcome).contains("resource-must-be-null"), body(outcome));
        assertUnchanged(store, outcome);
    }

    @Test
    void aCalendarIsMadeOnlyInOnesOwnHome() {
        expect(403, "calendar-collection-location-ok", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/work/sub")));
        expect(403, "calendar-collection-location-ok", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/x@bob/")));
        expect(403, "calendar-collection-location-ok", handle(store, request("bob", "MKCALENDAR", "/calendars/bob/new@alice/")));
        expect(404, "", handle(store, request("alice", "MKCALENDAR", "/calendars/bob/new/")));
        expect(403, "resource-must-be-null", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/")));
        expect(403, "resource-must-be-null", handle(store, request("alice", "MKCALENDAR", "/principals/alice/")));
    }

    @Test
    void anUnknownComponentFailsTheWholeRequestWithPropstats() {
        String body = MKCALENDAR_BODY.replace("name=\"VEVENT\"", "name=\"VAVAILABILITY\"");
        DavOutcome outcome = handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/", Bytes.utf8(body)));
        String text = body(outcome);
        expect(403, "mkcalendar-response", outcome);
        assertTrue(text.contains("supported-calendar-component"), text);
        assertTrue(text.contains("HTTP/1.1 424 Failed Dependency"), "the other properties depend on it: " + text);
    }

    @Test
    void aProtectedPropertyFailsTheWholeRequest() {
        String body = MKCALENDAR_BODY.replace("<D:displayname>", "<D:getetag>\"x\"</D:getetag><D:displayname>");
        expect(403, "cannot-modify-protected-property",
                handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/", Bytes.utf8(body))));
    }

    @Test
    void badXmlIs400() {
        expect(400, "", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/", Bytes.utf8("<C:mkcalendar"))));
        expect(400, "", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/",
                Bytes.utf8("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"))));
        expect(400, "", handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/",
                Bytes.utf8("<D:propfind xmlns:D=\"DAV:\"/>"))));
    }

    @Test
    void extendedMkcolWithTheCalendarResourcetypeMakesACalendar() {
        String body = """
                <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <D:set><D:prop>
                    <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
                    <D:displayname>Tasks</D:displayname>
                    <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>
                  </D:prop></D:set>
                </D:mkcol>""";
        DavOutcome outcome = handle(store, request("alice", "MKCOL", "/calendars/alice/tasks/", Bytes.utf8(body)));
        assertEquals(201, outcome.response().status());
        Collection made = outcome.store().calendar("alice", "tasks").orElseThrow();
        assertEquals(EnumSet.of(ComponentKind.VTODO), made.components());
        assertEquals("Tasks", made.deadProperties().get(DavNames.DISPLAYNAME).text());
        assertTrue(!made.deadProperties().containsKey(DavNames.RESOURCETYPE));
    }

    @Test
    void aPlainMkcolIsRefusedWithValidResourcetype() {
        expect(403, "valid-resourcetype", handle(store, request("alice", "MKCOL", "/calendars/alice/folder/")));
        String plain = "<D:mkcol xmlns:D=\"DAV:\"><D:set><D:prop><D:resourcetype><D:collection/></D:resourcetype>"
                + "<D:displayname>x</D:displayname></D:prop></D:set></D:mkcol>";
        DavOutcome outcome = handle(store, request("alice", "MKCOL", "/calendars/alice/folder/", Bytes.utf8(plain)));
        expect(403, "mkcol-response", outcome);
        assertTrue(body(outcome).contains("valid-resourcetype"));
    }

    @Test
    void mkcolOnSomethingThatExistsIs405() {
        expect(405, "", handle(store, request("alice", "MKCOL", "/calendars/alice/work/")));
        expect(405, "", handle(store, request("alice", "MKCOL", "/calendars/alice/")));
    }

    private void expect(int status, String inBody, DavOutcome outcome) {
        assertEquals(status, outcome.response().status(), body(outcome));
        assertTrue(body(outcome).contains(inBody), body(outcome));
        assertUnchanged(store, outcome);
    }

    @Test
    void aCalendarTimezoneThatIsNotAVtimezoneFailsTheMkcalendar() {
        String body = MKCALENDAR_BODY.replace("</D:prop>", "<C:calendar-timezone>UTC+2</C:calendar-timezone></D:prop>");
        DavOutcome outcome = handle(store, request("alice", "MKCALENDAR", "/calendars/alice/events/", Bytes.utf8(body)));
        assertEquals(403, outcome.response().status());
        assertTrue(DavFixture.body(outcome).contains("valid-calendar-data"), DavFixture.body(outcome));
        DavFixture.assertUnchanged(store, outcome);
    }
}
