package jmirage.caldav.dav;

import static jmirage.caldav.dav.PropertiesFixture.assertCondition;
import static jmirage.caldav.dav.PropertiesFixture.childNames;
import static jmirage.caldav.dav.PropertiesFixture.found;
import static jmirage.caldav.dav.PropertiesFixture.hrefs;
import static jmirage.caldav.dav.PropertiesFixture.multistatus;
import static jmirage.caldav.dav.PropertiesFixture.propfind;
import static jmirage.caldav.dav.PropertiesFixture.response;
import static jmirage.caldav.dav.PropertiesFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import org.junit.jupiter.api.Test;

class PropfindTest {

    private final Store store = PropertiesFixture.store();

    private static String prop(String... elements) {
        return "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\""
                + " xmlns:cs=\"http://calendarserver.org/ns/\" xmlns:ic=\"http://apple.com/ns/ical/\"><d:prop>"
                + String.join("", elements) + "</d:prop></d:propfind>";
    }

    @Test
    void aMissingDepthIsInfinityAndRefusedWithTheFiniteDepthPrecondition() {
        assertCondition(propfind(store, "/", "alice", prop("<d:resourcetype/>")), 403, DavNames.PROPFIND_FINITE_DEPTH);
        assertCondition(propfind(store, "/", "alice", prop("<d:resourcetype/>"), "Depth", "infinity"), 403,
                DavNames.PROPFIND_FINITE_DEPTH);
        assertEquals(400, propfind(store, "/", "alice", prop("<d:resourcetype/>"), "Depth", "2").status());
    }

    @Test
    void malformedOrForeignBodiesAre400() {
        assertEquals(400, propfind(store, "/", "alice", "<d:propfind xmlns:d=\"DAV:\">", "Depth", "0").status());
        assertEquals(400, propfind(store, "/", "alice", "<d:mkcol xmlns:d=\"DAV:\"/>", "Depth", "0").status());
        assertEquals(400, propfind(store, "/", "alice", "<d:propfind xmlns:d=\"DAV:\"/>", "Depth", "0").status());
        assertEquals(400, propfind(store, "/", "alice", "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", "Depth", "0").status());
    }

    @Test
    void theRootNamesTheCurrentUserPrincipal() {
        Element ms = multistatus(propfind(store, "/", "alice",
                prop("<d:current-user-principal/>", "<d:principal-collection-set/>", "<d:resourcetype/>"), "Depth", "0"));
        Element root = response(ms, "/");
        assertEquals("/principals/alice/", found(root, DavNames.CURRENT_USER_PRINCIPAL).element(DavNames.HREF).orElseThrow().text());
        assertEquals("/principals/", found(root, DavNames.PRINCIPAL_COLLECTION_SET).element(DavNames.HREF).orElseThrow().text());
        assertEquals(List.of(DavNames.COLLECTION), childNames(found(root, DavNames.RESOURCETYPE)));
    }

    @Test
    void theOwnPrincipalGivesHomeAndAddressButNoSchedulingProperties() {
        Element ms = multistatus(propfind(store, "/principals/alice/", "alice", prop("<d:resourcetype/>", "<d:displayname/>",
                "<d:principal-URL/>", "<c:calendar-home-set/>", "<c:calendar-user-address-set/>", "<c:schedule-inbox-URL/>",
                "<c:schedule-outbox-URL/>", "<cs:email-address-set/>", "<cs:calendar-proxy-read-for/>"), "Depth", "0"));
        Element me = response(ms, "/principals/alice/");
        assertTrue(childNames(found(me, DavNames.RESOURCETYPE)).contains(DavNames.PRINCIPAL));
        assertEquals("alice", found(me, DavNames.DISPLAYNAME).text());
        assertEquals("/principals/alice/", found(me, DavNames.PRINCIPAL_URL).element(DavNames.HREF).orElseThrow().text());
        assertEquals("/calendars/alice/", found(me, DavNames.CALENDAR_HOME_SET).element(DavNames.HREF).orElseThrow().text());
        assertEquals("/principals/alice/", found(me, DavNames.CALENDAR_USER_ADDRESS_SET).element(DavNames.HREF).orElseThrow().text());
        // RFC 6638 is out of scope: the scheduling collections do not exist
        assertEquals(404, statusOf(me, DavNames.caldav("schedule-inbox-URL")));
        assertEquals(404, statusOf(me, DavNames.caldav("schedule-outbox-URL")));
        assertEquals(404, statusOf(me, DavNames.cs("email-address-set")));
        assertEquals(404, statusOf(me, DavNames.cs("calendar-proxy-read-for")));
    }

    @Test
    void anotherUsersPrincipalShowsItsNameButNotItsHome() {
        Element ms = multistatus(propfind(store, "/principals/bob/", "alice",
                prop("<d:displayname/>", "<c:calendar-home-set/>", "<c:calendar-user-address-set/>"), "Depth", "0"));
        Element bob = response(ms, "/principals/bob/");
        assertEquals("bob", found(bob, DavNames.DISPLAYNAME).text());
        assertEquals(403, statusOf(bob, DavNames.CALENDAR_HOME_SET));
        assertEquals(403, statusOf(bob, DavNames.CALENDAR_USER_ADDRESS_SET));
        assertEquals(404, propfind(store, "/principals/nobody/", "alice", prop("<d:displayname/>"), "Depth", "0").status());
    }

