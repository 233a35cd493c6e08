package jmirage.resolver.cache;

import java.util.Optional;
import jmirage.dns.Question;
import jmirage.resolver.core.Resolution;

/**
 * The resolver's memory of answers, positive and negative (RFC 2308), with TTLs capped, a bound on
 * the bytes it holds (least recently used entries evicted, never growth), entries kept past expiry
 * for serve-stale (RFC 8767), and a prefetch hint for popular entries near expiry. Times are the
 * Clock's monotonic nanoseconds. Owned by the loop: no locks.
 */
public final class AnswerCache {

    /** Seam: the cache helper writes it. */
    public Optional<Hit> get(Question question, long nowNanos) {
        throw new UnsupportedOperationException("seam");
    }

    /** Seam: the cache helper writes it. */
    public void put(Resolution resolution, long nowNanos) {
        throw new UnsupportedOperationException("seam");
    }

    /**
     * @param resolution the cached answer with its TTLs counted down to now (0 when stale)
     * @param fresh false when past its TTL (only for serve-stale)
     * @param prefetch a popular entry near expiry: refresh it in the background
     */
    public record Hit(Resolution resolution, boolean fresh, boolean prefetch) {}
}
