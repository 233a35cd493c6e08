package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.IcalError;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The layout of {@link Layout}, read from each Kv backend: a backend's test extends this class and
 * says how to open a fresh, empty store. The objects are indexed by a stand-in for
 * ICalendars.validate (valid: contains BEGIN:VCALENDAR), so these tests do not depend on ical4j.
 */
abstract class LayoutConformance {

    protected abstract Kv open(SimScheduler scheduler);

    /** A stand-in indexer whose index the fallback never gives (recurring, bounded), so tests tell them apart. */
    static final Layout.Indexer STAND_IN = (body, allowed) -> {
        String text = body.toUtf8();
        if (!text.startsWith("BEGIN:VCALENDAR")) {
            return Result.err(new IcalError.InvalidData("no VCALENDAR"));
        }
        int uid = text.indexOf("UID:");
        return Result.ok(new CalendarIndex(text.substring(uid + 4, text.indexOf('\r', uid)), ComponentKind.VEVENT,
                Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH.plusSeconds(3600)), true));
    };

    protected SimScheduler scheduler;
    protected Kv kv;

    @BeforeEach
    void openStore() {
        scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        kv = open(scheduler);
    }

    @AfterEach
    void closeStore() {
        scheduler.runUntil(kv.close());
    }

    static Bytes event(String uid, int version) {
        return Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nSEQUENCE:" + version
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    static Collection collection(String owner, String name, Instant created) {
        TreeMap<XmlName, Element> dead = new TreeMap<>();
        dead.put(DavNames.DISPLAYNAME, Element.text(DavNames.DISPLAYNAME, "Work & <fun>"));
        dead.put(DavNames.CALENDAR_COLOR, Element.text(DavNames.CALENDAR_COLOR, "#FF2968FF")
                .withAttribute(new XmlName("", "symbolic-color"), "red"));
        XmlName custom = new XmlName("urn:example:x", "nested");
        dead.put(custom, Element.of(custom, Element.text(new XmlName("urn:example:x", "inner"), " spaced  text ")));
        return new Collection(owner, name, EnumSet.of(ComponentKind.VEVENT, ComponentKind.VTODO), dead, new TreeMap<>(),
                SyncLog.of(new TreeMap<>()), created, created);
    }

    protected void commit(Change... changes) {
        Result<?, KvError> r = scheduler.runUntil(kv.commit(new Batch("test", "test", List.of(changes)))).value();
        assertTrue(r.isOk(), r.toString());
    }

    protected Layout.Loaded load() {
        return ok(Layout.open(kv, scheduler.clock().now(), STAND_IN));
    }

    protected <T> T ok(Promise<Result<T, StoreError>> p) {
        return switch (scheduler.runUntil(p).value()) {
            case Result.Ok<T, StoreError>(T v) -> v;
            case Result.Err<T, StoreError>(StoreError e) -> fail(e.describe());
        };
    }

    @Test
    void anEmptyKvIsAStoreWithNothing() {
        Layout.Loaded loaded = load();
        assertEquals(Set.of(), loaded.store().homes().keySet());
        assertEquals(Set.of(), loaded.store().users().names());
        assertEquals(Access.NONE, loaded.store().shares().access("bob", "alice", "work"));
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void propertiesFileRoundTripsThroughTheKv() {
        Instant created = Instant.parse("2026-01-02T03:04:05Z");
        Collection work = collection("alice", "work", created);
        commit(new Change.Set(Layout.properties("alice", "work"), Layout.encodeProperties(work)));
        Collection read = load().store().calendar("alice", "work").orElseThrow();
        assertEquals(work.components(), read.components());
        assertEquals(work.deadProperties(), read.deadProperties());
        assertEquals(created, read.created());
        String file = scheduler.runUntil(kv.get(Layout.properties("alice", "work"))).value().orElseThrow().toUtf8();
        assertTrue(file.contains("\n  <x0:components>VEVENT VTODO</x0:components>"), file);
        assertTrue(file.contains("\n    <d:displayname>Work &amp; &lt;fun&gt;</d:displayname>"), file);
    }

    @Test
    void theWholeLayoutLoadsWithWarningsForWhatAPersonGotWrong() {
        String hash = Users.hash("pw", UsersTest.SEEDED);
        commit(new Change.Set(Layout.HTPASSWD, Bytes.utf8("alice:" + hash + "\nbob:{SHA}xyz\n")),
                new Change.Set(Layout.SHARES, Bytes.utf8("share alice/work with bob read\n")),
                new Change.Set(Layout.properties("alice", "work"), Layout.encodeProperties(collection("alice", "work", Instant.EPOCH))),
                new Change.Set(Layout.resource("alice", "work", "a.ics"), event("a", 1)),
                new Change.Set(Layout.resource("alice", "work", "broken.ics"), Bytes.utf8("BEGIN:VEVENT\nUID:hand-made\nEND:VEVENT\n")),
                new Change.Set(Layout.resource("alice", "work", ".hidden"), Bytes.utf8("x")),
                new Change.Set(Layout.resource("alice", "work", "sub").child("x.ics"), event("x", 1)),
                new Change.Set(Layout.resource("bob", "home", "b.ics"), event("b", 1)),
                new Change.Set(Layout.properties("bob", "bad"), Bytes.utf8("<not-ours/>")),
                new Change.Set(Layout.home("alice").child("notes.txt"), Bytes.utf8("stray")),
                new Change.Set(Layout.CALENDARS.child("a@b").child("c").child("d.ics"), event("d", 1)));
        Layout.Loaded loaded = load();
        Store store = loaded.store();
        assertEquals(Set.of("alice", "bob"), store.homes().keySet());
        assertEquals(Set.of("alice"), store.users().names());
        assertEquals(Access.READ, store.shares().access("bob", "alice", "work"));

        Collection work = store.calendar("alice", "work").orElseThrow();
        assertEquals(Set.of("a.ics", "broken.ics"), work.members().keySet());
        assertEquals(Resource.etagOf(event("a", 1)), work.members().get("a.ics").etag());
        assertTrue(work.members().get("a.ics").index().recurring(), "the indexer's index");
        CalendarIndex fallback = work.members().get("broken.ics").index();
        assertEquals(new CalendarIndex("hand-made", ComponentKind.VEVENT, Optional.empty(), Optional.empty(), false), fallback);
        assertEquals(SyncLog.of(work.members()).token(), work.sync().token());
        assertEquals(EnumSet.allOf(ComponentKind.class), store.calendar("bob", "home").orElseThrow().components(),
                "no .collection.xml: every component");
        assertEquals(EnumSet.allOf(ComponentKind.class), store.calendar("bob", "bad").orElseThrow().components());

        List<String> w = new ArrayList<>(loaded.warnings());
        assertEquals(7, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("htpasswd:2: user 'bob' has a {SHA} hash"), w.get(0));
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/a@b: user name 'a@b'")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/alice/notes.txt: a file where a calendar's folder belongs")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/alice/work/broken.ics: invalid iCalendar data: no VCALENDAR; served as it is")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/alice/work/.hidden: names starting with '.'")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/alice/work/sub: a folder inside a calendar")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("calendars/bob/bad/.collection.xml: the root element is {}not-ours")), w.toString());
    }

    @Test
    void aBadSharesFileFailsTheLoadWithItsLine() {
        commit(new Change.Set(Layout.SHARES, Bytes.utf8("# ok\nshare alice with bob read\n")));
        Result<Layout.Loaded, StoreError> r = scheduler.runUntil(Layout.open(kv, scheduler.clock().now(), STAND_IN)).value();
        assertEquals(Result.err(new StoreError.BadFile(Layout.SHARES, 2, "'alice' is not OWNER/CALENDAR (or OWNER/*)")), r);
    }

    @Test
    void aReloadCarriesTheSyncHistoryOnSoEarlierTokensGetJustTheChanges() {
        commit(new Change.Set(Layout.resource("alice", "work", "a.ics"), event("a", 1)),
                new Change.Set(Layout.resource("alice", "work", "b.ics"), event("b", 1)),
                new Change.Set(Layout.resource("alice", "work", "c.ics"), event("c", 1)));
        Store before = load().store();
        String token = before.calendar("alice", "work").orElseThrow().sync().token();
        Instant aModified = before.calendar("alice", "work").orElseThrow().members().get("a.ics").lastModified();
        scheduler.runFor(Duration.ofMinutes(5));
        // what a git pull brings: b changed, c deleted, d added; a untouched
        commit(new Change.Set(Layout.resource("alice", "work", "b.ics"), event("b", 2)),
                new Change.Remove(Layout.resource("alice", "work", "c.ics")),
                new Change.Set(Layout.resource("alice", "work", "d.ics"), event("d", 1)),
                new Change.Set(Layout.resource("bob", "new", "e.ics"), event("e", 1)));
        Store after = ok(Layout.reload(before, kv, scheduler.clock().now(), STAND_IN)).store();
        Collection work = after.calendar("alice", "work").orElseThrow();
        assertEquals(Optional.of(Set.of("b.ics", "c.ics", "d.ics")), work.sync().changedSince(token));
        assertEquals(SyncLog.of(work.members()).token(), work.sync().token(), "still the content's token");
        assertEquals(aModified, work.members().get("a.ics").lastModified(), "an unchanged member keeps its time");
        assertTrue(after.calendar("bob", "new").isPresent());
        assertEquals(Optional.of(Set.of()), ok(Layout.reload(after, kv, scheduler.clock().now(), STAND_IN)).store()
                .calendar("alice", "work").orElseThrow().sync().changedSince(work.sync().token()));
    }

    @Test
    void tenThousandEventsLoadQuickly() {
        int count = 10_000;
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Layout.properties("alice", "big"), Layout.encodeProperties(collection("alice", "big", Instant.EPOCH))));
        for (int i = 0; i < count; i++) {
            changes.add(new Change.Set(Layout.resource("alice", "big", "event-" + i + ".ics"), event("uid-" + i, 1)));
        }
        commit(changes.toArray(Change[]::new));
        long start = System.nanoTime();
        Layout.Loaded loaded = load();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(count, loaded.store().calendar("alice", "big").orElseThrow().members().size());
        System.out.println(getClass().getSimpleName() + ": loaded " + count + " events in " + millis + " ms");
        assertTrue(millis < 15_000, millis + " ms");
    }
}
