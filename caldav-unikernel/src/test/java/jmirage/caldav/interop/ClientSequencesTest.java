package jmirage.caldav.interop;

import static jmirage.caldav.interop.Multistatus.apple;
import static jmirage.caldav.interop.Multistatus.caldav;
import static jmirage.caldav.interop.Multistatus.cs;
import static jmirage.caldav.interop.Multistatus.dav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request sequences that Thunderbird, Apple's Calendar (iOS and macOS) and DAVx5 send to find
 * a calendar, list it and keep it in sync, with the headers and XML bodies those clients send,
 * written down from their source:
 *
 * <ul>
 * <li>Thunderbird: comm-central {@code calendar/providers/caldav/CalDavProvider.sys.mjs}
 * (detectCollection, handlePrincipal, handleHomeSet), {@code CalDavCalendar.sys.mjs}
 * (checkDavResourceType, checkServerCaps, safeRefresh's getctag check, getUpdatedItems) and
 * {@code modules/CalDavRequestHandlers.sys.mjs} (webdav sync with {@code Depth: 1}, multiget);</li>
 * <li>Apple: the bodies CalendarServer's load simulator replays for OS X 10.11
 * ({@code contrib/performance/loadtest/request-data/OS_X_10_11/*.request}) and its sync logic (sync
 * REPORT with {@code Depth: 1}, a 403 answered by a sync from an empty token);</li>
 * <li>DAVx5: dav4jvm {@code DavCollection.reportChanges} (sync-collection, {@code Depth: 0}),
 * {@code DavCalendar.multiget} (no Depth) and {@code calendarQuery}, and davx5-ose
 * {@code CalendarSyncManager.queryCapabilities}.</li>
 * </ul>
 *
 * Each test asserts what the client reads from each answer: the status, the properties it uses, and
 * that a second sync sees exactly what changed on the server.
 */
class ClientSequencesTest {

    static final String XML_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    /** Thunderbird's prefixes ({@code CalDavUtils.sys.mjs}: CalDavTagsToXmlns). */
    static final String THUNDERBIRD_NS = "xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" "
            + "xmlns:CS=\"http://calendarserver.org/ns/\" xmlns:A=\"http://apple.com/ns/ical/\"";
    static final String TEXT_XML = "text/xml; charset=utf-8";

    @TempDir
    Path folder;

    ServerUnderTest server;
    /** Another client that put events in the calendar: what each client under test has to find. */
    Dav other;

    @BeforeEach
    void start() throws Exception {
        server = ServerUnderTest.start(folder);
        other = Dav.of(server);
        other.mkcalendar(server.calendarPath("work"), """
                <?xml version="1.0" encoding="utf-8"?>
                <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
                  <D:set><D:prop><D:displayname>Work</D:displayname></D:prop></D:set>
                </C:mkcalendar>""").expect(201);
        other.put(server.calendarPath("work") + "one.ics", Ics.event("one@interop", "One", "20260302T090000Z", "20260302T100000Z"))
                .expect(201);
        other.put(server.calendarPath("work") + "two.ics", Ics.event("two@interop", "Two", "20260303T090000Z", "20260303T100000Z"))
                .expect(201);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** What a client keeps of a calendar: href to ETag, and href to the calendar data it fetched. */
    record Replica(Map<String, String> etags, Map<String, String> data) {

        static Replica empty() {
            return new Replica(new TreeMap<>(), new TreeMap<>());
        }

        Set<String> summaries() {
            return data.values().stream().map(ics -> Ics.summary(ics).orElse("")).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    /** The server-side changes every client's second sync must see: one event changed, one deleted, one added. */
    private void changeOnTheServer() throws Exception {
        String work = server.calendarPath("work");
        other.put(work + "one.ics", Ics.event("one@interop", "One, moved", "20260302T110000Z", "20260302T120000Z")).expect(204, 200);
        other.delete(work + "two.ics").expect(204, 200);
        // a name another client chose, with a space and a non-ASCII letter: every client gets it back percent-encoded
        other.put(work + "three%20%C3%A9.ics", Ics.event("three@interop", "Three", "20260304T090000Z", "20260304T100000Z")).expect(201);
    }

    // ------------------------------------------------------------------ Thunderbird

    static String thunderbirdPropfind(String... props) {
        StringBuilder b = new StringBuilder(XML_HEADER).append("<D:propfind ").append(THUNDERBIRD_NS).append("><D:prop>");
        for (String p : props) {
            b.append('<').append(p).append("/>");
        }
        return b.append("</D:prop></D:propfind>").toString();
    }

    static String thunderbirdMultiget(List<String> hrefs) {
        return XML_HEADER + "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                + "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
                + hrefs.stream().map(h -> "<D:href>" + h + "</D:href>").collect(Collectors.joining()) + "</C:calendar-multiget>";
    }

    @Test
    void thunderbirdFindsTheCalendarFromTheRootChecksItAndSyncsWithWebdavSyncAndWithTheCtag() throws Exception {
        Dav tb = Dav.of(server, Map.of("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0"));

        // CalDavProvider.detectCollection on the URL the user typed (the root), then the principal, then the home
        Reply root = tb.send("PROPFIND", "/", thunderbirdPropfind("D:resourcetype", "D:owner", "D:displayname",
                "D:current-user-principal", "D:current-user-privilege-set", "A:calendar-color", "C:calendar-home-set"),
                "Depth", "0", "Content-Type", TEXT_XML);
        Multistatus.Response rootProps = root.multistatus().responses().getFirst();
        assertFalse(rootProps.require(dav("resourcetype")).has(caldav("calendar")), root::toString);
        String principal = single(rootProps.require(dav("current-user-principal")).hrefs(), root);

        Reply principalReply = tb.send("PROPFIND", principal, thunderbirdPropfind("D:resourcetype", "C:calendar-home-set"),
                "Depth", "0", "Content-Type", TEXT_XML);
        String home = single(principalReply.multistatus().response(principal).require(caldav("calendar-home-set")).hrefs(), principalReply);

        Reply homeReply = tb.send("PROPFIND", home, thunderbirdPropfind("D:resourcetype", "D:displayname",
                "D:current-user-privilege-set", "A:calendar-color"), "Depth", "1", "Content-Type", TEXT_XML);
        List<Multistatus.Response> calendars = homeReply.multistatus().responses().stream()
                .filter(r -> r.ok(dav("resourcetype")).map(t -> t.has(caldav("calendar"))).orElse(false)).toList();
        assertEquals(1, calendars.size(), homeReply::toString);
        String calendar = calendars.getFirst().href();
        assertEquals(server.calendarPath("work"), Multistatus.pathOf(calendar));
        assertEquals("Work", calendars.getFirst().require(dav("displayname")).text(), homeReply::toString);

        // CalDavCalendar.checkDavResourceType, then checkServerCaps (OPTIONS on the home)
        Reply check = tb.send("PROPFIND", calendar, thunderbirdPropfind("D:resourcetype", "D:owner", "D:current-user-principal",
                "D:current-user-privilege-set", "D:supported-report-set", "C:supported-calendar-component-set", "CS:getctag"),
                "Depth", "0", "Content-Type", TEXT_XML);
        Multistatus.Response props = check.multistatus().response(calendar);
        assertTrue(props.require(dav("resourcetype")).has(caldav("calendar")), check::toString);
        assertTrue(reports(props).contains(dav("sync-collection")), () -> "Thunderbird turns webdav sync on from this\n" + check);
        assertTrue(privileges(props).stream().anyMatch(p -> Set.of(dav("write"), dav("write-content"), dav("all")).contains(p)),
                () -> "otherwise Thunderbird makes the calendar read-only\n" + check);
        assertTrue(props.require(caldav("supported-calendar-component-set")).has(caldav("comp")), check::toString);
        String ctag = props.require(cs("getctag")).text();
        assertFalse(ctag.isEmpty(), check::toString);
        Reply options = tb.send("OPTIONS", home, "").expect(200, 204);
        assertTrue(options.headerValues("DAV").contains("calendar-access"), options::toString);
        assertFalse(options.headerValues("DAV").contains("calendar-auto-schedule"),
                () -> "no scheduling (RFC 6638 is out of scope): Thunderbird must not look for an inbox\n" + options);

        // CalDavWebDavSyncHandler from an empty token (Depth: 1, as Thunderbird sends it), then a multiget
        Replica replica = Replica.empty();
        String token = thunderbirdSync(tb, calendar, "<sync-token/>", replica);
        assertEquals(Set.of("One", "Two"), replica.summaries());

        changeOnTheServer();
        thunderbirdSync(tb, calendar, "<sync-token>" + token + "</sync-token>", replica);
        assertEquals(Set.of("One, moved", "Three"), replica.summaries(), () -> "after the second sync: " + replica);

        // without webdav sync: safeRefresh's getctag check, then getUpdatedItems (PROPFIND getetag) and a multiget
        Reply ctagReply = tb.send("PROPFIND", calendar, thunderbirdPropfind("CS:getctag"), "Depth", "0", "Content-Type", TEXT_XML);
        String newCtag = ctagReply.multistatus().response(calendar).require(cs("getctag")).text();
        assertNotEquals(ctag, newCtag, () -> "the ctag changes with the calendar\n" + ctagReply);
        Replica byEtags = Replica.empty();
        Reply etags = tb.send("PROPFIND", calendar, XML_HEADER + "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:getcontenttype/>"
                + "<D:resourcetype/><D:getetag/></D:prop></D:propfind>", "Depth", "1", "Content-Type", TEXT_XML);
        List<String> items = etags.multistatus().responses().stream()
                .filter(r -> r.ok(dav("getcontenttype")).map(t -> t.text().startsWith("text/calendar")).orElse(false))
                .map(Multistatus.Response::href).toList();
        assertEquals(2, items.size(), etags::toString);
        multiget(tb, calendar, thunderbirdMultiget(items), "1", byEtags);
        assertEquals(replica, byEtags, "the ctag path and the webdav sync path end with the same calendar");

        // Thunderbird adds an event (If-None-Match: *), changes it (If-Match) and deletes it (If-Match)
        String href = calendar + "0c1b2a39-8d7e-4f60-9a5b-3c2d1e0f9a8b.ics";
        Reply added = tb.send("PUT", href, Ics.event("tb@interop", "From Thunderbird", "20260305T090000Z", "20260305T100000Z"),
                "Content-Type", "text/calendar; charset=utf-8", "If-None-Match", "*").expect(201);
        String etag = added.header("ETag").orElseThrow(() -> new AssertionError("Thunderbird keeps the ETag of its PUT\n" + added));
        Reply changed = tb.send("PUT", href, Ics.event("tb@interop", "From Thunderbird, changed", "20260305T090000Z", "20260305T100000Z"),
                "Content-Type", "text/calendar; charset=utf-8", "If-Match", etag).expect(204, 200);
        tb.send("DELETE", href, "", "If-Match", changed.header("ETag").orElseThrow()).expect(204, 200);
    }

    /** An event as Thunderbird writes it: local time with a TZID, and the VTIMEZONE it names (Europe/Berlin, CET/CEST). */
    static final String THUNDERBIRD_WEEKLY_IN_BERLIN = """
            BEGIN:VCALENDAR\r
            PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r
            VERSION:2.0\r
            BEGIN:VTIMEZONE\r
            TZID:Europe/Berlin\r
            X-TZINFO:Europe/Berlin[2024a]\r
            BEGIN:DAYLIGHT\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            TZNAME:CEST\r
            DTSTART:19700329T020000\r
            RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
            END:DAYLIGHT\r
            BEGIN:STANDARD\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            TZNAME:CET\r
            DTSTART:19701025T030000\r
            RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
            END:STANDARD\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            CREATED:20260301T100000Z\r
            LAST-MODIFIED:20260301T100000Z\r
            DTSTAMP:20260301T100000Z\r
            UID:berlin@interop\r
            SUMMARY:Night shift\r
            RRULE:FREQ=WEEKLY;COUNT=4\r
            DTSTART;TZID=Europe/Berlin:20260322T013000\r
            DTEND;TZID=Europe/Berlin:20260322T023000\r
            TRANSP:OPAQUE\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    @Test
    void thunderbirdsEventInItsTimeZoneIsFoundAtItsUtcTimeAcrossTheDaylightSavingChange() throws Exception {
        Dav tb = Dav.of(server);
        String calendar = server.calendarPath("work");
        tb.send("PUT", calendar + "berlin.ics", THUNDERBIRD_WEEKLY_IN_BERLIN, "Content-Type", "text/calendar; charset=utf-8",
                "If-None-Match", "*").expect(201);
        // 22 and 29 March 01:30 CET are 00:30Z; 5 and 12 April 01:30 CEST are 23:30Z the day before (RFC 5545 3.3.5)
        String expanded = "<C:calendar-data><C:expand start=\"20260401T000000Z\" end=\"20260415T000000Z\"/></C:calendar-data>";
        Reply april = tb.send("REPORT", calendar, query(expanded, "20260401T000000Z", "20260415T000000Z"), "Depth", "1",
                "Content-Type", TEXT_XML);
        String data = april.multistatus().response(calendar + "berlin.ics").require(caldav("calendar-data")).text();
        List<String> starts = data.lines().map(String::strip).filter(l -> l.startsWith("DTSTART")).sorted().toList();
        assertEquals(List.of("DTSTART:20260404T233000Z", "DTSTART:20260411T233000Z"), starts,
                () -> "RFC 4791 9.6.5: expanded instances in UTC\n" + april);
        Reply wrongHour = tb.send("REPORT", calendar, query("<D:getetag/>", "20260405T003000Z", "20260405T010000Z"), "Depth", "1",
                "Content-Type", TEXT_XML);
        assertTrue(wrongHour.multistatus().find(calendar + "berlin.ics").isEmpty(),
                () -> "the instance ends at 00:30Z; in CET (wrongly) it would run 00:30Z to 01:30Z\n" + wrongHour);
        Reply rightHour = tb.send("REPORT", calendar, query("<D:getetag/>", "20260404T230000Z", "20260404T233100Z"), "Depth", "1",
                "Content-Type", TEXT_XML);
        rightHour.multistatus().response(calendar + "berlin.ics");
    }

    /** A calendar-query for VEVENTs overlapping [start, end) asking for {@code props}. */
    private static String query(String props, String start, String end) {
        return XML_HEADER + "<C:calendar-query " + THUNDERBIRD_NS + "><D:prop>" + props + "</D:prop><C:filter>"
                + "<C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"" + start + "\" end=\""
                + end + "\"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";
    }

    /** One CalDavWebDavSyncHandler round: the REPORT, then a multiget of what changed; returns the new token. */
    private String thunderbirdSync(Dav tb, String calendar, String tokenElement, Replica replica) throws Exception {
        Reply sync = tb.send("REPORT", calendar, XML_HEADER + "<sync-collection xmlns=\"DAV:\">" + tokenElement
                + "<sync-level>1</sync-level><prop><getcontenttype/><getetag/></prop></sync-collection>", "Depth", "1",
                "Content-Type", TEXT_XML);
        Multistatus changes = sync.multistatus();
        List<String> fetch = applySync(changes, replica, sync);
        if (!fetch.isEmpty()) {
            multiget(tb, calendar, thunderbirdMultiget(fetch), "1", replica);
        }
        return changes.syncToken().orElseThrow(() -> new AssertionError("no DAV:sync-token in the answer\n" + sync));
    }

    // ------------------------------------------------------------------ Apple

    static final String APPLE_INITIAL = XML_HEADER + """
            <A:propfind xmlns:A="DAV:">
              <A:prop>
                <A:current-user-principal/>
                <A:principal-URL/>
                <A:resourcetype/>
              </A:prop>
            </A:propfind>
            """;

    static final String APPLE_PRINCIPAL = XML_HEADER + """
            <A:propfind xmlns:A="DAV:">
              <A:prop>
                <B:calendar-home-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:calendar-user-address-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <A:current-user-principal/>
                <A:displayname/>
                <C:dropbox-home-URL xmlns:C="http://calendarserver.org/ns/"/>
                <C:email-address-set xmlns:C="http://calendarserver.org/ns/"/>
                <C:notification-URL xmlns:C="http://calendarserver.org/ns/"/>
                <A:principal-collection-set/>
                <A:principal-URL/>
                <A:resource-id/>
                <B:schedule-inbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:schedule-outbox-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <A:supported-report-set/>
              </A:prop>
            </A:propfind>
            """;

    static final String APPLE_HOME = XML_HEADER + """
            <A:propfind xmlns:A="DAV:">
              <A:prop>
                <A:add-member/>
                <C:allowed-sharing-modes xmlns:C="http://calendarserver.org/ns/"/>
                <D:autoprovisioned xmlns:D="http://apple.com/ns/ical/"/>
                <E:bulk-requests xmlns:E="http://me.com/_namespace/"/>
                <B:calendar-alarm xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <D:calendar-color xmlns:D="http://apple.com/ns/ical/"/>
                <B:calendar-description xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:calendar-free-busy-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <D:calendar-order xmlns:D="http://apple.com/ns/ical/"/>
                <B:calendar-timezone xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <A:current-user-privilege-set/>
                <B:default-alarm-vevent-date xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:default-alarm-vevent-datetime xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <A:displayname/>
                <C:getctag xmlns:C="http://calendarserver.org/ns/"/>
                <C:invite xmlns:C="http://calendarserver.org/ns/"/>
                <D:language-code xmlns:D="http://apple.com/ns/ical/"/>
                <D:location-code xmlns:D="http://apple.com/ns/ical/"/>
                <A:owner/>
                <C:pre-publish-url xmlns:C="http://calendarserver.org/ns/"/>
                <C:publish-url xmlns:C="http://calendarserver.org/ns/"/>
                <C:push-transports xmlns:C="http://calendarserver.org/ns/"/>
                <C:pushkey xmlns:C="http://calendarserver.org/ns/"/>
                <A:quota-available-bytes/>
                <A:quota-used-bytes/>
                <D:refreshrate xmlns:D="http://apple.com/ns/ical/"/>
                <A:resource-id/>
                <A:resourcetype/>
                <B:schedule-calendar-transp xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:schedule-default-calendar-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <C:source xmlns:C="http://calendarserver.org/ns/"/>
                <C:subscribed-strip-alarms xmlns:C="http://calendarserver.org/ns/"/>
                <C:subscribed-strip-attachments xmlns:C="http://calendarserver.org/ns/"/>
                <C:subscribed-strip-todos xmlns:C="http://calendarserver.org/ns/"/>
                <B:supported-calendar-component-set xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <B:supported-calendar-component-sets xmlns:B="urn:ietf:params:xml:ns:caldav"/>
                <A:supported-report-set/>
                <A:sync-token/>
                <B:managed-attachments-server-URL xmlns:B="urn:ietf:params:xml:ns:caldav"/>
              </A:prop>
            </A:propfind>
            """;

    static final String APPLE_MKCALENDAR = XML_HEADER + """
            <B:mkcalendar xmlns:B="urn:ietf:params:xml:ns:caldav">
              <A:set xmlns:A="DAV:">
                <A:prop>
                  <D:calendar-order xmlns:D="http://apple.com/ns/ical/">1</D:calendar-order>
                  <B:supported-calendar-component-set>
                    <B:comp name="VEVENT"/>
                  </B:supported-calendar-component-set>
                  <D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="custom">#711A76FF</D:calendar-color>
                  <B:calendar-timezone>BEGIN:VCALENDAR&#13;
            VERSION:2.0&#13;
            PRODID:-//Apple Inc.//Mac OS X 10.11//EN&#13;
            CALSCALE:GREGORIAN&#13;
            BEGIN:VTIMEZONE&#13;
            TZID:America/Los_Angeles&#13;
            BEGIN:DAYLIGHT&#13;
            TZOFFSETFROM:-0800&#13;
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU&#13;
            DTSTART:20070311T020000&#13;
            TZNAME:PDT&#13;
            TZOFFSETTO:-0700&#13;
            END:DAYLIGHT&#13;
            BEGIN:STANDARD&#13;
            TZOFFSETFROM:-0700&#13;
            RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU&#13;
            DTSTART:20071104T020000&#13;
            TZNAME:PST&#13;
            TZOFFSETTO:-0800&#13;
            END:STANDARD&#13;
            END:VTIMEZONE&#13;
            END:VCALENDAR&#13;
            </B:calendar-timezone>
                  <A:displayname>Home</A:displayname>
                  <B:schedule-calendar-transp>
                    <B:opaque/>
                  </B:schedule-calendar-transp>
                </A:prop>
              </A:set>
            </B:mkcalendar>
            """;

    static String appleSync(String token) {
        return XML_HEADER + "<A:sync-collection xmlns:A=\"DAV:\">\n  <A:sync-token>" + token + "</A:sync-token>\n"
                + "  <A:sync-level>1</A:sync-level>\n  <A:prop>\n    <A:getcontenttype/>\n    <A:getetag/>\n  </A:prop>\n"
                + "</A:sync-collection>\n";
    }

    static String appleMultiget(List<String> hrefs) {
        return XML_HEADER + "<B:calendar-multiget xmlns:B=\"urn:ietf:params:xml:ns:caldav\">\n  <A:prop xmlns:A=\"DAV:\">\n"
                + "    <A:getetag/>\n    <B:calendar-data/>\n    <C:updated-by xmlns:C=\"http://calendarserver.org/ns/\"/>\n"
                + "    <C:created-by xmlns:C=\"http://calendarserver.org/ns/\"/>\n    <B:schedule-tag/>\n  </A:prop>\n"
                + hrefs.stream().map(h -> "  <A:href xmlns:A=\"DAV:\">" + h + "</A:href>\n").collect(Collectors.joining())
                + "</B:calendar-multiget>\n";
    }

    @Test
    void appleCalendarFindsTheHomeThroughTheWellKnownUrlSetsColourAndOrderAndSyncs() throws Exception {
        Dav ios = Dav.of(server, Map.of("User-Agent", "iOS/17.5 (21F79) dataaccessd/1.0"));

        // the first requests go without credentials (a redirect may come first): the server must ask for Basic (RFC 7617)
        Reply anonymous = ios.anonymous().send("PROPFIND", "/.well-known/caldav", APPLE_INITIAL, "Depth", "0", "Content-Type", TEXT_XML);
        if (anonymous.status() / 100 == 3) {
            anonymous = ios.anonymous().send("PROPFIND", anonymous.header("Location").orElseThrow(), APPLE_INITIAL, "Depth", "0",
                    "Content-Type", TEXT_XML);
        }
        Reply challenged = anonymous;
        assertEquals(401, challenged.status(), challenged::toString);
        assertTrue(challenged.header("WWW-Authenticate").orElse("").startsWith("Basic realm="), challenged::toString);

        // RFC 6764: the account set-up starts at /.well-known/caldav and follows the redirect
        Reply wellKnown = ios.send("PROPFIND", "/.well-known/caldav", APPLE_INITIAL, "Depth", "0", "Content-Type", TEXT_XML);
        Reply initial = wellKnown;
        if (wellKnown.status() / 100 == 3) {
            String location = wellKnown.header("Location").orElseThrow(() -> new AssertionError("a redirect without Location\n" + wellKnown));
            initial = ios.send("PROPFIND", location, APPLE_INITIAL, "Depth", "0", "Content-Type", TEXT_XML);
        }
        Reply found = initial;
        String principal = single(found.multistatus().responses().getFirst().require(dav("current-user-principal")).hrefs(), found);

        Reply principalReply = ios.send("PROPFIND", principal, APPLE_PRINCIPAL, "Depth", "0", "Content-Type", TEXT_XML);
        Multistatus.Response p = principalReply.multistatus().response(principal);
        String home = single(p.require(caldav("calendar-home-set")).hrefs(), principalReply);
        assertEquals(Multistatus.pathOf(principal), Multistatus.pathOf(single(p.require(dav("principal-URL")).hrefs(), principalReply)));
        assertTrue(p.ok(caldav("schedule-inbox-URL")).isEmpty(), () -> "no scheduling, so no inbox for Apple to poll\n" + principalReply);
        ios.send("OPTIONS", principal, "").expect(200, 204);

        Reply homeReply = ios.send("PROPFIND", home, APPLE_HOME, "Depth", "1", "Content-Type", TEXT_XML);
        Multistatus listing = homeReply.multistatus();
        String calendar = listing.responses().stream()
                .filter(r -> r.ok(dav("resourcetype")).map(t -> t.has(caldav("calendar"))).orElse(false))
                .map(Multistatus.Response::href).findFirst().orElseThrow(() -> new AssertionError("no calendar in the home\n" + homeReply));
        Multistatus.Response work = listing.response(calendar);
        for (var name : List.of(cs("getctag"), dav("sync-token"), dav("current-user-privilege-set"), dav("supported-report-set"),
                caldav("supported-calendar-component-set"), dav("displayname"))) {
            work.require(name);
        }
        assertTrue(work.ok(apple("autoprovisioned")).isEmpty() && work.properties().containsKey(apple("autoprovisioned")),
                () -> "a property the server does not have is listed with 404, not left out\n" + homeReply);

        // the colour and order Calendar sets at start-up are dead properties the server keeps (RFC 4918 15)
        Reply patched = ios.send("PROPPATCH", calendar, XML_HEADER + "<A:propertyupdate xmlns:A=\"DAV:\"><A:set><A:prop>"
                + "<D:calendar-color xmlns:D=\"http://apple.com/ns/ical/\" symbolic-color=\"orange\">#FD8208FF</D:calendar-color>"
                + "<D:calendar-order xmlns:D=\"http://apple.com/ns/ical/\">3</D:calendar-order>"
                + "</A:prop></A:set></A:propertyupdate>", "Content-Type", TEXT_XML);
        Multistatus.Response patch = patched.multistatus().response(calendar);
        assertEquals(200, patch.properties().get(apple("calendar-color")).status(), patched::toString);
        assertEquals(200, patch.properties().get(apple("calendar-order")).status(), patched::toString);
        Reply again = ios.send("PROPFIND", home, APPLE_HOME, "Depth", "1", "Content-Type", TEXT_XML);
        Multistatus.Response coloured = again.multistatus().response(calendar);
        assertEquals("#FD8208FF", coloured.require(apple("calendar-color")).text(), again::toString);
        assertEquals("3", coloured.require(apple("calendar-order")).text(), again::toString);

        // "New Calendar" in Calendar.app: MKCALENDAR with colour, order, time zone and transparency set at once
        String created = Multistatus.pathOf(home) + "C7A1E7B2-3F4D-4E5A-9B6C-7D8E9F0A1B2C/";
        Reply made = ios.send("MKCALENDAR", created, APPLE_MKCALENDAR, "Content-Type", TEXT_XML);
        assertEquals(201, made.status(), made::toString);
        Multistatus.Response home2 = ios.send("PROPFIND", home, APPLE_HOME, "Depth", "1", "Content-Type", TEXT_XML).multistatus()
                .response(created);
        assertEquals("Home", home2.require(dav("displayname")).text());
        assertEquals("#711A76FF", home2.require(apple("calendar-color")).text());
        assertEquals("1", home2.require(apple("calendar-order")).text());
        assertTrue(home2.require(caldav("calendar-timezone")).text().contains("TZID:America/Los_Angeles"));
        assertTrue(home2.require(caldav("supported-calendar-component-set")).has(caldav("comp")));

        // a sync from the empty token (Depth: 1, as the simulator sends it), then a multiget
        Replica replica = Replica.empty();
        String token = appleSyncRound(ios, calendar, "", replica);
        assertEquals(Set.of("One", "Two"), replica.summaries());
        changeOnTheServer();
        appleSyncRound(ios, calendar, token, replica);
        assertEquals(Set.of("One, moved", "Three"), replica.summaries(), () -> "after the second sync: " + replica);

        // a token the server does not know is 403 DAV:valid-sync-token (RFC 6578 3.2): Apple starts again from ""
        Reply stale = ios.send("REPORT", calendar, appleSync("http://example.com/ns/sync/unknown"), "Depth", "1", "Content-Type", TEXT_XML);
        assertEquals(403, stale.status(), stale::toString);
        assertTrue(stale.body().contains("valid-sync-token"), stale::toString);
        Replica fresh = Replica.empty();
        appleSyncRound(ios, calendar, "", fresh);
        assertEquals(replica, fresh);
    }

    private String appleSyncRound(Dav ios, String calendar, String token, Replica replica) throws Exception {
        Reply sync = ios.send("REPORT", calendar, appleSync(token), "Depth", "1", "Content-Type", TEXT_XML);
        Multistatus changes = sync.multistatus();
        List<String> fetch = applySync(changes, replica, sync);
        if (!fetch.isEmpty()) {
            multiget(ios, calendar, appleMultiget(fetch), "1", replica);
        }
        return changes.syncToken().orElseThrow(() -> new AssertionError("no DAV:sync-token in the answer\n" + sync));
    }

    // ------------------------------------------------------------------ DAVx5

    static final String DAVX5_XML = "application/xml; charset=utf-8";

    static String davx5Propfind(String... props) {
        StringBuilder b = new StringBuilder("<?xml version='1.0' encoding='UTF-8' ?><propfind xmlns=\"DAV:\" "
                + "xmlns:CAL=\"urn:ietf:params:xml:ns:caldav\" xmlns:CS=\"http://calendarserver.org/ns/\" "
                + "xmlns:ICAL=\"http://apple.com/ns/ical/\"><prop>");
        for (String p : props) {
            b.append('<').append(p).append(" />");
        }
        return b.append("</prop></propfind>").toString();
    }

    static String davx5Multiget(List<String> hrefs) {
        return "<?xml version='1.0' encoding='UTF-8' ?><CAL:calendar-multiget xmlns=\"DAV:\" xmlns:CAL=\"urn:ietf:params:xml:ns:caldav\">"
                + "<prop><getcontenttype /><getetag /><CAL:schedule-tag /><CAL:calendar-data /></prop>"
                + hrefs.stream().map(h -> "<href>" + h + "</href>").collect(Collectors.joining()) + "</CAL:calendar-multiget>";
    }

    static String davx5Sync(String token) {
        return "<?xml version='1.0' encoding='UTF-8' ?><sync-collection xmlns=\"DAV:\">"
                + (token.isEmpty() ? "<sync-token />" : "<sync-token>" + token + "</sync-token>")
                + "<sync-level>1</sync-level><prop><getetag /></prop></sync-collection>";
    }

    @Test
    void davx5DiscoversCreatesACalendarWithExtendedMkcolAndSyncsWithSyncCollectionAndWithCalendarQuery() throws Exception {
        Dav davx5 = Dav.of(server, Map.of("User-Agent", "DAVx5/4.4.3.2-ose (dav4jvm; okhttp/4.12.0) Android/14"));

        // DavResourceFinder: the well-known URL gives the principal, the principal its home, the home its calendars
        Reply wellKnown = davx5.send("PROPFIND", "/.well-known/caldav", davx5Propfind("current-user-principal"),
                "Depth", "0", "Content-Type", DAVX5_XML);
        Reply atRoot = wellKnown.status() / 100 == 3
                ? davx5.send("PROPFIND", wellKnown.header("Location").orElseThrow(), davx5Propfind("current-user-principal"),
                        "Depth", "0", "Content-Type", DAVX5_XML)
                : wellKnown;
        String principal = single(atRoot.multistatus().responses().getFirst().require(dav("current-user-principal")).hrefs(), atRoot);
        Reply principalReply = davx5.send("PROPFIND", principal, davx5Propfind("CAL:calendar-home-set", "displayname",
                "CAL:calendar-user-address-set", "group-membership"), "Depth", "0", "Content-Type", DAVX5_XML);
        String home = single(principalReply.multistatus().response(principal).require(caldav("calendar-home-set")).hrefs(), principalReply);

        // "Create calendar": an extended MKCOL (RFC 5689) with colour and components
        String phone = Multistatus.pathOf(home) + "phone-" + Integer.toHexString(folder.hashCode()) + "/";
        davx5.send("MKCOL", phone, "<?xml version='1.0' encoding='UTF-8' ?><mkcol xmlns=\"DAV:\" "
                + "xmlns:CAL=\"urn:ietf:params:xml:ns:caldav\" xmlns:ICAL=\"http://apple.com/ns/ical/\"><set><prop>"
                + "<resourcetype><collection /><CAL:calendar /></resourcetype><displayname>Phone</displayname>"
                + "<ICAL:calendar-color>#8BC34AFF</ICAL:calendar-color><CAL:supported-calendar-component-set>"
                + "<CAL:comp name=\"VEVENT\" /></CAL:supported-calendar-component-set></prop></set></mkcol>",
                "Content-Type", DAVX5_XML).expect(201);

        Reply homeReply = davx5.send("PROPFIND", home, davx5Propfind("resourcetype", "current-user-privilege-set", "displayname",
                "owner", "CAL:calendar-description", "ICAL:calendar-color", "CAL:supported-calendar-component-set", "CS:source"),
                "Depth", "1", "Content-Type", DAVX5_XML);
        Multistatus listing = homeReply.multistatus();
        Multistatus.Response created = listing.response(phone);
        assertTrue(created.require(dav("resourcetype")).has(caldav("calendar")), homeReply::toString);
        assertEquals("Phone", created.require(dav("displayname")).text(), homeReply::toString);
        assertEquals("#8BC34AFF", created.require(apple("calendar-color")).text(), homeReply::toString);
        String calendar = server.calendarPath("work");
        listing.response(calendar);

        // CalendarSyncManager.queryCapabilities
        Reply caps = davx5.send("PROPFIND", calendar, davx5Propfind("CAL:max-resource-size", "supported-report-set", "CS:getctag",
                "sync-token"), "Depth", "0", "Content-Type", DAVX5_XML);
        Multistatus.Response capabilities = caps.multistatus().response(calendar);
        assertTrue(Long.parseLong(capabilities.require(caldav("max-resource-size")).text()) > 0, caps::toString);
        assertTrue(reports(capabilities).contains(dav("sync-collection")), () -> "DAVx5 syncs with sync-collection only when listed\n" + caps);
        capabilities.require(cs("getctag"));
        capabilities.require(dav("sync-token"));

        // COLLECTION_SYNC: sync-collection with Depth: 0 from no token, a multiget without Depth, then an upload
        Replica replica = Replica.empty();
        String token = davx5SyncRound(davx5, calendar, "", replica);
        assertEquals(Set.of("One", "Two"), replica.summaries());
        Reply uploaded = davx5.send("PUT", calendar + "5f0e8d1c-aaaa-4bbb-8ccc-0d1e2f3a4b5c.ics",
                Ics.event("davx5@interop", "From the phone", "20260306T090000Z", "20260306T100000Z"),
                "Content-Type", "text/calendar;charset=utf-8", "If-None-Match", "*").expect(201);
        assertTrue(uploaded.header("ETag").isPresent(), () -> "DAVx5 stores the ETag of its upload when the server gives it\n" + uploaded);
        changeOnTheServer();
        davx5SyncRound(davx5, calendar, token, replica);
        assertEquals(Set.of("One, moved", "Three", "From the phone"), replica.summaries(), () -> "after the second sync: " + replica);

        // PROPFIND_REPORT (a past-days limit is set): calendar-query for ETags from a start time, then a multiget
        Reply query = davx5.send("REPORT", calendar, "<?xml version='1.0' encoding='UTF-8' ?><CAL:calendar-query xmlns=\"DAV:\" "
                + "xmlns:CAL=\"urn:ietf:params:xml:ns:caldav\"><prop><getetag /></prop><CAL:filter><CAL:comp-filter name=\"VCALENDAR\">"
                + "<CAL:comp-filter name=\"VEVENT\"><CAL:time-range start=\"20260303T000000Z\" /></CAL:comp-filter>"
                + "</CAL:comp-filter></CAL:filter></CAL:calendar-query>", "Depth", "1", "Content-Type", DAVX5_XML);
        Map<String, String> recent = query.multistatus().responses().stream()
                .collect(Collectors.toMap(r -> Multistatus.pathOf(r.href()), r -> r.require(dav("getetag")).text()));
        assertEquals(Set.of(calendar + "three é.ics", calendar + "5f0e8d1c-aaaa-4bbb-8ccc-0d1e2f3a4b5c.ics"), recent.keySet(),
                () -> "only the events from 3 March on (one was moved to 2 March, two deleted)\n" + query);
        recent.forEach((href, etag) -> assertEquals(replica.etags().get(href), etag, "the query's ETag is the sync's"));

        // a token the server does not know: 403 with DAV:valid-sync-token, and DAVx5 starts again from no token
        Reply stale = davx5.send("REPORT", calendar, davx5Sync("http://example.com/ns/sync/unknown"), "Depth", "0",
                "Content-Type", DAVX5_XML);
        assertEquals(403, stale.status(), stale::toString);
        assertTrue(stale.body().contains("valid-sync-token"), stale::toString);
    }

    private String davx5SyncRound(Dav davx5, String calendar, String token, Replica replica) throws Exception {
        Reply sync = davx5.send("REPORT", calendar, davx5Sync(token), "Depth", "0", "Content-Type", DAVX5_XML);
        Multistatus changes = sync.multistatus();
        List<String> fetch = applySync(changes, replica, sync);
        if (!fetch.isEmpty()) {
            multiget(davx5, calendar, davx5Multiget(fetch), null, replica);
        }
        return changes.syncToken().orElseThrow(() -> new AssertionError("no DAV:sync-token in the answer\n" + sync));
    }

    // ------------------------------------------------------------------ shared

    /**
     * Applies a sync-collection answer to the replica as clients do (RFC 6578 3.5): a member with a
     * 404 status was removed; one with a new ETag is to be fetched. Returns the hrefs to fetch.
     */
    private static List<String> applySync(Multistatus changes, Replica replica, Reply sync) {
        List<String> fetch = new java.util.ArrayList<>();
        for (Multistatus.Response r : changes.responses()) {
            String path = Multistatus.pathOf(r.href());
            if (r.status().orElse(0) == 404) {
                assertTrue(r.properties().isEmpty(), () -> "a removed member carries no properties\n" + sync);
                replica.etags().remove(path);
                replica.data().remove(path);
            } else {
                String etag = r.require(dav("getetag")).text();
                if (!etag.equals(replica.etags().get(path))) {
                    fetch.add(r.href());
                }
            }
        }
        return fetch;
    }

    /** A calendar-multiget of {@code body}; every href asked for comes back with its ETag and data. */
    private static void multiget(Dav client, String calendar, String body, String depth, Replica replica) throws Exception {
        Reply reply = depth == null
                ? client.send("REPORT", calendar, body, "Content-Type", DAVX5_XML)
                : client.send("REPORT", calendar, body, "Depth", depth, "Content-Type", TEXT_XML);
        for (Multistatus.Response r : reply.multistatus().responses()) {
            String data = r.require(caldav("calendar-data")).text();
            assertTrue(data.startsWith("BEGIN:VCALENDAR"), reply::toString);
            replica.etags().put(Multistatus.pathOf(r.href()), r.require(dav("getetag")).text());
            replica.data().put(Multistatus.pathOf(r.href()), data);
        }
    }

    private static Set<javax.xml.namespace.QName> reports(Multistatus.Response r) {
        return Set.copyOf(r.require(dav("supported-report-set")).descendants());
    }

    private static Set<javax.xml.namespace.QName> privileges(Multistatus.Response r) {
        return Set.copyOf(r.require(dav("current-user-privilege-set")).descendants());
    }

    private static String single(List<String> hrefs, Reply reply) {
        assertEquals(1, hrefs.size(), reply::toString);
        return hrefs.getFirst();
    }
}
