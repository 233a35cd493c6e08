package jmirage.core.net;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * A capability of a {@link Stack} that has a link layer of its own (the platform's direct stack over
 * an Ethernet device, on the tap and sim targets): operations below IP that the host's sockets
 * cannot do. A unikernel claims it with {@link jmirage.core.DeviceProvider#link()}, which is empty on
 * the host target.
 */
public interface Link {

    /** The interface's hardware address. */
    MacAddress mac();

    /**
     * Sends a UDP datagram from the stack's own address and {@code sourcePort} to {@code destination},
     * in an Ethernet frame addressed to {@code mac}, without asking ARP: how a DHCP server answers a
     * client that has no address yet (RFC 2131 4.1: "unicasts ... to the client's hardware address
     * and 'yiaddr' address"). The ARP cache is left as it is.
     */
    Result<Unit, NetError> sendUdpTo(MacAddress mac, int sourcePort, Endpoint destination, Bytes payload);
}
