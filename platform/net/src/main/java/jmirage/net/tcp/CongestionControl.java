package jmirage.net.tcp;

/**
 * The sender's congestion state of one connection: slow start and congestion avoidance (RFC 5681
 * 3.1, with RFC 3465's limit L = 1 SMSS), fast retransmit on the third duplicate ACK and NewReno
 * fast recovery with partial acknowledgments (RFC 5681 3.2, RFC 6582), and the collapse after a
 * retransmission timeout. It decides the window and when to repair; the connection sends.
 *
 * <p>A small mutable core, as the connection's buffers are (README "Layout"): it changes on every
 * ACK, and touches nothing but its own fields.
 */
public final class CongestionControl {

    private final long maxWindow;
    private long cwnd;
    private long ssthresh = Integer.MAX_VALUE;
    private int duplicateAcks;
    private boolean inRecovery;
    /** RFC 6582 "recover": the highest sequence number sent when the last loss was detected. */
    private SeqNum recover;

    /**
     * @param iss the initial send sequence number (nothing is in recovery below it)
     * @param mss the send MSS as far as known
     * @param maxWindow the cap on cwnd (twice the send buffer: more could never be used)
     */
    public CongestionControl(SeqNum iss, int mss, long maxWindow) {
        this.maxWindow = maxWindow;
        this.recover = iss;
        this.cwnd = initialWindow(mss);
    }

    /** RFC 5681 3.1: IW = min(4 * SMSS, max(2 * SMSS, 4380)). */
    static long initialWindow(int mss) {
        return Math.min(4L * mss, Math.max(2L * mss, 4380));
    }

    /** The handshake fixed the send MSS: start over from the initial window of that MSS. */
    public void restart(int mss) {
        cwnd = initialWindow(mss);
    }

    public long window() {
        return cwnd;
    }

    public long slowStartThreshold() {
        return ssthresh;
    }

    public boolean inRecovery() {
        return inRecovery;
    }

    /**
     * An ACK that acknowledged {@code acked} new units up to {@code ack}, leaving {@code flight}
     * in flight. Returns true for a partial acknowledgment during recovery: the caller must
     * retransmit the next hole at once (RFC 6582 3.2 step 5).
     */
    public boolean onNewAck(SeqNum ack, int acked, long flight, int mss) {
        boolean retransmitHole = false;
        if (inRecovery) {
            if (ack.geq(recover)) {
                // RFC 6582 3.2 step 3: full acknowledgment, deflate the window.
                cwnd = Math.min(ssthresh, Math.max(flight, mss) + mss);
                inRecovery = false;
                duplicateAcks = 0;
            } else {
                // RFC 6582 3.2 step 5: partial acknowledgment, deflate by the amount acked, add back one SMSS.
                retransmitHole = true;
                cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
            }
        } else {
            duplicateAcks = 0;
            if (cwnd < ssthresh) {
                cwnd += Math.min(acked, mss); // slow start (RFC 5681 3.1, with RFC 3465's limit L = 1 SMSS)
            } else {
                cwnd += Math.max(1, (long) mss * mss / cwnd); // congestion avoidance (RFC 5681 3.1, equation 3)
            }
        }
        cwnd = Math.min(cwnd, maxWindow);
        return retransmitHole;
    }

    /**
     * A duplicate ACK (RFC 5681 2: no data, no window change, data outstanding) at SND.UNA =
     * {@code una}, with SND.MAX = {@code max}. Returns true on the third one outside recovery: the
     * caller must retransmit the first unacknowledged segment (fast retransmit, RFC 5681 3.2 steps
     * 2 and 3), and no RTT sample may come from it (Karn).
     */
    public boolean onDuplicateAck(SeqNum una, SeqNum max, int mss) {
        duplicateAcks++;
        // RFC 6582 3.2 step 2: not again for data sent before the last loss (recover guards after an RTO).
        if (duplicateAcks == 3 && !inRecovery && una.geq(recover)) {
            ssthresh = Math.max(max.minus(una) / 2, 2L * mss);
            recover = max;
            inRecovery = true;
            cwnd = ssthresh + 3L * mss;
            return true;
        }
        if (duplicateAcks > 3 && inRecovery) {
            cwnd += mss; // RFC 5681 3.2 step 4: each further duplicate ACK means a segment left the network
        }
        return false;
    }

    /**
     * The retransmission timer fired with {@code flight} outstanding and SND.MAX = {@code max}: RFC
     * 5681 3.1 (4), ssthresh = max(FlightSize / 2, 2 SMSS) and cwnd = 1 SMSS; RFC 6582 3.2 step 4,
     * no fast retransmit for the data already sent.
     */
    public void onTimeout(long flight, SeqNum max, int mss) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = mss;
        inRecovery = false;
        duplicateAcks = 0;
        recover = max;
    }
}
