package jmirage.net.ipv4;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.net.Ipv4Cidr;
import jmirage.net.wire.Wire;

/** The routing decision of a host (RFC 1122 3.3.1.1): on the local subnet, straight there; else via the gateway. */
public final class Routing {

    private Routing() {}

    /** Where to send a datagram for {@code destination}: the next hop, or why there is none. */
    public static Result<Inet4Address, String> nextHop(Ipv4Cidr local, Optional<Inet4Address> gateway, Inet4Address destination) {
        if (local.contains(destination) || isLimitedBroadcast(destination)) {
            return Result.ok(destination);
        }
        return gateway.<Result<Inet4Address, String>>map(Result::ok)
                .orElseGet(() -> Result.err("no route to " + destination.getHostAddress() + " (no gateway)"));
    }

    public static boolean isLimitedBroadcast(Inet4Address a) {
        return Wire.ipv4ToInt(a) == -1;
    }
}
