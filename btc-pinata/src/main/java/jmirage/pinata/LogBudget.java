package jmirage.pinata;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket for routine log lines (one per refused connection): anyone can open connections
 * for years, and the operator's log must not grow at the attacker's pace. Up to {@code burst} lines
 * at once, then {@code perSecond}; the lines left out are counted and reported with the next one
 * let through. Time comes in as an argument (no clock here).
 */
final class LogBudget {

    private final double burst;
    private final double perSecond;
    private double tokens;
    private Instant last;
    private long suppressed;

    LogBudget(int burst, int perSecond, Instant now) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.tokens = burst;
        this.last = now;
    }

    /**
     * Whether a line may be written at {@code now}; if so, how many were left out before it (to be
     * said in that line), else -1.
     */
    long take(Instant now) {
        if (now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + seconds * perSecond);
            last = now;
        }
        if (tokens < 1) {
            suppressed++;
            return -1;
        }
        tokens -= 1;
        long before = suppressed;
        suppressed = 0;
        return before;
    }
}
