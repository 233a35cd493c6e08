package jmirage.launcher;

import java.util.List;
import jmirage.core.net.AddressError;
import jmirage.core.net.MacAddress;

/**
 * The ways the tap target's network parameters are wrong ({@link TapTarget#parse}), found before
 * anything opens. {@code parameter} names what was wrong as the operator wrote it: {@code --ipv4},
 * or {@code --net uplink: ipv4=} for a key of a {@code --net} interface.
 */
sealed interface TapParameterError {

    /** {@code --target tap} without {@code --tap DEV} or any {@code --net}. */
    record MissingTap() implements TapParameterError {}

    /** The MAC address is none. */
    record BadMac(String parameter, String text, AddressError error) implements TapParameterError {}

    /** The MAC address is a group address (IEEE 802: the I/G bit of the first octet): a host's own must be unicast. */
    record MulticastMac(String parameter, MacAddress mac) implements TapParameterError {}

    /** The address is not {@code A.B.C.D/N}. */
    record BadAddress(String parameter, String text, AddressError error) implements TapParameterError {}

    /** A gateway without an address: with DHCP, the lease gives the gateway. */
    record GatewayWithoutAddress(String parameter, String gateway) implements TapParameterError {}

    /** The gateway is no IPv4 address. */
    record BadGateway(String parameter, String text, AddressError error) implements TapParameterError {}

    /** The gateway is outside the interface's subnet: unreachable without a route. */
    record GatewayOffSubnet(String parameter, String gateway, String subnet) implements TapParameterError {}

    /** The IPv6 configuration is none of {@code ADDR/N}, {@code slaac}, {@code off}. */
    record BadIpv6(String parameter, String text, AddressError error) implements TapParameterError {}

    /** An IPv6 router without an IPv6 address ({@code ADDR/N}): with slaac, advertisements name the routers. */
    record Ipv6GatewayWithoutAddress(String parameter, String gateway, String ipv6) implements TapParameterError {}

    /** The IPv6 router is no IPv6 address. */
    record BadIpv6Gateway(String parameter, String text, AddressError error) implements TapParameterError {}

    /** The IPv6 router is neither link-local nor in the prefix: not a neighbor (RFC 4861 5.2). */
    record Ipv6GatewayOffLink(String parameter, String gateway, String prefix) implements TapParameterError {}

    /** A {@code --net} that is not {@code NAME=DEV[,KEY=VALUE]...}. */
    record BadNet(String entry) implements TapParameterError {}

    /** A key of a {@code --net} that is none of those it takes, or one given twice. */
    record BadNetKey(String name, String key) implements TapParameterError {}

    /** Two {@code --net} of one name. */
    record RepeatedNet(String name) implements TapParameterError {}

    /** One TAP interface given twice ({@code --tap} or {@code --net}): its frames cannot go to two stacks. */
    record SameTap(String tap, String first, String second) implements TapParameterError {}

    /** A {@code --net} name the unikernel does not claim. */
    record NetNotClaimed(String name, String unikernel, List<String> claimed) implements TapParameterError {}

    /** A parameter of the {@code --tap} interface ({@code --ipv4}, {@code --mac}...) without {@code --tap}. */
    record WithoutTap(String parameter) implements TapParameterError {}

    default String describe() {
        return switch (this) {
            case MissingTap() -> "--target tap needs --tap DEV, the TAP interface (e.g. --tap tap0), or --net NAME=DEV,... for"
                    + " each network the unikernel claims";
            case BadMac(String parameter, String text, AddressError e) -> parameter + ": " + e.describe();
            case MulticastMac(String parameter, MacAddress mac) -> parameter + ": " + mac
                    + " is a multicast address; a host's own address must be unicast";
            case BadAddress(String parameter, String text, AddressError e) -> parameter + ": " + e.describe();
            case GatewayWithoutAddress(String parameter, String gateway) -> parameter
                    + " goes with an address; without one, DHCP gives the gateway";
            case BadGateway(String parameter, String text, AddressError e) -> parameter + ": " + e.describe();
            case GatewayOffSubnet(String parameter, String gateway, String subnet) -> parameter + ": " + gateway + " is not on " + subnet;
            case BadIpv6(String parameter, String text, AddressError e) -> parameter + ": expected ADDR/N, slaac or off; " + e.describe();
            case Ipv6GatewayWithoutAddress(String parameter, String gateway, String ipv6) -> parameter
                    + " goes with an IPv6 ADDR/N; with " + ipv6 + (ipv6.equals("off") ? " there is no IPv6" : ", router advertisements give the routers");
            case BadIpv6Gateway(String parameter, String text, AddressError e) -> parameter + ": " + e.describe();
            case Ipv6GatewayOffLink(String parameter, String gateway, String prefix) -> parameter + ": " + gateway
                    + " is neither link-local (fe80::/10) nor in " + prefix;
            case BadNet(String entry) -> "--net " + entry + ": expected NAME=DEV[,ipv4=A.B.C.D/N][,gateway=A.B.C.D]"
                    + "[,ipv6=ADDR/N|slaac|off][,ipv6-gateway=ADDR][,mac=MAC]";
            case BadNetKey(String name, String key) -> "--net " + name + ": '" + key
                    + "' is not one of ipv4=, gateway=, ipv6=, ipv6-gateway=, mac= (each at most once)";
            case RepeatedNet(String name) -> "--net " + name + " is given twice";
            case SameTap(String tap, String first, String second) -> "the TAP interface " + tap + " is given twice (" + first
                    + " and " + second + "); each interface needs a TAP of its own";
            case NetNotClaimed(String name, String unikernel, List<String> claimed) -> "--net " + name + ": " + unikernel
                    + (claimed.isEmpty() ? " claims no network by name" : " claims no network named '" + name + "' (it claims "
                    + String.join(", ", claimed) + ")");
            case WithoutTap(String parameter) -> parameter + " configures the --tap interface; for a --net interface give it"
                    + " in the --net (ipv4=, gateway=, ipv6=, ipv6-gateway=, mac=)";
        };
    }
}
