package jmirage.caldav.dav;

import static jmirage.caldav.dav.PropertiesFixture.CREATED;
import static jmirage.caldav.dav.PropertiesFixture.assertCondition;
import static jmirage.caldav.dav.PropertiesFixture.found;
import static jmirage.caldav.dav.PropertiesFixture.hrefs;
import static jmirage.caldav.dav.PropertiesFixture.multistatus;
import static jmirage.caldav.dav.PropertiesFixture.report;
import static jmirage.caldav.dav.PropertiesFixture.response;
import static jmirage.caldav.dav.PropertiesFixture.statusOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private static final String NS = " xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"";
    private final Store store = PropertiesFixture.store();

    private static String sync(String token, String extra) {
        return "<d:sync-collection" + NS + "><d:sync-token>" + token + "</d:sync-token><d:sync-level>1</d:sync-level>"
                + extra + "<d:prop><d:getetag/></d:prop></d:sync-collection>";
    }

    @Test
    void multigetAnswersEachHrefAndA404ForThoseThatNameNothing() {
        String body = "<c:calendar-multiget" + NS + "><d:prop><d:getetag/><c:calendar-data/></d:prop>"
                + "<d:href>/calendars/alice/work/standup.ics</d:href>"
                + "<d:href>https://cal.example/calendars/alice/work/review.ics</d:href>"
                + "<d:href>/calendars/alice/work/missing.ics</d:href>"
                + "<d:href>/calendars/alice/private/dentist.ics</d:href>"
                + "<d:href>/calendars/bob/private@alice/dentist.ics</d:href></c:calendar-multiget>";
        Element ms = multistatus(report(store, "/calendars/alice/work/", "alice", body, "Depth", "1"));
        assertEquals(5, hrefs(ms).size());
        Element standup = response(ms, "/calendars/alice/work/standup.ics");
        assertEquals(PropertiesFixture.ics("standup", "20260302T090000Z"), found(standup, DavNames.CALENDAR_DATA).text());
        assertEquals(store.calendar("alice", "work").orElseThrow().members().get("review.ics").etag(),
                found(response(ms, "/calendars/alice/work/review.ics"), DavNames.GETETAG).text());
        assertEquals(404, statusOf(response(ms, "/calendars/alice/work/missing.ics")));
        // the owner reads her other calendar through a multiget sent to one of them
        assertEquals(200, statusOf(response(ms, "/calendars/alice/private/dentist.ics"), DavNames.GETETAG));
        assertEquals(404, statusOf(response(ms, "/calendars/bob/private@alice/dentist.ics")));
    }

    @Test
    void multigetThroughAnAliasNeedsTheGrant() {
        String body = "<c:calendar-multiget" + NS + "><d:prop><d:getetag/></d:prop>"
                + "<d:href>/calendars/bob/work@alice/standup.ics</d:href>"
                + "<d:href>/calendars/bob/private@alice/dentist.ics</d:href></c:calendar-multiget>";
        Element ms = multistatus(report(store, "/calendars/bob/work@alice/", "bob", body, "Depth", "1"));
        assertEquals(200, statusOf(response(ms, "/calendars/bob/work@alice/standup.ics"), DavNames.GETETAG));
        assertEquals(404, statusOf(response(ms, "/calendars/bob/private@alice/dentist.ics")));
        assertEquals(404, report(store, "/calendars/alice/work/", "bob", body, "Depth", "1").status());
    }

    @Test
    void aninitialSyncListsEveryMemberAndEndsWithTheToken() {
        Element ms = multistatus(report(store, "/calendars/alice/work/", "alice", sync("", ""), "Depth", "0"));
        assertEquals(List.of("/calendars/alice/work/review.ics", "/calendars/alice/work/standup.ics"), hrefs(ms));
        String token = store.calendar("alice", "work").orElseThrow().sync().token();
        assertEquals(token, ms.element(DavNames.SYNC_TOKEN).orElseThrow().text());
    }

    @Test
    void aLaterSyncGivesChangedMembersAndDeletedOnesAs404() {
        Collection before = store.calendar("alice", "work").orElseThrow();
        String token = before.sync().token();
        Collection after = before.withoutMember("review.ics", CREATED)
                .withMember(PropertiesFixture.event("lunch.ics", "lunch", "20260304T120000Z"), CREATED);
        Store changed = store.with(after);
        Element ms = multistatus(report(changed, "/calendars/alice/work/", "alice", sync(token, ""), "Depth", "0"));
        assertEquals(List.of("/calendars/alice/work/lunch.ics", "/calendars/alice/work/review.ics"), hrefs(ms));
        assertEquals(after.members().get("lunch.ics").etag(),
                found(response(ms, "/calendars/alice/work/lunch.ics"), DavNames.GETETAG).text());
        assertEquals(404, statusOf(response(ms, "/calendars/alice/work/review.ics")));
        assertEquals(after.sync().token(), ms.element(DavNames.SYNC_TOKEN).orElseThrow().text());
        // the current token: nothing changed
        Element again = multistatus(report(changed, "/calendars/alice/work/", "alice", sync(after.sync().token(), ""), "Depth", "0"));
        assertEquals(List.of(), hrefs(again));
    }

    @Test
    void anUnknownTokenIsRefusedWithValidSyncToken() {
        assertCondition(report(store, "/calendars/alice/work/", "alice", sync("http://elsewhere/token/1", ""), "Depth", "0"),
                403, DavNames.VALID_SYNC_TOKEN);
    }

    @Test
    void aSyncLimitBelowTheChangesIs507() {
        String limited = sync("", "<d:limit><d:nresults>1</d:nresults></d:limit>");
        assertCondition(report(store, "/calendars/alice/work/", "alice", limited, "Depth", "0"), 507,
                DavNames.dav("number-of-matches-within-limits"));
        String enough = sync("", "<d:limit><d:nresults>2</d:nresults></d:limit>");
        assertEquals(2, hrefs(multistatus(report(store, "/calendars/alice/work/", "alice", enough, "Depth", "0"))).size());
    }

    @Test
    void syncOnAnAliasUsesTheViewersHrefs() {
        Element ms = multistatus(report(store, "/calendars/bob/work@alice/", "bob", sync("", ""), "Depth", "0"));
        assertEquals(List.of("/calendars/bob/work@alice/review.ics", "/calendars/bob/work@alice/standup.ics"), hrefs(ms));
    }

    @Test
    void reportsTheResourceDoesNotSupportAreRefused() {
        assertCondition(report(store, "/calendars/alice/work/", "alice", "<d:acl-principal-prop-set" + NS + "/>", "Depth", "0"),
                403, DavNames.SUPPORTED_REPORT);
        assertCondition(report(store, "/principals/alice/", "alice", sync("", ""), "Depth", "0"), 403, DavNames.SUPPORTED_REPORT);
        assertCondition(report(store, "/principals/alice/", "alice", "<d:principal-property-search" + NS + "/>", "Depth", "0"),
                403, DavNames.SUPPORTED_REPORT);
    }

    @Test
    void badBodiesAre400AndAQueryWithoutFilterIsRefused() {
        assertEquals(400, report(store, "/calendars/alice/work/", "alice", "", "Depth", "1").status());
        assertEquals(400, report(store, "/calendars/alice/work/", "alice", "<c:calendar-query" + NS + ">", "Depth", "1").status());
        assertCondition(report(store, "/calendars/alice/work/", "alice",
                "<c:calendar-query" + NS + "><d:prop><d:getetag/></d:prop></c:calendar-query>", "Depth", "1"), 403, DavNames.VALID_FILTER);
        assertEquals(400, report(store, "/calendars/alice/work/", "alice",
                "<c:free-busy-query" + NS + "/>", "Depth", "1").status());
        assertEquals(400, report(store, "/calendars/alice/work/", "alice",
                "<c:free-busy-query" + NS + "><c:time-range start=\"20260310T000000Z\" end=\"20260301T000000Z\"/></c:free-busy-query>",
                "Depth", "1").status());
        assertEquals(400, report(store, "/calendars/alice/work/", "alice",
                "<c:calendar-multiget" + NS + "><d:prop><d:getetag/></d:prop></c:calendar-multiget>", "Depth", "1").status());
    }

    private static String query(String calendarData, String filter) {
        return "<c:calendar-query" + NS + "><d:prop><d:getetag/>" + calendarData + "</d:prop><c:filter>" + filter
                + "</c:filter></c:calendar-query>";
    }

    private static String events(String start, String end) {
        return "<c:comp-filter name=\"VCALENDAR\"><c:comp-filter name=\"VEVENT\"><c:time-range start=\"" + start
                + "\" end=\"" + end + "\"/></c:comp-filter></c:comp-filter>";
    }

    @Test
    void aTimeRangeQueryGivesTheEventsThatOverlapIt() {
        Element ms = multistatus(report(store, "/calendars/alice/work/", "alice",
                query("", events("20260303T000000Z", "20260304T000000Z")), "Depth", "1"));
        assertEquals(List.of("/calendars/alice/work/review.ics"), hrefs(ms));
        Element all = multistatus(report(store, "/calendars/alice/work/", "alice",
                query("", "<c:comp-filter name=\"VCALENDAR\"><c:comp-filter name=\"VEVENT\"/></c:comp-filter>"), "Depth", "1"));
        assertEquals(List.of("/calendars/alice/work/review.ics", "/calendars/alice/work/standup.ics"), hrefs(all));
        Element todos = multistatus(report(store, "/calendars/alice/work/", "alice",
                query("", "<c:comp-filter name=\"VCALENDAR\"><c:comp-filter name=\"VTODO\"/></c:comp-filter>"), "Depth", "1"));
        assertEquals(List.of(), hrefs(todos));
    }

    @Test
    void depthZeroOnACalendarQueriesNoObjectAndOnAnObjectQueriesIt() {
        String march = query("", events("20260301T000000Z", "20260401T000000Z"));
        assertEquals(List.of(), hrefs(multistatus(report(store, "/calendars/alice/work/", "alice", march, "Depth", "0"))));
        assertEquals(List.of("/calendars/alice/work/standup.ics"),
                hrefs(multistatus(report(store, "/calendars/alice/work/standup.ics", "alice", march, "Depth", "0"))));
    }

    @Test
    void aRecurringEventIsFoundInAnyWeekAndExpandedOnRequest() {
        String expand = "<c:calendar-data><c:expand start=\"20260301T000000Z\" end=\"20260401T000000Z\"/></c:calendar-data>";
        Element ms = multistatus(report(store, "/calendars/bob/home/", "bob",
                query(expand, events("20260301T000000Z", "20260401T000000Z")), "Depth", "1"));
        String data = found(response(ms, "/calendars/bob/home/gym.ics"), DavNames.CALENDAR_DATA).text();
        // Mondays of March 2026 from the 2nd: 2, 9, 16, 23, 30
        assertEquals(5, data.split("BEGIN:VEVENT", -1).length - 1, data);
        assertFalse(data.contains("RRULE"), data);
        Element december = multistatus(report(store, "/calendars/bob/home/", "bob",
                query("", events("20261207T000000Z", "20261208T000000Z")), "Depth", "1"));
        assertEquals(List.of("/calendars/bob/home/gym.ics"), hrefs(december));
        Element sunday = multistatus(report(store, "/calendars/bob/home/", "bob",
                query("", events("20261206T000000Z", "20261207T000000Z")), "Depth", "1"));
        assertEquals(List.of(), hrefs(sunday));
    }

    @Test
    void aQueryLimitCutsTheAnswerWithA507ForTheCollection() {
        String limited = "<c:calendar-query" + NS + "><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name=\"VCALENDAR\"/>"
                + "</c:filter><d:limit><d:nresults>1</d:nresults></d:limit></c:calendar-query>";
        Element ms = multistatus(report(store, "/calendars/alice/work/", "alice", limited, "Depth", "1"));
        assertEquals(List.of("/calendars/alice/work/review.ics", "/calendars/alice/work/"), hrefs(ms));
        assertEquals(507, statusOf(response(ms, "/calendars/alice/work/")));
    }

    @Test
    void anInvalidFilterIsRefusedWithItsPrecondition() {
        var r = report(store, "/calendars/alice/work/", "alice", query("", "<c:comp-filter name=\"VEVENT\"/>"), "Depth", "1");
        assertEquals(403, r.status(), () -> r.bytes().toUtf8());
        Element error = PropertiesFixture.xml(r);
        assertTrue(error.element(DavNames.VALID_FILTER).isPresent() || error.element(DavNames.SUPPORTED_FILTER).isPresent(),
                () -> r.bytes().toUtf8());
    }

    @Test
    void freeBusyGivesTheBusyTimeOfTheRange() {
        var r = report(store, "/calendars/bob/work@alice/", "bob", "<c:free-busy-query" + NS
                + "><c:time-range start=\"20260301T000000Z\" end=\"20260401T000000Z\"/></c:free-busy-query>", "Depth", "1");
        assertEquals(200, r.status(), () -> r.bytes().toUtf8());
        assertTrue(r.headers().get("Content-Type").orElseThrow().startsWith("text/calendar"));
        String text = r.bytes().toUtf8();
        assertTrue(text.contains("BEGIN:VFREEBUSY"), text);
        assertTrue(text.contains("20260302T090000Z"), text);
        assertTrue(text.contains("20260303T140000Z"), text);
    }

    @Test
    void expandPropertyReplacesHrefsByTheResponsesOfWhatTheyName() {
        String body = "<d:expand-property" + NS + "><d:property name=\"current-user-principal\">"
                + "<d:property name=\"displayname\"/><d:property name=\"calendar-home-set\" namespace=\"urn:ietf:params:xml:ns:caldav\"/>"
                + "</d:property><d:property name=\"calendar-proxy-write-for\" namespace=\"http://calendarserver.org/ns/\">"
                + "<d:property name=\"displayname\"/></d:property><d:property name=\"owner\"><d:property name=\"displayname\"/>"
                + "</d:property></d:expand-property>";
        Element ms = multistatus(report(store, "/principals/bob/", "alice", body, "Depth", "0"));
        assertEquals(List.of("/principals/bob/"), hrefs(ms));
        Element bob = response(ms, "/principals/bob/");
        Element me = found(bob, DavNames.CURRENT_USER_PRINCIPAL).element(DavNames.RESPONSE).orElseThrow();
        assertEquals("/principals/alice/", me.element(DavNames.HREF).orElseThrow().text());
        assertEquals("alice", found(me, DavNames.DISPLAYNAME).text());
        assertEquals("/calendars/alice/", found(me, DavNames.CALENDAR_HOME_SET).element(DavNames.HREF).orElseThrow().text());
        assertEquals(404, statusOf(bob, DavNames.cs("calendar-proxy-write-for")));
        assertEquals(404, statusOf(bob, DavNames.OWNER));
        assertEquals(400, report(store, "/principals/bob/", "alice",
                "<d:expand-property" + NS + "><d:property namespace=\"DAV:\"/></d:expand-property>", "Depth", "0").status());
    }

    @Test
    void expandPropertyFollowsTheOwnerOfASharedCalendarAndAnswers404ForAnHrefNamingNothing() {
        var link = new jmirage.caldav.xml.XmlName("urn:example", "link");
        Collection work = store.calendar("alice", "work").orElseThrow();
        var dead = new java.util.TreeMap<>(work.deadProperties());
        dead.put(link, Element.of(link, jmirage.caldav.dav.DavResponses.href("/nowhere/")));
        Store linked = store.with(work.withDeadProperties(dead, CREATED));
        String body = "<d:expand-property" + NS + "><d:property name=\"owner\"><d:property name=\"displayname\"/></d:property>"
                + "<d:property name=\"link\" namespace=\"urn:example\"><d:property name=\"displayname\"/></d:property>"
                + "</d:expand-property>";
        Element ms = multistatus(report(linked, "/calendars/bob/work@alice/", "bob", body, "Depth", "0"));
        Element owner = found(response(ms, "/calendars/bob/work@alice/"), DavNames.OWNER).element(DavNames.RESPONSE).orElseThrow();
        assertEquals("/principals/alice/", owner.element(DavNames.HREF).orElseThrow().text());
        assertEquals("alice", found(owner, DavNames.DISPLAYNAME).text());
        Element nowhere = found(response(ms, "/calendars/bob/work@alice/"), link).element(DavNames.RESPONSE).orElseThrow();
        assertEquals("/nowhere/", nowhere.element(DavNames.HREF).orElseThrow().text());
        assertEquals(404, statusOf(nowhere));
    }
}
