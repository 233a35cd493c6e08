package jmirage.dhcpd;

import java.time.Instant;
import jmirage.core.Clock;

/**
 * The server's time for leases: the wall clock read once at boot, then advanced by the monotonic
 * clock. Clients time their leases with their own timers (RFC 2131 4.4.5 counts from when the
 * lease was granted), so a lease must last its length on the server however the wall clock is
 * stepped while it runs: a board without a real-time clock that boots with a stale time and then
 * gets NTP would otherwise see every lease end at once and give the addresses to other machines.
 * Lease ends stay wall-clock instants in the store, so a restart reads the wall clock again.
 */
final class LeaseClock implements Clock {

    private final Clock clock;
    private final Instant bootWall;
    private final long bootMonotonic;

    LeaseClock(Clock clock) {
        this.clock = clock;
        this.bootWall = clock.now();
        this.bootMonotonic = clock.monotonicNanos();
    }

    @Override
    public Instant now() {
        return bootWall.plusNanos(clock.monotonicNanos() - bootMonotonic);
    }

    @Override
    public long monotonicNanos() {
        return clock.monotonicNanos();
    }
}
