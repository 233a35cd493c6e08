package jmirage.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 5681 and RFC 6582 as CongestionControl decides them, with a 1000-byte SMSS. */
class CongestionControlTest {

    static final int MSS = 1000;
    static final SeqNum ISS = SeqNum.of(0xfffff000L); // the sequence space wraps during the tests

    static CongestionControl fresh() {
        return new CongestionControl(ISS, MSS, 1 << 20);
    }

    @Test
    void theInitialWindowFollowsRfc5681() {
        assertEquals(4380, CongestionControl.initialWindow(1460), "min(4 * 1460, max(2 * 1460, 4380))");
        assertEquals(2144, CongestionControl.initialWindow(536), "4 * 536");
        assertEquals(4000, fresh().window());
        CongestionControl c = fresh();
        c.restart(1460);
        assertEquals(4380, c.window());
    }

    @Test
    void slowStartGrowsByAtMostOneSegmentPerAck() {
        CongestionControl c = fresh();
        assertFalse(c.onNewAck(ISS.plus(1000), 1000, 3000, MSS));
        assertEquals(5000, c.window());
        c.onNewAck(ISS.plus(4000), 3000, 0, MSS);
        assertEquals(6000, c.window(), "RFC 3465 with L = 1 SMSS: a stretch ACK counts once");
        c.onNewAck(ISS.plus(4100), 100, 0, MSS);
        assertEquals(6100, c.window(), "a small ACK grows by what it acknowledged");
    }

    @Test
    void aTimeoutCollapsesToOneSegmentAndCongestionAvoidanceFollowsSlowStart() {
        CongestionControl c = fresh();
        c.onTimeout(20_000, ISS.plus(20_000), MSS);
        assertEquals(MSS, c.window());
        assertEquals(10_000, c.slowStartThreshold(), "FlightSize / 2");
        SeqNum ack = ISS;
        while (c.window() < 10_000) {
            ack = ack.plus(MSS);
            c.onNewAck(ack, MSS, 0, MSS);
        }
        assertEquals(10_000, c.window());
        c.onNewAck(ack.plus(MSS), MSS, 0, MSS);
        assertEquals(10_100, c.window(), "congestion avoidance: SMSS * SMSS / cwnd per ACK");
    }

    @Test
    void theThirdDuplicateAckRetransmitsOnceAndRecoveryEndsAtTheFullAck() {
        CongestionControl c = fresh();
        for (int i = 1; i <= 6; i++) {
            c.onNewAck(ISS.plus(i * MSS), MSS, 0, MSS); // cwnd 10000
        }
        SeqNum una = ISS.plus(6 * MSS);
        SeqNum max = una.plus(10 * MSS);
        assertFalse(c.onDuplicateAck(una, max, MSS));
        assertFalse(c.onDuplicateAck(una, max, MSS));
        assertTrue(c.onDuplicateAck(una, max, MSS), "RFC 5681 3.2 step 2: the third duplicate ACK");
        assertTrue(c.inRecovery());
        assertEquals(5000, c.slowStartThreshold());
        assertEquals(8000, c.window(), "ssthresh + 3 SMSS");
        assertFalse(c.onDuplicateAck(una, max, MSS), "no second fast retransmit within the same recovery");
        assertEquals(9000, c.window(), "inflated by each further duplicate");

        assertTrue(c.onNewAck(una.plus(2 * MSS), 2 * MSS, 8 * MSS, MSS), "a partial ACK retransmits the next hole");
        assertEquals(8000, c.window(), "deflated by the 2000 acknowledged, plus one SMSS");
        assertTrue(c.inRecovery());

        assertFalse(c.onNewAck(max, 8 * MSS, 0, MSS));
        assertFalse(c.inRecovery());
        assertEquals(2000, c.window(), "RFC 6582 3.2 step 3: min(ssthresh, max(FlightSize, SMSS) + SMSS)");
    }

    @Test
    void afterATimeoutDuplicateAcksForDataSentBeforeDoNotRetransmit() {
        CongestionControl c = fresh();
        SeqNum una = ISS.plus(MSS);
        SeqNum max = una.plus(8 * MSS);
        c.onTimeout(8 * MSS, max, MSS);
        for (int i = 0; i < 5; i++) {
            assertFalse(c.onDuplicateAck(una, max, MSS), "RFC 6582 4.1: una is below recover");
        }
        assertFalse(c.inRecovery());
    }

    @Test
    void theWindowNeverExceedsItsCap() {
        CongestionControl c = new CongestionControl(ISS, MSS, 6000);
        SeqNum ack = ISS;
        for (int i = 0; i < 10; i++) {
            ack = ack.plus(MSS);
            c.onNewAck(ack, MSS, 0, MSS);
        }
        assertEquals(6000, c.window());
    }
}
