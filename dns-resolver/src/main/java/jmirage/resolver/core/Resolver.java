package jmirage.resolver.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.resolver.cache.AnswerCache;
import jmirage.resolver.cache.DenialCache;
import jmirage.resolver.iterate.Answer;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.iterate.RecursionError;
import jmirage.resolver.validate.KeyFetcher;
import jmirage.resolver.validate.Validated;
import jmirage.resolver.validate.Validator;

/**
 * The resolver's core: the cache first, then recursion, then validation, then the cache again;
 * serve-stale when the authorities fail, prefetch of popular names, aggressive use of validated
 * NSEC/NSEC3 (RFC 8198). It never throws and never fails its promise: every failure is a SERVFAIL
 * {@link Resolution} with an extended error.
 */
public final class Resolver implements Resolve {

    /** RFC 8914 4: the info codes recursion's failures map to. */
    static final int EDE_OTHER = 0, EDE_NO_REACHABLE_AUTHORITY = 22, EDE_NETWORK_ERROR = 23;

    /**
     * How the resolver validates: {@code validator::validate} ({@link Validator}), or a stand-in in
     * tests; {@code keys} fetches DS and DNSKEY RRsets on the client question's work budget.
     */
    @FunctionalInterface
    public interface Validation {
        Promise<Validated> validate(Question question, Message response, KeyFetcher keys);
    }

    /**
     * The resolver's caches: answers, and (when aggressive NSEC is on) validated denials, with the
     * clock whose monotonic time ages them.
     */
    public record Caching(AnswerCache answers, Optional<DenialCache> denials, Clock clock) {
        public Caching {
            Objects.requireNonNull(answers);
            Objects.requireNonNull(denials);
            Objects.requireNonNull(clock);
        }

        /**
         * NSEC records the aggressive-NSEC cache holds by default: about 20 MB of heap at most (an NSEC
         * record with its signature, its owner name twice and the next name is about 950 bytes there;
         * {@code DenialCacheHeapTest}). It was 100,000 until 2026-12-07, meant as 20 MB and about 95.
         */
        public static final int DEFAULT_DENIAL_RECORDS = 20_000;

        /**
         * The unikernel's caches: answers with {@link AnswerCache.Config#defaults()}, and aggressive
         * use of validated NSEC on (RFC 8198 recommends it; unbound's aggressive-nsec is on by default
         * since 1.16), never under a negative trust anchor.
         */
        public static Caching standard(Clock clock, Set<Name> negativeAnchors) {
            return standard(clock, negativeAnchors, AnswerCache.Config.defaults().maxBytes());
        }

        /** The same with the answer cache bounded at {@code cacheBytes}. */
        public static Caching standard(Clock clock, Set<Name> negativeAnchors, long cacheBytes) {
            return new Caching(new AnswerCache(AnswerCache.Config.defaults().withMaxBytes(cacheBytes)),
                    Optional.of(new DenialCache(DEFAULT_DENIAL_RECORDS, negativeAnchors)), clock);
        }
    }

    private final Recursion recursion;
    private final Optional<Validation> validator;
    private final Optional<Caching> caching;

    /** @param validator DNSSEC validation, empty when it is off (every answer indeterminate) */
    public Resolver(Recursion recursion, Optional<Validation> validator) {
        this(recursion, validator, Optional.empty());
    }

    /** @param caching the caches, empty for a resolver that asks every time */
    public Resolver(Recursion recursion, Optional<Validation> validator, Optional<Caching> caching) {
        this.recursion = Objects.requireNonNull(recursion);
        this.validator = Objects.requireNonNull(validator);
        this.caching = Objects.requireNonNull(caching);
    }

    /**
     * The validator's way to DS and DNSKEY RRsets: this recursion, unvalidated (the validator checks
     * them against the chain it builds). Questions being resolved are shared (Recursion's in-flight
     * table), so simultaneous validations in one zone fetch its keys once.
     */
    public static KeyFetcher keyFetcher(Recursion recursion) {
        return fromAuthorities(recursion, recursion::budget);
    }

    /** Through recursion, each question drawing on the budget {@code budget} gives (a client question's, or a fresh one). */
    private static KeyFetcher fromAuthorities(Recursion recursion, Supplier<Recursion.Budget> budget) {
        return question -> recursion.resolve(question, budget.get()).map(r -> switch (r) {
            case Result.Ok<Answer, RecursionError>(Answer a) -> Result.<Message, String>ok(a.message());
            case Result.Err<Answer, RecursionError>(RecursionError e) -> Result.<Message, String>err(e.describe());
        });
    }

    /**
     * The same with the answer cache in front: a fresh cached answer to the DS or DNSKEY question (one
     * a client asked, kept with the records and RRSIGs as the authorities gave them) is given to the
     * validator instead of asking again. The two caches cannot disagree on security: the validator
     * verifies what it is given against its chain of trust whichever way it came, and keeps only its
     * verdict (validated keys, in its own key cache, for at most the records' TTL). Expired, stale,
     * bogus and failed entries are not used (the authorities are asked: a key rollover or a repaired
     * zone is seen at once). Unvalidated key answers are not written to the answer cache: a client
     * would get them without the validator's verdict.
     */
    public static KeyFetcher keyFetcher(Recursion recursion, Caching caching) {
        return cacheFirst(caching, keyFetcher(recursion));
    }

