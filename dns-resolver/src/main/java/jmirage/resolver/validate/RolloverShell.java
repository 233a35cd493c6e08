package jmirage.resolver.validate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * RFC 5011 rollover's shell: loads the state file from the Kv at boot (the configured anchors for
 * trust points it lacks, as unbound's auto-trust-anchor-file), probes each trust point's DNSKEY
 * RRset through a {@link KeyFetcher} at the intervals of RFC 5011 2.3, feeds {@link Rollover}, and
 * writes the file whenever a key changes state. The fetch need not be validated: {@link Rollover}
 * uses an RRset only when a trusted key signs it. Owned by the loop.
 */
public final class RolloverShell {

    private final Kv kv;
    private final Key key;
    private final Clock clock;
    private final Log log;
    private final Map<Name, Rollover.TrustPoint> points = new LinkedHashMap<>();
    private final Map<Name, Cancellable> timers = new LinkedHashMap<>();
    private boolean stopped;

    private RolloverShell(Kv kv, Key key, Clock clock, Log log, List<Rollover.TrustPoint> points) {
        this.kv = kv;
        this.key = key;
        this.clock = clock;
        this.log = log;
        points.forEach(tp -> this.points.put(tp.owner(), tp));
    }

    /**
     * The state in {@code key} (refused, with its line, when it does not parse), completed by the
     * {@code configured} anchors ({@code --trust-anchor}) of the zones it does not hold.
     */
    public static Promise<Result<RolloverShell, List<ConfigProblem>>> load(Kv kv, Key key, TrustAnchors configured,
            Clock clock, Log log) {
        return read(kv, key).map(read -> read.map(stored -> {
            List<Rollover.TrustPoint> kept = new ArrayList<>(stored);
            Instant now = clock.now();
            configured.byZone().forEach((owner, records) -> {
                if (kept.stream().noneMatch(tp -> tp.owner().equals(owner))) {
                    kept.add(Rollover.TrustPoint.configured(owner,
                            records.stream().filter(r -> r.rdata() instanceof Rdata.Ds).map(r -> (Rdata.Ds) r.rdata()).toList(),
                            records.stream().filter(r -> r.rdata() instanceof Rdata.Dnskey).map(r -> (Rdata.Dnskey) r.rdata()).toList(),
                            now));
                }
            });
            return new RolloverShell(kv, key, clock, log, kept);
        }));
    }

    /** The check of decision 6: the state file's problems, reading only. */
    public static Promise<List<ConfigProblem>> check(Kv kv, RolloverOptions options) {
        return switch (options.key()) {
            case Result.Err<Optional<Key>, List<ConfigProblem>>(List<ConfigProblem> problems) -> Promise.resolved(problems);
            case Result.Ok<Optional<Key>, List<ConfigProblem>>(Optional<Key> key) -> key.isEmpty() ? Promise.resolved(List.of())
                    : read(kv, key.get()).map(r -> r instanceof Result.Err<List<Rollover.TrustPoint>, List<ConfigProblem>>(var p)
                            ? p : List.of());
        };
    }

    /** The trust points of the state file; none when there is no file yet (the first boot). */
    private static Promise<Result<List<Rollover.TrustPoint>, List<ConfigProblem>>> read(Kv kv, Key key) {
        return kv.get(key).map(read -> switch (read) {
            case Result.Ok<Bytes, KvError>(Bytes b) -> RolloverFile.parse(b.toUtf8())
                    .mapError(e -> List.of(new ConfigProblem(key.toString(), e.line(), e.problem())));
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Result.ok(List.of());
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(List.of(ConfigProblem.of(key.toString(), e.describe())));
        });
    }

    /** The anchors to validate with now, one per trust point. */
    public List<Rollover.Anchor> anchors() {
        return points.values().stream().map(Rollover.TrustPoint::anchor).toList();
    }

    /**
     * The anchors as the validator takes them; a trust point whose keys were all revoked is left
     * out, so names under it are no longer anchored there (RFC 5011 5).
     */
    public TrustAnchors trustAnchors() {
        Map<Name, List<Record>> byZone = new LinkedHashMap<>();
        anchors().stream().filter(a -> !a.isEmpty()).forEach(a -> byZone.put(a.owner(), a.records()));
        return new TrustAnchors(byZone);
    }

