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

    /** A {@code --net} that is not {@code NAME=DEV[,KEY=VALUE]...}. */
    record BadNet(String entry) implements TapParameterError {}

    /** A key of a {@code --net} that is none of {@code ipv4}, {@code gateway}, {@code mac}, or one given twice. */
    record BadNetKey(String name, String key) implements TapParameterError {}

    /** Two {@code --net} of one name. */
    record RepeatedNet(String name) implements TapParameterError {}

    /** One TAP interface given twice ({@code --tap} or {@code --net}): its frames cannot go to two stacks. */
    record SameTap(String tap, String first, String second) implements TapParameterError {}

    /** A {@code --net} name the unikernel does not claim. */
    record NetNotClaimed(String name, String unikernel, List<String> claimed) implements TapParameterError {}

    /** {@code --ipv4}, {@code --ipv4-gateway} or {@code --mac} without {@code --tap}: they configure that interface only. */
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
            case BadNet(String entry) -> "--net " + entry + ": expected NAME=DEV[,ipv4=A.B.C.D/N][,gateway=A.B.C.D][,mac=MAC]";
            case BadNetKey(String name, String key) -> "--net " + name + ": '" + key
                    + "' is not one of ipv4=, gateway=, mac= (each at most once)";
            case RepeatedNet(String name) -> "--net " + name + " is given twice";
            case SameTap(String tap, String first, String second) -> "the TAP interface " + tap + " is given twice (" + first
                    + " and " + second + "); each interface needs a TAP of its own";
            case NetNotClaimed(String name, String unikernel, List<String> claimed) -> "--net " + name + ": " + unikernel
                    + (claimed.isEmpty() ? " claims no network by name" : " claims no network named '" + name + "' (it claims "
                    + String.join(", ", claimed) + ")");
            case WithoutTap(String parameter) -> parameter + " configures the --tap interface; for a --net interface give it"
                    + " in the --net (ipv4=, gateway=, mac=)";
        };
    }
}
