package jmirage.resolver.iterate;

import java.time.Duration;
import java.time.Instant;
import jmirage.core.Clock;

/** A clock that moves only when a test (or a scripted authority) says so. */
final class ManualClock implements Clock {
    private long nanos;

    @Override
    public Instant now() {
        return Instant.parse("2026-01-01T00:00:00Z").plusNanos(nanos);
    }

    @Override
    public long monotonicNanos() {
        return nanos;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
