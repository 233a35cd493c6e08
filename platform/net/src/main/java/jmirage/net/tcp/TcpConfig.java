package jmirage.net.tcp;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits and timers of the TCP layer. Memory is bounded by construction: every connection holds at
 * most {@code sendBuffer + receiveBuffer} bytes, and there are at most {@code maxConnections}
 * connections, of which at most {@code synQueue} half-open per listener.
 */
public record TcpConfig(int sendBuffer, int receiveBuffer, int maxConnections, int synQueue, Duration initialRto,
        Duration minRto, Duration maxRto, int maxRetries, int synRetries, Duration delayedAck, Duration timeWait,
        Duration finWait2Timeout, Optional<Duration> keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes,
        boolean noDelay) {

    /**
     * RFC 6298 2.1: initial RTO 1 s. The minimum is 200 ms as in Linux rather than RFC 6298 2.4's
     * 1 s; delayed ACKs at 40 ms (RFC 1122 4.2.3.2 allows up to 500 ms); TIME_WAIT 60 s (2 MSL with
     * MSL 30 s, as Linux); keepalive off by default (RFC 1122 4.2.3.6).
     */
    public static final TcpConfig DEFAULT = new TcpConfig(128 * 1024, 128 * 1024, 512, 128, Duration.ofSeconds(1),
            Duration.ofMillis(200), Duration.ofSeconds(60), 15, 6, Duration.ofMillis(40), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Optional.empty(), Duration.ofSeconds(75), 9, false);

    /**
     * The most memory TCP can hold, by construction: every connection's send buffer, receive buffer
     * and out-of-order queue (itself bounded by the receive buffer). 128 MiB with the defaults.
     */
    public long memoryBound() {
        return (long) maxConnections * (sendBuffer + 2L * receiveBuffer);
    }

    public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TcpConfig(sendBuffer, receiveBuffer, maxConnections, synQueue, initialRto, minRto, maxRto, maxRetries,
                synRetries, delayedAck, timeWait, finWait2Timeout, Optional.of(idle), interval, probes, noDelay);
    }

    public TcpConfig withNoDelay(boolean on) {
        return new TcpConfig(sendBuffer, receiveBuffer, maxConnections, synQueue, initialRto, minRto, maxRto, maxRetries,
                synRetries, delayedAck, timeWait, finWait2Timeout, keepAliveIdle, keepAliveInterval, keepAliveProbes, on);
    }

    public TcpConfig withLimits(int maxConnections, int synQueue) {
        return new TcpConfig(sendBuffer, receiveBuffer, maxConnections, synQueue, initialRto, minRto, maxRto, maxRetries,
                synRetries, delayedAck, timeWait, finWait2Timeout, keepAliveIdle, keepAliveInterval, keepAliveProbes, noDelay);
    }
}
