package jmirage.authoritative.secondary;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jmirage.dns.Rdata;

/**
 * When a secondary checks its primary again, pure (RFC 1034 4.3.5, RFC 1035 3.3.13): after a good
 * check, REFRESH seconds later; after a failed one, RETRY seconds later; once EXPIRE seconds have
 * passed since the last good check, the copy is no longer served until a check succeeds. A NOTIFY
 * (RFC 1996 3.11) makes the next check now. Before any SOA is known the timers are the defaults.
 */
public final class RefreshCore {

    /** Timers used before the zone's SOA is known. */
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(10);

    private RefreshCore() {}

    /**
     * @param soa the SOA of the copy served, if any
     * @param lastSuccess the time of the last good check (or when a stored copy was loaded)
     * @param nextCheck when the next check is due
     * @param inFlight whether a check is running
     * @param expired whether the copy is withdrawn
     * @param notifiedWhileChecking a NOTIFY came during a check, which may have started before the change
     */
    public record State(Optional<Rdata.Soa> soa, Optional<Instant> lastSuccess, Instant nextCheck, boolean inFlight,
            boolean expired, boolean notifiedWhileChecking) {}

    /**
     * At boot: a check right away. A stored copy counts from when it was stored (its last good
     * transfer), or from now when that is unknown; one older than EXPIRE starts withdrawn.
     */
    public static State start(Optional<Rdata.Soa> stored, Optional<Instant> storedAt, Instant now) {
        Optional<Instant> last = stored.map(s -> storedAt.filter(t -> !t.isAfter(now)).orElse(now));
        boolean expired = stored.isPresent() && !now.isBefore(last.get().plusSeconds(stored.get().expire()));
        return new State(stored, last, now, false, expired, false);
    }

    /** Whether a check should start at {@code now}. */
    public static boolean due(State s, Instant now) {
        return !s.inFlight() && !now.isBefore(s.nextCheck());
    }

    public static State checking(State s) {
        return new State(s.soa(), s.lastSuccess(), s.nextCheck(), true, s.expired(), false);
    }

    /** A check succeeded; {@code soa} is the copy's SOA now. */
    public static State succeeded(State s, Rdata.Soa soa, Instant now) {
        Instant next = s.notifiedWhileChecking() ? now : now.plusSeconds(soa.refresh());
        return new State(Optional.of(soa), Optional.of(now), next, false, false, false);
    }

    /** A check failed: try again after RETRY; withdraw the copy once EXPIRE has passed. */
    public static State failed(State s, Instant now) {
        Duration retry = s.soa().map(soa -> Duration.ofSeconds(soa.retry())).orElse(DEFAULT_RETRY);
        if (retry.isZero()) {
            retry = DEFAULT_RETRY;
        }
        boolean expired = s.expired() || s.soa().isPresent() && s.lastSuccess().isPresent()
                && !now.isBefore(s.lastSuccess().get().plusSeconds(s.soa().get().expire()));
        Instant next = s.notifiedWhileChecking() ? now.plus(DEFAULT_RETRY.compareTo(retry) < 0 ? DEFAULT_RETRY : retry)
                : now.plus(retry);
        return new State(s.soa(), s.lastSuccess(), next, false, expired, false);
    }

    /** A NOTIFY for the zone: check now, or right after the check that is running. */
    public static State notified(State s, Instant now) {
        return s.inFlight() ? new State(s.soa(), s.lastSuccess(), s.nextCheck(), true, s.expired(), true)
                : new State(s.soa(), s.lastSuccess(), now, false, s.expired(), false);
    }
}
