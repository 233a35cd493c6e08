package jmirage.host;

import java.nio.ByteBuffer;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;

/** Hand-built Ethernet frames for the device tests (ARP per RFC 826, ICMP echo per RFC 792). */
final class Frames {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;

    private Frames() {}

    static int etherType(Bytes frame) {
        return (frame.getUnsigned(12) << 8) | frame.getUnsigned(13);
    }

    static MacAddress source(Bytes frame) {
        return mac(frame, 6);
    }

    static MacAddress mac(Bytes b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | b.getUnsigned(at + i);
        }
        return new MacAddress(v);
    }

    static byte[] ip(Bytes b, int at) {
        return new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)};
    }

    /** Whether {@code frame} is an ARP request asking for {@code target}. */
    static boolean isArpRequestFor(Bytes frame, byte[] target) {
        return frame.size() >= 42 && etherType(frame) == ETHERTYPE_ARP
                && frame.getUnsigned(20) == 0 && frame.getUnsigned(21) == 1
                && java.util.Arrays.equals(ip(frame, 38), target);
    }

    static Bytes arp(int operation, MacAddress from, byte[] fromIp, MacAddress to, byte[] toIp, MacAddress destination) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(destination.toBytes()).put(from.toBytes()).putShort((short) ETHERTYPE_ARP);
        b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) operation);
        b.put(from.toBytes()).put(fromIp).put(to.toBytes()).put(toIp);
        return Bytes.adopt(b.array());
    }

    /** An ARP reply to {@code request}: "{@code ip} is at {@code mac}". */
    static Bytes arpReply(Bytes request, MacAddress mac, byte[] ip) {
        MacAddress asker = mac(request, 22);
        return arp(2, mac, ip, asker, ip(request, 28), asker);
    }

    /** Whether {@code frame} is an ICMP echo request (type 8) sent to {@code ip}. */
    static boolean isEchoRequestTo(Bytes frame, byte[] ip) {
        return frame.size() >= 42 && etherType(frame) == ETHERTYPE_IPV4 && frame.getUnsigned(23) == 1
                && java.util.Arrays.equals(ip(frame, 30), ip)
                && frame.getUnsigned(14 + (frame.getUnsigned(14) & 0xf) * 4) == 8;
    }

    /** The echo reply to an echo request: addresses swapped, type 0, checksums recomputed. */
    static Bytes echoReply(Bytes request) {
        byte[] f = request.toArray();
        int ihl = (f[14] & 0xf) * 4;
        int totalLength = ((f[16] & 0xff) << 8) | (f[17] & 0xff);
        swap(f, 0, 6, 6);
        swap(f, 26, 30, 4);
        f[22] = 64; // TTL
        f[24] = 0;
        f[25] = 0;
        putChecksum(f, 14, ihl, 24);
        int icmp = 14 + ihl;
        f[icmp] = 0;
        f[icmp + 2] = 0;
        f[icmp + 3] = 0;
        putChecksum(f, icmp, totalLength - ihl, icmp + 2);
        return Bytes.adopt(java.util.Arrays.copyOf(f, 14 + totalLength));
    }

    private static void swap(byte[] f, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            byte t = f[a + i];
            f[a + i] = f[b + i];
            f[b + i] = t;
        }
    }

    /** The Internet checksum (RFC 1071) of {@code f[from, from + length)}, written at {@code at}. */
    static void putChecksum(byte[] f, int from, int length, int at) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = f[from + i] & 0xff;
            int lo = i + 1 < length ? f[from + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int c = (int) (~sum & 0xffff);
        f[at] = (byte) (c >>> 8);
        f[at + 1] = (byte) c;
    }
}
