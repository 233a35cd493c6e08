package jmirage.net.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import org.junit.jupiter.api.Test;

/** RFC 1122 3.3.1.1: the local subnet directly, the rest through the gateway, or a typed refusal. */
class RoutingTest {

    static final IpPrefix LOCAL = IpPrefix.parseIpv4WithLength("10.77.0.2/24").orElseThrow();

    static Inet4Address ip(String text) {
        return IpAddresses.parseIpv4(text).orElseThrow();
    }

    @Test
    void anAddressOnTheSubnetIsItsOwnNextHop() {
        assertEquals(Result.ok(ip("10.77.0.200")), Routing.nextHop(LOCAL, Optional.of(ip("10.77.0.1")), ip("10.77.0.200")));
    }

    @Test
    void anAddressOffTheSubnetGoesThroughTheGateway() {
        assertEquals(Result.ok(ip("10.77.0.1")), Routing.nextHop(LOCAL, Optional.of(ip("10.77.0.1")), ip("192.0.2.9")));
    }

    @Test
    void theLimitedBroadcastNeedsNoGateway() {
        assertEquals(Result.ok(ip("255.255.255.255")), Routing.nextHop(LOCAL, Optional.empty(), ip("255.255.255.255")));
    }

    @Test
    void withoutAGatewayAnAddressOffTheSubnetHasNoRoute() {
        Result<Inet4Address, Routing.RoutingError> hop = Routing.nextHop(LOCAL, Optional.empty(), ip("192.0.2.9"));
        assertEquals(Result.err(new Routing.RoutingError.NoGateway(ip("192.0.2.9"))), hop);
        assertEquals("no route to 192.0.2.9 (no gateway)", ((Result.Err<Inet4Address, Routing.RoutingError>) hop).error().describe());
    }
}
