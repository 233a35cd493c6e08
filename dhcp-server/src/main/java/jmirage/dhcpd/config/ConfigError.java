package jmirage.dhcpd.config;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.net.AddressError;
import jmirage.dhcpd.config.DhcpConfig.Range;
import jmirage.core.net.IpPrefix;

/** Why a dhcpd.conf is refused ({@link ConfigParser#parse}); every case says where. */
public sealed interface ConfigError {

    /** The file, when the caller named it (the Kv key), and the line. */
    record Where(Optional<String> file, int line) {
        public String describe() {
            return file.map(f -> f + ", ").orElse("") + "line " + line;
        }
    }

    /** What two static hosts may not share. */
    enum Shared {
        FIXED_ADDRESS("fixed-address"), HARDWARE_ETHERNET("hardware ethernet"), CLIENT_IDENTIFIER("client identifier");

        private final String statement;

        Shared(String statement) {
            this.statement = statement;
        }
    }

    Where where();

    record UnterminatedString(Where where) implements ConfigError {}

    record UnexpectedEnd(Where where) implements ConfigError {}

    /** A keyword or punctuation was expected ({@code expected}) and {@code got} came. */
    record ExpectedToken(Where where, String expected, String got) implements ConfigError {}

    record NotAnIpv4Address(Where where, String text) implements ConfigError {}

    /** A lease time: 1 to 2^32 - 2 seconds. */
    record NotSeconds(Where where, String text) implements ConfigError {}

    /** Option 61 of a host: a quoted string or hex bytes like 01:02:03. */
    record NotClientIdentifier(Where where, String text) implements ConfigError {}

    /** A statement outside this server's subset (README), or in a scope where it does not belong. */
    record Unsupported(Where where, String statement, String scope) implements ConfigError {}

    record UnknownOption(Where where, String name) implements ConfigError {}

    record BadOption(Where where, String name, OptionError error) implements ConfigError {}

    record NetmaskNotContiguous(Where where, String netmask) implements ConfigError {}

    record SubnetHostBits(Where where, Inet4Address network, String netmask) implements ConfigError {}

    record RangeOutsideSubnet(Where where, Inet4Address low, Inet4Address high, IpPrefix subnet) implements ConfigError {}

    record RangeBackwards(Where where, Inet4Address low, Inet4Address high) implements ConfigError {}

    /** An address in two ranges would count twice in the pool's size. */
    record RangesOverlap(Where where, Inet4Address low, Inet4Address high, Range other) implements ConfigError {}

    record BadHardwareAddress(Where where, AddressError error) implements ConfigError {}

    record HostWithoutFixedAddress(Where where, String host) implements ConfigError {}

    record HostWithoutIdentity(Where where, String host) implements ConfigError {}

    /** Two hosts with one fixed address (both machines would use it), MAC or client identifier. */
    record HostConflict(Where where, String host, Shared shared, String value, String otherHost, int otherLine)
            implements ConfigError {}

    /** RFC 3442: a client that uses option 121 ignores option 3, so option 121 beside routers needs 0.0.0.0/0. */
    record NoDefaultRoute(Where where, IpPrefix subnet) implements ConfigError {}

    record SubnetsOverlap(Where where, IpPrefix subnet, IpPrefix other, int otherLine) implements ConfigError {}

    record FixedAddressInNoSubnet(Where where, String host, Inet4Address address) implements ConfigError {}

    record FixedAddressIsNetworkOrBroadcast(Where where, String host, Inet4Address address, IpPrefix subnet)
            implements ConfigError {}

    record FixedAddressIsRouterOrResolver(Where where, String host, Inet4Address address, IpPrefix subnet)
            implements ConfigError {}

    /** {@code ddns-update-style} other than {@code standard} or {@code none}. */
    record BadDdnsStyle(Where where, String style) implements ConfigError {}

    record NotOnOrOff(Where where, String text) implements ConfigError {}

    record BadDomainName(Where where, String text, String why) implements ConfigError {}

    /** A {@code key} statement's algorithm or secret. */
    record BadKey(Where where, String key, String why) implements ConfigError {}

    /** A zone names a key not declared above it. */
    record UnknownKey(Where where, String key) implements ConfigError {}

    /** A zone without its {@code primary} or {@code key}. */
    record IncompleteZone(Where where, String zone, String missing) implements ConfigError {}

    /** Updates asked for with no {@code ddns-domainname} to put the names under. */
    record DdnsWithoutDomain(Where where) implements ConfigError {}

    /** {@code ddns-domainname} lies in no {@code zone}: its updates would have nowhere to go. */
    record DomainInNoZone(Where where, String domain) implements ConfigError {}

