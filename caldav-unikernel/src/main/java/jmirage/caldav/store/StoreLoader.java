package jmirage.caldav.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.IcalError;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;

/**
 * Reads the layout of {@link Layout} from a Kv into a {@link Store}. One {@code list} per folder,
 * one {@code get} per file and one {@code lastModified} per calendar (on git it walks the history,
 * so never per resource: a resource's last-modified time after a load is its calendar's). Every
 * read of one calendar is issued at once; a backend answers them in order.
 *
 * <p>Validating and indexing an object with ical4j and digesting it for its ETag is a pure function
 * of its bytes, and most of a boot (10,000 events: 13-17 s on the loop, one after another). Given a
 * {@link Scheduler}, the objects of a calendar are indexed in slices of {@link #SLICE} on its worker
 * pool, like bcrypt (ARCHITECTURE.md, "Concurrency"): every core works, and the loop only assembles
 * the results, in name order as before.
 *
 * <p>Most objects are unchanged since the last clean stop: the calendar's {@link ObjectIndexFile}
 * gives the index of each object that validated then, reused while the object's bytes have the same
 * digest (which the ETag needs anyway), so only new and changed objects are parsed. The load writes
 * nothing: the files are brought up to date at the next clean stop ({@link Layout#keptAtStop}).
 */
final class StoreLoader {

    /** Objects per detached task: enough to amortise the hand-over, few enough to keep every core busy. */
    static final int SLICE = 128;

    private final Kv kv;
    private final Instant now;
    private final Layout.Indexer indexer;
    /** At boot: each calendar's {@link SyncHistoryFile} is read; on a reload the history in memory goes on instead. */
    private final boolean withHistory;
    /** Where a slice of indexing runs: on the worker pool, or at once on the caller's thread. */
    private final Function<Supplier<Slice>, Promise<Slice>> offload;
    /** Filled as calendars are read; read once every promise has settled. */
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    /** At boot, each home's {@link SyncHistoryFile} by user, filled as homes are listed. */
    private final Map<String, Bytes> homeHistories = new java.util.concurrent.ConcurrentHashMap<>();

    /** Indexes on the calling thread (tests, tools). */
    StoreLoader(Kv kv, Instant now, Layout.Indexer indexer, boolean withHistory) {
        this(kv, now, indexer, withHistory, work -> Promise.resolved(work.get()));
    }

    /** Indexes on {@code workers}' pool; the promise settles on its loop. */
    StoreLoader(Kv kv, Instant now, Layout.Indexer indexer, boolean withHistory, Scheduler workers) {
        this(kv, now, indexer, withHistory, work -> workers.detach(work::get));
    }

    private StoreLoader(Kv kv, Instant now, Layout.Indexer indexer, boolean withHistory,
                        Function<Supplier<Slice>, Promise<Slice>> offload) {
        this.kv = kv;
        this.now = now;
        this.indexer = indexer;
        this.withHistory = withHistory;
        this.offload = offload;
    }

    Promise<Result<Layout.Loaded, StoreError>> load() {
        Promise<Result<Users, StoreError>> users = optionalFile(Layout.HTPASSWD, Users::parse, Users.none());
        Promise<Result<Shares, StoreError>> shares = optionalFile(Layout.SHARES, Shares::parse, Shares.none());
        return users.flatMap(u -> shares.flatMap(s -> homes().map(h -> {
            if (u instanceof Result.Err<Users, StoreError>(StoreError e)) {
                return Result.err(e);
            }
            if (s instanceof Result.Err<Shares, StoreError>(StoreError e)) {
                return Result.err(e);
            }
            if (h instanceof Result.Err<List<Collection>, StoreError>(StoreError e)) {
                return Result.err(e);
            }
            Users loadedUsers = u.orElseThrow();
            List<String> all = new ArrayList<>(loadedUsers.warnings());
            all.addAll(warnings);
            Store store = new Store(new TreeMap<>(), loadedUsers, s.orElseThrow());
            for (Collection c : h.orElseThrow()) {
                store = store.with(c);
            }
            return Result.ok(new Layout.Loaded(withHomeHistories(store, all), all));
        })));
    }

