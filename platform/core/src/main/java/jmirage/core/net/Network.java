package jmirage.core.net;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * One interface of a unikernel with several (decision 20), claimed by its role with
 * {@link jmirage.core.DeviceProvider#network}: its link, its address, a {@link Stack} of its own for
 * the unikernel's own connections on it, and its IPv4 datagrams raw for forwarding.
 */
public interface Network {

    /** The role the unikernel claimed it by ({@code uplink}). */
    String name();

    MacAddress mac();

    /** The interface's address and the prefix of its link, static or leased. */
    IpPrefix ipv4();

    /** The default router on this link, when the operator (or DHCP) gave one. */
    Optional<Inet4Address> gateway();

    /** The unikernel's TCP and UDP on this interface's address. */
    Stack stack();

    /** The interface's IPv4 datagrams, for forwarding (see {@link PacketPort}). */
    PacketPort packets();
}
