package jmirage.resolver.cache;

import static jmirage.resolver.cache.Answers.SECOND;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.dns.Question;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The cache under random sequences of puts and gets at increasing times: it never gives an expired
 * entry as fresh, TTLs seen for an entry never increase while it stays the same entry, and the byte
 * bound holds after every step.
 */
class AnswerCachePropertiesTest {

    /** One step: a put or a get of one of a few names, after some seconds. */
    record Op(boolean put, int name, int kind, int ttl, int advance) {}

    static List<Op> ops(List<Integer> raw) {
        java.util.ArrayList<Op> out = new java.util.ArrayList<>();
        for (int i = 0; i + 4 < raw.size(); i += 5) {
            out.add(new Op(raw.get(i) % 2 == 0, raw.get(i + 1) % 12, raw.get(i + 2) % 5, raw.get(i + 3) % 400, raw.get(i + 4) % 120));
        }
        return out;
    }

    static Resolution resolution(Op op) {
        String name = "n" + op.name() + ".example.";
        return switch (op.kind()) {
            case 0 -> Answers.positive(name, op.ttl());
            case 1 -> Answers.positive(name, op.ttl(), new Security.Bogus(6, "bad"));
            case 2 -> Answers.nxdomain(name, Type.A, op.ttl(), op.ttl() / 2);
            case 3 -> Answers.nodata(name, Type.A, op.ttl(), op.ttl());
            default -> Answers.failure(name, Type.A);
        };
    }

    @Property(tries = 300)
    void neverFreshWhenExpiredTtlsNeverGrowAndTheBoundHolds(
            @ForAll @Size(min = 5, max = 2000) List<@IntRange(min = 0, max = 10_000) Integer> raw,
            @ForAll @IntRange(min = 1_000, max = 20_000) int maxBytes) {
        AnswerCache cache = new AnswerCache(AnswerCache.Config.defaults().withMaxBytes(maxBytes).withStaleSeconds(600));
        long now = 0;
        Map<Integer, List<long[]>> puts = new HashMap<>(); // per name: each put's time and the most TTL it may get
        Map<Integer, Long> lastSeen = new HashMap<>();
        for (Op op : ops(raw)) {
            now += op.advance() * SECOND / 4;
            if (op.put()) {
                Resolution r = resolution(op);
                cache.put(r, now);
                long most = op.kind() == 4 ? 5 : op.ttl(); // a failure lasts 5 s, the rest at most their TTL
                puts.computeIfAbsent(op.name(), n -> new java.util.ArrayList<>()).add(new long[] {now, most});
                lastSeen.remove(op.name());
            } else {
                Question q = Answers.q("n" + op.name() + ".example.", Type.A);
                Optional<AnswerCache.Hit> hit = cache.get(q, now);
                if (hit.isPresent() && hit.get().fresh() && !hit.get().resolution().stale()) {
                    long at = now;
                    assertTrue(puts.get(op.name()).stream().anyMatch(p -> (at - p[0]) / SECOND < p[1]),
                            "fresh, but every put of the name is older than its TTL");
                    long max = maxTtl(hit.get().resolution());
                    Long before = lastSeen.get(op.name());
                    assertTrue(before == null || max <= before, "TTL grew from " + before + " to " + max);
                    lastSeen.put(op.name(), max);
                }
                if (hit.isPresent() && !hit.get().fresh()) {
                    assertFalse(hit.get().resolution().stale(), "an expired answer is offered, not yet served stale");
                    assertTrue(maxTtl(hit.get().resolution()) == 0, "an expired answer shows TTL 0");
                }
            }
            assertTrue(cache.bytes() <= maxBytes, "bytes " + cache.bytes() + " over " + maxBytes);
        }
    }

    static long maxTtl(Resolution r) {
        long max = 0;
        for (List<Record> section : List.of(r.answer(), r.authority(), r.additional())) {
            for (Record rec : section) {
                max = Math.max(max, rec.ttl());
            }
        }
        return max;
    }
}
