package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import jmirage.core.Bytes;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;

/** The IPv6 addresses a host derives (RFC 4291) and the multicast groups and MACs of Neighbor Discovery. */
public final class Ipv6Addresses {

    private Ipv6Addresses() {}

    public static final Inet6Address UNSPECIFIED = of(new byte[16]);
    /** ff02::1, all nodes on the link (RFC 4291 2.7.1). */
    public static final Inet6Address ALL_NODES = of(hex("ff020000000000000000000000000001"));
    /** ff02::2, all routers on the link. */
    public static final Inet6Address ALL_ROUTERS = of(hex("ff020000000000000000000000000002"));
    public static final IpPrefix LINK_LOCAL = new IpPrefix(of(hex("fe800000000000000000000000000000")), 64);

    public static Inet6Address of(byte[] sixteen) {
        try {
            // getByAddress would turn an IPv4-mapped address into an Inet4Address; this form never does.
            return Inet6Address.getByAddress(null, sixteen, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + sixteen.length, e);
        }
    }

    public static Inet6Address read(Bytes b, int at) {
        byte[] a = new byte[16];
        b.copyTo(at, a, 0, 16);
        return of(a);
    }

    /**
     * The interface identifier of a MAC address in modified EUI-64 form (RFC 4291 2.5.1 and appendix A):
     * ff:fe in the middle, the universal/local bit flipped.
     */
    public static byte[] interfaceId(MacAddress mac) {
        byte[] m = mac.toBytes();
        return new byte[] {(byte) (m[0] ^ 0x02), m[1], m[2], (byte) 0xff, (byte) 0xfe, m[3], m[4], m[5]};
    }

    /** The address of a /64 {@code prefix} with the interface identifier of {@code mac} (RFC 4862 5.5.3 d). */
    public static Inet6Address withInterfaceId(InetAddress prefix, MacAddress mac) {
        byte[] a = prefix.getAddress();
        System.arraycopy(interfaceId(mac), 0, a, 8, 8);
        return of(a);
    }

    /** fe80::/64 with the MAC's interface identifier (RFC 4862 5.3). */
    public static Inet6Address linkLocal(MacAddress mac) {
        return withInterfaceId(LINK_LOCAL.address(), mac);
    }

    /** ff02::1:ffXX:XXXX, the solicited-node group of {@code address} (RFC 4291 2.7.1). */
    public static Inet6Address solicitedNode(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] g = hex("ff0200000000000000000001ff000000");
        System.arraycopy(a, 13, g, 13, 3);
        return of(g);
    }

    /** 33:33 and the group's last 32 bits (RFC 2464 7). */
    public static MacAddress multicastMac(InetAddress group) {
        byte[] a = group.getAddress();
        long v = 0x3333L << 32;
        for (int i = 12; i < 16; i++) {
            v |= (long) (a[i] & 0xff) << (8 * (15 - i));
        }
        return new MacAddress(v);
    }

    public static boolean isMulticast(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xff) == 0xff;
    }

    public static boolean isLinkLocal(InetAddress a) {
        return a instanceof Inet6Address && LINK_LOCAL.contains(a);
    }

    public static boolean isUnspecified(InetAddress a) {
        return UNSPECIFIED.equals(a);
    }

    /**
     * {@code address}/{@code length} with the host bits cleared, kept an {@link Inet6Address} (core's
     * {@code IpPrefix.network} would turn ::ffff:a.b.c.d into an IPv4 address).
     */
    public static IpPrefix network(InetAddress address, int length) {
        byte[] a = address.getAddress();
        for (int bit = length; bit < 128; bit++) {
            a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpPrefix(of(a), length);
    }

    /** ::1, never on a wire (RFC 4291 2.5.3). */
    public static boolean isLoopback(InetAddress a) {
        byte[] b = a.getAddress();
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b.length == 16 && b[15] == 1;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