    @Test
    void principalsDepthOneListsEveryUser() {
        Element ms = multistatus(propfind(store, "/principals/", "carol", prop("<d:displayname/>"), "Depth", "1"));
        assertEquals(List.of("/principals/", "/principals/alice/", "/principals/bob/", "/principals/carol/"), hrefs(ms));
    }

    @Test
    void aHomeListsOwnCalendarsAndAliasesOfExistingSharedOnes() {
        Element ms = multistatus(propfind(store, "/calendars/bob/", "bob",
                prop("<d:resourcetype/>", "<d:current-user-privilege-set/>", "<d:displayname/>", "<d:owner/>"), "Depth", "1"));
        // alice/gone is granted but does not exist; alice/private is not granted
        assertEquals(List.of("/calendars/bob/", "/calendars/bob/home/", "/calendars/bob/work@alice/"), hrefs(ms));
        Element alias = response(ms, "/calendars/bob/work@alice/");
        assertEquals("Work", found(alias, DavNames.DISPLAYNAME).text());
        assertEquals("/principals/alice/", found(alias, DavNames.OWNER).element(DavNames.HREF).orElseThrow().text());
        List<XmlName> privileges = privileges(found(alias, DavNames.CURRENT_USER_PRIVILEGE_SET));
        assertTrue(privileges.contains(DavNames.dav("read")));
        assertFalse(privileges.contains(DavNames.dav("write-content")));
        assertFalse(privileges.contains(DavNames.dav("all")));
        List<XmlName> own = privileges(found(response(ms, "/calendars/bob/home/"), DavNames.CURRENT_USER_PRIVILEGE_SET));
        assertTrue(own.containsAll(List.of(DavNames.dav("all"), DavNames.dav("write"), DavNames.dav("bind"), DavNames.dav("unbind"))));
    }

    @Test
    void calendarsListsOnlyTheUsersOwnHome() {
        Element ms = multistatus(propfind(store, "/calendars/", "bob", prop("<d:resourcetype/>"), "Depth", "1"));
        assertEquals(List.of("/calendars/", "/calendars/bob/"), hrefs(ms));
    }

    @Test
    void nothingOfAnotherUserWithoutAGrant() {
        assertEquals(404, propfind(store, "/calendars/alice/", "bob", prop("<d:resourcetype/>"), "Depth", "0").status());
        assertEquals(404, propfind(store, "/calendars/alice/work/", "bob", prop("<d:resourcetype/>"), "Depth", "0").status());
        assertEquals(404, propfind(store, "/calendars/bob/private@alice/", "bob", prop("<d:resourcetype/>"), "Depth", "0").status());
        assertEquals(404, propfind(store, "/calendars/carol/work@alice/", "carol", prop("<d:resourcetype/>"), "Depth", "0").status());
        assertEquals(404, propfind(store, "/calendars/bob/work@alice/standup.ics", "carol", prop("<d:getetag/>"), "Depth", "0").status());
    }

    @Test
    void aCalendarHasItsCaldavLiveAndDeadProperties() {
        Element ms = multistatus(propfind(store, "/calendars/alice/work/", "alice", prop("<d:resourcetype/>", "<d:displayname/>",
                "<ic:calendar-color/>", "<ic:calendar-order/>", "<c:supported-calendar-component-set/>", "<c:supported-calendar-data/>",
                "<c:max-resource-size/>", "<cs:getctag/>", "<d:sync-token/>", "<d:getetag/>", "<d:getlastmodified/>",
                "<d:supported-report-set/>", "<cs:pushkey/>", "<cs:source/>", "<cs:subscribed-strip-alarms/>", "<c:calendar-timezone/>"),
                "Depth", "0"));
        Element work = response(ms, "/calendars/alice/work/");
        assertEquals(List.of(DavNames.COLLECTION, DavNames.CALENDAR), childNames(found(work, DavNames.RESOURCETYPE)));
        assertEquals("Work", found(work, DavNames.DISPLAYNAME).text());
        assertEquals("#FF0000FF", found(work, DavNames.CALENDAR_COLOR).text());
        assertEquals(List.of("VEVENT", "VTODO"), found(work, DavNames.SUPPORTED_CALENDAR_COMPONENT_SET).elements()
                .map(c -> c.attribute("name").orElseThrow()).toList());
        Element data = found(work, DavNames.SUPPORTED_CALENDAR_DATA).element(DavNames.CALENDAR_DATA).orElseThrow();
        assertEquals("text/calendar", data.attribute("content-type").orElseThrow());
        assertEquals("2.0", data.attribute("version").orElseThrow());
        assertEquals(Long.toString(DavConfig.defaults().maxResourceBytes()), found(work, DavNames.MAX_RESOURCE_SIZE).text());
        String token = store.calendar("alice", "work").orElseThrow().sync().token();
        assertEquals(store.calendar("alice", "work").orElseThrow().ctag(), found(work, DavNames.GETCTAG).text());
        assertTrue(found(work, DavNames.GETCTAG).text().matches(java.util.regex.Pattern.quote(token) + "-[0-9a-f]{8}"),
                "the token, then the digest of its dead properties (it has a name and a colour)");
        assertEquals(token, found(work, DavNames.SYNC_TOKEN).text());
        assertEquals("\"" + token.substring(token.lastIndexOf('/') + 1) + "\"", found(work, DavNames.GETETAG).text());
        assertEquals("Thu, 01 Jan 2026 00:00:00 GMT", found(work, DavNames.GETLASTMODIFIED).text());
        List<XmlName> reports = found(work, DavNames.SUPPORTED_REPORT_SET).elements()
                .map(s -> s.element(DavNames.REPORT).orElseThrow().elements().findFirst().orElseThrow().name()).toList();
        assertEquals(List.of(DavNames.CALENDAR_QUERY, DavNames.CALENDAR_MULTIGET, DavNames.FREE_BUSY_QUERY, DavNames.SYNC_COLLECTION),
                reports);
        for (XmlName absent : List.of(DavNames.CALENDAR_ORDER, DavNames.cs("pushkey"), DavNames.cs("source"),
                DavNames.cs("subscribed-strip-alarms"), DavNames.CALENDAR_TIMEZONE)) {
            assertEquals(404, statusOf(work, absent), absent::toString);
        }
    }

