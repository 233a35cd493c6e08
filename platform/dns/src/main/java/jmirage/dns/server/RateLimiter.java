package jmirage.dns.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.TokenBucket;
import jmirage.core.net.IpPrefix;

/**
 * Response rate limiting per source prefix, after BIND's RRL: each /24 (IPv4) or /56 (IPv6) has a
 * token bucket (core's {@link TokenBucket}) refilled at {@code perSecond} up to a burst of the same size. A UDP request beyond the
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
    private final int ipv4Length;
    private final int ipv6Length;
    private final Map<IpPrefix, Bucket> buckets;

    /**
     * @param perSecond answers per second per prefix; 0 disables limiting
     * @param slip every slip-th dropped request gets a truncated answer; 0 never
     * @param maxPrefixes how many prefixes are tracked at once
     */
    public RateLimiter(int perSecond, int slip, int maxPrefixes) {
        this(perSecond, slip, maxPrefixes, 24, 56);
    }

    /**
     * The same over prefixes of the given lengths: /24 and /56 for an authoritative server (BIND's
     * RRL), /32 and /128 for a resolver limiting each client (Unbound's ip-ratelimit).
     */
    public RateLimiter(int perSecond, int slip, int maxPrefixes, int ipv4Length, int ipv6Length) {
        if (perSecond < 0 || perSecond > 1_000_000_000 || slip < 0 || maxPrefixes < 1) {
            throw new IllegalArgumentException("rate, slip and table size must not be negative");
        }
        if (ipv4Length < 0 || ipv4Length > 32 || ipv6Length < 0 || ipv6Length > 128) {
            throw new IllegalArgumentException("prefix lengths out of range: /" + ipv4Length + ", /" + ipv6Length);
        }
        this.ipv4Length = ipv4Length;
        this.ipv6Length = ipv6Length;
        this.perSecond = perSecond;
        this.slip = slip;
        this.maxPrefixes = maxPrefixes;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<IpPrefix, Bucket> eldest) {
                return size() > RateLimiter.this.maxPrefixes;
            }
        };
    }

    public Verdict check(InetAddress source, long nowNanos) {
        if (perSecond == 0) {
            return Verdict.ANSWER;
        }
        IpPrefix prefix = IpPrefix.of(source, source instanceof Inet4Address ? ipv4Length : ipv6Length);
        Bucket b = buckets.computeIfAbsent(prefix, p -> new Bucket(TokenBucket.perSecond(perSecond, perSecond)));
        if (b.tokens.allow(nowNanos)) {
            return Verdict.ANSWER;
        }
        b.dropped++;
        return slip > 0 && b.dropped % slip == 0 ? Verdict.SLIP : Verdict.DROP;
    }

    /** How many prefixes are tracked now. */
    public int tracked() {
        return buckets.size();
    }

    /** A prefix's tokens, and how many of its requests were refused (for the slip). */
    private static final class Bucket {
        final TokenBucket tokens;
        long dropped;

        Bucket(TokenBucket tokens) {
            this.tokens = tokens;
        }
    }
}
