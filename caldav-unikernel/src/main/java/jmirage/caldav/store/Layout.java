package jmirage.caldav.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.ical.IcalError;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.kv.KeepBothAttributes;

/**
 * Where the calendars live in the Kv, readable by a person browsing the git repository:
 *
 * <pre>
 * htpasswd                                  users (htpasswd -B)
 * shares                                    groups and grants (README)
 * calendars/USER/CALENDAR/.collection.xml   the calendar's properties (components, displayname, colour...)
 * calendars/USER/CALENDAR/NAME.ics          one calendar object resource each, as the client sent it
 * calendars/USER/CALENDAR/.sync-history     the newest sync history, written at a clean stop (SyncHistoryFile)
 * calendars/USER/.sync-history              the same for the calendar home: its calendars' changes (HomeSync)
 * tls/server.pem, tls/server.key            the HTTPS certificate chain and key
 * .index/USER/CALENDAR                      the server's cache of each object's index, by digest (ObjectIndexFile)
 * .gitattributes                            "*.ics merge=keep-both": a git merge conflict keeps both versions
 * </pre>
 *
 * Names starting with '.' are the server's: a client cannot PUT one.
 */
public final class Layout {

    public static final Key HTPASSWD = Key.of("htpasswd");
    public static final Key SHARES = Key.of("shares");
    public static final Key CALENDARS = Key.of("calendars");
    public static final Key TLS_CERTIFICATE = jmirage.tls.SelfSigned.CERTIFICATE;
    public static final Key TLS_KEY = jmirage.tls.SelfSigned.KEY;
    public static final String COLLECTION_FILE = ".collection.xml";
    /**
     * Written when the store is first seeded: on a conflicting git merge the git store keeps our
     * version of an event beside theirs as NAME-conflict-ID.ics (platform/kv, KeepBothAttributes),
     * so a conflict never loses an event.
     */
    public static final Key GIT_ATTRIBUTES = KeepBothAttributes.FILE;
    public static final Bytes GIT_ATTRIBUTES_CONTENT = Bytes.utf8("# the caldav server: on a git merge conflict keep both versions of an event\n*.ics "
            + KeepBothAttributes.ATTRIBUTE + "\n");

    private Layout() {}

    public static Key home(String user) {
        return CALENDARS.child(user);
    }

    public static Key calendar(String owner, String calendar) {
        return home(owner).child(calendar);
    }

    /**
     * The object index of a calendar (outside its folder, so that the folder holds only what a person
     * edits): removed with the calendar, else it would outlive it in the store.
     */
    public static Key objectIndex(String owner, String calendar) {
        return ObjectIndexFile.key(owner, calendar);
    }

    public static Key properties(String owner, String calendar) {
        return calendar(owner, calendar).child(COLLECTION_FILE);
    }

    public static Key resource(String owner, String calendar, String name) {
        return calendar(owner, calendar).child(name);
    }

