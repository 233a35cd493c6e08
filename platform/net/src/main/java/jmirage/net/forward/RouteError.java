package jmirage.net.forward;

import jmirage.core.net.IpPrefix;

/** Why a set of interfaces and routes is no routing table. */
public sealed interface RouteError {

    /** Two interfaces with one name. */
    record DuplicateInterface(String name) implements RouteError {}

    /** A route names an interface that is not there. */
    record UnknownInterface(Route route) implements RouteError {}

    /** An IPv6 prefix: the forwarding core is IPv4 only. */
    record NotIpv4(IpPrefix prefix) implements RouteError {}

    /** A route's gateway is not on the subnet of the interface it names. */
    record GatewayNotOnLink(Route route) implements RouteError {}

    /** Two routes (or a route and an interface's subnet) for one prefix. */
    record DuplicatePrefix(IpPrefix prefix) implements RouteError {}

    /** The NAT's outside is no interface of the router. */
    record UnknownNatOutside(String name) implements RouteError {}

    default String describe() {
        return switch (this) {
            case DuplicateInterface(String name) -> "interface " + name + " is declared twice";
            case UnknownInterface(Route route) -> "route " + route.prefix() + " names no interface " + route.interfaceName();
            case GatewayNotOnLink(Route route) -> "route " + route.prefix() + ": gateway "
                    + route.gateway().map(g -> g.getHostAddress()).orElse("-") + " is not on " + route.interfaceName() + "'s subnet";
            case NotIpv4(IpPrefix prefix) -> "route " + prefix + " is not IPv4";
            case DuplicatePrefix(IpPrefix prefix) -> "two routes for " + prefix;
            case UnknownNatOutside(String name) -> "the NAT's outside " + name + " is no interface of the router";
        };
    }
}
