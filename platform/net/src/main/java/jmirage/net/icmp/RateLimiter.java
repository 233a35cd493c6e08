package jmirage.net.icmp;

/**
 * A token bucket for ICMP errors and replies (RFC 1812 4.3.2.8, RFC 4443 2.4(f) say the same for
 * IPv6): {@code burst} messages at once, refilled at {@code perSecond}. Pure: the caller passes the time.
 */
public final class RateLimiter {

    private final int burst;
    private final long nanosPerToken;
    private double tokens;
    private long last;
    private boolean started;

    public RateLimiter(int burst, int perSecond) {
        this.burst = burst;
        this.nanosPerToken = 1_000_000_000L / perSecond;
        this.tokens = burst;
    }

    /** Whether one more message may go out at {@code now}; takes a token if so. */
    public boolean allow(long now) {
        if (!started) {
            started = true;
            last = now;
        }
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
