package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import jmirage.core.net.IpPrefix;
import org.junit.jupiter.api.Test;

/** A static configuration holds an IPv4 interface address with its subnet, never an IPv6 prefix. */
class Ipv4ConfigTest {

    @Test
    void aStaticAddressKeepsItsHostBitsAndItsSubnet() {
        IpPrefix address = IpPrefix.parseIpv4WithLength("10.77.0.2/24").orElseThrow();
        Ipv4Config.Static config = new Ipv4Config.Static(address, Optional.empty());
        assertEquals("10.77.0.2/24", config.address().toString());
        assertEquals("10.77.0.255", config.address().last().getHostAddress());
    }

    @Test
    void anIpv6PrefixIsRefused() {
        IpPrefix v6 = IpPrefix.parse("2001:db8::1/64").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Config.Static(v6, Optional.empty()));
    }
}
