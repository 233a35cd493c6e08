package jmirage.dhcpd.config;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
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
    Result<Bytes, String> encode(List<String> values) {
        try {
            return Result.ok(switch (kind) {
                case ADDRESS -> {
                    if (values.size() != 1) {
                        throw new IllegalArgumentException("expected one address");
                    }
                    yield addresses(values);
                }
                case ADDRESSES -> addresses(values);
                case TEXT -> {
                    if (values.size() != 1 || values.getFirst().isEmpty()) {
                        throw new IllegalArgumentException("expected one quoted string");
                    }
                    yield Bytes.utf8(values.getFirst());
                }
                case MTU -> {
                    int mtu = values.size() == 1 ? Integer.parseInt(values.getFirst()) : -1;
                    if (mtu < 68 || mtu > 65535) { // RFC 2132 5.1: at least 68
                        throw new IllegalArgumentException("expected an MTU between 68 and 65535");
                    }
                    yield Bytes.of((byte) (mtu >> 8), (byte) mtu);
                }
                case DOMAINS -> domains(values);
                case ROUTES -> routes(values);
            });
        } catch (IllegalArgumentException e) {
            return Result.err(e.getMessage());
        }
    }

    private static Inet4Address v4(String text) {
        if (IpAddresses.parse(text) instanceof Result.Ok<?, ?>(Inet4Address a)) {
            return a;
        }
        throw new IllegalArgumentException("expected an IPv4 address, got " + text);
    }

    private static Bytes addresses(List<String> values) {
        byte[] b = new byte[4 * values.size()];
        for (int i = 0; i < values.size(); i++) {
            Wire.putAddress(b, 4 * i, v4(values.get(i)));
        }
        return Bytes.adopt(b);
    }

    /** RFC 3397 / RFC 1035 3.1: each name as length-prefixed labels, uncompressed. */
    private static Bytes domains(List<String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : values) {
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            if (n.isEmpty() || n.length() > 253) {
                throw new IllegalArgumentException("bad domain name '" + name + "'");
            }
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0 || l.length > 63) {
                    throw new IllegalArgumentException("bad label in domain name '" + name + "'");
                }
                out.write(l.length);
                out.writeBytes(l);
            }
            out.write(0);
        }
        return Bytes.adopt(out.toByteArray());
    }

    /** RFC 3442: width, significant octets of the destination, router; per route. */
    private static Bytes routes(List<String> values) {
        if (values.size() % 2 != 0) {
            throw new IllegalArgumentException("expected pairs of DESTINATION/PREFIX ROUTER");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i += 2) {
            IpPrefix destination = IpPrefix.parseIpv4WithLength(values.get(i)).orElseThrow(e -> new IllegalArgumentException(e.describe()));
            int network = Wire.ipv4ToInt(destination.address()) & Wire.ipv4Mask(destination.length());
            if (network != Wire.ipv4ToInt(destination.address())) {
                // RFC 3442: the significant octets are the subnet number's; host bits would reach
                // clients as part of it.
                throw new IllegalArgumentException(values.get(i) + " has host bits set (the network is "
                        + Wire.ipv4(network).getHostAddress() + "/" + destination.length() + ")");
            }
            byte[] d = destination.address().getAddress();
            out.write(destination.length());
            out.write(d, 0, (destination.length() + 7) / 8);
            out.writeBytes(v4(values.get(i + 1)).getAddress());
        }
        return Bytes.adopt(out.toByteArray());
    }
}
