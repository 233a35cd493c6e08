package jmirage.net.ipv4;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.net.wire.Wire;

/** The routing decision of a host (RFC 1122 3.3.1.1): on the local subnet, straight there; else via the gateway. */
public final class Routing {

    private Routing() {}

    /** Why a datagram has no next hop. */
    public sealed interface RoutingError {

        /** {@code destination} is off the local subnet and no gateway is configured. */
        record NoGateway(Inet4Address destination) implements RoutingError {}

        default String describe() {
            return switch (this) {
                case NoGateway(Inet4Address destination) -> "no route to " + destination.getHostAddress() + " (no gateway)";
            };
        }
    }

    /** Where to send a datagram for {@code destination}: the next hop, or why there is none. */
    public static Result<Inet4Address, RoutingError> nextHop(IpPrefix local, Optional<Inet4Address> gateway, Inet4Address destination) {
        if (local.contains(destination) || isLimitedBroadcast(destination)) {
            return Result.ok(destination);
        }
        return gateway.<Result<Inet4Address, RoutingError>>map(Result::ok)
                .orElseGet(() -> Result.err(new RoutingError.NoGateway(destination)));
    }

    public static boolean isLimitedBroadcast(Inet4Address a) {
        return Wire.ipv4ToInt(a) == -1;
    }
}
