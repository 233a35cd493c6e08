package jmirage.launcher;

import jmirage.core.net.AddressError;
import jmirage.core.net.MacAddress;

/** The ways the tap target's network parameters are wrong ({@link TapTarget#parse}), found before anything opens. */
sealed interface TapParameterError {

    /** {@code --target tap} without {@code --tap DEV}. */
    record MissingTap() implements TapParameterError {}

    /** {@code --mac} is no MAC address. */
    record BadMac(String text, AddressError error) implements TapParameterError {}

    /** {@code --mac} is a group address (IEEE 802: the I/G bit of the first octet): a host's own must be unicast. */
    record MulticastMac(MacAddress mac) implements TapParameterError {}

    /** {@code --ipv4} is not {@code A.B.C.D/N}. */
    record BadAddress(String text, AddressError error) implements TapParameterError {}

    /** {@code --ipv4-gateway} without {@code --ipv4}: with DHCP, the lease gives the gateway. */
    record GatewayWithoutAddress(String gateway) implements TapParameterError {}

    /** {@code --ipv4-gateway} is no IPv4 address. */
    record BadGateway(String text, AddressError error) implements TapParameterError {}

    /** {@code --ipv4-gateway} is outside the subnet of {@code --ipv4}: unreachable without a route. */
    record GatewayOffSubnet(String gateway, String subnet) implements TapParameterError {}

    /** {@code --ipv6} is none of {@code ADDR/N}, {@code slaac}, {@code off}. */
    record BadIpv6(String text, AddressError error) implements TapParameterError {}

    /** {@code --ipv6-gateway} without {@code --ipv6 ADDR/N}: with slaac, advertisements name the routers. */
    record Ipv6GatewayWithoutAddress(String gateway, String ipv6) implements TapParameterError {}

    /** {@code --ipv6-gateway} is no IPv6 address. */
    record BadIpv6Gateway(String text, AddressError error) implements TapParameterError {}

    /** {@code --ipv6-gateway} is neither link-local nor in the prefix of {@code --ipv6}: not a neighbor (RFC 4861 5.2). */
    record Ipv6GatewayOffLink(String gateway, String prefix) implements TapParameterError {}

    default String describe() {
        return switch (this) {
            case MissingTap() -> "--target tap needs --tap DEV, the TAP interface (e.g. --tap tap0)";
            case BadMac(String text, AddressError e) -> "--mac: " + e.describe();
            case MulticastMac(MacAddress mac) -> "--mac: " + mac + " is a multicast address; a host's own address must be unicast";
            case BadAddress(String text, AddressError e) -> "--ipv4: " + e.describe();
            case GatewayWithoutAddress(String gateway) -> "--ipv4-gateway goes with --ipv4; without --ipv4, DHCP gives the gateway";
            case BadGateway(String text, AddressError e) -> "--ipv4-gateway: " + e.describe();
            case GatewayOffSubnet(String gateway, String subnet) -> "--ipv4-gateway: " + gateway + " is not on " + subnet;
            case BadIpv6(String text, AddressError e) -> "--ipv6: expected ADDR/N, slaac or off; " + e.describe();
            case Ipv6GatewayWithoutAddress(String gateway, String ipv6) -> "--ipv6-gateway goes with --ipv6 ADDR/N; with "
                    + ipv6 + (ipv6.equals("off") ? " there is no IPv6" : ", router advertisements give the routers");
            case BadIpv6Gateway(String text, AddressError e) -> "--ipv6-gateway: " + e.describe();
            case Ipv6GatewayOffLink(String gateway, String prefix) -> "--ipv6-gateway: " + gateway
                    + " is neither link-local (fe80::/10) nor in " + prefix;
        };
    }
}
