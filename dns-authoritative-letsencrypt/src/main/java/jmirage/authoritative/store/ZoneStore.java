package jmirage.authoritative.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.update.Serial;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.dns.Name;

/**
 * The zones and keys of the server, kept in a Kv as robur's dns-primary-git keeps them: at the top,
 * one master file per zone named after the zone without its final dot ({@code example.org}),
 * {@code _keys} and {@code ZONE._keys} for TSIG keys (see {@link Keys}); under {@code _secondary/}
 * the copies of zones transferred from primaries. Runs on the scheduler's loop.
 *
 * <p>A change made here (a dynamic update) is written back as one batch, one git commit with its
 * author and message. Changes made elsewhere (an operator's git push, a file edited by hand) are
 * noticed by polling the digest of the store; a zone file that does not parse is refused with a
 * log line and the zone it would have replaced keeps serving.
 */
public final class ZoneStore {

    public static final Key SECONDARY = Key.of("_secondary");

    private final Kv kv;
    private final Scheduler scheduler;
    private final Log log;
    private final Optional<KvSync> sync;
    private final List<Consumer<ZoneChange>> listeners = new ArrayList<>();
    /** The bytes of each top-level file as last read, so only changed files are parsed again. */
    private final Map<String, Bytes> seen = new HashMap<>();
    private final Map<String, Keys> keysByFile = new LinkedHashMap<>();
    /** The file each zone of ours was read from ({@code example.org}, or {@code Example.org.} as the operator named it). */
    private final Map<Name, String> fileOf = new HashMap<>();
    /** When each secondary copy found at boot was written: the time of its last good transfer. */
    private final Map<Name, java.time.Instant> storedAt = new HashMap<>();
    /** The top-level files that do not parse now, each with why: what {@link #problems} reports. */
    private final Map<String, ConfigProblem> refused = new LinkedHashMap<>();
    private Zones primaries = Zones.EMPTY;
    private Zones secondaries = Zones.EMPTY;
    private Zones all = Zones.EMPTY;
    private Keys keys = Keys.NONE;
    private Bytes lastDigest = Bytes.EMPTY;
    private Promise<?> tail = Promise.done();
    private Cancellable poller;
    private Cancellable externalChanges;

    private ZoneStore(Kv kv, Optional<KvSync> sync, Scheduler scheduler, Log log) {
        this.kv = kv;
        this.sync = sync;
        this.scheduler = scheduler;
        this.log = log;
    }

    /**
     * Opens the store: seeds an empty Kv with the sample zone (one batch, "sample zone"), loads every
     * zone, key file and secondary copy, and from then on looks for changes every {@code poll}
     * ({@code Duration.ZERO}: never; {@link #reload} still works). With {@code sync} (a git store
     * with a remote, claimed through {@code DeviceProvider.kvSync()}), a reload pulls first, and a
     * change of the store by anything but our own commits (a push into its repository, a pull) is
     * loaded at once.
     */
    public static Promise<Result<ZoneStore, StoreError>> open(Kv kv, Optional<KvSync> sync, Scheduler scheduler, Log log,
            Duration poll) {
        ZoneStore store = new ZoneStore(kv, sync, scheduler, log);
        return store.seedIfEmpty()
                .flatMap(r -> r instanceof Result.Err<Unit, StoreError> e ? Promise.resolved(e) : store.scan())
                .flatMap(r -> r instanceof Result.Err<Unit, StoreError> e ? Promise.resolved(e) : store.loadSecondaries())
                .map(r -> r.map(u -> {
                    store.recompute();
                    if (!poll.isZero()) {
                        store.poller = scheduler.every(poll, () -> store.serially(store::scan));
                    }
                    sync.ifPresent(s -> store.externalChanges = s.onExternalChange(() -> store.serially(store::scan)));
                    log.info("serving " + store.primaries.all().size() + " zone(s) " + origins(store.primaries)
                            + " and " + store.secondaries.all().size() + " secondary zone(s) "
                            + origins(store.secondaries) + " with " + store.keys.size() + " key(s)");
                    if (!store.refused.isEmpty()) {
                        log.error(store.refused.size() + " file(s) of the store refused and not served, as NSD does (the"
                                + " other zones are): " + store.refused.values().stream().map(ConfigProblem::describe).toList());
                    }
                    store.warnOfSampleKeys();
                    return store;
                }));
    }

