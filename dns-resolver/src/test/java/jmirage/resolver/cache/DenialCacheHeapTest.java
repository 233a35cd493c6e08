package jmirage.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.core.Security;
import org.junit.jupiter.api.Test;

/**
 * The aggressive-NSEC cache at its default bound holds about 20 MB of heap, as its declaration says,
 * measured after full collections: filled to the bound with signed NXDOMAIN answers of a zone
 * signed with NSEC (each record with its RRSIG, its owner and the next name), it holds them in at
 * most 24 MB. At the old bound of 100,000 records the same cache held about 95 MB.
 */
class DenialCacheHeapTest {

    private static Record rrsig(String owner, int covered, int seed) {
        byte[] signature = new byte[64];
        signature[0] = (byte) seed;
        signature[1] = (byte) (seed >> 8);
        return Record.in(Name.of(owner), 3600, new Rdata.Rrsig(covered, 13, Name.of(owner).labelCount(), 3600, 2_000_000_000L,
                1_700_000_000L, 1, Name.of("bulk.example."), Bytes.of(signature)));
    }

    private static String name(int i) {
        return String.format("n%07d.bulk.example.", i);
    }

    @Test
    void theDefaultBoundHoldsAboutTwentyMegabytes() {
        int bound = Resolver.Caching.DEFAULT_DENIAL_RECORDS;
        long before = Answers.heapAfterCollections();
        DenialCache cache = new DenialCache(bound);
        for (int i = 0; i < bound; i++) {
            Record nsec = Record.in(Name.of(name(2 * i)), 300, new Rdata.Nsec(Name.of(name(2 * i + 2)),
                    List.of(Type.A, Type.RRSIG, Type.NSEC)));
            cache.put(new Resolution(Answers.q(name(2 * i + 1), Type.A), Header.NXDOMAIN, List.of(),
                    List.of(Answers.soa("bulk.example.", 300, 300), rrsig("bulk.example.", Type.SOA, i), nsec, rrsig(name(2 * i), Type.NSEC, i)),
                    List.of(), Security.SECURE, Optional.empty(), false), 0);
        }
        long held = Answers.heapAfterCollections() - before;
        assertEquals(bound, cache.size());
        Reference.reachabilityFence(cache);
        assertTrue(held <= 24_000_000L, held + " bytes of heap for " + bound + " NSEC records");
    }
}
