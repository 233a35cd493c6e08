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
        assertCondition(report(store, "/calendars/alice/work/", "alice", "<d:expand-property" + NS + "/>", "Depth", "0"),
                403, DavNames.SUPPORTED_REPORT);
        assertCondition(report(store, "/calendars/alice/", "alice", sync("", ""), "Depth", "0"), 403, DavNames.SUPPORTED_REPORT);
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

    @Test
    void theIndexRulesOutObjectsOfAnotherKindOrOutsideTheRange() {
        var resource = store.calendar("alice", "work").orElseThrow().members().get("standup.ics");
        var march = new jmirage.caldav.ical.Filters.TimeRange(java.util.Optional.of(java.time.Instant.parse("2026-03-01T00:00:00Z")),
                java.util.Optional.of(java.time.Instant.parse("2026-04-01T00:00:00Z")));
        var april = new jmirage.caldav.ical.Filters.TimeRange(java.util.Optional.of(java.time.Instant.parse("2026-04-01T00:00:00Z")),
                java.util.Optional.of(java.time.Instant.parse("2026-05-01T00:00:00Z")));
        assertTrue(ReportQuery.mayMatch(resource, calendarFilter("VEVENT", march)));
        assertFalse(ReportQuery.mayMatch(resource, calendarFilter("VEVENT", april)));
        assertFalse(ReportQuery.mayMatch(resource, calendarFilter("VTODO", march)));
        assertTrue(ReportQuery.mayMatch(resource, calendarFilter("VTIMEZONE", april)));
    }

    private static jmirage.caldav.ical.Filters.CompFilter calendarFilter(String component, jmirage.caldav.ical.Filters.TimeRange range) {
        var inner = new jmirage.caldav.ical.Filters.CompFilter(component, false, java.util.Optional.of(range), List.of(), List.of());
        return new jmirage.caldav.ical.Filters.CompFilter("VCALENDAR", false, java.util.Optional.empty(), List.of(), List.of(inner));
    }
}
