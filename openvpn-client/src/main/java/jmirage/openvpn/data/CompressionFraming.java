package jmirage.openvpn.data;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.wire.WireError;

/**
 * The compression framing a server may insist on although nothing is compressed (compstub.c,
 * comp.h): this client never compresses (VORACLE), and refuses a packet the peer compressed.
 */
public enum CompressionFraming {
    /** No framing. */
    NONE,
    /** {@code comp-lzo no}: a 0xFA byte before each packet (NO_COMPRESS_BYTE). */
    LZO_NO,
    /** {@code compress} / {@code compress stub}: the first byte moved to the end and 0xFB in its place (COMP_F_SWAP). */
    STUB,
    /** {@code compress stub-v2}: nothing, unless the packet starts with 0x50, which is then escaped as 0x50 0x00 (compv2_escape_data_ifneeded). */
    STUB_V2;

    static final int NO_COMPRESS = 0xfa;
    static final int NO_COMPRESS_SWAP = 0xfb;
    static final int V2_INDICATOR = 0x50;
    static final int V2_UNCOMPRESSED = 0x00;

    public Bytes frame(Bytes packet) {
        if (packet.isEmpty()) {
            return packet;
        }
        return switch (this) {
            case NONE -> packet;
            case LZO_NO -> Bytes.of((byte) NO_COMPRESS).concat(packet);
            case STUB -> Bytes.of((byte) NO_COMPRESS_SWAP).concat(packet.slice(1, packet.size())).concat(packet.slice(0, 1));
            case STUB_V2 -> packet.getUnsigned(0) == V2_INDICATOR ? Bytes.of((byte) V2_INDICATOR, (byte) V2_UNCOMPRESSED).concat(packet) : packet;
        };
    }

    public Result<Bytes, WireError> unframe(Bytes packet) {
        if (packet.isEmpty()) {
            return Result.ok(packet);
        }
        int head = packet.getUnsigned(0);
        return switch (this) {
            case NONE -> Result.ok(packet);
            case LZO_NO -> head == NO_COMPRESS ? Result.ok(packet.slice(1, packet.size()))
                    : Result.err(new WireError("compression header byte " + head + ": the peer compressed, which this client refuses"));
            case STUB -> head == NO_COMPRESS_SWAP
                    ? Result.ok(packet.slice(packet.size() - 1, packet.size()).concat(packet.slice(1, packet.size() - 1)))
                    : Result.err(new WireError("compression header byte " + head + ": the peer compressed, which this client refuses"));
            case STUB_V2 -> {
                if (head != V2_INDICATOR) {
                    yield Result.ok(packet);
                }
                if (packet.size() < 2 || packet.getUnsigned(1) != V2_UNCOMPRESSED) {
                    yield Result.err(new WireError("compression v2 header: the peer compressed, which this client refuses"));
                }
                yield Result.ok(packet.slice(2, packet.size()));
            }
        };
    }
}
