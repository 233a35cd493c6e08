package jmirage.resolver.iterate;

import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Question;

/**
 * Iterative resolution (RFC 1034 5.3.3) from the hints over an {@code Upstream}: referrals, glue
 * within bailiwick, out-of-zone name servers, CNAME and DNAME chains across zones, lame and
 * unreachable servers, server selection by smoothed round trip, TCP on truncation, QNAME
 * minimisation (RFC 9156); or forwarding to the configured forwarders. It returns what the
 * authorities said, unvalidated: the validator and the cache sit above it.
 */
public final class Recursion {

    /** Seam: the recursion helper writes it. */
    public Promise<Result<Answer, RecursionError>> resolve(Question question) {
        throw new UnsupportedOperationException("seam");
    }
}
