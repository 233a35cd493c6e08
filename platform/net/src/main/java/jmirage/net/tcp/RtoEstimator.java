package jmirage.net.tcp;

/**
 * The retransmission timeout of one connection (RFC 6298), a value: the smoothed round-trip time,
 * its variation and the current timeout, all in nanoseconds. A new sample or a back-off returns a
 * new estimate. The bounds are the connection's ({@link TcpConfig#minRto()}, {@link TcpConfig#maxRto()}).
 *
 * @param srttNanos the smoothed round-trip time, or {@code -1} before the first sample
 * @param rttvarNanos the round-trip time variation (meaningless before the first sample)
 * @param rtoNanos the current retransmission timeout
 */
public record RtoEstimator(long srttNanos, long rttvarNanos, long rtoNanos, long minRtoNanos, long maxRtoNanos) {

    /** RFC 6298 2.4: the variation term is at least the clock granularity G; ours is 1 ms. */
    static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

    public RtoEstimator {
        if (minRtoNanos <= 0 || maxRtoNanos < minRtoNanos || rtoNanos <= 0) {
            throw new IllegalArgumentException("RTO bounds " + minRtoNanos + ".." + maxRtoNanos + ", RTO " + rtoNanos);
        }
    }

    /** RFC 6298 2.1: before any sample, the timeout is the initial one (1 s by default). */
    public static RtoEstimator initial(TcpConfig config) {
        return new RtoEstimator(-1, 0, config.initialRto().toNanos(), config.minRto().toNanos(), config.maxRto().toNanos());
    }

    public boolean hasSample() {
        return srttNanos >= 0;
    }

    /**
     * RFC 6298 2.2 (first sample: SRTT = R, RTTVAR = R/2) and 2.3 (then RTTVAR = 3/4 RTTVAR + 1/4
     * |SRTT - R|, SRTT = 7/8 SRTT + 1/8 R); RTO = SRTT + max(G, 4 RTTVAR), bounded (2.4, 2.5). A
     * negative sample (a clock that stepped back) is ignored.
     */
    public RtoEstimator withSample(long rttNanos) {
        if (rttNanos < 0) {
            return this;
        }
        long srtt;
        long rttvar;
        if (!hasSample()) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            rttvar = (3 * rttvarNanos + Math.abs(srttNanos - rttNanos)) / 4;
            srtt = (7 * srttNanos + rttNanos) / 8;
        }
        long rto = Math.max(minRtoNanos, Math.min(maxRtoNanos, srtt + Math.max(CLOCK_GRANULARITY_NANOS, 4 * rttvar)));
        return new RtoEstimator(srtt, rttvar, rto, minRtoNanos, maxRtoNanos);
    }

    /** RFC 6298 5.5: after a timeout, double the RTO, up to the maximum (2.5). */
    public RtoEstimator backedOff() {
        return new RtoEstimator(srttNanos, rttvarNanos, Math.min(rtoNanos * 2, maxRtoNanos), minRtoNanos, maxRtoNanos);
    }
}
