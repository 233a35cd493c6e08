package jmirage.net;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/** How the direct stack gets its IPv4 address: given at boot, or leased by DHCP. */
public sealed interface Ipv4Config {

    record Static(Ipv4Cidr address, Optional<Inet4Address> gateway) implements Ipv4Config {
        public Static {
            Objects.requireNonNull(address);
            Objects.requireNonNull(gateway);
        }
    }

    record Dhcp() implements Ipv4Config {}
}