    private <T> Promise<Result<T, StoreError>> optionalFile(Key key, Function<Bytes, Result<T, StoreError>> parse, T missing) {
        return kv.get(key).map(r -> switch (r) {
            case Result.Ok<Bytes, KvError>(Bytes b) -> parse.apply(b);
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Result.ok(missing);
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new StoreError.Unreadable(key, e));
        });
    }

    /** Every calendar of every home. */
    private Promise<Result<List<Collection>, StoreError>> homes() {
        return listOrEmpty(Layout.CALENDARS).flatMap(r -> {
            if (r instanceof Result.Err<List<Entry>, StoreError>(StoreError e)) {
                return Promise.resolved(Result.err(e));
            }
            List<Promise<Result<List<Collection>, StoreError>>> perHome = new ArrayList<>();
            for (Entry home : r.orElseThrow()) {
                String user = home.key().name();
                if (home.kind() != EntryKind.DICTIONARY) {
                    warnings.add(home.key() + ": a file where a user's folder belongs; ignored");
                } else if (Users.validName(user).isPresent()) {
                    warnings.add(home.key() + ": " + Users.validName(user).get() + "; folder ignored");
                } else {
                    perHome.add(calendars(home.key()));
                }
            }
            return Promise.all(perHome).map(results -> flatten(results));
        });
    }

    private Promise<Result<List<Collection>, StoreError>> calendars(Key home) {
        return listOrEmpty(home).flatMap(r -> {
            if (r instanceof Result.Err<List<Entry>, StoreError>(StoreError e)) {
                return Promise.resolved(Result.err(e));
            }
            List<Promise<Result<List<Collection>, StoreError>>> perCalendar = new ArrayList<>();
            for (Entry calendar : r.orElseThrow()) {
                String name = calendar.key().name();
                if (name.equals(SyncHistoryFile.FILE) && calendar.kind() == EntryKind.VALUE) {
                    if (withHistory) {
                        perCalendar.add(kv.get(calendar.key()).map(read -> {
                            // A cache of history: unreadable is the same as absent (older tokens get 403).
                            if (read instanceof Result.Ok<Bytes, KvError>(Bytes bytes)) {
                                homeHistories.put(home.name(), bytes);
                            }
                            return Result.ok(List.<Collection>of());
                        }));
                    }
                } else if (calendar.kind() != EntryKind.DICTIONARY) {
                    warnings.add(calendar.key() + ": a file where a calendar's folder belongs; ignored");
                } else if (name.startsWith(".")) {
                    warnings.add(calendar.key() + ": a calendar name cannot start with '.'; folder ignored");
                } else {
                    perCalendar.add(calendar(home.name(), name).map(c -> c.map(List::of)));
                }
            }
            return Promise.all(perCalendar).map(results -> flatten(results));
        });
    }

    private Promise<Result<Collection, StoreError>> calendar(String owner, String name) {
        Key folder = Layout.calendar(owner, name);
        Promise<Result<List<Entry>, StoreError>> listing = listOrEmpty(folder);
        Promise<Result<Instant, KvError>> modified = kv.lastModified(folder);
        return listing.flatMap(l -> modified.flatMap(m -> {
            if (l instanceof Result.Err<List<Entry>, StoreError>(StoreError e)) {
                return Promise.resolved(Result.err(e));
            }
            Instant lastModified = m.orElse(now);
            Promise<Result<PropertiesFile.Properties, StoreError>> properties = Promise.resolved(Result.ok(PropertiesFile.Properties.defaults()));
            // A cache: unreadable is the same as absent.
            Promise<Optional<Bytes>> storedIndex = kv.get(ObjectIndexFile.key(owner, name))
                    .map(r -> r instanceof Result.Ok<Bytes, KvError>(Bytes b) ? Optional.of(b) : Optional.empty());
            List<Key> resources = new ArrayList<>();
            Promise<Result<Bytes, KvError>> history = Promise.resolved(Result.err(new KvError.NotFound(SyncHistoryFile.key(owner, name))));
            for (Entry e : l.orElseThrow()) {
                String file = e.key().name();
                if (file.equals(Layout.COLLECTION_FILE) && e.kind() == EntryKind.VALUE) {
                    properties = readProperties(e.key());
                } else if (file.equals(SyncHistoryFile.FILE) && e.kind() == EntryKind.VALUE) {
                    if (withHistory) {
                        history = kv.get(e.key());
                    }
                } else if (e.kind() != EntryKind.VALUE) {
                    warnings.add(e.key() + ": a folder inside a calendar; ignored");
                } else if (file.startsWith(".")) {
                    warnings.add(e.key() + ": names starting with '.' are the server's; ignored");
                } else {
                    resources.add(e.key());
                }
            }
            List<Promise<Result<Bytes, KvError>>> bodies = new ArrayList<>(resources.size());
            for (Key k : resources) {
                bodies.add(kv.get(k));
            }
            Promise<Result<Bytes, KvError>> historyRead = history;
            return properties.flatMap(p -> storedIndex.flatMap(stored -> historyRead.flatMap(h -> Promise.all(bodies).flatMap(read -> {
                if (p instanceof Result.Err<PropertiesFile.Properties, StoreError>(StoreError e)) {
                    return Promise.resolved(Result.<Collection, StoreError>err(e));
                }
                PropertiesFile.Properties props = p.orElseThrow();
                List<Bytes> contents = new ArrayList<>(resources.size());
                for (int i = 0; i < resources.size(); i++) {
                    switch (read.get(i)) {
                        case Result.Ok<Bytes, KvError>(Bytes body) -> contents.add(body);
                        case Result.Err<Bytes, KvError>(KvError e) -> {
                            return Promise.resolved(Result.<Collection, StoreError>err(new StoreError.Unreadable(resources.get(i), e)));
                        }
                    }
                }
                Map<String, ObjectIndexFile.Known> known = stored.map(ObjectIndexFile::decode).orElse(Map.of());
                List<Promise<Slice>> slices = new ArrayList<>();
                for (int from = 0; from < resources.size(); from += SLICE) {
                    int start = from;
                    int end = Math.min(resources.size(), from + SLICE);
                    slices.add(offload.apply(() -> resources(resources.subList(start, end), contents.subList(start, end), props, known, lastModified)));
                }
                return Promise.all(slices).map(indexed -> {
                    TreeMap<String, Resource> members = new TreeMap<>();
                    for (Slice slice : indexed) {
                        for (Resource r : slice.resources()) {
                            members.put(r.name(), r);
                        }
                        warnings.addAll(slice.warnings());
                    }
                    return Result.ok(new Collection(owner, name, props.components(), props.deadProperties(),
                            members, syncLog(SyncHistoryFile.key(owner, name), h, members), props.created().orElse(lastModified), lastModified));
                });
            }))));
        }));
    }

    /** Some objects of a calendar, indexed, in name order; the warnings about them. */
    private record Slice(List<Resource> resources, List<String> warnings) {}

    /**
     * One slice of a calendar's objects, digested and indexed (from {@code known} when it holds the
     * object's digest and a kind the calendar still takes): pure, so it may run on any thread.
     */
    private Slice resources(List<Key> keys, List<Bytes> contents, PropertiesFile.Properties props,
                            Map<String, ObjectIndexFile.Known> known, Instant lastModified) {
        List<Resource> out = new ArrayList<>(keys.size());
        List<String> sliceWarnings = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            Bytes body = contents.get(i);
            String etag = Resource.etagOf(body);
            ObjectIndexFile.Known before = known.get(k.name());
            Optional<CalendarIndex> index = before != null && before.etag().equals(etag) && props.components().contains(before.index().kind())
                    ? Optional.of(before.index())
                    : index(k, body, props, sliceWarnings);
            out.add(new Resource(k.name(), body, etag, lastModified, index.orElseGet(() -> FallbackIndex.of(k.name(), body)), index.isPresent()));
        }
        return new Slice(out, sliceWarnings);
    }

    /**
     * The calendar's token, with the history a clean stop wrote when it leads to this content; a
     * history for other content (changed while the server was stopped) is reported once and dropped:
     * older tokens then get 403 valid-sync-token and clients sync again (RFC 6578 3.2).
     */
    private SyncLog syncLog(Key file, Result<Bytes, KvError> history, TreeMap<String, Resource> members) {
        if (!(history instanceof Result.Ok<Bytes, KvError>(Bytes bytes))) {
            return SyncLog.of(members);
        }
        return switch (SyncHistoryFile.resume(bytes, SyncLog.of(members))) {
            case Result.Ok<SyncLog, SyncHistoryFile.Refusal>(SyncLog resumed) -> resumed;
            case Result.Err<SyncLog, SyncHistoryFile.Refusal>(SyncHistoryFile.Refusal why) -> {
                warnings.add(file + ": " + why.describe() + "; sync tokens from before the stop get 403 and clients sync again");
                yield SyncLog.of(members);
            }
        };
    }

    /**
     * {@code store} with each home's sync history from the file a clean stop wrote, when it leads to
     * the home as loaded ({@link HomeSync}); else the file is reported once and dropped, as a
     * calendar's is.
     */
    private Store withHomeHistories(Store store, List<String> all) {
        Map<String, SyncLog> logs = new TreeMap<>();
        homeHistories.forEach((user, bytes) -> {
            switch (SyncHistoryFile.resume(bytes, SyncLog.ofVersions(HomeSync.versions(store, user)))) {
                case Result.Ok<SyncLog, SyncHistoryFile.Refusal>(SyncLog resumed) -> logs.put(user, resumed);
                case Result.Err<SyncLog, SyncHistoryFile.Refusal>(SyncHistoryFile.Refusal why) -> all.add(SyncHistoryFile.homeKey(user)
                        + ": " + why.describe() + "; the home's sync tokens from before the stop get 403 and clients list its calendars again");
            }
        });
        return logs.isEmpty() ? store : store.withHomeLogs(logs);
    }

    /** A broken properties file is served with the defaults (every component, no property) and reported. */
    private Promise<Result<PropertiesFile.Properties, StoreError>> readProperties(Key key) {
        return kv.get(key).map(r -> switch (r) {
            case Result.Ok<Bytes, KvError>(Bytes b) -> {
                Result<PropertiesFile.Properties, StoreError> decoded = PropertiesFile.decode(key, b);
                if (decoded instanceof Result.Err<PropertiesFile.Properties, StoreError>(StoreError e)) {
                    warnings.add(e.describe() + "; the calendar is served with every component and no property");
                    yield Result.ok(PropertiesFile.Properties.defaults());
                }
                yield decoded;
            }
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new StoreError.Unreadable(key, e));
        });
    }

    /** The indexer's answer, or for an object it refuses (edited by hand: served with a {@link FallbackIndex}) none and a warning. */
    private Optional<CalendarIndex> index(Key key, Bytes body, PropertiesFile.Properties props, List<String> sliceWarnings) {
        Result<CalendarIndex, IcalError> indexed = indexer.index(body, props.components());
        return switch (indexed) {
            case Result.Ok<CalendarIndex, IcalError>(CalendarIndex i) -> Optional.of(i);
            case Result.Err<CalendarIndex, IcalError>(IcalError e) -> {
                sliceWarnings.add(key + ": " + e.describe() + "; served as it is, matched by every time range");
                yield Optional.empty();
            }
        };
    }

    private Promise<Result<List<Entry>, StoreError>> listOrEmpty(Key key) {
        return kv.list(key).map(r -> switch (r) {
            case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> Result.ok(entries);
            case Result.Err<List<Entry>, KvError>(KvError.NotFound nf) -> Result.ok(List.of());
            case Result.Err<List<Entry>, KvError>(KvError e) -> Result.err(new StoreError.Unreadable(key, e));
        });
    }

    private static Result<List<Collection>, StoreError> flatten(List<Result<List<Collection>, StoreError>> results) {
        List<Collection> all = new ArrayList<>();
        for (Result<List<Collection>, StoreError> r : results) {
            if (r instanceof Result.Err<List<Collection>, StoreError>(StoreError e)) {
                return Result.err(e);
            }
            all.addAll(r.orElseThrow());
        }
        return Result.ok(all);
    }
}
