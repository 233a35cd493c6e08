package jmirage.net;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * How the direct stack gets its IPv6 addresses. Every mode but {@link Disabled} has the link-local
 * address from the MAC (fe80::/64 with the modified EUI-64 identifier) and answers Neighbor Discovery
 * and ping on it.
 */
public sealed interface Ipv6Config {

    /** The default of {@code DirectStack.start} without an IPv6 configuration: {@link Slaac}, as Linux does. */
    Ipv6Config DEFAULT = new Slaac();

    /** An address with its on-link prefix ({@code fd00:24::2/64}), and a default router if any; advertisements ignored. */
    record Static(IpPrefix address, Optional<Inet6Address> gateway) implements Ipv6Config {
        public Static {
            Objects.requireNonNull(address);
            Objects.requireNonNull(gateway);
            if (address.isIpv4()) {
                throw new IllegalArgumentException("not an IPv6 address: " + address);
            }
        }
    }

    /** Link-local, router solicitation, and addresses from advertised prefixes with the A flag (RFC 4862). */
    record Slaac() implements Ipv6Config {}

    /** No IPv6: frames of EtherType 0x86DD are dropped. */
    record Disabled() implements Ipv6Config {}
}
