package jmirage.host;

import java.time.Instant;
import jmirage.core.Clock;

/** The host's clocks: the system's wall clock and {@link System#nanoTime}. */
public final class HostClock implements Clock {

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }
}
