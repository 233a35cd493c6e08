package jmirage.resolver.serve;

import jmirage.resolver.core.Resolution;

/**
 * What the resolver counts beside the queries and rcodes the server shell reports (its
 * {@code QueryObserver}): the serving layer tells of each resolution and each refusal. Called on
 * the loop. {@link ResolverMetrics} keeps them on the
 * Metrics device.
 */
public interface ResolverStats {

    /** Counts nothing. */
    ResolverStats NONE = new ResolverStats() {};

    /** Why a client's query was not resolved. */
    enum Refusal {
        /** the client is outside every allowed prefix */
        ACCESS,
        /** the client is over its rate limit */
        RATE_LIMIT
    }

    /** A query was refused before resolution. */
    default void refused(Refusal why) {}

    /** A query was resolved: its rcode, DNSSEC status (Bogus counts as a validation failure), staleness. */
    default void resolved(Resolution resolution) {}
}
