package jmirage.net.ipv4;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * An IPv4 datagram or fragment (RFC 791 3.1). Options are skipped on input (RFC 1122 3.2.1.8: a
 * host must ignore options it does not implement) and never sent. {@code fragmentOffset} is in bytes.
 */
public record Ipv4Packet(int tos, int identification, boolean dontFragment, boolean moreFragments, int fragmentOffset,
        int ttl, int protocol, Inet4Address source, Inet4Address destination, Bytes payload) {

    public static final int HEADER = 20;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    public static Result<Ipv4Packet, ParseError> parse(Bytes b) {
        if (b.size() < HEADER) {
            return err("packet of " + b.size() + " bytes is shorter than a header");
        }
        int version = b.getUnsigned(0) >>> 4;
        int ihl = (b.getUnsigned(0) & 0x0f) * 4;
        if (version != 4) {
            return err("version " + version);
        }
        if (ihl < HEADER || ihl > b.size()) {
            return err("header length " + ihl);
        }
        int total = Wire.u16(b, 2);
        // RFC 1122 3.2.1.2 / 3.3.2: silently discard a bad header; a frame may carry Ethernet padding after.
        if (total < ihl || total > b.size()) {
            return err("total length " + total + " for " + b.size() + " bytes");
        }
        if (Checksum.finish(Checksum.sum(b, 0, ihl, 0)) != 0) {
            return err("bad header checksum");
        }
        int flags = Wire.u16(b, 6);
        if ((flags & 0x8000) != 0) {
            return err("reserved flag set");
        }
        return Result.ok(new Ipv4Packet(b.getUnsigned(1), Wire.u16(b, 4), (flags & 0x4000) != 0, (flags & 0x2000) != 0,
                (flags & 0x1fff) * 8, b.getUnsigned(8), b.getUnsigned(9), Wire.ipv4(b, 12), Wire.ipv4(b, 16),
                b.slice(ihl, total)));
    }

    private static Result<Ipv4Packet, ParseError> err(String reason) {
        return Result.err(new ParseError("ipv4", reason));
    }

    public Bytes encode() {
        byte[] h = new byte[HEADER + payload.size()];
        h[0] = 0x45;
        h[1] = (byte) tos;
        Wire.putU16(h, 2, HEADER + payload.size());
        Wire.putU16(h, 4, identification);
        Wire.putU16(h, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset / 8));
        h[8] = (byte) ttl;
        h[9] = (byte) protocol;
        Wire.putAddress(h, 12, source);
        Wire.putAddress(h, 16, destination);
        Wire.putU16(h, 10, Checksum.of(h, 0, HEADER));
        payload.copyTo(0, h, HEADER, payload.size());
        return Bytes.adopt(h);
    }

    public Ipv4Packet withPayload(Bytes p, boolean more, int offset) {
        return new Ipv4Packet(tos, identification, dontFragment, more, offset, ttl, protocol, source, destination, p);
    }
}
