package jmirage.authoritative.store;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jmirage.authoritative.certify.PrimaryZoneWriter;
import jmirage.authoritative.certify.ZoneWriter;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.secondary.Secondary;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.server.AnswerMemo;
import jmirage.authoritative.server.AuthoritativeCore;
import jmirage.authoritative.transfer.Journal;
import jmirage.authoritative.transfer.NotifySender;
import jmirage.authoritative.transfer.NotifyTarget;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.server.Handler;
import jmirage.dns.server.Request;
import jmirage.dns.server.SourceLog;

/**
 * Everything the unikernel needs for its zones, in one piece: the {@link ZoneStore} over the Kv,
 * the shell that runs {@link AuthoritativeCore} on it ({@link #handler}), NOTIFY to secondaries on every change, and the
 * secondary zones. Built on the loop; call {@link #stop} on the loop.
 */
public final class ZoneManagement {

    /**
     * What the answers remembered for repeated queries may hold ({@link AnswerMemo}): 2 MiB, a few
     * thousand answers, within the 64 MiB heap this unikernel declares.
     */
    static final long ANSWER_MEMO_BYTES = 2L << 20;

    private final ZoneStore store;
    private final List<IpPrefix> allowed;
    private final Map<Name, SecondaryZone> secondaryZones;
    private final NotifySender notifier;
    private final Optional<Secondary> secondary;
    private final Log log;
    private Journal journal = Journal.EMPTY;

    private ZoneManagement(ZoneStore store, List<IpPrefix> allowed, List<SecondaryZone> secondaryZones,
            NotifySender notifier, Optional<Secondary> secondary, Log log) {
        this.store = store;
        this.allowed = List.copyOf(allowed);
        this.secondaryZones = secondaryZones.stream().collect(Collectors.toMap(SecondaryZone::zone, z -> z, (a, b) -> b));
        this.notifier = notifier;
        this.secondary = secondary;
        this.log = log;
    }

    /**
     * Opens the store and starts zone management. {@code sync} is the Kv's synchronisation with a
     * remote when the store has one ({@code DeviceProvider.kvSync()}): a signed NOTIFY then pulls,
     * and zones pushed or pulled into the store are reloaded at once.
     */
    public static Promise<Result<ZoneManagement, ZoneManagementError>> start(Kv kv, Optional<KvSync> sync, Stack stack,
            Scheduler scheduler, Clock clock, Random random, Log log, ZoneOptions options) {
        List<ZoneOptionError> errors = new ArrayList<>();
        Options parsed = options(options, errors);
        if (!errors.isEmpty()) {
            return Promise.resolved(Result.err(new ZoneManagementError.Options(errors)));
        }
        List<SecondaryZone> secondaries = parsed.secondaries();
        List<NotifyTarget> targets = parsed.targets();
        List<IpPrefix> allowed = parsed.allowed();
        Log storeLog = log.named("zones");
        return ZoneStore.open(kv, sync, scheduler, storeLog, Duration.ofSeconds(options.pollSeconds)).flatMap(o -> {
            if (o instanceof Result.Err<ZoneStore, StoreError>(StoreError e)) {
                return Promise.resolved(Result.<ZoneManagement, ZoneManagementError>err(new ZoneManagementError.Store(e)));
            }
            ZoneStore store = o.orElseThrow();
            NotifySender notifier = new NotifySender(stack, scheduler, clock, random, log.named("notify"), targets,
                    options.notifyNs, store::keys);
            Optional<Secondary> secondary = secondaries.isEmpty() ? Optional.empty()
                    : Optional.of(new Secondary(store, stack, scheduler, clock, random, log.named("secondary"), secondaries));
            ZoneManagement zm = new ZoneManagement(store, allowed, secondaries, notifier, secondary, log);
            store.subscribe(change -> {
                if (change.before().isPresent() && change.after().isPresent()) {
                    zm.journal = zm.journal.record(change.before().get(), change.after().get());
                } else {
                    zm.journal = zm.journal.forget(change.origin());
                }
                change.after().ifPresent(notifier::changed);
            });
            return notifier.start().map(n -> n.<ZoneManagementError>mapError(ZoneManagementError.NotifySocket::new).map(u -> {
                // as BIND does at startup: the zones may have changed while we were down
                store.primaries().all().forEach(notifier::changed);
                secondary.ifPresent(Secondary::start);
                return zm;
            }));
        });
    }

