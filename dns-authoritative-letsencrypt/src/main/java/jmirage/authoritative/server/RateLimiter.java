package jmirage.authoritative.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response rate limiting per source prefix, after BIND's RRL: each /24 (IPv4) or /56 (IPv6) has a
 * token bucket refilled at {@code perSecond} up to a burst of the same size. A UDP request beyond the
 * rate is not answered, except that every {@code slip}-th one gets a truncated empty answer, so a
 * real client behind a spoofed flood can still retry over TCP (which proves its address). TCP is not
 * limited here: a completed handshake cannot be spoofed. The table of prefixes is bounded; the least
 * recently seen prefix is forgotten first.
 *
 * <p>Mutable state owned by the server shell, on its loop; time comes in as an argument.
 */
public final class RateLimiter {

    /** What to do with one UDP request. */
    public enum Verdict { ANSWER, SLIP, DROP }

    private final int perSecond;
    private final int slip;
    private final int maxPrefixes;
    private final Map<Prefix, Bucket> buckets;

    /**
     * @param perSecond answers per second per prefix; 0 disables limiting
     * @param slip every slip-th dropped request gets a truncated answer; 0 never
     * @param maxPrefixes how many prefixes are tracked at once
     */
    public RateLimiter(int perSecond, int slip, int maxPrefixes) {
        if (perSecond < 0 || slip < 0 || maxPrefixes < 1) {
            throw new IllegalArgumentException("rate, slip and table size must not be negative");
        }
        this.perSecond = perSecond;
        this.slip = slip;
        this.maxPrefixes = maxPrefixes;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Prefix, Bucket> eldest) {
                return size() > RateLimiter.this.maxPrefixes;
            }
        };
    }

    public Verdict check(InetAddress source, long nowNanos) {
        if (perSecond == 0) {
            return Verdict.ANSWER;
        }
        Prefix prefix = Prefix.of(source);
        Bucket b = buckets.get(prefix);
        if (b == null) {
            b = new Bucket(perSecond, nowNanos);
            buckets.put(prefix, b);
        }
        double elapsed = Math.max(0, nowNanos - b.last) / 1e9;
        b.tokens = Math.min(perSecond, b.tokens + elapsed * perSecond);
        b.last = nowNanos;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Verdict.ANSWER;
        }
        b.dropped++;
        return slip > 0 && b.dropped % slip == 0 ? Verdict.SLIP : Verdict.DROP;
    }

    /** How many prefixes are tracked now. */
    public int tracked() {
        return buckets.size();
    }

    /** The /24 of an IPv4 address or the /56 of an IPv6 address. */
    record Prefix(byte[] bytes) {
        static Prefix of(InetAddress a) {
            byte[] raw = a.getAddress();
            return new Prefix(Arrays.copyOf(raw, a instanceof Inet4Address ? 3 : 7));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private static final class Bucket {
        double tokens;
        long last;
        long dropped;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }
}
