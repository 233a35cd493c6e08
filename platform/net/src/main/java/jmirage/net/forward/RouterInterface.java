package jmirage.net.forward;

import jmirage.core.net.IpPrefix;

/**
 * One interface of a router, by the role the unikernel gives it ({@code uplink}, {@code private}):
 * its address with the subnet it is attached to, and the largest datagram its link carries.
 */
public record RouterInterface(String name, IpPrefix address, int mtu) {

    /** RFC 791 3.2: every internet module must be able to forward a datagram of 68 octets unfragmented. */
    public static final int MIN_MTU = 68;

    public RouterInterface {
        if (name.isBlank()) {
            throw new IllegalArgumentException("an interface needs a name");
        }
        if (!address.isIpv4()) {
            throw new IllegalArgumentException("interface " + name + ": " + address + " is not IPv4");
        }
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("interface " + name + ": MTU " + mtu + " is not within 68-65535");
        }
    }
}
