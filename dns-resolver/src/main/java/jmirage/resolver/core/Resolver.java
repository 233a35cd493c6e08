package jmirage.resolver.core;

import java.util.Objects;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Message;
import jmirage.dns.Question;
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

    /** How the resolver validates: {@code validator::validate} ({@link Validator}), or a stand-in in tests. */
    @FunctionalInterface
    public interface Validation {
        Promise<Validated> validate(Question question, Message response);
    }

    private final Recursion recursion;
    private final Optional<Validation> validator;

    /** @param validator DNSSEC validation, empty when it is off (every answer indeterminate) */
    public Resolver(Recursion recursion, Optional<Validation> validator) {
        this.recursion = Objects.requireNonNull(recursion);
        this.validator = Objects.requireNonNull(validator);
    }

    /**
     * The validator's way to DS and DNSKEY RRsets: this recursion, unvalidated (the validator checks
     * them against the chain it builds). The cache goes in front of it with the resolver's.
     */
    public static KeyFetcher keyFetcher(Recursion recursion) {
        return question -> recursion.resolve(question).map(r -> switch (r) {
            case Result.Ok<Answer, RecursionError>(Answer a) -> Result.<Message, String>ok(a.message());
            case Result.Err<Answer, RecursionError>(RecursionError e) -> Result.<Message, String>err(e.describe());
        });
    }

    @Override
    public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
        // the cache's lookup goes here: a fresh hit answers without recursion
        return recursion.resolve(question)
                .flatMap(r -> switch (r) {
                    case Result.Err<Answer, RecursionError>(RecursionError e) -> Promise.resolved(failure(question, e));
                    case Result.Ok<Answer, RecursionError>(Answer a) -> validated(question, a.message(), checkingDisabled);
                })
                // the cache's store goes here (and serve-stale on a failure)
                .recover(bug -> Resolution.failure(question, EDE_OTHER, "internal error: " + bug.getClass().getSimpleName()));
    }

    private Promise<Resolution> validated(Question question, Message message, boolean checkingDisabled) {
        if (validator.isEmpty()) {
            return Promise.resolved(of(question, message, Security.INDETERMINATE));
        }
        return validator.get().validate(question, message).map(v -> switch (v) {
            // RFC 4035 5.5: bogus data is SERVFAIL, unless the client asked to check itself (CD, 3.2.2)
            case Validated(Security.Bogus(int code, String reason), Message m) when !checkingDisabled ->
                    Resolution.failure(question, code, reason);
            case Validated(Security s, Message m) -> of(question, m, s);
        });
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
