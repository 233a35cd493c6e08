package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Home;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.http.Headers;
import jmirage.kv.MemKv;
import jmirage.sim.VirtualClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random requests over the small store of {@link DavFixture}: any method (ours, and some we do not
 * implement), any user (one unknown), paths of every kind of resource, conditional and
 * COPY/MOVE headers, and bodies from valid iCalendar and DAV documents to garbage.
 */
class DavCorePropertiesTest {

    private static final List<String> METHODS = List.of("OPTIONS", "GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT",
            "MKCALENDAR", "MKCOL", "COPY", "MOVE", "LOCK", "get", "");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    private static final List<String> COLLECTIONS = List.of("/", "/calendars/", "/principals/", "/principals/alice/",
            "/calendars/alice/", "/calendars/bob/", "/calendars/alice/work/", "/calendars/alice/family/", "/calendars/bob/personal/",
            "/calendars/bob/work@alice/", "/calendars/carol/family@alice/", "/calendars/carol/work@alice/",
            "/calendars/alice/new/", "/calendars/alice/x@alice/", "/.well-known/caldav/", "/calendars/alice/personal@bob/");
    private static final List<String> MEMBERS = List.of("", "", "meeting.ics", "task.ics", "dinner.ics", "dentist.ics", "new.ics",
            ".collection.xml", "a/b", "..", "x".repeat(260));

    record Case(String method, String user, String path, Headers headers, Bytes body) {}

    @Property(tries = 3000)
    void anyRequestGetsAnAnswerNever5xxAndARefusalChangesNothing(@ForAll("cases") Case c) {
        Store store = DavFixture.store();
        DavRequest request = new DavRequest(c.method(), c.path(), c.headers(), c.body(), c.user(), DavFixture.NOW);
        DavOutcome outcome = DavFixture.CORE.handle(store, request);
        int status = outcome.response().status();
        net.jqwik.api.statistics.Statistics.label("outcome").collect(outcome.batch().isPresent() ? "written" : status / 100 + "xx");
        assertTrue(status < 500 || status == 502 && foreignDestination(c.headers()), status + " for " + c);
        if (status >= 400) {
            DavFixture.assertUnchanged(store, outcome);
        }
        assertEquals(outcome.batch().isEmpty(), outcome.store() == store, "a changed store comes with its batch: " + c);
        outcome.batch().ifPresent(batch -> {
            assertTrue(status >= 200 && status < 300, "a batch only with a success: " + status);
            assertEquals(c.user(), batch.author());
            assertEquals(c.user() + " via caldav: " + c.method() + " " + c.path(), batch.message());
        });
    }

    /**
     * The batches say what the new stores hold: after a run of random requests, the Kv the batches
     * were committed to reads back as the store the core handed back (calendars, their components
     * and dead properties, every object's bytes).
     */
    @Property(tries = 200)
    void theBatchesRebuildTheStore(@ForAll @Size(min = 1, max = 12) List<@net.jqwik.api.From("writes") Case> cases) {
        Store store = DavFixture.store();
        MemKv kv = new MemKv(new VirtualClock(VirtualClock.DEFAULT_START));
        commit(kv, new Batch("test", "seed", seed(store)));
        for (Case c : cases) {
            DavOutcome outcome = DavFixture.CORE.handle(store,
                    new DavRequest(c.method(), c.path(), c.headers(), c.body(), c.user(), DavFixture.NOW));
            outcome.batch().ifPresent(batch -> commit(kv, batch));
            net.jqwik.api.statistics.Statistics.label("write").collect(c.method(), outcome.batch().isPresent());
            store = outcome.store();
        }
        Promise<Result<Store, jmirage.caldav.store.StoreError>> loaded = Layout.load(kv, DavFixture.NOW);
        assertTrue(loaded.isDone());
        assertEquals(content(store), content(loaded.value().orElseThrow()));
    }