    public List<Rollover.TrustPoint> trustPoints() {
        return List.copyOf(points.values());
    }

    /**
     * Probes every trust point now and then at the RFC 5011 2.3 intervals, telling
     * {@code anchorsChanged} each time the anchors change (the validator is then given the new ones).
     */
    public void start(KeyFetcher fetcher, Scheduler scheduler, Consumer<TrustAnchors> anchorsChanged) {
        for (Name owner : List.copyOf(points.keySet())) {
            scheduler.execute(() -> probeAndRearm(owner, fetcher, scheduler, anchorsChanged));
        }
    }

    private void probeAndRearm(Name owner, KeyFetcher fetcher, Scheduler scheduler, Consumer<TrustAnchors> changed) {
        if (stopped) {
            return;
        }
        probe(owner, fetcher, changed).onSuccess(next -> {
            if (!stopped) {
                timers.put(owner, scheduler.schedule(next, () -> probeAndRearm(owner, fetcher, scheduler, changed)));
            }
        });
    }

    /** One probe of {@code owner}'s DNSKEY RRset; resolves with the delay until the next, once the state is written. */
    public Promise<Duration> probe(Name owner, KeyFetcher fetcher, Consumer<TrustAnchors> anchorsChanged) {
        return fetcher.fetch(new Question(owner, Type.DNSKEY)).flatMap(fetched -> switch (fetched) {
            case Result.Err<Message, String>(String why) -> {
                log.warn("trust anchor probe of " + owner + " failed: " + why);
                yield Promise.resolved(Rollover.retry(0, clock.now(), clock.now()));
            }
            case Result.Ok<Message, String>(Message m) -> observed(owner, m, anchorsChanged);
        });
    }

    private Promise<Duration> observed(Name owner, Message m, Consumer<TrustAnchors> anchorsChanged) {
        Instant now = clock.now();
        Rollover.TrustPoint tp = points.get(owner);
        List<Rdata.Rrsig> sigs = m.answers().stream().filter(r -> r.rdata() instanceof Rdata.Rrsig s
                && s.typeCovered() == Type.DNSKEY).map(r -> (Rdata.Rrsig) r.rdata()).toList();
        long ttl = sigs.stream().mapToLong(Rdata.Rrsig::originalTtl).min().orElse(0);
        Instant expiration = sigs.stream().map(s -> Instant.ofEpochSecond(s.expiration())).min(Instant::compareTo).orElse(now);
        return switch (Rollover.observe(tp, m.answers(), now)) {
            case Result.Err<Rollover.Observed, Rollover.RolloverError>(Rollover.RolloverError e) -> {
                log.warn("trust anchor probe of " + owner + " not used: " + e.describe());
                yield Promise.resolved(Rollover.retry(ttl, expiration, now));
            }
            case Result.Ok<Rollover.Observed, Rollover.RolloverError>(Rollover.Observed o) -> {
                Duration next = Rollover.activeRefresh(ttl, expiration, now);
                boolean keysChanged = !o.transitions().isEmpty() || !o.trustPoint().pendingDs().equals(tp.pendingDs());
                points.put(owner, o.trustPoint());
                if (!keysChanged) {
                    yield Promise.resolved(next);
                }
                o.transitions().forEach(t -> log.info("trust anchor " + owner + " key " + t.keyTag() + ": "
                        + t.from().map(Enum::name).orElse("new") + " -> " + t.to().map(Enum::name).orElse("forgotten")));
                if (o.trustPoint().anchor().isEmpty()) {
                    log.warn("trust point " + owner + " has no trusted key left (all revoked): RFC 5011 5 deletes it");
                }
                anchorsChanged.accept(trustAnchors());
                yield save().map(saved -> {
                    if (saved instanceof Result.Err<Unit, KvError>(KvError e)) {
                        log.error("trust anchor state not written to " + key + ": " + e.describe());
                    }
                    return next;
                });
            }
        };
    }

    private Promise<Result<Unit, KvError>> save() {
        return kv.set(key, Bytes.utf8(RolloverFile.print(trustPoints())));
    }

    public void stop() {
        stopped = true;
        timers.values().forEach(Cancellable::cancel);
        timers.clear();
    }
}