    private static List<String> origins(Zones zones) {
        return zones.all().stream().map(z -> z.origin().toString()).sorted().toList();
    }

    // ------------------------------------------------------------------ reading

    /** Every zone served: our own and the secondary copies (an own zone wins over a copy). */
    public Zones zones() {
        return all;
    }

    /** The zones whose master files are in this store. */
    public Zones primaries() {
        return primaries;
    }

    public Zones secondaries() {
        return secondaries;
    }

    /** When the stored copy of a secondary zone was written (known for copies loaded at boot). */
    public Optional<java.time.Instant> secondaryStoredAt(Name origin) {
        return Optional.ofNullable(storedAt.get(origin));
    }

    public Keys keys() {
        return keys;
    }

    /**
     * Every top-level file that does not parse now, with file and line: after a reload, the files
     * whose previous version (or nothing) is still served.
     */
    public List<ConfigProblem> problems() {
        return List.copyOf(refused.values());
    }

    /** What {@link #check} found: every problem, and the keys of the files that parse. */
    public record Checked(List<ConfigProblem> problems, Keys keys) {
        public Checked {
            problems = List.copyOf(problems);
        }
    }

    /**
     * The check of {@code ./unikernel check} (decision 6): reads every top-level file of {@code kv}
     * as {@link #open} would and returns the problems, writing nothing (an empty store is not
     * seeded).
     */
    public static Promise<Checked> check(Kv kv) {
        return kv.list(Key.ROOT).flatMap(l -> switch (l) {
            case Result.Err<List<Entry>, KvError>(KvError e) -> Promise.resolved(new Checked(e instanceof KvError.NotFound
                    ? List.of() : List.of(ConfigProblem.of("store", "cannot list it: " + e.describe())), Keys.NONE));
            case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> {
                List<Entry> values = entries.stream().filter(e -> e.kind() == EntryKind.VALUE).toList();
                yield Promise.all(values.stream().map(e -> kv.get(e.key())).toList()).map(reads -> {
                    List<ConfigProblem> problems = new ArrayList<>();
                    Keys keys = Keys.NONE;
                    for (int i = 0; i < values.size(); i++) {
                        String file = values.get(i).key().name();
                        switch (reads.get(i)) {
                            case Result.Err<Bytes, KvError>(KvError e) -> problems.add(ConfigProblem.of(file,
                                    "cannot read it: " + e.describe()));
                            case Result.Ok<Bytes, KvError>(Bytes b) -> {
                                switch (StoreFile.read(file, b.toUtf8())) {
                                    case StoreFile.Refused(var f, ConfigProblem p) -> problems.add(p);
                                    case StoreFile.KeysFile(var f, Keys k) -> keys = keys.with(k);
                                    case StoreFile.ZoneFile z -> {}
                                    case StoreFile.Other o -> {}
                                }
                            }
                        }
                    }
                    return new Checked(problems, keys);
                });
            }
        });
    }

    /**
     * Issue 14: the sample's TEST secret is public, so while any key holds it anyone can change the
     * zones; say so at every boot, not only at the one that wrote it.
     */
    private void warnOfSampleKeys() {
        List<String> sample = keysByFile.values().stream().flatMap(k -> k.withSecret(SampleZone.TEST_SECRET_BYTES).stream())
                .map(Name::toString).distinct().sorted().toList();
        if (!sample.isEmpty()) {
            log.warn("the PUBLIC TEST key " + String.join(", ", sample) + " is active (its secret is in the README):"
                    + " anyone can change or transfer the zones with it. Make a real key with tsig-keygen and replace the"
                    + " sample's lines in _keys (dns-authoritative-letsencrypt/README-zone-management.md, \"Make a real key\")");
        }
    }

