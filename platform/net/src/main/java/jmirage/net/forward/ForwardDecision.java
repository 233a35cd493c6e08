package jmirage.net.forward;

import java.net.Inet4Address;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.net.wire.ParseError;

/** What the router does with one datagram. */
public sealed interface ForwardDecision {

    /**
     * Send {@code packet}, the datagram with its TTL decremented, out of {@code hop}, in the pieces
     * {@link #packets()} cuts. The whole datagram comes first so that a NAT can translate it before
     * it is fragmented (the ports are in the first fragment only): {@code new Forward(hop,
     * translated).packets()}. A {@code packet} larger than the hop's MTU never has DF set.
     */
    record Forward(Hop hop, Bytes packet) implements ForwardDecision {

        /** The datagram, or its fragments when it is larger than the out-interface's MTU (RFC 791 3.2). */
        public List<Bytes> packets() {
            return Forwarder.fragments(packet, hop.out().mtu());
        }
    }

    /** The datagram is for the router itself (its address, or a broadcast): hand it to the local stack. */
    record Deliver(Bytes packet) implements ForwardDecision {}

    /** The datagram cannot be forwarded; send {@code packet}, an ICMP error to its source, out of {@code hop}. */
    record SendError(Hop hop, Bytes packet, Problem problem) implements ForwardDecision {}

    /** Neither forwarded nor answered. */
    record Dropped(Cause cause) implements ForwardDecision {}

    /** Why a datagram could not be forwarded. */
    enum Problem {
        /** TTL would reach zero (RFC 1812 5.3.1): time exceeded, code 0. */
        TIME_EXCEEDED,
        /** No route (RFC 1812 5.2.7.1): destination unreachable, network unreachable. */
        NO_ROUTE,
        /** DF set and larger than the next link's MTU (RFC 1191 4): fragmentation needed, with that MTU. */
        FRAGMENTATION_NEEDED
    }

    /** Why an ICMP error was not sent about a problem (RFC 1812 4.3.2.7, 4.3.2.8). */
    enum Silence {
        ABOUT_AN_ICMP_ERROR,
        NOT_THE_FIRST_FRAGMENT,
        RATE_LIMITED,
        NO_ROUTE_TO_SOURCE
    }

    /** Why a datagram was dropped without an answer. */
    sealed interface Cause {

        record Malformed(ParseError error) implements Cause {}

        /** A source that is no single host (RFC 1812 5.3.7): 0/8, 127/8, multicast, 240/4, a subnet's broadcast. */
        record BadSource(Inet4Address source) implements Cause {}

        /** A destination that is never forwarded (RFC 1812 5.3.7): 0/8, 127/8, 240/4. */
        record BadDestination(Inet4Address destination) implements Cause {}

        /** Multicast (not routed here), or a link-layer broadcast not addressed to us (RFC 1812 5.3.4). */
        record NotRouted(Inet4Address destination) implements Cause {}

        /** A problem an ICMP error may not be sent about. */
        record Unanswered(Problem problem, Silence silence) implements Cause {}

        default String describe() {
            return switch (this) {
                case Malformed(ParseError error) -> "malformed datagram: " + error;
                case BadSource(Inet4Address source) -> "source " + source.getHostAddress() + " is no single host";
                case BadDestination(Inet4Address destination) -> "destination " + destination.getHostAddress() + " is never forwarded";
                case NotRouted(Inet4Address destination) -> "not routed: " + destination.getHostAddress();
                case Unanswered(Problem problem, Silence silence) -> problem + ", no ICMP error: " + silence;
            };
        }
    }
}
