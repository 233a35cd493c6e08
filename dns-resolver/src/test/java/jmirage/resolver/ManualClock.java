package jmirage.resolver;

import java.time.Duration;
import java.time.Instant;
import jmirage.core.Clock;

/** A clock a test moves by hand: wall and monotonic time advance together. */
public final class ManualClock implements Clock {

    private Instant now;
    private long nanos;

    public ManualClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        now = now.plus(d);
        nanos += d.toNanos();
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long monotonicNanos() {
        return nanos;
    }
}
