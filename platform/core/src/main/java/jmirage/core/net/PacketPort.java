package jmirage.core.net;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * The IPv4 layer of one {@link Network}, claimed raw: how a router sees its interfaces. Once a
 * receiver is set, every IPv4 datagram the interface receives (addressed to its MAC, or broadcast)
 * goes to it, the unikernel's own stack on the interface included; the receiver hands back those for
 * the stack with {@link #deliverLocally}. ARP stays the interface's: it answers for the interface's
 * own address and resolves the next hops of {@link #sendDatagram}.
 */
public interface PacketPort {

    /** What a router receives: one datagram as it arrived (IPv4 header and what follows, maybe Ethernet padding). */
    @FunctionalInterface
    interface Receiver {
        /** {@code linkBroadcast}: it came in a link-layer broadcast or multicast frame (RFC 1812 5.3.4). */
        void datagram(Bytes datagram, boolean linkBroadcast);
    }

    /** Every IPv4 datagram received from now on goes to {@code receiver}, on the loop; replaces an earlier one. */
    void receive(Receiver receiver);

    /** Hands {@code datagram} to the interface's own stack, as if it had just arrived for it. */
    void deliverLocally(Bytes datagram);

    /**
     * Sends a whole IPv4 datagram, no larger than {@link #mtu()}, in a frame to {@code nextHop}'s
     * hardware address, resolved with ARP (the datagram waits in ARP's bounded queue meanwhile, and
     * is lost with it when the neighbour does not answer, as on any link).
     */
    Result<Unit, NetError> sendDatagram(Inet4Address nextHop, Bytes datagram);

    /** The largest datagram the link carries. */
    int mtu();
}
