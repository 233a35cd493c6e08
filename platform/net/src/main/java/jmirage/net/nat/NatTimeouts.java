package jmirage.net.nat;

import java.time.Duration;

/**
 * Idle timeouts per flow class: a mapping unused for that long is gone. Every packet of the flow,
 * either direction, refreshes it (RFC 4787 REQ-6 requires outbound refresh and allows inbound);
 * an ICMP error about the flow does not.
 */
public record NatTimeouts(Duration tcpEstablished, Duration tcpTransitory, Duration tcpClosing, Duration tcpReset,
        Duration udp, Duration icmpQuery) {

    /**
     * <ul>
     * <li>TCP established 2 h 4 min, transitory 4 min: the least RFC 5382 REQ-5 allows;</li>
     * <li>TCP after FIN both ways 4 min: TIME-WAIT, 2 MSL (RFC 9293, MSL 2 min), transitory in RFC 5382's sense;</li>
     * <li>TCP after RST 10 s: the connection is over (RFC 9293 3.10.7); 10 s (Linux conntrack's
     * "close") lets a retransmitted RST through, and any later non-RST segment revives the mapping;</li>
     * <li>UDP 5 min: RFC 4787 REQ-5 (at least 2 min, 5 min recommended);</li>
     * <li>ICMP query 60 s: RFC 5508 REQ-1.</li>
     * </ul>
     */
    public static final NatTimeouts DEFAULT = new NatTimeouts(Duration.ofMinutes(124), Duration.ofMinutes(4),
            Duration.ofMinutes(4), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(60));

    public NatTimeouts {
        for (Duration d : new Duration[] {tcpEstablished, tcpTransitory, tcpClosing, tcpReset, udp, icmpQuery}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a NAT timeout must be positive: " + d);
            }
        }
    }

    /** The timeout of {@code flowClass}, in nanoseconds. */
    public long nanos(FlowClass flowClass) {
        return switch (flowClass) {
            case TCP_RESET -> tcpReset.toNanos();
            case TCP_CLOSING -> tcpClosing.toNanos();
            case TCP_TRANSITORY -> tcpTransitory.toNanos();
            case UDP_UNANSWERED, UDP_ANSWERED -> udp.toNanos();
            case ICMP_QUERY -> icmpQuery.toNanos();
            case TCP_ESTABLISHED -> tcpEstablished.toNanos();
        };
    }
}
