package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    /** Whatever the arrival times, events allowed in any run of t seconds stay within burst + rate * t. */
    @Property
    void theBucketBoundsTheEvents(@ForAll("gaps") List<Integer> gapsMillis) {
        TokenBucket b = TokenBucket.perSecond(10, 2);
        long now = 5_000_000_000L;
        List<Long> allowed = new ArrayList<>();
        long leftOut = 0;
        long reported = 0;
        for (int gap : gapsMillis) {
            now += gap * 1_000_000L;
            long r = b.take(now);
            if (r < 0) {
                leftOut++;
            } else {
                allowed.add(now);
                reported += r;
            }
        }
        for (int i = 0; i < allowed.size(); i++) {
            for (int j = i; j < allowed.size(); j++) {
                double seconds = (allowed.get(j) - allowed.get(i)) / 1e9;
                assertTrue(j - i + 1 <= 10 + 2 * seconds + 1e-9, (j - i + 1) + " events in " + seconds + " s");
            }
        }
        assertTrue(reported <= leftOut, "never reports more left out than there were");
    }

    @Provide
    Arbitrary<List<Integer>> gaps() {
        return Arbitraries.integers().between(0, 2000).list().ofMaxSize(200);
    }

    @Test
    void oneTokenAPeriodIsOneEventAPeriodWithTheRefusedCounted() {
        TokenBucket b = new TokenBucket(1, Duration.ofSeconds(10));
        assertEquals(0, b.take(0));
        assertEquals(-1, b.take(1_000_000_000L));
        assertEquals(-1, b.take(9_999_999_999L));
        assertEquals(2, b.take(10_000_000_000L));
        assertEquals(-1, b.take(10_000_000_001L));
    }
}