    /** Calls {@code listener} on the loop after every change of a zone, whatever made it. */
    public void subscribe(Consumer<ZoneChange> listener) {
        listeners.add(listener);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Runs {@code work} after every earlier serial work has finished, so that a read-modify-write
     * (a dynamic update, a reload) never interleaves with another.
     */
    public <T> Promise<T> serially(Supplier<Promise<T>> work) {
        Promise<T> next = Promise.pending();
        tail.onComplete((v, e) -> {
            Promise<T> p;
            try {
                p = work.get();
            } catch (RuntimeException bug) {
                next.reject(bug);
                return;
            }
            p.forward(next);
        });
        tail = next.recover(e -> null);
        return next;
    }

    /**
     * Writes {@code zone} (one of ours) back as one batch with {@code author} and {@code message},
     * then serves it. Call it inside {@link #serially}.
     */
    public Promise<Result<Unit, StoreError>> commit(Zone zone, String author, String message) {
        String file = fileOf.getOrDefault(zone.origin(), fileName(zone.origin()));
        Bytes text = Bytes.utf8(zone.toMasterFile());
        Batch batch = new Batch(author, message, List.of(new Change.Set(Key.of(file), text)));
        return kv.commit(batch).flatMap(r -> switch (r) {
            case Result.Err<Unit, KvError>(KvError e) -> Promise.resolved(Result.<Unit, StoreError>err(
                    new StoreError.Writing(file, e)));
            case Result.Ok<Unit, KvError> ok -> {
                seen.put(file, text);
                Optional<Zone> before = primaries.get(zone.origin());
                primaries = primaries.with(zone);
                fire(new ZoneChange(zone.origin(), before, Optional.of(zone), false));
                // lastDigest stays: the next scan reads the files again and finds ours unchanged
                // (its bytes are in seen), and still sees what someone else changed meanwhile
                yield Promise.resolved(Result.<Unit, StoreError>ok(Unit.UNIT));
            }
        });
    }

    /** Keeps a secondary copy (persisted under {@code _secondary/}) and serves it. */
    public Promise<Result<Unit, StoreError>> putSecondary(Zone zone, String message) {
        Key key = SECONDARY.child(fileName(zone.origin()));
        Batch batch = new Batch(Batch.DEFAULT_AUTHOR, message, List.of(new Change.Set(key, Bytes.utf8(zone.toMasterFile()))));
        Optional<Zone> before = secondaries.get(zone.origin());
        secondaries = secondaries.with(zone);
        fire(new ZoneChange(zone.origin(), before, Optional.of(zone), true));
        return kv.commit(batch).map(r -> r.mapError(e -> new StoreError.KeepingCopy(zone.origin(), e)));
    }

    /** Stops serving a secondary copy (its expire timer ran out, RFC 1035 3.3.13); the copy stays stored. */
    public void expireSecondary(Name origin) {
        Optional<Zone> before = secondaries.get(origin);
        if (before.isPresent()) {
            secondaries = secondaries.without(origin);
            fire(new ZoneChange(origin, before, Optional.empty(), true));
        }
    }

    /** Pulls new commits (when the store syncs with a remote) and reloads what changed; for a signed NOTIFY and the operator. */
    public Promise<Result<Unit, StoreError>> reload() {
        return serially(() -> sync.map(KvSync::pull).orElseGet(() -> Promise.resolved(Result.ok(Unit.UNIT))).flatMap(p -> {
            if (p instanceof Result.Err<Unit, KvError>(KvError e)) {
                log.warn("pull failed, reloading what the store has: " + e.describe());
            }
            return scan();
        }));
    }

    public void stop() {
        if (poller != null) {
            poller.cancel();
        }
        if (externalChanges != null) {
            externalChanges.cancel();
        }
    }

    /** The Kv key of a zone's master file: the name without its final dot, {@code _root} for the root. */
    public static String fileName(Name origin) {
        if (origin.isRoot()) {
            return StoreFile.ROOT_ZONE_FILE;
        }
        String s = origin.toString();
        return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ loading

    private Promise<Result<Unit, StoreError>> seedIfEmpty() {
        return kv.list(Key.ROOT).flatMap(r -> {
            boolean empty = switch (r) {
                case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> entries.isEmpty();
                case Result.Err<List<Entry>, KvError>(KvError e) -> e instanceof KvError.NotFound;
            };
            if (!empty) {
                return Promise.resolved(Result.ok(Unit.UNIT));
            }
            Batch seed = new Batch(Batch.DEFAULT_AUTHOR, "sample zone", List.of(
                    new Change.Set(Key.of(SampleZone.ZONE_FILE), Bytes.utf8(SampleZone.ZONE)),
                    new Change.Set(Key.of(SampleZone.KEYS_FILE), Bytes.utf8(SampleZone.KEYS))));
            return kv.commit(seed).map(c -> switch (c) {
                case Result.Ok<Unit, KvError> ok -> {
                    log.warn("THE STORE WAS EMPTY: wrote the SAMPLE zone example.test and a _keys file with the"
                            + " PUBLIC TEST key test._update.example.test (hmac-sha256 " + SampleZone.TEST_SECRET
                            + "). Replace them before serving anything real.");
                    yield Result.<Unit, StoreError>ok(Unit.UNIT);
                }
                case Result.Err<Unit, KvError>(KvError e) -> Result.<Unit, StoreError>err(new StoreError.Seeding(e));
            });
        });
    }

    /** Reads the top of the store again if its digest moved; parses the files that changed. */
    private Promise<Result<Unit, StoreError>> scan() {
        return kv.digest(Key.ROOT).flatMap(d -> {
            if (d instanceof Result.Ok<Bytes, KvError>(Bytes digest) && digest.equals(lastDigest)) {
                return Promise.resolved(Result.ok(Unit.UNIT));
            }
            return kv.list(Key.ROOT).flatMap(l -> switch (l) {
                case Result.Err<List<Entry>, KvError>(KvError e) -> e instanceof KvError.NotFound
                        ? apply(Map.of(), d) : Promise.resolved(Result.<Unit, StoreError>err(new StoreError.Listing(e)));
                case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> readAll(entries).flatMap(files -> apply(files, d));
            });
        });
    }

    private Promise<Map<String, Bytes>> readAll(List<Entry> entries) {
        List<Entry> values = entries.stream().filter(e -> e.kind() == EntryKind.VALUE).toList();
        List<Promise<Result<Bytes, KvError>>> reads = values.stream().map(e -> kv.get(e.key())).toList();
        return Promise.all(reads).map(results -> {
            Map<String, Bytes> files = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                String name = values.get(i).key().name();
                switch (results.get(i)) {
                    case Result.Ok<Bytes, KvError>(Bytes b) -> files.put(name, b);
                    case Result.Err<Bytes, KvError>(KvError e) -> log.warn("reading " + name + ": " + e.describe());
                }
            }
            return files;
        });
    }

    private Promise<Result<Unit, StoreError>> apply(Map<String, Bytes> files, Result<Bytes, KvError> digest) {
        // files that went away
        for (String gone : new ArrayList<>(seen.keySet())) {
            if (!files.containsKey(gone)) {
                seen.remove(gone);
                refused.remove(gone);
                if (StoreFile.isKeysFile(gone)) {
                    keysByFile.remove(gone);
                    log.info("key file " + gone + " removed");
                } else {
                    StoreFile.zoneName(gone).flatMap(primaries::get).ifPresent(z -> {
                        primaries = primaries.without(z.origin());
                        fileOf.remove(z.origin());
                        log.info("zone " + z.origin() + " removed (its file " + gone + " is gone)");
                        fire(new ZoneChange(z.origin(), Optional.of(z), Optional.empty(), false));
                    });
                }
            }
        }
        for (Map.Entry<String, Bytes> f : files.entrySet()) {
            String file = f.getKey();
            if (f.getValue().equals(seen.get(file))) {
                continue;
            }
            seen.put(file, f.getValue());
            load(file, f.getValue().toUtf8());
        }
        keys = Keys.NONE;
        keysByFile.values().forEach(k -> keys = keys.with(k));
        digest.map(d -> lastDigest = d);
        return Promise.resolved(Result.ok(Unit.UNIT));
    }

    /** Takes in one changed file; a refused one keeps what it gave before, and its problem is kept for {@link #problems}. */
    private void load(String file, String text) {
        refused.remove(file);
        switch (StoreFile.read(file, text)) {
            case StoreFile.Other o -> {}
            case StoreFile.KeysFile(var f, Keys k) -> {
                keysByFile.put(file, k);
                log.info("key file " + file + ": " + k.size() + " key(s)");
            }
            case StoreFile.Refused(var f, ConfigProblem problem) -> {
                refused.put(file, problem);
                String what = StoreFile.isKeysFile(file)
                        ? "key file " + file + " refused, " + (keysByFile.containsKey(file) ? "its previous keys stay" : "no keys from it")
                        : StoreFile.zoneName(file).map(origin -> "zone " + origin + " refused, " + primaries.get(origin)
                                .map(z -> "still serving serial " + z.serial()).orElse("NOT SERVED"))
                                .orElse("file " + file + " refused");
                log.error(what + ": " + problem.describe());
            }
            case StoreFile.ZoneFile(var f, Zone zone) -> {
                Name origin = zone.origin();
                Optional<Zone> before = primaries.get(origin);
                if (before.isPresent() && before.get().equals(zone)) {
                    return;
                }
                if (before.isPresent() && !Serial.greater(zone.serial(), before.get().serial())) {
                    log.warn("zone " + origin + " changed but its serial " + zone.serial()
                            + " did not grow from " + before.get().serial() + ": secondaries will not pick it up");
                }
                primaries = primaries.with(zone);
                fileOf.put(origin, file);
                log.info("zone " + origin + " loaded, serial " + zone.serial());
                fire(new ZoneChange(origin, before, Optional.of(zone), false));
            }
        }
    }

    private Promise<Result<Unit, StoreError>> loadSecondaries() {
        return kv.list(SECONDARY).flatMap(l -> {
            if (!(l instanceof Result.Ok<List<Entry>, KvError>(List<Entry> entries))) {
                return Promise.resolved(Result.ok(Unit.UNIT)); // none kept yet
            }
            List<Entry> values = entries.stream().filter(e -> e.kind() == EntryKind.VALUE).toList();
            Promise<List<Result<java.time.Instant, KvError>>> times = Promise.all(
                    values.stream().map(e -> kv.lastModified(e.key())).toList());
            return times.flatMap(when -> Promise.all(values.stream().map(e -> kv.get(e.key())).toList()).map(results -> {
                for (int i = 0; i < values.size(); i++) {
                    String file = values.get(i).key().name();
                    Optional<Name> origin = StoreFile.zoneName(file);
                    if (origin.isEmpty() || !(results.get(i) instanceof Result.Ok<Bytes, KvError>(Bytes b))) {
                        log.warn("secondary copy " + file + " unreadable, it will be transferred again");
                        continue;
                    }
                    switch (Zone.parse(b.toUtf8(), origin.get())) {
                        case Result.Ok<Zone, ZoneError>(Zone z) -> {
                            secondaries = secondaries.with(z);
                            if (when.get(i) instanceof Result.Ok<java.time.Instant, KvError>(java.time.Instant t)) {
                                storedAt.put(z.origin(), t);
                            }
                            log.info("secondary zone " + z.origin() + " from the stored copy, serial " + z.serial());
                        }
                        case Result.Err<Zone, ZoneError>(ZoneError e) -> log.warn("secondary copy refused, it will be"
                                + " transferred again: " + StoreFile.problem(SECONDARY.child(file).toString(), e).describe());
                    }
                }
                return Result.<Unit, StoreError>ok(Unit.UNIT);
            }));
        });
    }

    private void recompute() {
        List<Zone> served = new ArrayList<>(secondaries.all());
        served.addAll(primaries.all()); // an own zone wins over a copy of the same origin
        all = Zones.of(served);
    }

    private void fire(ZoneChange change) {
        recompute();
        for (Consumer<ZoneChange> l : List.copyOf(listeners)) {
            l.accept(change);
        }
    }
}
