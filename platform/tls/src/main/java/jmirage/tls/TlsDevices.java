package jmirage.tls;

import java.util.Objects;
import jmirage.core.Clock;
import jmirage.core.Random;
import jmirage.core.Scheduler;

/** The devices TLS needs: the loop (handshake timeout), wall time (certificate validity), randomness. */
public record TlsDevices(Scheduler scheduler, Clock clock, Random random) {
    public TlsDevices {
        Objects.requireNonNull(scheduler);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(random);
    }
}
