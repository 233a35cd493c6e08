package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.store.Users;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * A small store for the PROPFIND and REPORT tests: alice owns "work" (shared read-only with bob)
 * and "private"; bob owns "home"; carol has nothing. And the readers of a multistatus answer.
 */
final class PropertiesFixture {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final String FAKE_HASH = "$2y$10$" + "a".repeat(53);

    private PropertiesFixture() {}

    static Store store() {
        Users users = Users.none().withUser("alice", FAKE_HASH).withUser("bob", FAKE_HASH).withUser("carol", FAKE_HASH);
        Shares shares = Shares.parse(Bytes.utf8("share alice/work with bob read\nshare alice/gone with bob read-write\n")).orElseThrow();
        Collection work = calendar("alice", "work", EnumSet.of(ComponentKind.VEVENT, ComponentKind.VTODO), Map.of(
                DavNames.DISPLAYNAME, Element.text(DavNames.DISPLAYNAME, "Work"),
                DavNames.CALENDAR_COLOR, Element.text(DavNames.CALENDAR_COLOR, "#FF0000FF")))
                .withMember(event("standup.ics", "standup", "20260302T090000Z"), CREATED)
                .withMember(event("review.ics", "review", "20260303T140000Z"), CREATED);
        Collection privateCalendar = calendar("alice", "private", EnumSet.of(ComponentKind.VEVENT), Map.of())
                .withMember(event("dentist.ics", "dentist", "20260310T080000Z"), CREATED);
        Collection bobs = calendar("bob", "home", EnumSet.of(ComponentKind.VEVENT), Map.of())
                .withMember(resource("gym.ics", weekly("gym", "20260302T180000Z")), CREATED);
        return new Store(new TreeMap<>(), users, shares).with(work).with(privateCalendar).with(bobs);
    }

    static Collection calendar(String owner, String name, EnumSet<ComponentKind> components, Map<XmlName, Element> dead) {
        TreeMap<String, Resource> members = new TreeMap<>();
        return new Collection(owner, name, components, new TreeMap<>(dead), members, SyncLog.of(members), CREATED, CREATED);
    }

    static String ics(String uid, String start) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDURATION:PT1H\r\nSUMMARY:" + uid
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** A one-hour event, indexed by the real iCalendar code. */
    static Resource event(String name, String uid, String start) {
        return resource(name, ics(uid, start));
    }

    static Resource resource(String name, String text) {
        Bytes data = Bytes.utf8(text);
        CalendarIndex index = ICalendars.validate(data, EnumSet.allOf(ComponentKind.class)).orElseThrow();
        return Resource.of(name, data, index, CREATED);
    }

    /** A weekly one-hour event from {@code start}, for ever. */
    static String weekly(String uid, String start) {
        return ics(uid, start).replace("DURATION:PT1H\r\n", "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\n");
    }

    static DavRequest request(String method, String path, String user, String body, String... headers) {
        return new DavRequest(method, path, Headers.of(headers), Bytes.utf8(body), user, NOW);
    }

    static HttpResponse propfind(Store store, String path, String user, String body, String... headers) {
        DavRequest request = request("PROPFIND", path, user, body, headers);
        return Propfind.handle(store, request, Targets.resolve(path, user).orElseThrow(), DavConfig.defaults());
    }

    static HttpResponse report(Store store, String path, String user, String body, String... headers) {
        DavRequest request = request("REPORT", path, user, body, headers);
        return Reports.handle(store, request, Targets.resolve(path, user).orElseThrow(), DavConfig.defaults());
    }

    static Element xml(HttpResponse response) {
        return XmlReader.parse(response.bytes()).orElseThrow();
    }

    /** The multistatus of a 207, checked to be one. */
    static Element multistatus(HttpResponse response) {
        assertEquals(207, response.status(), () -> response.bytes().toUtf8());
        Element root = xml(response);
        assertEquals(DavNames.MULTISTATUS, root.name());
        return root;
    }

    static List<String> hrefs(Element multistatus) {
        return multistatus.elements(DavNames.RESPONSE).stream()
                .map(r -> r.element(DavNames.HREF).orElseThrow().text()).toList();
    }

    static Element response(Element multistatus, String href) {
        return multistatus.elements(DavNames.RESPONSE).stream()
                .filter(r -> r.element(DavNames.HREF).orElseThrow().text().equals(href)).findFirst()
                .orElseThrow(() -> new AssertionError("no response for " + href + " in " + hrefs(multistatus)));
    }

    /** The status code a response's propstat gives property {@code name}; 0 if absent. */
    static int statusOf(Element response, XmlName name) {
        for (Element propstat : response.elements(DavNames.PROPSTAT)) {
            if (propstat.element(DavNames.PROP).orElseThrow().element(name).isPresent()) {
                return code(propstat.element(DavNames.STATUS).orElseThrow().text());
            }
        }
        return 0;
    }

    /** The status of a response without propstat (a gone member, an href naming nothing). */
    static int statusOf(Element response) {
        return code(response.element(DavNames.STATUS).orElseThrow().text());
    }

    private static int code(String statusLine) {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** The property's element in the 200 propstat. */
    static Element found(Element response, XmlName name) {
        assertEquals(200, statusOf(response, name), () -> name + " in " + response);
        for (Element propstat : response.elements(DavNames.PROPSTAT)) {
            Optional<Element> e = propstat.element(DavNames.PROP).orElseThrow().element(name);
            if (e.isPresent()) {
                return e.get();
            }
        }
        throw new AssertionError("unreachable");
    }

    static List<XmlName> childNames(Element e) {
        List<XmlName> out = new ArrayList<>();
        e.elements().forEach(c -> out.add(c.name()));
        return out;
    }

    static void assertCondition(HttpResponse response, int status, XmlName condition) {
        assertEquals(status, response.status(), () -> response.bytes().toUtf8());
        Element error = xml(response);
        assertEquals(DavNames.ERROR, error.name());
        assertTrue(error.element(condition).isPresent(), () -> "expected " + condition + " in " + response.bytes().toUtf8());
    }
}
