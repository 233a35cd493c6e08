package jmirage.openvpn.wire;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * OpenVPN over TCP (socket.h stream_buf): each packet preceded by its length as a 16-bit
 * big-endian number. {@link #frame} adds it; a {@code TcpFraming} value holds the bytes of a
 * packet not yet complete, and {@link #feed} returns the next value and the packets completed.
 */
public record TcpFraming(Bytes pending) {

    public static final TcpFraming EMPTY = new TcpFraming(Bytes.EMPTY);
    public static final int MAX_PACKET = 0xffff;

    public static Bytes frame(Bytes packet) {
        if (packet.size() > MAX_PACKET || packet.isEmpty()) {
            throw new IllegalArgumentException("a packet of " + packet.size() + " bytes cannot be framed");
        }
        return Bytes.of((byte) (packet.size() >>> 8), (byte) packet.size()).concat(packet);
    }

    public record Fed(TcpFraming next, List<Bytes> packets) {
        public Fed {
            packets = List.copyOf(packets);
        }
    }

    /**
     * The packets {@code bytes} completes. A zero length is an error: OpenVPN never sends an empty
     * packet, and a stream that says so has lost its framing.
     */
    public Result<Fed, WireError> feed(Bytes bytes) {
        Bytes all = pending.concat(bytes);
        List<Bytes> packets = new ArrayList<>();
        int at = 0;
        while (all.size() - at >= 2) {
            int length = all.getUnsigned(at) << 8 | all.getUnsigned(at + 1);
            if (length == 0) {
                return Result.err(new WireError("TCP frame of length 0"));
            }
            if (all.size() - at - 2 < length) {
                break;
            }
            packets.add(all.slice(at + 2, at + 2 + length));
            at += 2 + length;
        }
        return Result.ok(new Fed(new TcpFraming(all.slice(at, all.size())), packets));
    }
}
