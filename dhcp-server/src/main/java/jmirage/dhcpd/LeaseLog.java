package jmirage.dhcpd;

import java.time.Duration;
import java.util.function.Supplier;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;

/**
 * The operator's lines about leases and refusals (DHCPACK, DHCPNAK, DHCPRELEASE, DHCPDECLINE,
 * expiries), at info as ISC dhcpd writes them, within a budget: a burst of {@link #BURST}, then
 * {@link #PER_SECOND} a second, so a flood cannot fill the log. What the budget leaves out is
 * counted and said in one summary line at most every {@link #SUMMARY_EVERY}; the metrics count
 * every event.
 */
final class LeaseLog {

    static final int BURST = 100;
    static final int PER_SECOND = 10;
    static final Duration SUMMARY_EVERY = Duration.ofSeconds(10);

    private final Log log;
    private final Clock clock;
    private final Scheduler scheduler;
    private final TokenBucket budget = TokenBucket.perSecond(BURST, PER_SECOND);
    private long leftOut;
    private Cancellable summary;

    LeaseLog(Log log, Clock clock, Scheduler scheduler) {
        this.log = log;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * The line at info if the budget allows, else counted for the next summary line. The line is
     * built only when it is written: past the burst, at thousands of ACKs a second, building each
     * (a MAC's text is a {@code String.format} per byte) was 4% of the event loop's samples.
     */
    void info(Supplier<String> line) {
        if (budget.allow(clock.monotonicNanos())) {
            log.info(line.get());
            return;
        }
        leftOut++;
        if (summary == null) {
            summary = scheduler.schedule(SUMMARY_EVERY, this::summarise);
        }
    }

    private void summarise() {
        summary = null;
        if (leftOut > 0) {
            log.info(leftOut + " lease and refusal lines not logged in the last " + SUMMARY_EVERY.toSeconds()
                    + " s (too many; the metrics count every event)");
            leftOut = 0;
        }
    }

    /** Says what is still left out, and stops the summary timer. */
    void stop() {
        if (summary != null) {
            summary.cancel();
        }
        summarise();
    }
}
