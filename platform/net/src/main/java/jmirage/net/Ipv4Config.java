package jmirage.net;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/** How the direct stack gets its IPv4 address: given at boot, or leased by DHCP. */
public sealed interface Ipv4Config {

    /** The interface's address with its subnet ({@code 10.77.0.2/24}: {@link IpPrefix#parseIpv4WithLength}). */
    record Static(IpPrefix address, Optional<Inet4Address> gateway) implements Ipv4Config {
        public Static {
            Objects.requireNonNull(address);
            Objects.requireNonNull(gateway);
            if (!address.isIpv4()) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
        }
    }

    record Dhcp() implements Ipv4Config {}
}