    private static KeyFetcher cacheFirst(Caching caching, KeyFetcher fromAuthorities) {
        return question -> {
            Optional<AnswerCache.Hit> hit = caching.answers().get(question, caching.clock().monotonicNanos());
            if (hit.isPresent() && usableForKeys(hit.get())) {
                Resolution r = hit.get().resolution();
                Header header = new Header(0, true, Header.QUERY, false, false, false, false, false, false, true, r.rcode());
                return Promise.resolved(Result.ok(new Message(header, List.of(question), r.answer(), r.authority(), r.additional(),
                        Optional.empty())));
            }
            return fromAuthorities.fetch(question);
        };
    }

    private static boolean usableForKeys(AnswerCache.Hit hit) {
        Resolution r = hit.resolution();
        return hit.fresh() && !r.stale() && !(r.security() instanceof Security.Bogus)
                && (r.rcode() == Header.NOERROR || r.rcode() == Header.NXDOMAIN);
    }

    /**
     * A fresh cache hit answers at once (a popular one near expiry is refreshed in the background,
     * unbound's prefetch); else validated NSEC records may prove the answer (RFC 8198); else the
     * authorities are asked, the validated result kept, and if they fail an expired answer still
     * kept is given stale (RFC 8767).
     */
    @Override
    public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
        // a cached answer, or one shared with another asker, is in the case of whoever asked first
        return anyCase(question, checkingDisabled).map(r -> r.askedAs(question));
    }

    private Promise<Resolution> anyCase(Question question, boolean checkingDisabled) {
        if (caching.isEmpty()) {
            return fetch(question).map(r -> shaped(r, checkingDisabled));
        }
        Caching c = caching.get();
        long now = c.clock().monotonicNanos();
        Optional<AnswerCache.Hit> hit = c.answers().get(question, now);
        if (hit.isPresent() && hit.get().fresh()) {
            if (hit.get().prefetch()) {
                fetch(question); // in the background: the result goes to the cache
            }
            return Promise.resolved(shaped(hit.get().resolution(), checkingDisabled));
        }
        Optional<Resolution> denied = c.denials().flatMap(d -> d.answer(question, now));
        if (denied.isPresent()) {
            return Promise.resolved(denied.get());
        }
        Optional<Resolution> expired = hit.map(AnswerCache.Hit::resolution);
        return fetch(question).map(r -> {
            // RFC 8767 4: when the authorities fail, an expired answer is better than none
            if (r.rcode() == jmirage.dns.Header.SERVFAIL && r.security() instanceof Security.Indeterminate && expired.isPresent()) {
                return c.answers().stale(expired.get());
            }
            return shaped(r, checkingDisabled);
        });
    }

    /**
     * Recursion, then validation; the result, bogus data included with its status, goes to the
     * caches (a failure too: the answer cache decides what it keeps). The promise never fails.
     */
    private Promise<Resolution> fetch(Question question) {
        Recursion.Budget budget = recursion.budget();
        return recursion.resolve(question, budget)
                .flatMap(r -> switch (r) {
                    case Result.Err<Answer, RecursionError>(RecursionError e) -> Promise.resolved(failure(question, e));
                    case Result.Ok<Answer, RecursionError>(Answer a) -> validated(question, a.message(), budget);
                })
                .recover(bug -> Resolution.failure(question, EDE_OTHER, "internal error: " + bug.getClass().getSimpleName()))
                .map(r -> {
                    caching.ifPresent(c -> {
                        long now = c.clock().monotonicNanos();
                        c.answers().put(r, now);
                        c.denials().ifPresent(d -> d.put(r, now));
                    });
                    return r;
                });
    }

    /** RFC 4035 5.5: bogus data is SERVFAIL, unless the client asked to check itself (CD, 3.2.2). */
    private static Resolution shaped(Resolution r, boolean checkingDisabled) {
        if (r.security() instanceof Security.Bogus(int code, String reason) && !checkingDisabled) {
            return Resolution.failure(r.question(), code, reason);
        }
        return r;
    }

    private Promise<Resolution> validated(Question question, Message message, Recursion.Budget budget) {
        if (validator.isEmpty()) {
            return Promise.resolved(of(question, message, Security.INDETERMINATE));
        }
        KeyFetcher onBudget = fromAuthorities(recursion, () -> budget);
        return validator.get().validate(question, message, caching.map(c -> cacheFirst(c, onBudget)).orElse(onBudget))
                .map(v -> of(question, v.response(), v.security()));
    }

    private static Resolution of(Question question, Message m, Security security) {
        return new Resolution(question, m.header().rcode(), m.answers(), m.authority(), m.additional(), security, Optional.empty(), false);
    }

    /** RFC 8914: SERVFAIL with the info code that says why recursion failed. */
    static Resolution failure(Question question, RecursionError e) {
        int code = switch (e) {
            case RecursionError.NoReachableAuthority n -> EDE_NO_REACHABLE_AUTHORITY;
            case RecursionError.Network n -> EDE_NETWORK_ERROR;
            case RecursionError.TooMuchWork w -> EDE_OTHER;
        };
        return Resolution.failure(question, code, e.describe());
    }
}
