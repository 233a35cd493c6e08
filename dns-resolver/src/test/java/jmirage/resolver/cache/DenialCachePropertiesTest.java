package jmirage.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.dns.Header;
import jmirage.dns.Name;
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
 * Random zones under {@code example.} (names of up to three labels from a, b, c and *, each with
 * some of A, TXT, MX), their whole NSEC chain, and a random part of it learned: whatever the cache
 * synthesises is true of the zone. An NXDOMAIN is only for a name that does not exist (neither
 * owner nor empty non-terminal) and that no wildcard would answer; a NODATA only for a name that
 * exists without the type.
 */
class DenialCachePropertiesTest {

    static final Name APEX = Name.of("example.");
    static final String[] LABELS = {"a", "b", "c", "*"};
    static final int[] TYPES = {Type.A, Type.TXT, Type.MX};

    static Name name(int code) {
        StringBuilder sb = new StringBuilder();
        int depth = 1 + code % 3;
        int rest = code / 3;
        for (int i = 0; i < depth; i++) {
            sb.append(LABELS[rest % LABELS.length]).append('.');
            rest /= LABELS.length;
        }
        return Name.of(sb + "example.");
    }

    /** Whether {@code name} owns records or is an empty non-terminal above some. */
    static boolean existsAt(TreeMap<Name, List<Integer>> zone, Name name) {
        return zone.keySet().stream().anyMatch(n -> n.isSubdomainOf(name));
    }

    @Property(tries = 500)
    void whatItSynthesisesIsTrue(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 10_000) Integer> owners,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1000) Integer> learned,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 10_000) Integer> asked) {
        TreeMap<Name, List<Integer>> zone = new TreeMap<>();
        zone.put(APEX, List.of(Type.NS, Type.SOA, Type.RRSIG, Type.NSEC, Type.DNSKEY));
        for (int code : owners) {
            List<Integer> types = new ArrayList<>();
            for (int k = 0; k < TYPES.length; k++) {
                if ((code >> k & 1) == 1 || k == 0 && (code & 7) == 0) {
                    types.add(TYPES[k]);
                }
            }
            types.add(Type.RRSIG);
            types.add(Type.NSEC);
            zone.put(name(code / 8), types);
        }
        List<Name> chain = new ArrayList<>(zone.keySet());
        Map<Integer, Record> nsecs = new HashMap<>();
        for (int i = 0; i < chain.size(); i++) {
            Name next = chain.get((i + 1) % chain.size());
            nsecs.put(i, DenialCacheTest.nsec(chain.get(i).toString(), next.toString(), zone.get(chain.get(i)).toArray(Integer[]::new)));
        }
        DenialCache cache = new DenialCache(1000);
        for (int pick : learned) {
            cache.put(DenialCacheTest.negative(Header.NXDOMAIN, Security.SECURE, nsecs.get(pick % chain.size())), 0);
        }
        for (int code : asked) {
            Name q = name(code / 4);
            int qtype = TYPES[code % TYPES.length];
            Optional<Resolution> r = cache.answer(new Question(q, qtype), 0);
            if (r.isEmpty()) {
                continue;
            }
            boolean exists = existsAt(zone, q);
            if (r.get().rcode() == Header.NXDOMAIN) {
                assertFalse(exists, q + " exists but was denied");
                Name encloser = q.parent(1);
                while (!existsAt(zone, encloser)) {
                    encloser = encloser.parent(1);
                }
                Name wildcard = encloser.prepend(new byte[] {'*'}).orElseThrow();
                assertFalse(zone.containsKey(wildcard), "the wildcard " + wildcard + " would answer " + q);
            } else {
                assertTrue(r.get().answer().isEmpty());
                assertTrue(exists, q + " does not exist but got NODATA");
                List<Integer> types = zone.getOrDefault(q, List.of());
                assertFalse(types.contains(qtype), q + " has " + Type.name(qtype));
            }
        }
    }
}
