package jmirage.dhcpd.config;

import jmirage.core.net.AddressError;
import jmirage.core.net.IpPrefix;

/** Why the value of an {@code option} statement cannot be encoded ({@link OptionSpec#encode}). */
public sealed interface OptionError {

    /** No value between the option's name and the semicolon. */
    record NoValue() implements OptionError {}

    /** An option of one address given {@code count}. */
    record NotOneAddress(int count) implements OptionError {}

    /** An option of one string given {@code count} values, or an empty one. */
    record NotOneString(int count) implements OptionError {}

    /** RFC 2132 5.1: an MTU is at least 68 (and fits in 16 bits). */
    record BadMtu(String text) implements OptionError {}

    record BadAddress(AddressError error) implements OptionError {}

    /** A domain name that is empty or longer than 253 characters (RFC 1035 2.3.4). */
    record BadDomainName(String name) implements OptionError {}

    /** A domain name with an empty label or one longer than 63 characters (RFC 1035 2.3.4). */
    record BadLabel(String name) implements OptionError {}

    /** Option 121 is written in pairs: destination/prefix, router. */
    record UnpairedRoute(String destination) implements OptionError {}

    record BadRouteDestination(AddressError error) implements OptionError {}

    /** RFC 3442: the significant octets are the subnet number's; host bits would reach clients as part of it. */
    record RouteHostBits(String destination, IpPrefix network) implements OptionError {}

    default String describe() {
        return switch (this) {
            case NoValue() -> "no value";
            case NotOneAddress(int count) -> "expected one address, got " + count;
            case NotOneString(int count) -> "expected one quoted string" + (count == 1 ? ", got an empty one" : ", got " + count);
            case BadMtu(String text) -> "expected an MTU between 68 and 65535, got " + text;
            case BadAddress(AddressError e) -> e.describe();
            case BadDomainName(String name) -> "bad domain name '" + name + "'";
            case BadLabel(String name) -> "bad label in domain name '" + name + "'";
            case UnpairedRoute(String destination) ->
                    "expected pairs of DESTINATION/PREFIX ROUTER, " + destination + " has no router";
            case BadRouteDestination(AddressError e) -> e.describe();
            case RouteHostBits(String destination, IpPrefix network) ->
                    destination + " has host bits set (the network is " + network + ")";
        };
    }
}
