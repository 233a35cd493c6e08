package jmirage.core;

import java.time.Instant;

/** Time, the device: wall time for certificates and logs, monotonic time for timeouts. */
public interface Clock {

    /** Wall-clock time. It can jump (NTP, an operator); never use it to measure intervals. */
    Instant now();

    /** Nanoseconds from an arbitrary origin that never goes backwards. */
    long monotonicNanos();
}