    default String describe() {
        return where().describe() + ": " + reason();
    }

    /** What is wrong, without where ({@link #describe()} adds it). */
    default String reason() {
        return switch (this) {
            case UnterminatedString _ -> "unterminated string";
            case UnexpectedEnd _ -> "unexpected end of file";
            case ExpectedToken(var _, String expected, String got) -> "expected '" + expected + "', got '" + got + "'";
            case NotAnIpv4Address(var _, String text) -> "expected an IPv4 address, got " + text;
            case NotSeconds(var _, String text) -> "expected a number of seconds, got " + text;
            case NotClientIdentifier(var _, String text) -> "expected a quoted string or hex bytes like 01:02:03, got " + text;
            case Unsupported(var _, String statement, String scope) -> "'" + statement + "' is not supported in " + scope;
            case UnknownOption(var _, String name) -> "unknown option '" + name + "'";
            case BadOption(var _, String name, OptionError e) -> "option " + name + ": " + e.describe();
            case NetmaskNotContiguous(var _, String netmask) -> "netmask " + netmask + " is not contiguous";
            case SubnetHostBits(var _, Inet4Address network, String netmask) ->
                    "subnet " + network.getHostAddress() + " has host bits set for netmask " + netmask;
            case RangeOutsideSubnet(var _, Inet4Address low, Inet4Address high, IpPrefix subnet) ->
                    "range " + low.getHostAddress() + " " + high.getHostAddress() + " is not inside subnet " + subnet;
            case RangeBackwards(var _, Inet4Address low, Inet4Address high) ->
                    "range " + low.getHostAddress() + " " + high.getHostAddress() + " ends before it starts";
            case RangesOverlap(var _, Inet4Address low, Inet4Address high, Range other) ->
                    "range " + low.getHostAddress() + " " + high.getHostAddress() + " overlaps range " + other;
            case BadHardwareAddress(var _, AddressError e) -> e.describe();
            case HostWithoutFixedAddress(var _, String host) ->
                    "host " + host + " has no fixed-address (dynamic host entries are not supported)";
            case HostWithoutIdentity(var _, String host) ->
                    "host " + host + " needs hardware ethernet or option dhcp-client-identifier";
            case HostConflict(var _, String host, Shared shared, String value, String otherHost, int otherLine) ->
                    "host " + host + ": " + shared.statement + " " + value + " is already host " + otherHost + "'s (line "
                            + otherLine + ")";
            case NoDefaultRoute(var _, IpPrefix subnet) -> "option classless-static-routes has no 0.0.0.0/0 route, but subnet "
                    + subnet + " has routers: clients that use option 121 ignore routers (RFC 3442), add 0.0.0.0/0 ROUTER";
            case SubnetsOverlap(var _, IpPrefix subnet, IpPrefix other, int otherLine) ->
                    "subnet " + subnet + " overlaps subnet " + other + " (line " + otherLine + ")";
            case FixedAddressInNoSubnet(var _, String host, Inet4Address address) ->
                    "host " + host + ": fixed-address " + address.getHostAddress() + " is in no declared subnet";
            case FixedAddressIsNetworkOrBroadcast(var _, String host, Inet4Address address, IpPrefix subnet) ->
                    "host " + host + ": fixed-address " + address.getHostAddress()
                            + " is the network or broadcast address of subnet " + subnet;
            case FixedAddressIsRouterOrResolver(var _, String host, Inet4Address address, IpPrefix subnet) ->
                    "host " + host + ": fixed-address " + address.getHostAddress() + " is a router or resolver of subnet "
                            + subnet;
            case BadDdnsStyle(var _, String style) -> style.equals("interim") || style.equals("ad-hoc")
                    ? "ddns-update-style " + style + " is not supported: use ddns-update-style standard (RFC 4703, DHCID records)"
                    : "expected ddns-update-style standard or none, got " + style;
            case NotOnOrOff(var _, String text) -> "expected on or off, got " + text;
            case BadDomainName(var _, String text, String why) -> "bad domain name " + text + ": " + why;
            case BadKey(var _, String key, String why) -> "key " + key + ": " + why;
            case UnknownKey(var _, String key) -> "key " + key + " is not declared (declare it with key " + key
                    + " { algorithm ...; secret ...; } above)";
            case IncompleteZone(var _, String zone, String missing) -> "zone " + zone + " has no " + missing;
            case DdnsWithoutDomain _ -> "ddns-update-style standard needs ddns-domainname \"DOMAIN\"; to put clients' names under";
            case DomainInNoZone(var _, String domain) -> "ddns-domainname " + domain
                    + " is in no zone statement (zone " + domain + " { primary ADDRESS; key KEY; })";
        };
    }
}
