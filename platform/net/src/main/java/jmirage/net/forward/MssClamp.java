package jmirage.net.forward;

import jmirage.core.Bytes;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;

/**
 * TCP MSS clamping, as a router in front of a narrower link does it (OpenVPN's {@code mssfix}, Linux's
 * {@code TCPMSS --clamp-mss-to-pmtu}; RFC 4459 3.2): the MSS option of a SYN crossing the router is
 * lowered so that neither end sends segments the narrow link would have to fragment, or drop when DF
 * is set and the ICMP "fragmentation needed" is filtered on the way back (the black hole of RFC 2923
 * 2.1). Pure: bytes in, bytes out.
 */
public final class MssClamp {

    /** RFC 9293 3.7.1: a SYN without the option means an MSS of 536. */
    static final int DEFAULT_MSS = 536;
    private static final int MSS_KIND = 2;
    private static final int END_KIND = 0;
    private static final int NOP_KIND = 1;

    private MssClamp() {}

    /** The largest MSS that fits a link of {@code mtu} bytes: IPv4 and TCP headers without options taken off (RFC 6691 2). */
    public static int forMtu(int mtu) {
        return mtu - Ipv4Packet.HEADER - 20;
    }

    /**
     * {@code datagram} (an IPv4 datagram) with the MSS option of its TCP SYN lowered to
     * {@code maxMss} when it is larger, the TCP checksum updated for the change (RFC 1624); the same
     * bytes when there is nothing to change: not TCP, not a SYN, no MSS option (536 then, which a link
     * of 576 carries), an MSS already small enough, a fragment, or a header it cannot read.
     */
    public static Bytes clamp(Bytes datagram, int maxMss) {
        if (datagram.size() < Ipv4Packet.HEADER || (datagram.getUnsigned(0) >>> 4) != 4 || datagram.getUnsigned(9) != Ipv4Packet.TCP
                || (Wire.u16(datagram, 6) & 0x3fff) != 0) {
            return datagram;
        }
        int tcp = (datagram.getUnsigned(0) & 0x0f) * 4;
        if (tcp < Ipv4Packet.HEADER || tcp + 20 > datagram.size() || (datagram.getUnsigned(tcp + 13) & 0x02) == 0) {
            return datagram;
        }
        int optionsEnd = tcp + (datagram.getUnsigned(tcp + 12) >>> 4) * 4;
        if (optionsEnd > datagram.size()) {
            return datagram;
        }
        int i = tcp + 20;
        while (i < optionsEnd) {
            int kind = datagram.getUnsigned(i);
            if (kind == END_KIND) {
                return datagram;
            }
            if (kind == NOP_KIND) {
                i++;
                continue;
            }
            if (i + 1 >= optionsEnd) {
                return datagram;
            }
            int length = datagram.getUnsigned(i + 1);
            if (length < 2 || i + length > optionsEnd) {
                return datagram;
            }
            if (kind == MSS_KIND && length == 4) {
                return Wire.u16(datagram, i + 2) <= maxMss ? datagram : rewritten(datagram, tcp, i + 2, maxMss);
            }
            i += length;
        }
        return datagram;
    }

    /** The datagram with the 16 bits at {@code at} set to {@code value}, the TCP checksum adjusted word by word. */
    private static Bytes rewritten(Bytes datagram, int tcp, int at, int value) {
        byte[] b = datagram.toArray();
        byte[] before = b.clone();
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
        int checksum = Wire.u16(b, tcp + 16);
        // The checksum sums 16-bit words from the TCP header's start: a value at an odd offset spans two.
        int first = tcp + ((at - tcp) & ~1);
        for (int word = first; word <= at + 1; word += 2) {
            checksum = Checksum.adjust(checksum, word + 1 < b.length ? Wire.u16(before, word) : (before[word] & 0xff) << 8,
                    word + 1 < b.length ? Wire.u16(b, word) : (b[word] & 0xff) << 8);
        }
        Wire.putU16(b, tcp + 16, checksum);
        return Bytes.adopt(b);
    }
}
