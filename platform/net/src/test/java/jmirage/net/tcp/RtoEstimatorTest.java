package jmirage.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6298 with the defaults: initial 1 s, bounds 200 ms (as Linux) to 60 s, granularity 1 ms. */
class RtoEstimatorTest {

    static final long MS = 1_000_000L;

    @Test
    void beforeAnySampleTheTimeoutIsTheInitialOne() {
        RtoEstimator initial = RtoEstimator.initial(TcpConfig.DEFAULT);
        assertFalse(initial.hasSample());
        assertEquals(1000 * MS, initial.rtoNanos());
    }

    @Test
    void theFirstSampleSetsSrttAndHalfOfItAsVariation() {
        RtoEstimator e = RtoEstimator.initial(TcpConfig.DEFAULT).withSample(100 * MS);
        assertTrue(e.hasSample());
        assertEquals(100 * MS, e.srttNanos());
        assertEquals(50 * MS, e.rttvarNanos());
        assertEquals(300 * MS, e.rtoNanos(), "RFC 6298 2.2: SRTT + 4 RTTVAR");
    }

    @Test
    void laterSamplesAreSmoothedWithGainsOneEighthAndOneQuarter() {
        RtoEstimator e = RtoEstimator.initial(TcpConfig.DEFAULT).withSample(100 * MS).withSample(200 * MS);
        assertEquals(62_500_000L, e.rttvarNanos(), "3/4 * 50 ms + 1/4 * |100 ms - 200 ms|");
        assertEquals(112_500_000L, e.srttNanos(), "7/8 * 100 ms + 1/8 * 200 ms");
        assertEquals(362_500_000L, e.rtoNanos());
    }

    @Test
    void aShortRoundTripIsBoundedByTheMinimum() {
        RtoEstimator e = RtoEstimator.initial(TcpConfig.DEFAULT);
        for (int i = 0; i < 20; i++) {
            e = e.withSample(MS);
        }
        assertEquals(200 * MS, e.rtoNanos());
    }

    @Test
    void backOffDoublesUpToTheMaximumAndKeepsTheEstimate() {
        RtoEstimator sampled = RtoEstimator.initial(TcpConfig.DEFAULT).withSample(100 * MS);
        RtoEstimator once = sampled.backedOff();
        assertEquals(600 * MS, once.rtoNanos());
        assertEquals(sampled.srttNanos(), once.srttNanos());
        RtoEstimator e = once;
        for (int i = 0; i < 10; i++) {
            e = e.backedOff();
        }
        assertEquals(60_000 * MS, e.rtoNanos(), "RFC 6298 2.5: a maximum may be placed on RTO");
        assertEquals(250 * MS, e.withSample(100 * MS).rtoNanos(),
                "RFC 6298 5.7: the next sample computes the timeout from the estimate again (100 + 4 * 37.5 ms)");
    }

    @Test
    void aNegativeSampleIsIgnored() {
        RtoEstimator e = RtoEstimator.initial(TcpConfig.DEFAULT).withSample(100 * MS);
        assertEquals(e, e.withSample(-5 * MS));
    }
}
