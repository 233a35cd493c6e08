package jmirage.core.net;

import java.net.Inet4Address;
import java.util.Optional;
import java.util.function.BiPredicate;
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

    /**
     * What a router that tells its neighbours apart by their hardware address receives (decision 25):
     * the datagram, as {@link Receiver} has it, and the source address of the frame it came in, empty on
     * a link without hardware addresses (a tunnel).
     */
    @FunctionalInterface
    interface LinkReceiver {
        void datagram(Bytes datagram, boolean linkBroadcast, Optional<MacAddress> source);
    }

    /**
     * As {@link #receive}, with the source hardware address of each datagram's frame. A link without
     * hardware addresses keeps this default, which gives none.
     */
    default void receiveWithSource(LinkReceiver receiver) {
        receive((datagram, linkBroadcast) -> receiver.datagram(datagram, linkBroadcast, Optional.empty()));
    }

    /**
     * Sends a whole IPv4 datagram, no larger than {@link #mtu()}, in a frame to {@code destination}
     * without asking ARP and without touching its cache: how a router sends to a neighbour whose
     * hardware address it was told rather than learned (decision 25). A link without hardware addresses
     * keeps this default, which refuses.
     */
    default Result<Unit, NetError> sendDatagramTo(MacAddress destination, Bytes datagram) {
        return Result.err(new NetError.Io("this link has no hardware addresses"));
    }

    /**
     * From now on ARP on this link (RFC 826) takes a packet into account, to learn its sender or to
     * answer it, only when {@code sender} accepts its sender's hardware and protocol addresses; the
     * others are ignored. A router that knows its neighbours' bindings answers them alone, and no
     * neighbour can teach it another's address (decision 25). A link without ARP keeps this default,
     * which does nothing.
     */
    default void restrictArp(BiPredicate<MacAddress, Inet4Address> sender) { }

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
