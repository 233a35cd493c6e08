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
import jmirage.caldav.xml.DavNames;
import jmirage.core.Bytes;
import jmirage.core.kv.Change;
import org.junit.jupiter.api.Test;

class ProppatchTest {

    private final Store store = DavFixture.store();

    private static Bytes update(String inner) {
        return Bytes.utf8("<D:propertyupdate xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" "
                + "xmlns:I=\"http://apple.com/ns/ical/\" xmlns:X=\"urn:example\">" + inner + "</D:propertyupdate>");
    }

    @Test
    void setAndRemoveApplyInDocumentOrderAndAreStored() {
        Bytes body = update("<D:set><D:prop><I:calendar-color>#00FF00FF</I:calendar-color><X:note>one</X:note></D:prop></D:set>"
                + "<D:remove><D:prop><X:note/><D:displayname/></D:prop></D:remove>"
                + "<D:set><D:prop><I:calendar-order>3</I:calendar-order></D:prop></D:set>");
        DavOutcome outcome = handle(store, request("alice", "PROPPATCH", "/calendars/alice/work/", body));
        assertEquals(207, outcome.response().status());
        String text = body(outcome);
        assertTrue(text.contains("<d:href>/calendars/alice/work/</d:href>") && text.contains("HTTP/1.1 200 OK"), text);
        Collection changed = outcome.store().calendar("alice", "work").orElseThrow();
        assertEquals("#00FF00FF", changed.deadProperties().get(DavNames.CALENDAR_COLOR).text());
        assertEquals("3", changed.deadProperties().get(DavNames.CALENDAR_ORDER).text());
        assertFalse(changed.deadProperties().containsKey(new jmirage.caldav.xml.XmlName("urn:example", "note")), "set then removed");
        assertFalse(changed.deadProperties().containsKey(DavNames.DISPLAYNAME));
        assertEquals(List.of(new Change.Set(Layout.properties("alice", "work"), Layout.encodeProperties(changed))),
                outcome.batch().orElseThrow().changes());
        assertEquals(DavFixture.NOW, changed.lastModified());
    }

    @Test
    void aProtectedPropertyFailsAllWith403And424() {
        Bytes body = update("<D:set><D:prop><D:displayname>New</D:displayname>"
                + "<C:supported-calendar-component-set><C:comp name=\"VTODO\"/></C:supported-calendar-component-set></D:prop></D:set>");
        DavOutcome outcome = handle(store, request("alice", "PROPPATCH", "/calendars/alice/work/", body));
        assertEquals(207, outcome.response().status());
        String text = body(outcome);
        assertTrue(text.contains("HTTP/1.1 403 Forbidden") && text.contains("cannot-modify-protected-property"), text);
        assertTrue(text.contains("HTTP/1.1 424 Failed Dependency"), text);
        assertUnchanged(store, outcome);
    }

    @Test
    void onlyTheOwnerChangesACalendarsProperties() {
        Bytes body = update("<D:set><D:prop><D:displayname>Mine</D:displayname></D:prop></D:set>");
        DavOutcome sharee = handle(store, request("bob", "PROPPATCH", "/calendars/bob/work@alice/", body));
        assertEquals(403, sharee.response().status());
        assertUnchanged(store, sharee);
        DavOutcome stranger = handle(store, request("carol", "PROPPATCH", "/calendars/carol/work@alice/", body));
        assertEquals(404, stranger.response().status());
        assertUnchanged(store, stranger);
    }

    @Test
    void theHomeAndThePrincipalKeepNoProperties() {
        Bytes body = update("<D:set><D:prop><D:displayname>Me</D:displayname></D:prop></D:set>");
        for (String path : new String[] {"/calendars/alice/", "/principals/alice/", "/calendars/alice/work/meeting.ics"}) {
            DavOutcome outcome = handle(store, request("alice", "PROPPATCH", path, body));
            assertEquals(207, outcome.response().status(), path);
            assertTrue(body(outcome).contains("HTTP/1.1 403 Forbidden"), body(outcome));
            assertUnchanged(store, outcome);
        }
    }

    @Test
    void malformedBodiesAre400() {
        for (String body : new String[] {"", "not xml", "<D:propfind xmlns:D=\"DAV:\"/>", "<D:propertyupdate xmlns:D=\"DAV:\"/>",
                "<D:propertyupdate xmlns:D=\"DAV:\"><D:bogus/></D:propertyupdate>"}) {
            DavOutcome outcome = handle(store, request("alice", "PROPPATCH", "/calendars/alice/work/", Bytes.utf8(body)));
            assertEquals(400, outcome.response().status(), body);
            assertUnchanged(store, outcome);
        }
    }

    private static final String VTIMEZONE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VTIMEZONE\r\n"
            + "TZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
            + "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\n"
            + "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
            + "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    @Test
    void aCalendarTimezoneIsOneVtimezone() {
        DavOutcome good = handle(store, request("alice", "PROPPATCH", "/calendars/alice/work/",
                update("<D:set><D:prop><C:calendar-timezone>" + VTIMEZONE + "</C:calendar-timezone></D:prop></D:set>")));
        assertEquals(207, good.response().status());
        assertTrue(body(good).contains("HTTP/1.1 200 OK"), body(good));
        assertEquals(java.time.ZoneId.of("Europe/Berlin"), Properties.floatingZone(good.store().calendar("alice", "work").orElseThrow()));

        String event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n"
                + "DTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        for (String bad : new String[] {"Europe/Berlin", event, VTIMEZONE.replace("END:VCALENDAR", "BEGIN:VTODO\r\nUID:y\r\nEND:VTODO\r\nEND:VCALENDAR")}) {
            DavOutcome outcome = handle(store, request("alice", "PROPPATCH", "/calendars/alice/work/",
                    update("<D:set><D:prop><C:calendar-timezone>" + bad + "</C:calendar-timezone></D:prop></D:set>")));
            assertEquals(207, outcome.response().status());
            assertTrue(body(outcome).contains("HTTP/1.1 403 Forbidden") && body(outcome).contains("valid-calendar-data"), body(outcome));
            assertUnchanged(store, outcome);
        }
    }
}
