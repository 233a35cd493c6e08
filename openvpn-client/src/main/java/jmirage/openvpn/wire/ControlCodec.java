package jmirage.openvpn.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The parts of a control packet every wrapping shares (ssl_pkt.c write_control_auth, reliable.c):
 * the header (opcode/key-id byte and the sender's session id) and the body (ACK array, message id
 * unless P_ACK_V1, payload). Each wrapping puts its own fields between the two (tls-auth) or
 * encrypts the body (tls-crypt).
 */
public final class ControlCodec {

    /** Opcode byte and session id. */
    public static final int HEADER_SIZE = 1 + SessionId.SIZE;

    private ControlCodec() {}

    public static byte[] header(ControlPacket packet) {
        byte[] header = new byte[HEADER_SIZE];
        header[0] = (byte) packet.opcode().firstByte(packet.keyId());
        packet.session().write(header, 1);
        return header;
    }

    public static byte[] body(ControlPacket packet) {
        Acks acks = packet.acks();
        int size = acks.encodedSize();
        if (packet instanceof ControlPacket.Message message) {
            size += 4 + message.payload().size();
        }
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = (byte) acks.ids().size();
        for (long id : acks.ids()) {
            PacketIds.write(id, out, at);
            at += 4;
        }
        if (acks.remoteSession().isPresent()) {
            acks.remoteSession().get().write(out, at);
            at += SessionId.SIZE;
        }
        if (packet instanceof ControlPacket.Message message) {
            PacketIds.write(message.messageId(), out, at);
            at += 4;
            message.payload().copyTo(0, out, at, message.payload().size());
        }
        return out;
    }

    /** A control packet that travels with no wrapping (neither tls-auth nor tls-crypt). */
    public static Bytes encodePlain(ControlPacket packet) {
        byte[] header = header(packet);
        byte[] body = body(packet);
        byte[] out = new byte[header.length + body.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(body, 0, out, header.length, body.length);
        return Bytes.adopt(out);
    }

    public static Result<ControlPacket, WireError> decodePlain(Bytes packet) {
        byte[] b = packet.toArray();
        return decodeHeader(b).flatMap(h -> decodeBody(h, b, HEADER_SIZE, b.length));
    }

    /** Opcode, key id and session id of a control packet's first 9 bytes. */
    public record Header(Opcode opcode, int keyId, SessionId session) {}

    public static Result<Header, WireError> decodeHeader(byte[] b) {
        if (b.length < HEADER_SIZE) {
            return Result.err(new WireError("control packet of " + b.length + " bytes, shorter than its header"));
        }
        Optional<Opcode> opcode = Opcode.ofFirstByte(b[0]);
        if (opcode.isEmpty()) {
            return Result.err(new WireError("unknown opcode " + ((b[0] & 0xff) >>> Opcode.SHIFT)));
        }
        if (opcode.get().isData()) {
            return Result.err(new WireError(opcode.get() + " is a data packet, not a control packet"));
        }
        return Result.ok(new Header(opcode.get(), b[0] & Opcode.KEY_ID_MASK, SessionId.of(b, 1)));
    }

    /** The body in {@code b[from, to)} of a packet with header {@code h}. */
    public static Result<ControlPacket, WireError> decodeBody(Header h, byte[] b, int from, int to) {
        int at = from;
        if (to - at < 1) {
            return Result.err(new WireError(h.opcode() + " without its ACK array"));
        }
        int count = b[at++] & 0xff;
        if (count > Acks.MAX) {
            return Result.err(new WireError(count + " acks, at most " + Acks.MAX));
        }
        if (to - at < count * 4 + (count > 0 ? SessionId.SIZE : 0)) {
            return Result.err(new WireError("ACK array of " + count + " ids truncated"));
        }
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(PacketIds.read(b, at));
            at += 4;
        }
        Acks acks = Acks.NONE;
        if (count > 0) {
            acks = Acks.of(ids, SessionId.of(b, at));
            at += SessionId.SIZE;
        }
        if (h.opcode() == Opcode.ACK_V1) {
            if (acks.isEmpty()) {
                return Result.err(new WireError("P_ACK_V1 acknowledging nothing"));
            }
            if (at != to) {
                return Result.err(new WireError("P_ACK_V1 with " + (to - at) + " bytes after its acks"));
            }
            return Result.ok(new ControlPacket.Ack(h.keyId(), h.session(), acks));
        }
        if (to - at < 4) {
            return Result.err(new WireError(h.opcode() + " without its message id"));
        }
        long messageId = PacketIds.read(b, at);
        at += 4;
        return Result.ok(new ControlPacket.Message(h.opcode(), h.keyId(), h.session(), acks, messageId, Bytes.of(b, at, to - at)));
    }
}