    /** What {@link #open} read: the store, and what a person should fix (each a line for the log). */
    public record Loaded(Store store, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * A file the server keeps for itself (decision 8): {@code content} as it should be now; when the
     * store has no such file, it is written only if {@code worthCreating} (a calendar never synced
     * needs no empty history).
     */
    public record KeptFile(Key key, Bytes content, boolean worthCreating) {}

    /**
     * The files a clean stop brings up to date, in one commit: each home's and each calendar's sync
     * history ({@link SyncHistoryFile}, {@link HomeSync}) and each calendar's object index ({@link ObjectIndexFile}). Neither is written at
     * boot or with a request's change, so the git history reads as the requests' commits ("USER via
     * caldav: METHOD PATH"), pulled commits, and at most one commit of the server's per session, at
     * its stop, when something changed.
     */
    public static List<KeptFile> keptAtStop(Store store) {
        List<KeptFile> files = new java.util.ArrayList<>();
        // every home, not only those with a log recorded this session: a home whose file the boot
        // dropped (changed while down) has its file rewritten for the content, so it is reported once
        java.util.SortedSet<String> users = new java.util.TreeSet<>(store.homes().keySet());
        users.addAll(store.homeLogs().keySet());
        for (String user : users) {
            SyncLog log = HomeSync.log(store, user);
            files.add(new KeptFile(SyncHistoryFile.homeKey(user), SyncHistoryFile.encode(log), log.historySize() > 0));
        }
        for (Home home : store.homes().values()) {
            for (Collection c : home.calendars().values()) {
                files.add(new KeptFile(SyncHistoryFile.key(c.owner(), c.name()), SyncHistoryFile.encode(c.sync()), c.sync().historySize() > 0));
                files.add(new KeptFile(objectIndex(c.owner(), c.name()), ObjectIndexFile.of(c), ObjectIndexFile.worthCreating(c)));
            }
        }
        return List.copyOf(files);
    }

    /** Checks and indexes one stored object; {@link ICalendars#validate} in the server, a stand-in in tests. */
    @FunctionalInterface
    public interface Indexer {
        Result<CalendarIndex, IcalError> index(Bytes body, Set<ComponentKind> allowed);
    }

    /** The readable properties file of a collection (components and dead properties). */
    public static Bytes encodeProperties(Collection collection) {
        return PropertiesFile.encode(collection);
    }

    /** Reads the whole store: users, shares, every calendar and its resources, indexed. */
    public static Promise<Result<Store, StoreError>> load(Kv kv, Instant now) {
        return open(kv, now, ICalendars::validate).map(r -> r.map(Loaded::store));
    }

    /**
     * Reads the whole store (see {@link StoreLoader}) at boot, each calendar's sync history from its
     * {@link SyncHistoryFile} when that leads to its content: a missing htpasswd means no users, a missing
     * shares file no shares; an unreadable key or a bad htpasswd or shares file fails the load. What
     * a person may have got wrong in a calendar (an object that does not validate, a broken
     * {@code .collection.xml}, a stray folder) is served as well as it can be and reported in the
     * warnings.
     */
    public static Promise<Result<Loaded, StoreError>> open(Kv kv, Instant now, Indexer indexer) {
        return new StoreLoader(kv, now, indexer, true).load();
    }

    /**
     * {@link #open(Kv, Instant, Indexer)}, indexing the objects on {@code workers}' pool (all cores;
     * the indexer must be pure) with the result back on its loop: what the server boots and reloads with.
     */
    public static Promise<Result<Loaded, StoreError>> open(Kv kv, Instant now, Indexer indexer, Scheduler workers) {
        return new StoreLoader(kv, now, indexer, true, workers).load();
    }

    /**
     * Reads the store again after the Kv changed under us (a git pull), keeping what clients hold
     * valid: each collection that was there before carries its sync history on, with the member
     * changes recorded as steps, so a client's token from before the pull gets just the changes.
     */
    public static Promise<Result<Loaded, StoreError>> reload(Store previous, Kv kv, Instant now, Indexer indexer) {
        return new StoreLoader(kv, now, indexer, false).load()
                .map(r -> r.map(loaded -> new Loaded(carryOn(previous, loaded.store()), loaded.warnings())));
    }

    /** {@link #reload(Store, Kv, Instant, Indexer)}, indexing on {@code workers}' pool as {@link #open(Kv, Instant, Indexer, Scheduler)} does. */
    public static Promise<Result<Loaded, StoreError>> reload(Store previous, Kv kv, Instant now, Indexer indexer, Scheduler workers) {
        return new StoreLoader(kv, now, indexer, false, workers).load()
                .map(r -> r.map(loaded -> new Loaded(carryOn(previous, loaded.store()), loaded.warnings())));
    }

    /**
     * {@code next} with the sync history of {@code previous} carried on for each calendar both have:
     * the members that differ are recorded as changes on the previous log (deletions first, then
     * additions and modifications, in name order), and a member whose ETag did not change keeps its
     * previous last-modified time. A calendar new in {@code next} starts with its content's token.
     * Each home's history goes on the same way ({@link HomeSync#follow}): a calendar or a grant the
     * pull brought or took away is a change of the home.
     */
    public static Store carryOn(Store previous, Store next) {
        Store result = next;
        for (Home home : next.homes().values()) {
            for (Collection fresh : home.calendars().values()) {
                Optional<Collection> before = previous.calendar(fresh.owner(), fresh.name());
                if (before.isEmpty()) {
                    continue;
                }
                SyncLog log = before.get().sync();
                TreeMap<String, Resource> members = new TreeMap<>(fresh.members());
                for (Map.Entry<String, Resource> old : before.get().members().entrySet()) {
                    if (!members.containsKey(old.getKey())) {
                        log = log.record(old.getKey(), old.getValue().etag(), null);
                    }
                }
                for (Map.Entry<String, Resource> m : fresh.members().entrySet()) {
                    Resource old = before.get().members().get(m.getKey());
                    if (old != null && old.etag().equals(m.getValue().etag())) {
                        members.put(m.getKey(), old);
                    } else {
                        log = log.record(m.getKey(), old == null ? null : old.etag(), m.getValue().etag());
                    }
                }
                result = result.with(new Collection(fresh.owner(), fresh.name(), fresh.components(), fresh.deadProperties(),
                        members, log, before.get().created(), fresh.lastModified()));
            }
        }
        return HomeSync.follow(previous, result);
    }
}
