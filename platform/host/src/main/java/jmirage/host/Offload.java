package jmirage.host;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * What a TAP opened with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD} hands over, turned into the
 * plain Ethernet frames the stack expects; a pure core (no I/O).
 *
 * <p>Each read starts with a {@code struct virtio_net_hdr} (linux/virtio_net.h, 10 bytes, the
 * host's byte order: little-endian here): flags, gso_type, hdr_len, gso_size, csum_start,
 * csum_offset. With {@code TUN_F_CSUM} the kernel may leave a checksum to the device
 * ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the field at csum_start + csum_offset holds the
 * pseudo-header's sum, the rest from csum_start is to be summed, as {@code skb_checksum_help}
 * does); with {@code TUN_F_TSO4}/{@code TUN_F_TSO6} it may hand one TCP segment of up to 64 KiB
 * ({@code gso_type} TCPV4/TCPV6) that the device is to cut into {@code gso_size} payloads, as a
 * NIC's TSO does. Both are done here, so super-frames and partial checksums never leave the device:
 * the stack, the router (which forwards what it receives to networks of MTU 1500) and the pcap
 * recording see ordinary frames with valid checksums. The gain is one read(2) per 64 KiB instead
 * of per 1,514 bytes, and no segmentation work in the kernel on the way to us.
 */
final class Offload {

    static final int HEADER = 10;
    static final int NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;
    private static final int ETHERNET = 14;
    private static final int TCP = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Offload() {}

    /** The header of one read. */
    record VnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {

        static final VnetHeader NONE = new VnetHeader(0, GSO_NONE, 0, 0, 0, 0);

        /** The 10 bytes at {@code offset} (little-endian fields), or why not. */
        static Result<VnetHeader, String> parse(byte[] b, int offset, int length) {
            if (length < HEADER) {
                return Result.err("a read of " + length + " bytes has no virtio_net_hdr");
            }
            return Result.ok(new VnetHeader(b[offset] & 0xff, b[offset + 1] & 0xff, le16(b, offset + 2),
                    le16(b, offset + 4), le16(b, offset + 6), le16(b, offset + 8)));
        }

        byte[] encode() {
            byte[] b = new byte[HEADER];
            b[0] = (byte) flags;
            b[1] = (byte) gsoType;
            putLe16(b, 2, hdrLen);
            putLe16(b, 4, gsoSize);
            putLe16(b, 6, csumStart);
            putLe16(b, 8, csumOffset);
            return b;
        }
    }

    /**
     * The frames of one read: {@code length} bytes of {@code b} from {@code offset}, the virtio_net_hdr
     * first. One frame when the kernel did not segment-offload it, its checksum completed when left
     * to us; the TCP segments cut from it otherwise. An error when the bytes contradict the header.
     */
    static Result<List<Bytes>, String> frames(byte[] b, int offset, int length) {
        Result<VnetHeader, String> parsed = VnetHeader.parse(b, offset, length);
        if (parsed instanceof Result.Err<VnetHeader, String>(String e)) {
            return Result.err(e);
        }
        VnetHeader h = parsed.orElseThrow();
        int start = offset + HEADER;
        int size = length - HEADER;
        if (size < ETHERNET) {
            return Result.err("a frame of " + size + " bytes");
        }
        int gso = h.gsoType() & ~GSO_ECN;
        if (gso == GSO_NONE) {
            byte[] frame = java.util.Arrays.copyOfRange(b, start, start + size);
            if ((h.flags() & NEEDS_CSUM) != 0) {
                int at = h.csumStart() + h.csumOffset();
                if (h.csumStart() >= size || h.csumOffset() > size || at + 2 > size || (h.csumOffset() & 1) != 0) {
                    return Result.err("a checksum at " + h.csumStart() + "+" + h.csumOffset() + " beyond a frame of " + size);
                }
                putBe16(frame, at, finish(sum(frame, h.csumStart(), size - h.csumStart(), 0)));
            }
            return Result.ok(List.of(Bytes.adopt(frame)));
        }
        if (gso != GSO_TCPV4 && gso != GSO_TCPV6) {
            return Result.err("gso_type " + h.gsoType() + " was not offered");
        }
        return segment(b, start, size, gso == GSO_TCPV4, h.gsoSize());
    }

