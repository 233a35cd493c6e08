package jmirage.net.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;

/** Big-endian field access shared by the codecs. */
public final class Wire {

    private Wire() {}

    public static int u16(Bytes b, int at) {
        return (b.getUnsigned(at) << 8) | b.getUnsigned(at + 1);
    }

    public static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    public static int i32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    public static long u32(Bytes b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    public static int i32(Bytes b, int at) {
        return (int) u32(b, at);
    }

    public static MacAddress mac(Bytes b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | b.getUnsigned(at + i);
        }
        return new MacAddress(v);
    }

    public static Inet4Address ipv4(Bytes b, int at) {
        byte[] a = new byte[4];
        b.copyTo(at, a, 0, 4);
        return ipv4(a);
    }

    public static Inet4Address ipv4(byte[] a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Inet4Address ipv4(int value) {
        return ipv4(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    /** The 32-bit value of an IPv4 address ({@code InetAddress} so an {@code IpPrefix}'s address fits without a cast). */
    public static int ipv4ToInt(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    }

    /** The IPv4 netmask of a prefix length, as an int: 24 gives 0xffffff00. */
    public static int ipv4Mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + prefixLength);
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static void putU32(byte[] b, int at, long v) {
        putU16(b, at, (int) (v >>> 16));
        putU16(b, at + 2, (int) v);
    }

    public static void putMac(byte[] b, int at, MacAddress mac) {
        System.arraycopy(mac.toBytes(), 0, b, at, 6);
    }

    public static void putAddress(byte[] b, int at, InetAddress address) {
        byte[] a = address.getAddress();
        System.arraycopy(a, 0, b, at, a.length);
    }
}
