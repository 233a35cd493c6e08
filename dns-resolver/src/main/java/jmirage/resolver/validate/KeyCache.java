package jmirage.resolver.validate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.dns.Name;

/**
 * Validated DNSKEY sets, proofs of insecurity and bogus zones, by zone name, until their TTL runs
 * out (monotonic nanoseconds), at most {@code capacity} zones: the least recently used go first.
 * Owned by the loop: no locks.
 */
final class KeyCache {

    private record Cached(ZoneKeys keys, long expiresNanos) {}

    private final int capacity;
    private final LinkedHashMap<Name, Cached> entries;

    KeyCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Name, Cached> eldest) {
                return size() > KeyCache.this.capacity;
            }
        };
    }

    Optional<ZoneKeys> get(Name zone, long nowNanos) {
        Cached e = entries.get(zone);
        if (e == null) {
            return Optional.empty();
        }
        if (nowNanos - e.expiresNanos() >= 0) {
            entries.remove(zone);
            return Optional.empty();
        }
        return Optional.of(e.keys());
    }

    void put(Name zone, ZoneKeys keys, long ttlSeconds, long nowNanos) {
        entries.put(zone, new Cached(keys, nowNanos + Math.max(0, ttlSeconds) * 1_000_000_000L));
    }

    int size() {
        return entries.size();
    }
}
