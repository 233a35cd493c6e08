package jmirage.caldav.dav;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Home;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.store.Users;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/**
 * A small store for the core's tests: alice (calendars work and family), bob (personal), carol
 * (no calendar) and dave (not a user); work is shared read-write with bob, family read-only with
 * carol. Objects are built with their index directly, so these tests need no iCalendar parser.
 */
final class DavFixture {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
    static final DavCore CORE = new DavCore(DavConfig.defaults());

    private DavFixture() {}

    static Store store() {
        Users users = Users.parse(Bytes.utf8(
                "alice:" + hash('a') + "\nbob:" + hash('b') + "\ncarol:" + hash('c') + "\n")).orElseThrow();
        Shares shares = Shares.parse(Bytes.utf8("share alice/work with bob read-write\nshare alice/family with carol read\n"))
                .orElseThrow();
        Collection work = calendar("alice", "work", EnumSet.of(ComponentKind.VEVENT, ComponentKind.VTODO),
                Map.of(DavNames.DISPLAYNAME, Element.text(DavNames.DISPLAYNAME, "Work")),
                resource("meeting.ics", "uid-meeting", ComponentKind.VEVENT),
                resource("task.ics", "uid-task", ComponentKind.VTODO));
        Collection family = calendar("alice", "family", EnumSet.of(ComponentKind.VEVENT), Map.of(),
                resource("dinner.ics", "uid-dinner", ComponentKind.VEVENT));
        Collection personal = calendar("bob", "personal", EnumSet.allOf(ComponentKind.class), Map.of(),
                resource("dentist.ics", "uid-dentist", ComponentKind.VEVENT));
        Store store = new Store(new TreeMap<String, Home>(), users, shares);
        return store.with(work).with(family).with(personal);
    }

    /** A syntactically valid bcrypt hash (never verified here). */
    private static String hash(char c) {
        return "$2y$10$" + String.valueOf(c).repeat(53);
    }

    static Collection calendar(String owner, String name, Set<ComponentKind> components, Map<XmlName, Element> dead,
                               Resource... members) {
        TreeMap<String, Resource> byName = new TreeMap<>();
        for (Resource r : members) {
            byName.put(r.name(), r);
        }
        return new Collection(owner, name, components, new TreeMap<>(dead), byName, SyncLog.of(byName), T0, T0);
    }

    static Resource resource(String name, String uid, ComponentKind kind) {
        return Resource.of(name, ics(uid, kind), new CalendarIndex(uid, kind, Optional.empty(), Optional.empty(), false), T0);
    }

    /** A minimal object with a VTIMEZONE (the export keeps one per TZID). */
    static Bytes ics(String uid, ComponentKind kind) {
        String component = kind.name();
        return Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\n"
                + "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
                + "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
                + "BEGIN:" + component + "\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\n"
                + "DTSTART;TZID=Europe/Paris:20260105T100000\r\nSUMMARY:" + uid + "\r\nEND:" + component + "\r\n"
                + "END:VCALENDAR\r\n");
    }

    static DavRequest request(String user, String method, String path, Bytes body, String... headers) {
        return new DavRequest(method, path, Headers.of(headers), body, user, NOW);
    }

    static DavRequest request(String user, String method, String path, String... headers) {
        return request(user, method, path, Bytes.EMPTY, headers);
    }

    static DavOutcome handle(Store store, DavRequest request) {
        return CORE.handle(store, request);
    }

    /** The outcome of a refused request: the same store object, no batch. */
    static void assertUnchanged(Store store, DavOutcome outcome) {
        org.junit.jupiter.api.Assertions.assertSame(store, outcome.store(), "a refused request leaves the store");
        org.junit.jupiter.api.Assertions.assertTrue(outcome.batch().isEmpty(), "a refused request has no batch");
    }

    static String body(DavOutcome outcome) {
        return outcome.response().bytes().toUtf8();
    }

    static List<String> header(DavOutcome outcome, String name) {
        return outcome.response().headers().all(name);
    }
}
