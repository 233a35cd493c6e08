package jmirage.resolver.core;

import jmirage.core.Promise;
import jmirage.dns.Question;

/**
 * The resolver's core: the cache first, then recursion, then validation, then the cache again;
 * serve-stale when the authorities fail, prefetch of popular names, aggressive use of validated
 * NSEC/NSEC3 (RFC 8198). It never throws and never fails its promise: every failure is a SERVFAIL
 * {@link Resolution} with an extended error.
 */
public final class Resolver implements Resolve {

    /** Seam: the recursion helper writes it, the cache helper adds the cache's features. */
    @Override
    public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
        throw new UnsupportedOperationException("seam");
    }
}
