package jmirage.sim;

import java.time.Duration;
import java.time.Instant;
import jmirage.core.Clock;

/** Time that moves only when the {@link SimScheduler} moves it. */
public final class VirtualClock implements Clock {

    /** Where wall time starts unless a test says otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private long elapsedNanos;

    public VirtualClock(Instant start) {
        this.start = start;
    }

    @Override
    public Instant now() {
        return start.plusNanos(elapsedNanos);
    }

    @Override
    public long monotonicNanos() {
        return elapsedNanos;
    }

    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    void advanceTo(long nanos) {
        if (nanos < elapsedNanos) {
            throw new IllegalStateException("virtual time cannot go backwards");
        }
        elapsedNanos = nanos;
    }
}