    @Test
    void depthOneOnACalendarListsItsObjectsWithEtagAndType() {
        Element ms = multistatus(propfind(store, "/calendars/alice/work/", "alice",
                prop("<d:getetag/>", "<d:getcontenttype/>", "<d:resourcetype/>"), "Depth", "1"));
        assertEquals(List.of("/calendars/alice/work/", "/calendars/alice/work/review.ics", "/calendars/alice/work/standup.ics"),
                hrefs(ms));
        Element standup = response(ms, "/calendars/alice/work/standup.ics");
        String etag = store.calendar("alice", "work").orElseThrow().members().get("standup.ics").etag();
        assertEquals(etag, found(standup, DavNames.GETETAG).text());
        assertTrue(found(standup, DavNames.GETCONTENTTYPE).text().startsWith("text/calendar"));
        assertTrue(found(standup, DavNames.RESOURCETYPE).isEmpty());
    }

    @Test
    void anEmptyBodyIsAllpropWithoutTheCostlyOnes() {
        Element ms = multistatus(propfind(store, "/calendars/alice/work/standup.ics", "alice", "", "Depth", "0"));
        Element standup = response(ms, "/calendars/alice/work/standup.ics");
        assertEquals(200, statusOf(standup, DavNames.GETETAG));
        assertEquals(200, statusOf(standup, DavNames.GETCONTENTLENGTH));
        assertEquals(0, statusOf(standup, DavNames.CALENDAR_DATA));
        Element work = response(multistatus(propfind(store, "/calendars/alice/work/", "alice", "", "Depth", "0")),
                "/calendars/alice/work/");
        assertEquals("#FF0000FF", found(work, DavNames.CALENDAR_COLOR).text());
        assertEquals(0, statusOf(work, DavNames.SUPPORTED_CALENDAR_DATA));
    }

    @Test
    void allpropWithIncludeAddsTheNamedOnes() {
        String body = "<d:propfind xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:allprop/>"
                + "<d:include><c:supported-calendar-component-set/></d:include></d:propfind>";
        Element work = response(multistatus(propfind(store, "/calendars/alice/work/", "alice", body, "Depth", "0")),
                "/calendars/alice/work/");
        assertEquals(200, statusOf(work, DavNames.SUPPORTED_CALENDAR_COMPONENT_SET));
        assertEquals(200, statusOf(work, DavNames.RESOURCETYPE));
    }

    @Test
    void propnameGivesEmptyElements() {
        String body = "<d:propfind xmlns:d=\"DAV:\"><d:propname/></d:propfind>";
        Element work = response(multistatus(propfind(store, "/calendars/alice/work/", "alice", body, "Depth", "0")),
                "/calendars/alice/work/");
        for (XmlName name : List.of(DavNames.RESOURCETYPE, DavNames.SYNC_TOKEN, DavNames.GETCTAG, DavNames.CALENDAR_COLOR)) {
            Element e = found(work, name);
            assertTrue(e.isEmpty(), name::toString);
        }
    }

    @Test
    void calendarDataMayBeAskedInAPropfind() {
        Element ms = multistatus(propfind(store, "/calendars/alice/work/", "alice", prop("<c:calendar-data/>"), "Depth", "1"));
        Element standup = response(ms, "/calendars/alice/work/standup.ics");
        assertEquals(PropertiesFixture.ics("standup", "20260302T090000Z"), found(standup, DavNames.CALENDAR_DATA).text());
        assertEquals(404, statusOf(response(ms, "/calendars/alice/work/"), DavNames.CALENDAR_DATA));
    }

    private static List<XmlName> privileges(Element set) {
        return set.elements(DavNames.PRIVILEGE).stream().map(p -> p.elements().findFirst().orElseThrow().name()).toList();
    }
}
