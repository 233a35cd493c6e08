package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;
import org.junit.jupiter.api.Test;

class NameTableTest {

    static final int NAMES = 200_000;

    static String listed(int i) {
        return "host" + i + ".tracker" + i % 1000 + ".example";
    }

    @Test
    void namesAreFoundWhateverTheirCaseAndTheFirstValueIsKept() {
        NameTable.Builder b = new NameTable.Builder();
        assertTrue(b.put(Name.of("Ads.Example.com."), 7));
        assertFalse(b.put(Name.of("ads.example.COM."), 9));
        assertTrue(b.put(Name.ROOT, 1));
        NameTable t = b.build();
        assertEquals(7, t.get(Name.of("ADS.example.com.")));
        assertEquals(1, t.get(Name.ROOT));
        assertEquals(-1, t.get(Name.of("example.com.")));
        assertEquals(-1, t.get(Name.of("x.ads.example.com.")));
        assertEquals(-1, NameTable.EMPTY.get(Name.ROOT));
        assertEquals(2, t.size());
    }

    @Test
    void twoHundredThousandNamesTakeLittleMemoryAndAreQuickToLookUp() {
        StringBuilder hosts = new StringBuilder("# a big list\n");
        for (int i = 0; i < NAMES; i++) {
            hosts.append("0.0.0.0 ").append(listed(i)).append('\n');
        }
        long start = System.nanoTime();
        Policy policy = Policy.of(new PolicyFiles(List.of(new PolicyFiles.File("big", hosts.toString())), List.of(), List.of(),
                List.of())).orElseThrow();
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        Blocklist list = policy.blocklist();
        assertEquals(NAMES, list.size());
        // the wire forms (about 33 bytes each here) and 16 bytes of index a name; a HashSet<Name> takes over 200
        assertTrue(list.bytes() < 64L * NAMES, list.bytes() + " bytes");
        assertTrue(loadMillis < 20_000, "loading took " + loadMillis + " ms");
        List<Name> hits = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> Name.of(listed(i * 199).toUpperCase() + ".")).toList();
        List<Name> misses = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> Name.of("www." + listed(i * 199) + ".")).toList();
        long lookups = 0;
        start = System.nanoTime();
        for (int round = 0; round < 500; round++) {
            for (int i = 0; i < hits.size(); i++) {
                assertEquals(Optional.of("big"), list.blockedBy(hits.get(i)));
                assertEquals(Optional.empty(), list.blockedBy(misses.get(i)));
                lookups += 2;
            }
        }
        long perLookup = (System.nanoTime() - start) / lookups;
        assertTrue(perLookup < 20_000, perLookup + " ns a lookup");
    }
}
