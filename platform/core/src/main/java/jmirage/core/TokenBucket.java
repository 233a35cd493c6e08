package jmirage.core;

import java.time.Duration;

/**
 * A token bucket: up to {@code burst} events at once, then one per {@code period}. For rate limits
 * that must not grow at an attacker's pace: ICMP answers (RFC 1812 4.3.2.8), log lines about bad
 * input or refused peers. It counts the events refused since the last one allowed, so the next line
 * that goes out can say how many were left out. Pure: the caller passes monotonic time.
 */
public final class TokenBucket {

    private final double burst;
    private final long nanosPerToken;
    private double tokens;
    private long last;
    private boolean started;
    private long refused;

    public TokenBucket(int burst, Duration period) {
        if (burst < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a bucket holds at least one token, refilled after a positive period");
        }
        this.burst = burst;
        this.nanosPerToken = period.toNanos();
        this.tokens = burst;
    }

    /** {@code burst} at once, then {@code perSecond} a second. */
    public static TokenBucket perSecond(int burst, int perSecond) {
        return new TokenBucket(burst, Duration.ofNanos(1_000_000_000L / perSecond));
    }

    /**
     * Takes a token at {@code nowNanos} if there is one: then the number of events refused since the
     * previous one allowed (0 or more), else -1.
     */
    public long take(long nowNanos) {
        if (!started) {
            started = true;
            last = nowNanos;
        }
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
            last = nowNanos;
        }
        if (tokens < 1) {
            refused++;
            return -1;
        }
        tokens -= 1;
        long before = refused;
        refused = 0;
        return before;
    }

    /** Whether one more event may happen at {@code nowNanos}; takes a token if so. */
    public boolean allow(long nowNanos) {
        return take(nowNanos) >= 0;
    }
}
