package jmirage.resolver.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.serve.LocalPolicy;

/**
 * The policy's shell: reads the files the options name from the Kv into a {@link Policy}, puts it
 * in front of the resolver, logs what it blocks (info, at most {@value #LOG_BURST} lines at once
 * then one a second, saying how many were left out), counts its answers by kind
 * ({@code jmirage_resolver_policy_answers_total}), and reads the files again on reload (SIGHUP,
 * decision 6): a new policy replaces the old one only when every file is clean.
 *
 * <p>With {@code --update-keys} it takes the dynamic updates of the local zones ({@link LocalUpdate}):
 * a change is written back to the zone's file in the store as one batch (author: the key's name) and
 * answered NOERROR once stored, then served; updates and reloads run one after another, never
 * interleaved. A zone file changed in the store by someone else since it was read is not overwritten:
 * the update gets SERVFAIL and a warning says to reload first. Owned by the loop.
 */
public final class PolicyShell implements LocalPolicy {

    static final int LOG_BURST = 10;

    private final Kv kv;
    private final PolicyOptions options;
    private final Clock clock;
    private final Log log;
    private final TokenBucket logBudget = TokenBucket.perSecond(LOG_BURST, 1);
    private final Counter answers;
    private final Counter updates;
    private Policy current;
    /** The update or reload running now, or the last one: the next starts after it. */
    private Promise<Unit> tail = Promise.resolved(Unit.UNIT);

    private PolicyShell(Kv kv, PolicyOptions options, Clock clock, Log log, Metrics metrics, Policy policy) {
        this.kv = kv;
        this.options = options;
        this.clock = clock;
        this.log = log;
        this.current = policy;
        this.answers = metrics.counter("jmirage_resolver_policy_answers_total",
                "Questions answered by local policy, by kind (local, blocked, filtered).", "kind");
        this.updates = metrics.counter("jmirage_resolver_updates_total",
                "Dynamic updates of the local zones, by result (applied, unchanged, refused, failed).", "result");
        metrics.gauge("jmirage_resolver_blocked_names", "Names of the hosts blocklists.", () -> current.blocklist().size());
    }

    /** Reads the policy files; refuses (each problem with its file and line) when one is bad or missing. */
    public static Promise<Result<PolicyShell, List<ConfigProblem>>> start(Kv kv, PolicyOptions options, Clock clock, Log log,
            Metrics metrics) {
        return load(kv, options).map(r -> r.map(policy -> {
            log.info("policy: " + policy.summary());
            warnSkipped(policy, log);
            return new PolicyShell(kv, options, clock, log, metrics, policy);
        }));
    }

    /** A blocklist's bad lines do not stop the resolver, but the operator hears of them, one line a file. */
    private static void warnSkipped(Policy policy, Log log) {
        policy.skipped().forEach(s -> log.warn(s.describe()));
    }

    /** The check of decision 6: every problem {@link #start} would refuse, reading only. */
    public static Promise<List<ConfigProblem>> check(Kv kv, PolicyOptions options) {
        return load(kv, options).map(r -> r instanceof Result.Err<Policy, List<ConfigProblem>>(List<ConfigProblem> p)
                ? p : List.of());
    }

    static Promise<Result<Policy, List<ConfigProblem>>> load(Kv kv, PolicyOptions options) {
        return switch (options.keys()) {
            case Result.Err<PolicyOptions.StoreKeys, List<ConfigProblem>>(List<ConfigProblem> p) -> Promise.resolved(Result.err(p));
            case Result.Ok<PolicyOptions.StoreKeys, List<ConfigProblem>>(PolicyOptions.StoreKeys keys) -> {
                List<PolicyError> unreadable = new ArrayList<>();
                Promise<List<PolicyFiles.File>> blocklists = read(kv, keys.blocklists(), unreadable);
                Promise<List<PolicyFiles.File>> rpz = read(kv, keys.rpz(), unreadable);
                Promise<List<PolicyFiles.File>> zones = read(kv, keys.localZones(), unreadable);
                Promise<List<PolicyFiles.File>> hosts = read(kv, keys.localHosts(), unreadable);
                Promise<List<PolicyFiles.File>> updateKeys = read(kv, keys.updateKeys(), unreadable);
                yield Promise.all(List.of(blocklists, rpz, zones, hosts, updateKeys)).map(files -> {
                    if (!unreadable.isEmpty()) {
                        return Result.err(unreadable.stream().map(PolicyError::problem).toList());
                    }
                    return Policy.of(new PolicyFiles(files.get(0), files.get(1), files.get(2), files.get(3), files.get(4)))
                            .mapError(errors -> errors.stream().map(PolicyError::problem).toList());
                });
            }
        };
    }

