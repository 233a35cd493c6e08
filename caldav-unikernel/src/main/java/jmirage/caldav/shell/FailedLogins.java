package jmirage.caldav.shell;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.TokenBucket;

/**
 * Wrong passwords per source address: a burst of {@link #BURST} failures, then one try per
 * {@link #PERIOD}; an address over its budget is told to wait without its password being checked
 * (bcrypt costs the server as much as the guesser). The table is bounded: the address unseen for
 * longest is forgotten first. Pure: the caller passes monotonic time. On the loop only.
 */
public final class FailedLogins {

    public static final int BURST = 5;
    public static final Duration PERIOD = Duration.ofSeconds(10);
    public static final int MAX_ADDRESSES = 10_000;

    private static final class Source {
        final TokenBucket failures = new TokenBucket(BURST, PERIOD);
        long blockedUntil;
        boolean blocked;
    }

    private final int maxAddresses;
    private final Map<InetAddress, Source> sources;

    public FailedLogins() {
        this(MAX_ADDRESSES);
    }

    FailedLogins(int maxAddresses) {
        this.maxAddresses = maxAddresses;
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Source> eldest) {
                return size() > FailedLogins.this.maxAddresses;
            }
        };
    }

    /** How long {@code from} must wait before its next password is checked; zero when it may try now. */
    public Duration wait(InetAddress from, long nowNanos) {
        Source s = sources.get(from);
        if (s == null || !s.blocked || nowNanos - s.blockedUntil >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(s.blockedUntil - nowNanos);
    }

    /** A wrong password from {@code from}: once the burst is spent, the address waits one period. */
    public void failed(InetAddress from, long nowNanos) {
        Source s = sources.computeIfAbsent(from, a -> new Source());
        if (!s.failures.allow(nowNanos)) {
            s.blocked = true;
            s.blockedUntil = nowNanos + PERIOD.toNanos();
        }
    }

    int tracked() {
        return sources.size();
    }
}
