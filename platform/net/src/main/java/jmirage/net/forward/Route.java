package jmirage.net.forward;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.net.IpPrefix;
import jmirage.net.wire.Wire;

/**
 * A static route: datagrams for {@code prefix} leave by {@code interfaceName}, to {@code gateway}
 * when given, else straight to their destination on that link. Each interface's own subnet is a
 * route already ({@link RoutingTable#of}).
 */
public record Route(IpPrefix prefix, String interfaceName, Optional<Inet4Address> gateway) {

    /** The default route, {@code 0.0.0.0/0} by {@code gateway}. */
    public static Route defaultVia(String interfaceName, Inet4Address gateway) {
        return new Route(IpPrefix.of(Wire.ipv4(0), 0), interfaceName, Optional.of(gateway));
    }
}