    private record Options(List<SecondaryZone> secondaries, List<NotifyTarget> targets, List<IpPrefix> allowed) {}

    private static Options options(ZoneOptions options, List<ZoneOptionError> errors) {
        List<SecondaryZone> secondaries = parseAll(options.secondaries, SecondaryZone::parse, errors);
        List<NotifyTarget> targets = parseAll(options.notify, NotifyTarget::parse, errors);
        List<IpPrefix> allowed = parseAll(options.allowTransfer,
                text -> IpPrefix.parse(text).mapError(e -> new ZoneOptionError.BadAddress("--allow-transfer", text, e)),
                errors);
        if (options.pollSeconds < 0) {
            errors.add(new ZoneOptionError.OutOfRange("--zone-poll", options.pollSeconds, "0 or more seconds"));
        }
        return new Options(secondaries, targets, allowed);
    }

    /** Every zone management option refused (the zones and peers they name), as {@link #start} refuses them. */
    public static List<ZoneOptionError> optionErrors(ZoneOptions options) {
        List<ZoneOptionError> errors = new ArrayList<>();
        options(options, errors);
        return List.copyOf(errors);
    }

    /**
     * The options naming a TSIG key ({@code --secondary ...#KEY}, {@code --notify ...#KEY}) that is not
     * in {@code keys}: the server starts (the key may be pushed later) but logs each failed transfer
     * or notify; {@code ./unikernel check} reports them.
     */
    public static List<ZoneOptionError> unknownKeys(ZoneOptions options, Keys keys) {
        List<ZoneOptionError> unknown = new ArrayList<>();
        for (String text : options.secondaries) {
            if (SecondaryZone.parse(text) instanceof Result.Ok<SecondaryZone, ZoneOptionError>(SecondaryZone z)) {
                z.keyName().filter(k -> keys.find(k).isEmpty())
                        .ifPresent(k -> unknown.add(new ZoneOptionError.UnknownKey("--secondary", text, k)));
            }
        }
        for (String text : options.notify) {
            if (NotifyTarget.parse(text) instanceof Result.Ok<NotifyTarget, ZoneOptionError>(NotifyTarget t)) {
                t.keyName().filter(k -> keys.find(k).isEmpty())
                        .ifPresent(k -> unknown.add(new ZoneOptionError.UnknownKey("--notify", text, k)));
            }
        }
        return List.copyOf(unknown);
    }