    /** TSO done in software: each gso_size of payload behind a copy of the headers, lengths, sequence numbers, flags and checksums redone. */
    private static Result<List<Bytes>, String> segment(byte[] b, int start, int size, boolean v4, int mss) {
        int type = be16(b, start + 12);
        if (type != (v4 ? 0x0800 : 0x86dd)) {
            return Result.err("a TCP super-frame of EtherType " + Integer.toHexString(type));
        }
        int ip = start + ETHERNET;
        int ipLength;
        if (v4) {
            if (size < ETHERNET + 20 || (b[ip] & 0xf0) != 0x40) {
                return Result.err("a TCP/IPv4 super-frame without an IPv4 header");
            }
            ipLength = (b[ip] & 0x0f) * 4;
            if (ipLength < 20 || (b[ip + 9] & 0xff) != TCP) {
                return Result.err("a TCP/IPv4 super-frame whose IPv4 header does not hold TCP");
            }
        } else {
            ipLength = 40;
            if (size < ETHERNET + 40 || (b[ip] & 0xf0) != 0x60 || (b[ip + 6] & 0xff) != TCP) {
                return Result.err("a TCP/IPv6 super-frame whose IPv6 header is not followed by TCP");
            }
        }
        int tcp = ip + ipLength;
        if (tcp + 20 > start + size) {
            return Result.err("a TCP super-frame cut in its TCP header");
        }
        int tcpLength = ((b[tcp + 12] & 0xf0) >>> 4) * 4;
        int payload = tcp + tcpLength;
        if (tcpLength < 20 || payload > start + size) {
            return Result.err("a TCP super-frame with a TCP header of " + tcpLength + " bytes");
        }
        if (mss <= 0) {
            return Result.err("a TCP super-frame with gso_size 0");
        }
        int headers = payload - start;
        int data = start + size - payload;
        long seq = be32(b, tcp + 4);
        int id = v4 ? be16(b, ip + 4) : 0;
        int flags = b[tcp + 13] & 0xff;
        int count = Math.max(1, (data + mss - 1) / mss);
        List<Bytes> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int from = k * mss;
            int len = Math.min(mss, data - from);
            byte[] f = new byte[headers + len];
            System.arraycopy(b, start, f, 0, headers);
            System.arraycopy(b, payload + from, f, headers, len);
            int i = ETHERNET;
            int t = ETHERNET + ipLength;
            int segmentFlags = flags;
            if (k < count - 1) {
                segmentFlags &= ~(FIN | PSH); // RFC 9293: FIN and PSH belong to the last byte
            }
            if (k > 0) {
                segmentFlags &= ~CWR; // RFC 3168 6.1.2: CWR on the first segment only
            }
            f[t + 13] = (byte) segmentFlags;
            putBe32(f, t + 4, seq + from);
            putBe16(f, t + 16, 0);
            long pseudo;
            int tcpBytes = tcpLength + len;
            if (v4) {
                putBe16(f, i + 2, ipLength + tcpBytes);
                putBe16(f, i + 4, (id + k) & 0xffff); // as Linux's TSO: consecutive IDs
                putBe16(f, i + 10, 0);
                putBe16(f, i + 10, finish(sum(f, i, ipLength, 0)));
                pseudo = sum(f, i + 12, 8, 0) + TCP + tcpBytes; // RFC 9293 3.1: addresses, protocol, length
            } else {
                putBe16(f, i + 4, tcpBytes);
                pseudo = sum(f, i + 8, 32, 0) + TCP + tcpBytes; // RFC 8200 8.1
            }
            putBe16(f, t + 16, finish(sum(f, t, tcpBytes, pseudo)));
            out.add(Bytes.adopt(f));
        }
        return Result.ok(out);
    }

    /**
     * The writes for {@code frames} sent in one loop turn, each with its virtio_net_hdr: runs of
     * consecutive frames that are segments of one TCP stream (same Ethernet and IP headers but for
     * lengths and consecutive IPv4 identifications, same ports, acknowledgment, window and options,
     * contiguous sequence numbers, equal payloads but the last, only ACK set, PSH only on the last)
     * become one super-frame for the kernel to cut ({@code gso_size} the payload of the first,
     * the TCP checksum left partial); any other frame is written as it is. {@link #frames} cuts
     * such a super-frame back into exactly the frames it was made of.
     */
    static List<Write> coalesce(List<Bytes> frames) {
        List<Write> writes = new ArrayList<>();
        int i = 0;
        while (i < frames.size()) {
            Bytes frame = frames.get(i);
            // Only TCP may start a run: anything else is written as it is, without a copy.
            byte[] first = mayStartRun(frame) ? frame.toArray() : null;
            Stream head = first == null ? null : Stream.of(first);
            int j = i + 1;
            if (head != null) {
                byte[] previous = first;
                int total = previous.length;
                while (j < frames.size() && j - i < 64 && mayStartRun(frames.get(j))) {
                    byte[] next = frames.get(j).toArray();
                    if (!head.continues(previous, next, j - i) || total + head.payload(next) > 65_000) {
                        break;
                    }
                    total += head.payload(next);
                    previous = next;
                    j++;
                }
            }
            if (j - i < 2) {
                writes.add(new Write(PLAIN, frame, 1));
                i++;
                continue;
            }
            writes.add(head.merge(frames.subList(i, j)));
            i = j;
        }
        return writes;
    }

    /** The virtio_net_hdr of a frame written as it is: no offload asked. */
    private static final Bytes PLAIN = Bytes.adopt(VnetHeader.NONE.encode());

    /** Whether {@code frame} is TCP over IPv4 or IPv6 by its EtherType and protocol (what {@link Stream#of} then checks in full). */
    private static boolean mayStartRun(Bytes frame) {
        if (frame.size() < ETHERNET + 40) {
            return false;
        }
        int type = frame.getUnsigned(12) << 8 | frame.getUnsigned(13);
        return type == 0x0800 ? frame.getUnsigned(ETHERNET + 9) == TCP : type == 0x86dd && frame.getUnsigned(ETHERNET + 6) == TCP;
    }

    /** One write(2): the virtio_net_hdr, then a frame or a super-frame standing for {@code frames} frames. */
    record Write(Bytes header, Bytes frame, int frames) {

        int size() {
            return header.size() + frame.size();
        }
    }

    /** The headers of a frame that may start a run: TCP over IPv4 without options or IPv6 without extensions, only ACK (and PSH). */
    private record Stream(boolean v4, int ipLength, int tcpLength, int mss) {

        static Stream of(byte[] f) {
            if (f.length < ETHERNET + 20) {
                return null;
            }
            int type = be16(f, 12);
            boolean v4 = type == 0x0800;
            int ipLength;
            if (v4 && (f[ETHERNET] & 0xff) == 0x45 && (f[ETHERNET + 9] & 0xff) == TCP && (be16(f, ETHERNET + 6) & 0x3fff) == 0) {
                ipLength = 20;
            } else if (type == 0x86dd && (f[ETHERNET] & 0xf0) == 0x60 && (f[ETHERNET + 6] & 0xff) == TCP) {
                ipLength = 40;
            } else {
                return null;
            }
            int t = ETHERNET + ipLength;
            if (t + 20 > f.length) {
                return null;
            }
            int tcpLength = ((f[t + 12] & 0xf0) >>> 4) * 4;
            int ipTotal = v4 ? be16(f, ETHERNET + 2) : 40 + be16(f, ETHERNET + 4);
            if (tcpLength < 20 || t + tcpLength > f.length || ETHERNET + ipTotal != f.length
                    || (f[t + 13] & 0xff) != 0x10 || be16(f, t + 18) != 0) {
                return null; // only ACK set (no PSH before the last), no urgent pointer, no padding
            }
            int mss = f.length - t - tcpLength;
            return mss > 0 ? new Stream(v4, ipLength, tcpLength, mss) : null;
        }

        int payload(byte[] f) {
            return f.length - ETHERNET - ipLength - tcpLength;
        }

        /** Whether {@code next} is the {@code k}th segment after {@code previous}'s run began, {@code previous} being a full one. */
        boolean continues(byte[] previous, byte[] next, int k) {
            int t = ETHERNET + ipLength;
            int headers = t + tcpLength;
            if (next.length <= headers || next.length > previous.length || previous.length != headers + mss
                    || (previous[t + 13] & 0xff) != 0x10) {
                return false; // a shorter segment, or one with PSH, ends a run
            }
            int flags = next[t + 13] & 0xff;
            if (flags != 0x10 && flags != 0x18) {
                return false;
            }
            int ipTotal = v4 ? be16(next, ETHERNET + 2) : 40 + be16(next, ETHERNET + 4);
            if (ETHERNET + ipTotal != next.length) {
                return false;
            }
            if (v4) {
                // all of IPv4 but total length, identification and checksum
                if (!same(previous, next, 0, ETHERNET + 2) || !same(previous, next, ETHERNET + 6, 4)
                        || !same(previous, next, ETHERNET + 12, 8)
                        || be16(next, ETHERNET + 4) != ((be16(previous, ETHERNET + 4) + 1) & 0xffff)) {
                    return false;
                }
            } else if (!same(previous, next, 0, ETHERNET + 4) || !same(previous, next, ETHERNET + 6, 34)) {
                return false;
            }
            // ports, acknowledgment, data offset, window, urgent pointer and options; contiguous sequence numbers
            return same(previous, next, t, 4) && same(previous, next, t + 8, 5) && same(previous, next, t + 14, 2)
                    && same(previous, next, t + 18, tcpLength - 18)
                    && be32(next, t + 4) == ((be32(previous, t + 4) + mss) & 0xffff_ffffL);
        }

        /** One super-frame: the first frame's headers, every payload, the last frame's flags, the lengths of the whole. */
        Write merge(List<Bytes> run) {
            int t = ETHERNET + ipLength;
            int headers = t + tcpLength;
            int data = 0;
            for (Bytes f : run) {
                data += f.size() - headers;
            }
            byte[] w = new byte[headers + data];
            VnetHeader h = new VnetHeader(NEEDS_CSUM, v4 ? GSO_TCPV4 : GSO_TCPV6, headers, mss, t, 16);
            run.getFirst().copyTo(0, w, 0, headers);
            int at = headers;
            for (Bytes f : run) {
                f.copyTo(headers, w, at, f.size() - headers);
                at += f.size() - headers;
            }
            int i = ETHERNET;
            w[t + 13] = run.getLast().get(t + 13); // PSH, if any, from the last
            int tcpBytes = tcpLength + data;
            long pseudo;
            if (v4) {
                putBe16(w, i + 2, ipLength + tcpBytes);
                putBe16(w, i + 10, 0);
                putBe16(w, i + 10, finish(sum(w, i, ipLength, 0)));
                pseudo = sum(w, i + 12, 8, 0) + TCP + tcpBytes;
            } else {
                putBe16(w, i + 4, tcpBytes);
                pseudo = sum(w, i + 8, 32, 0) + TCP + tcpBytes;
            }
            // NEEDS_CSUM: the field holds the pseudo-header's sum, folded and not complemented
            putBe16(w, t + 16, ~finish(pseudo) & 0xffff);
            return new Write(Bytes.adopt(h.encode()), Bytes.adopt(w), run.size());
        }
    }

    private static boolean same(byte[] a, byte[] b, int from, int length) {
        return java.util.Arrays.equals(a, from, from + length, b, from, from + length);
    }

    /** RFC 1071: 64-bit big-endian words, each word's 32-bit halves added (as jmirage.net.wire.Checksum). */
    static long sum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(data, i);
            sum += (word >>> 32) + (word & 0xffff_ffffL);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static void putLe16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    private static int be16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long be32(byte[] b, int i) {
        return (long) be16(b, i) << 16 | be16(b, i + 2);
    }

    private static void putBe16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void putBe32(byte[] b, int i, long v) {
        putBe16(b, i, (int) (v >>> 16) & 0xffff);
        putBe16(b, i + 2, (int) v & 0xffff);
    }
}