    private static Promise<List<PolicyFiles.File>> read(Kv kv, List<Key> keys, List<PolicyError> unreadable) {
        List<Promise<Result<Bytes, KvError>>> reads = keys.stream().map(kv::get).toList();
        return Promise.all(reads).map(values -> {
            List<PolicyFiles.File> files = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String name = keys.get(i).toString();
                switch (values.get(i)) {
                    case Result.Ok<Bytes, KvError>(Bytes b) -> files.add(new PolicyFiles.File(name, b.toUtf8()));
                    case Result.Err<Bytes, KvError>(KvError e) -> unreadable.add(new PolicyError.Unreadable(name, e));
                }
            }
            return files;
        });
    }

    /** {@code inner} behind the current policy (a reload takes effect at the next question). */
    public Resolve around(Resolve inner) {
        return (question, checkingDisabled) -> current.around(inner, this::logged).resolve(question, checkingDisabled);
    }

    private void logged(Policy.Decision.Rewrite rewrite) {
        answers.labels(rewrite.kind().name().toLowerCase(java.util.Locale.ROOT)).inc();
        if (rewrite.kind() == Policy.Kind.LOCAL) {
            return;
        }
        long left = logBudget.take(clock.monotonicNanos());
        if (left >= 0) {
            var q = rewrite.resolution().question();
            log.info((rewrite.kind() == Policy.Kind.BLOCKED ? "blocked " : "filtered ") + q.name() + " " + Type.name(q.qtype())
                    + " by " + rewrite.source() + (left > 0 ? " (" + left + " more not logged)" : ""));
        }
    }

    /** Reads the files again (after any update in progress); the new policy only when all are clean, else the problems and the old policy. */
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        return inTurn(() -> load(kv, options).map(r -> switch (r) {
            case Result.Ok<Policy, List<ConfigProblem>>(Policy p) -> {
                current = p;
                log.info("policy reloaded: " + p.summary());
                warnSkipped(p, log);
                yield Result.<List<ConfigProblem>>ok();
            }
            case Result.Err<Policy, List<ConfigProblem>>(List<ConfigProblem> p) -> Result.<Unit, List<ConfigProblem>>err(p);
        }));
    }

    @Override
    public Optional<Resolution> localAnswer(Question question) {
        if (current.decide(question) instanceof Policy.Decision.Rewrite r && r.kind() == Policy.Kind.LOCAL) {
            logged(r);
            return Optional.of(r.resolution()); // a CNAME out of local data is not followed: that would be recursion
        }
        return Optional.empty();
    }

    @Override
    public Optional<Promise<List<Bytes>>> update(Request request) {
        if (current.updateKeys().size() == 0) {
            return Optional.empty();
        }
        return Optional.of(inTurn(() -> switch (LocalUpdate.decide(current, request)) {
            case LocalUpdate.Outcome.Answered a -> {
                a.log().ifPresent(line -> {
                    long left = logBudget.take(clock.monotonicNanos());
                    if (left >= 0) {
                        log.info(line + (left > 0 ? " (" + left + " more not logged)" : ""));
                    }
                });
                updates.labels(a.log().isPresent() ? "refused" : "unchanged").inc();
                yield Promise.resolved(List.of(a.response()));
            }
            case LocalUpdate.Outcome.Change c -> store(c);
        }));
    }

    /** Writes an update's zone over its file, unless the file is no longer what was read; then serves it. */
    private Promise<List<Bytes>> store(LocalUpdate.Outcome.Change c) {
        PolicyFiles.File file = c.before().file();
        Key key = Key.parse(file.key()).orElseThrow(); // read from this key at the load
        return kv.get(key).flatMap(read -> {
            if (!(read instanceof Result.Ok<Bytes, KvError>(Bytes now)) || !now.toUtf8().equals(file.text())) {
                log.warn(c.message() + " not applied: " + file.key() + " changed in the store since it was read"
                        + " (reload first: SIGHUP)");
                updates.labels("failed").inc();
                return Promise.resolved(List.of(c.whenFailed()));
            }
            String text = c.after().toMasterFile();
            Batch batch = new Batch(c.who(), c.message(), List.of(new Change.Set(key, Bytes.utf8(text))));
            return kv.commit(batch).map(r -> switch (r) {
                case Result.Ok<Unit, KvError> ok -> {
                    current = current.withLocalZone(c.after(), text);
                    log.info(c.message());
                    updates.labels("applied").inc();
                    yield List.of(c.whenStored());
                }
                case Result.Err<Unit, KvError>(KvError e) -> {
                    log.error(c.message() + " not stored: " + e.describe());
                    updates.labels("failed").inc();
                    yield List.of(c.whenFailed());
                }
            });
        });
    }

    /** Runs {@code work} once the update or reload before it has finished: a read-modify-write never interleaves with another. */
    private <T> Promise<T> inTurn(Supplier<Promise<T>> work) {
        Promise<T> answer = tail.flatMap(ignored -> work.get());
        tail = answer.map(ignored -> Unit.UNIT).recover(ignored -> Unit.UNIT);
        return answer;
    }

    public Policy current() {
        return current;
    }
}