    /**
     * Reads the store again (SIGHUP): what parses is served at once, a file that does not keeps its
     * previous version served and comes back as a problem.
     */
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        return store.reload().map(r -> switch (r) {
            case Result.Err<Unit, StoreError>(StoreError e) -> Result.<Unit, List<ConfigProblem>>err(
                    List.of(ConfigProblem.of("store", e.describe())));
            case Result.Ok<Unit, StoreError> ok -> store.problems().isEmpty()
                    ? Result.<Unit, List<ConfigProblem>>ok(Unit.UNIT) : Result.<Unit, List<ConfigProblem>>err(store.problems());
        });
    }

    /** The files of the store that do not parse now (see {@link ZoneStore#problems}). */
    public List<ConfigProblem> problems() {
        return store.problems();
    }

    private static <T> List<T> parseAll(List<String> texts,
            java.util.function.Function<String, Result<T, ZoneOptionError>> parse, List<ZoneOptionError> errors) {
        List<T> out = new ArrayList<>();
        for (String t : texts) {
            switch (parse.apply(t)) {
                case Result.Ok<T, ZoneOptionError>(T v) -> out.add(v);
                case Result.Err<T, ZoneOptionError>(ZoneOptionError e) -> errors.add(e);
            }
        }
        return out;
    }

    /** Every zone served now (our own and secondary copies); read it per request, it changes. */
    public Zones zones() {
        return store.zones();
    }

    public Keys keys() {
        return store.keys();
    }

    /** The zones whose master files we hold (the ones updates and the certify role of primary mode change). */
    public Zones primaries() {
        return store.primaries();
    }

    /** What the core answers from now: the store's zones and keys, the journal, and {@code policy}. */
    public AuthoritativeCore.State state(AuthoritativeCore.Policy policy) {
        return new AuthoritativeCore.State(store.zones(), store.primaries(), store.keys(), journal, policy);
    }

    /** The configuration of the core: transfer allow list and secondary zones from the options, and {@code nsid}. */
    public AuthoritativeCore.Policy policy(Optional<Bytes> nsid) {
        return new AuthoritativeCore.Policy(allowed, secondaryZones, nsid);
    }

    /**
     * The shell of {@link AuthoritativeCore}: every request is answered by the core from the state of
     * the store, and its effects run here: commits one at a time on the store (the update answered
     * once its commit is durable), reloads, secondary checks, log lines.
     */
    public Handler handler(Optional<Bytes> nsid) {
        AuthoritativeCore.Policy policy = policy(nsid);
        SourceLog refusals = new SourceLog(log.named("zones"), 60_000_000_000L);
        AnswerMemo memo = new AnswerMemo(ANSWER_MEMO_BYTES);
        return request -> run(memo.handle(state(policy), request), request, policy, refusals, false);
    }

    /** Runs an outcome's effects; {@code inSlot}: already inside {@link ZoneStore#serially}, so commit at once. */
    private Promise<List<Bytes>> run(AuthoritativeCore.Outcome outcome, Request request, AuthoritativeCore.Policy policy,
            SourceLog refusals, boolean inSlot) {
        Promise<List<Bytes>> replies = Promise.resolved(outcome.replies());
        for (AuthoritativeCore.Effect effect : outcome.effects()) {
            switch (effect) {
                case AuthoritativeCore.Effect.Log(LogLevel level, String line) -> log.log(level, line);
                case AuthoritativeCore.Effect.Refusal(InetAddress source, String line) -> {
                    Instant t = request.received();
                    refusals.warn(source, line, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                }
                case AuthoritativeCore.Effect.Reload r -> store.reload();
                case AuthoritativeCore.Effect.CheckSecondary c -> secondary.ifPresent(s -> s.notified(c.zone()));
                case AuthoritativeCore.Effect.Commit c -> replies = inSlot ? commitNow(c)
                        : store.serially(() -> stillCurrent(c) ? commitNow(c)
                                // the zone changed since the core computed the update: answer it again from now
                                : run(AuthoritativeCore.handle(state(policy), request), request, policy, refusals, true));
            }
        }
        return replies;
    }

    private boolean stillCurrent(AuthoritativeCore.Effect.Commit c) {
        return store.primaries().get(c.before().origin()).map(z -> z.equals(c.before())).orElse(false);
    }

    private Promise<List<Bytes>> commitNow(AuthoritativeCore.Effect.Commit c) {
        return store.commit(c.after(), c.author(), c.message()).map(r -> switch (r) {
            case Result.Ok<Unit, StoreError> ok -> {
                log.info("zone " + c.after().origin() + " updated by " + c.author() + ", serial " + c.after().serial()
                        + " (" + c.message() + ")");
                yield List.of(c.whenStored());
            }
            case Result.Err<Unit, StoreError>(StoreError e) -> {
                log.error("update of " + c.after().origin() + " by " + c.author() + " not stored: " + e.describe());
                yield List.of(c.whenFailed());
            }
        });
    }

    /** Calls {@code listener} on the loop after every change of a zone: an update, a certify change, a push, a pull, a transfer. */
    public void subscribe(java.util.function.Consumer<ZoneChange> listener) {
        store.subscribe(listener);
    }

    /**
     * The certify role's writer in primary mode: a change to one of our zones made as an update is
     * (serialised with updates, serial raised, one commit, journaled, notified).
     */
    public ZoneWriter zoneWriter() {
        return new PrimaryZoneWriter(store, log.named("certify"));
    }

    public void stop() {
        store.stop();
        notifier.stop();
        secondary.ifPresent(Secondary::stop);
    }

    // ------------------------------------------------------------------ for the certify role in secondary mode

    /** The zones we are secondary for, as {@code --secondary} names them (primary, transfer key). */
    public List<SecondaryZone> secondaryZones() {
        return List.copyOf(secondaryZones.values());
    }

    /** The copies of the secondary zones served now; read it each time, transfers replace it. */
    public Zones secondaries() {
        return store.secondaries();
    }

    /** Checks {@code zone}'s primary for a newer serial now, as a NOTIFY from it would (RFC 1996 3.11). */
    public void checkSecondary(Name zone) {
        secondary.ifPresent(s -> s.notified(zone));
    }
}
