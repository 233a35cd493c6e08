package jmirage.resolver.iterate;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;

/**
 * What recursion remembers about the servers it talks to, apart from answers (unbound's
 * infrastructure cache): per server, the smoothed round trip and its variation (RFC 6298 2), the
 * timeout to use with exponential backoff after timeouts, and whether it understands EDNS; per zone,
 * the delegation learned from referrals; per name server name, its addresses; each with its TTL.
 * Bounded: each map keeps its {@code capacity} most recently used entries. Owned by the loop.
 */
final class Infrastructure {

    /** Smoothed round trip, its variation, timeouts since the last answer, EDNS refused. */
    record ServerState(long srttMillis, long rttvarMillis, int backoff, boolean noEdns, boolean measured, long expiresNanos) {}

    /** How long what was learned about a server is kept (unbound's infra-host-ttl): a slow server is measured again. */
    static final Duration SERVER_TTL = Duration.ofMinutes(15);

    private record Expiring<T>(T value, long expiresNanos) {}

    private final int capacity;
    private final long initialMillis;
    private final long minMillis;
    private final long maxMillis;
    private final Map<Endpoint, ServerState> servers;
    private final Map<Name, Expiring<Delegation>> delegations;
    private final Map<Name, Expiring<List<InetAddress>>> addresses;

    Infrastructure(int capacity, Duration initialTimeout, Duration minTimeout, Duration maxTimeout) {
        this.capacity = capacity;
        this.initialMillis = initialTimeout.toMillis();
        this.minMillis = minTimeout.toMillis();
        this.maxMillis = maxTimeout.toMillis();
        this.servers = lru();
        this.delegations = lru();
        this.addresses = lru();
    }

    private <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    private ServerState state(Endpoint server, long nowNanos) {
        ServerState s = servers.get(server);
        return s != null && s.expiresNanos() - nowNanos > 0 ? s
                : new ServerState(initialMillis, initialMillis / 2, 0, false, false, nowNanos + SERVER_TTL.toNanos());
    }

    /**
     * How long to wait for {@code server}: RFC 6298 2.3's SRTT + 4 RTTVAR, doubled for each timeout
     * since its last answer (2.5), within the configured bounds; an unknown server gets the initial
     * timeout.
     */
    Duration timeout(Endpoint server, long nowNanos) {
        ServerState s = state(server, nowNanos);
        long base = s.measured() ? s.srttMillis() + 4 * s.rttvarMillis() : initialMillis;
        long rto = base << Math.min(s.backoff(), 16);
        return Duration.ofMillis(Math.max(minMillis, Math.min(maxMillis, rto)));
    }

    /**
     * The order to try servers in, lower first: the expected wait for an answer. A server never
     * measured comes first, so that each is measured once and the fastest is then preferred; one
     * that timed out goes behind by its backed-off timeout.
     */
    long score(Endpoint server, long nowNanos) {
        ServerState s = state(server, nowNanos);
        if (!s.measured()) {
            return s.backoff() == 0 ? 0 : initialMillis << Math.min(s.backoff(), 16);
        }
        return s.srttMillis() << Math.min(s.backoff(), 16);
    }

    boolean noEdns(Endpoint server, long nowNanos) {
        return state(server, nowNanos).noEdns();
    }

    /** RFC 6298 2.2 and 2.3: a first measurement sets SRTT, later ones smooth it (alpha 1/8, beta 1/4). */
    void answered(Endpoint server, long rttMillis, long nowNanos) {
        ServerState s = state(server, nowNanos);
        long rtt = Math.max(0, rttMillis);
        ServerState next = s.measured()
                ? new ServerState(s.srttMillis() + (rtt - s.srttMillis()) / 8,
                        s.rttvarMillis() + (Math.abs(s.srttMillis() - rtt) - s.rttvarMillis()) / 4, 0, s.noEdns(), true,
                        s.expiresNanos())
                : new ServerState(rtt, rtt / 2, 0, s.noEdns(), true, s.expiresNanos());
        servers.put(server, next);
    }

    void timedOut(Endpoint server, long nowNanos) {
        ServerState s = state(server, nowNanos);
        servers.put(server, new ServerState(s.srttMillis(), s.rttvarMillis(), s.backoff() + 1, s.noEdns(), s.measured(), s.expiresNanos()));
    }

    /** RFC 6891 7: a server that answers FORMERR to an OPT record is asked without one. */
    void refusedEdns(Endpoint server, long nowNanos) {
        ServerState s = state(server, nowNanos);
        servers.put(server, new ServerState(s.srttMillis(), s.rttvarMillis(), s.backoff(), true, s.measured(), s.expiresNanos()));
    }

    void delegation(Delegation d, long ttlSeconds, long nowNanos) {
        delegations.put(d.zone(), new Expiring<>(d, nowNanos + Duration.ofSeconds(ttlSeconds).toNanos()));
        for (Hints.Server s : d.servers()) {
            if (!s.addresses().isEmpty()) {
                addresses(s.name(), s.addresses(), ttlSeconds, nowNanos);
            }
        }
    }

    /** The delegation learned for {@code zone}, unless it expired. */
    Optional<Delegation> delegation(Name zone, long nowNanos) {
        Expiring<Delegation> e = delegations.get(zone);
        if (e == null || e.expiresNanos() - nowNanos <= 0) {
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    void addresses(Name server, List<InetAddress> found, long ttlSeconds, long nowNanos) {
        addresses.put(server, new Expiring<>(List.copyOf(found), nowNanos + Duration.ofSeconds(ttlSeconds).toNanos()));
    }

    List<InetAddress> addresses(Name server, long nowNanos) {
        Expiring<List<InetAddress>> e = addresses.get(server);
        return e == null || e.expiresNanos() - nowNanos <= 0 ? List.of() : e.value();
    }

    int size() {
        return servers.size() + delegations.size() + addresses.size();
    }
}
