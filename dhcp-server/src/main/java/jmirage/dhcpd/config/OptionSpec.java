package jmirage.dhcpd.config;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.net.wire.Wire;

/** The options dhcpd.conf may set: ISC's name, the code (RFC 2132 unless said) and how the value is written. */
public enum OptionSpec {
    SUBNET_MASK("subnet-mask", 1, Kind.ADDRESS),
    ROUTERS("routers", 3, Kind.ADDRESSES),
    DOMAIN_NAME_SERVERS("domain-name-servers", 6, Kind.ADDRESSES),
    HOST_NAME("host-name", 12, Kind.TEXT),
    DOMAIN_NAME("domain-name", 15, Kind.TEXT),
    INTERFACE_MTU("interface-mtu", 26, Kind.MTU),
    BROADCAST_ADDRESS("broadcast-address", 28, Kind.ADDRESS),
    NTP_SERVERS("ntp-servers", 42, Kind.ADDRESSES),
    NETBIOS_NAME_SERVERS("netbios-name-servers", 44, Kind.ADDRESSES),
    SERVER_IDENTIFIER("dhcp-server-identifier", 54, Kind.ADDRESS),
    TFTP_SERVER_NAME("tftp-server-name", 66, Kind.TEXT),
    BOOTFILE_NAME("bootfile-name", 67, Kind.TEXT),
    /** RFC 3397. */
    DOMAIN_SEARCH("domain-search", 119, Kind.DOMAINS),
    /** RFC 3442; our syntax: {@code 10.0.0.0/8 192.168.1.1, 0.0.0.0/0 192.168.1.1}. */
    CLASSLESS_ROUTES("classless-static-routes", 121, Kind.ROUTES),
    RFC3442_ROUTES("rfc3442-classless-static-routes", 121, Kind.ROUTES);

    enum Kind { ADDRESS, ADDRESSES, TEXT, MTU, DOMAINS, ROUTES }

    private final String isc;
    private final int code;
    private final Kind kind;

    OptionSpec(String isc, int code, Kind kind) {
        this.isc = isc;
        this.code = code;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    public static Optional<OptionSpec> byName(String name) {
        return Arrays.stream(values()).filter(o -> o.isc.equals(name)).findFirst();
    }

    /** Encodes the value tokens (commas already dropped) for the wire. */
    Result<Bytes, OptionError> encode(List<String> values) {
        if (values.isEmpty()) {
            return Result.err(new OptionError.NoValue());
        }
        return switch (kind) {
            case ADDRESS -> values.size() == 1 ? addresses(values) : Result.err(new OptionError.NotOneAddress(values.size()));
            case ADDRESSES -> addresses(values);
            case TEXT -> values.size() == 1 && !values.getFirst().isEmpty()
                    ? Result.ok(Bytes.utf8(values.getFirst()))
                    : Result.err(new OptionError.NotOneString(values.size()));
            case MTU -> mtu(values);
            case DOMAINS -> domains(values);
            case ROUTES -> routes(values);
        };
    }

    /** RFC 2132 5.1: at least 68. */
    private static Result<Bytes, OptionError> mtu(List<String> values) {
        String text = String.join(" ", values);
        if (values.size() != 1 || !text.matches("[0-9]{1,5}")) {
            return Result.err(new OptionError.BadMtu(text));
        }
        int mtu = Integer.parseInt(text);
        if (mtu < 68 || mtu > 65535) {
            return Result.err(new OptionError.BadMtu(text));
        }
        return Result.ok(Bytes.of((byte) (mtu >> 8), (byte) mtu));
    }

    private static Result<Bytes, OptionError> addresses(List<String> values) {
        byte[] b = new byte[4 * values.size()];
        for (int i = 0; i < values.size(); i++) {
            switch (IpAddresses.parseIpv4(values.get(i))) {
                case Result.Ok<Inet4Address, AddressError>(Inet4Address a) -> Wire.putAddress(b, 4 * i, a);
                case Result.Err<Inet4Address, AddressError>(AddressError e) -> {
                    return Result.err(new OptionError.BadAddress(e));
                }
            }
        }
        return Result.ok(Bytes.adopt(b));
    }

    /** RFC 3397 / RFC 1035 3.1: each name as length-prefixed labels, uncompressed. */
    private static Result<Bytes, OptionError> domains(List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : values) {
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (n.isEmpty() || n.length() > 253) {
                return Result.err(new OptionError.BadDomainName(name));
            }
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0 || l.length > 63) {
                    return Result.err(new OptionError.BadLabel(name));
                }
                out.write(l.length);
                out.writeBytes(l);
            }
            out.write(0);
        }
        return Result.ok(Bytes.adopt(out.toByteArray()));
    }

    /** RFC 3442: width, significant octets of the destination, router; per route. */
    private static Result<Bytes, OptionError> routes(List<String> values) {
        if (values.size() % 2 != 0) {
            return Result.err(new OptionError.UnpairedRoute(values.getLast()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i += 2) {
            String text = values.get(i);
            IpPrefix destination;
            switch (IpPrefix.parseIpv4WithLength(text)) {
                case Result.Ok<IpPrefix, AddressError>(IpPrefix p) -> destination = p;
                case Result.Err<IpPrefix, AddressError>(AddressError e) -> {
                    return Result.err(new OptionError.BadRouteDestination(e));
                }
            }
            if (!destination.network().equals(destination)) {
                // RFC 3442: the significant octets are the subnet number's; host bits would reach
                // clients as part of it.
                return Result.err(new OptionError.RouteHostBits(text, destination.network()));
            }
            Inet4Address router;
            switch (IpAddresses.parseIpv4(values.get(i + 1))) {
                case Result.Ok<Inet4Address, AddressError>(Inet4Address a) -> router = a;
                case Result.Err<Inet4Address, AddressError>(AddressError e) -> {
                    return Result.err(new OptionError.BadAddress(e));
                }
            }
            byte[] d = destination.address().getAddress();
            out.write(destination.length());
            out.write(d, 0, (destination.length() + 7) / 8);
            out.writeBytes(router.getAddress());
        }
        return Result.ok(Bytes.adopt(out.toByteArray()));
    }
}