    private static List<Change> seed(Store store) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Layout.HTPASSWD, Bytes.utf8("alice:$2y$10$" + "a".repeat(53) + "\nbob:$2y$10$" + "b".repeat(53)
                + "\ncarol:$2y$10$" + "c".repeat(53) + "\n")));
        changes.add(new Change.Set(Layout.SHARES, Bytes.utf8("share alice/work with bob read-write\nshare alice/family with carol read\n")));
        for (Home home : store.homes().values()) {
            for (Collection c : home.calendars().values()) {
                changes.add(new Change.Set(Layout.properties(c.owner(), c.name()), Layout.encodeProperties(c)));
                c.members().values().forEach(r -> changes.add(new Change.Set(Layout.resource(c.owner(), c.name(), r.name()), r.data())));
            }
        }
        return changes;
    }

    private static void commit(MemKv kv, Batch batch) {
        Promise<Result<jmirage.core.Unit, jmirage.core.kv.KvError>> done = kv.commit(batch);
        assertTrue(done.isDone() && done.value().isOk(), "committed: " + batch.message());
    }

    /** What a store holds that the Kv keeps: per calendar, components, dead properties and objects' bytes. */
    private static Map<String, String> content(Store store) {
        Map<String, String> out = new TreeMap<>();
        for (Home home : store.homes().values()) {
            for (Collection c : home.calendars().values()) {
                String at = c.owner() + "/" + c.name();
                out.put(at + " components", new java.util.TreeSet<>(c.components()).toString());
                c.deadProperties().forEach((name, value) -> out.put(at + " " + name, jmirage.caldav.xml.XmlWriter.fragment(value)));
                for (Resource r : c.members().values()) {
                    out.put(at + "/" + r.name(), r.data().toUtf8());
                }
            }
        }
        return out;
    }

    private static boolean foreignDestination(Headers headers) {
        try {
            String authority = new URI(headers.get("Destination").orElse("").strip()).getRawAuthority();
            return authority != null && !authority.equalsIgnoreCase(headers.get("Host").orElse(""));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> path = Combinators.combine(Arbitraries.of(COLLECTIONS), Arbitraries.of(MEMBERS)).as(String::concat);
        return Combinators.combine(Arbitraries.of(METHODS), Arbitraries.of(USERS), path, headers(), bodies()).as(Case::new);
    }

    /** Requests that mostly succeed: writes by alice and bob into calendars they may write, with fitting bodies. */
    @Provide
    Arbitrary<Case> writes() {
        Arbitrary<String> calendar = Arbitraries.of("/calendars/alice/work/", "/calendars/alice/family/", "/calendars/bob/personal/",
                "/calendars/alice/new/", "/calendars/alice/renamed/");
        Arbitrary<String> object = Combinators.combine(calendar, Arbitraries.of("meeting.ics", "task.ics", "dinner.ics", "a.ics", "b.ics"))
                .as(String::concat);
        Arbitrary<Bytes> ics = Arbitraries.of("uid-meeting", "uid-task", "uid-a", "uid-b", "uid-c")
                .flatMap(uid -> Arbitraries.of(ComponentKind.VEVENT, ComponentKind.VTODO).map(kind -> DavFixture.ics(uid, kind)));
        Arbitrary<Bytes> patch = Arbitraries.of("#FF0000", "#00FF00").map(colour -> Bytes.utf8(
                "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:I=\"http://apple.com/ns/ical/\"><D:set><D:prop><I:calendar-color>" + colour
                        + "</I:calendar-color></D:prop></D:set><D:remove><D:prop><D:displayname/></D:prop></D:remove></D:propertyupdate>"));
        Bytes mkcalendar = Bytes.utf8("<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop>"
                + "<D:displayname>New</D:displayname><C:supported-calendar-component-set><C:comp name=\"VEVENT\"/>"
                + "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>");
        Arbitrary<Case> put = Combinators.combine(object, ics).as((path, body) ->
                new Case("PUT", "alice", path, Headers.of("Content-Type", "text/calendar"), body));
        Arbitrary<Case> delete = Arbitraries.oneOf(object, calendar).map(path -> new Case("DELETE", "alice", path, Headers.EMPTY, Bytes.EMPTY));
        Arbitrary<Case> make = calendar.map(path -> new Case("MKCALENDAR", "alice", path, Headers.EMPTY, mkcalendar));
        Arbitrary<Case> proppatch = Combinators.combine(calendar, patch).as((path, body) -> new Case("PROPPATCH", "alice", path, Headers.EMPTY, body));
        Arbitrary<Case> copyMove = Combinators.combine(Arbitraries.of("COPY", "MOVE"), object, object, Arbitraries.of("T", "F"))
                .as((method, from, to, overwrite) -> new Case(method, "alice", from, Headers.of("Destination", to, "Overwrite", overwrite), Bytes.EMPTY));
        Arbitrary<Case> rename = Combinators.combine(calendar, calendar).as((from, to) ->
                new Case("MOVE", "alice", from, Headers.of("Destination", to), Bytes.EMPTY));
        Arbitrary<Case> sharee = object.map(path -> path.replace("/calendars/alice/work/", "/calendars/bob/work@alice/"))
                .flatMap(path -> ics.map(body -> new Case("PUT", "bob", path, Headers.of("Content-Type", "text/calendar"), body)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, put), net.jqwik.api.Tuple.of(2, delete), net.jqwik.api.Tuple.of(2, make),
                net.jqwik.api.Tuple.of(2, proppatch), net.jqwik.api.Tuple.of(3, copyMove), net.jqwik.api.Tuple.of(1, rename),
                net.jqwik.api.Tuple.of(2, sharee));
    }

    private static Arbitrary<Headers> headers() {
        Arbitrary<Optional<String>> ifMatch = Arbitraries.of("*", "\"x\"", "W/\"x\"", "garbage", "\"unterminated").optional(0.2);
        Arbitrary<Optional<String>> ifNoneMatch = Arbitraries.of("*", "\"x\"", ",,,").optional(0.2);
        Arbitrary<Optional<String>> type = Arbitraries.of("text/calendar", "text/calendar; charset=utf-8", "text/plain",
                "application/xml", "").optional(0.7);
        Arbitrary<Optional<String>> destination = Arbitraries.of("/calendars/alice/family/moved.ics", "/calendars/alice/work/moved.ics",
                "http://cal.example/calendars/alice/work/m.ics", "https://elsewhere.example/calendars/alice/work/m.ics",
                "/calendars/alice/renamed/", "/calendars/alice/family/", "/calendars/bob/personal/x.ics",
                "/calendars/bob/work@alice/y.ics", "%%", "ht tp://x", "", "/calendars/alice/family/dinner.ics").optional(0.6);
        Arbitrary<Optional<String>> overwrite = Arbitraries.of("T", "F", "x").optional(0.3);
        Arbitrary<Optional<String>> date = Arbitraries.of("Sun, 01 Feb 2026 12:00:00 GMT", "yesterday").optional(0.1);
        return Combinators.combine(ifMatch, ifNoneMatch, type, destination, overwrite, date).as((m, n, t, d, o, since) -> {
            List<String> fields = new ArrayList<>(List.of("Host", "cal.example"));
            m.ifPresent(v -> fields.addAll(List.of("If-Match", v)));
            n.ifPresent(v -> fields.addAll(List.of("If-None-Match", v)));
            t.ifPresent(v -> fields.addAll(List.of("Content-Type", v)));
            d.ifPresent(v -> fields.addAll(List.of("Destination", v)));
            o.ifPresent(v -> fields.addAll(List.of("Overwrite", v)));
            since.ifPresent(v -> fields.addAll(List.of("If-Modified-Since", v, "If-Unmodified-Since", v)));
            return Headers.of(fields.toArray(String[]::new));
        });
    }

    private static Arbitrary<Bytes> bodies() {
        Arbitrary<Bytes> ics = Arbitraries.of("uid-meeting", "uid-task", "uid-dinner", "uid-new", "uid-other")
                .flatMap(uid -> Arbitraries.of(ComponentKind.values()).map(kind -> DavFixture.ics(uid, kind)));
        Arbitrary<Bytes> documents = Arbitraries.of(
                "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop><D:displayname>N</D:displayname>"
                        + "<C:supported-calendar-component-set><C:comp name=\"VTODO\"/></C:supported-calendar-component-set>"
                        + "</D:prop></D:set></C:mkcalendar>",
                "<D:mkcol xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop><D:resourcetype><D:collection/>"
                        + "<C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>",
                "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:I=\"http://apple.com/ns/ical/\"><D:set><D:prop><I:calendar-color>#FF0000"
                        + "</I:calendar-color></D:prop></D:set><D:remove><D:prop><D:displayname/></D:prop></D:remove></D:propertyupdate>",
                "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>",
                "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>",
                "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/></D:prop>"
                        + "<C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>",
                "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop>"
                        + "</D:sync-collection>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>", "<unclosed", "BEGIN:VCALENDAR\r\n", "")
                .map(Bytes::utf8);
        Arbitrary<Bytes> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(Bytes::of);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, ics), net.jqwik.api.Tuple.of(4, documents), net.jqwik.api.Tuple.of(1, garbage));
    }
}
