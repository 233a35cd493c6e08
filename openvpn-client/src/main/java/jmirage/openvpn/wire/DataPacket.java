package jmirage.openvpn.wire;

import java.util.Objects;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * A data-channel packet as the link carries it (ssl.c tls_prepend_opcode_v1/v2): the opcode/key-id
 * byte, for P_DATA_V2 a 3-byte peer id, then the encrypted part, whose layout the cipher decides
 * ({@code jmirage.openvpn.data}).
 *
 * @param peerId the server-assigned peer id of P_DATA_V2 (24 bits); empty for P_DATA_V1
 */
public record DataPacket(int keyId, OptionalInt peerId, Bytes encrypted) {

    /** ssl.h: a peer id of 0xFFFFFF means none was assigned; the header is still V2. */
    public static final int NO_PEER_ID = 0xffffff;

    public DataPacket {
        if (keyId < 0 || keyId > Opcode.KEY_ID_MASK) {
            throw new IllegalArgumentException("key id " + keyId);
        }
        if (peerId.isPresent() && (peerId.getAsInt() < 0 || peerId.getAsInt() > NO_PEER_ID)) {
            throw new IllegalArgumentException("peer id " + peerId.getAsInt() + " is not 24 bits");
        }
        Objects.requireNonNull(encrypted);
    }

    public Opcode opcode() {
        return peerId.isPresent() ? Opcode.DATA_V2 : Opcode.DATA_V1;
    }

    /** The header bytes: 1 for P_DATA_V1, 4 for P_DATA_V2. They are the start of the AEAD's additional data. */
    public byte[] header() {
        if (peerId.isEmpty()) {
            return new byte[] {(byte) Opcode.DATA_V1.firstByte(keyId)};
        }
        int p = peerId.getAsInt();
        return new byte[] {(byte) Opcode.DATA_V2.firstByte(keyId), (byte) (p >>> 16), (byte) (p >>> 8), (byte) p};
    }

    public Bytes encode() {
        return Bytes.adopt(header()).concat(encrypted);
    }

    public static Result<DataPacket, WireError> decode(Bytes packet) {
        if (packet.isEmpty()) {
            return Result.err(new WireError("empty packet"));
        }
        int first = packet.getUnsigned(0);
        int keyId = first & Opcode.KEY_ID_MASK;
        return switch (Opcode.ofFirstByte(first).orElse(null)) {
            case DATA_V1 -> Result.ok(new DataPacket(keyId, OptionalInt.empty(), packet.slice(1, packet.size())));
            case DATA_V2 -> packet.size() < 4
                    ? Result.err(new WireError("P_DATA_V2 of " + packet.size() + " bytes, shorter than its header"))
                    : Result.ok(new DataPacket(keyId,
                            OptionalInt.of(packet.getUnsigned(1) << 16 | packet.getUnsigned(2) << 8 | packet.getUnsigned(3)),
                            packet.slice(4, packet.size())));
            case null -> Result.err(new WireError("unknown opcode " + (first >>> Opcode.SHIFT)));
            default -> Result.err(new WireError("opcode " + (first >>> Opcode.SHIFT) + " is not a data packet"));
        };
    }

    /** Whether a packet from the link belongs to the data channel: its opcode says so. */
    public static boolean isData(Bytes packet) {
        return !packet.isEmpty() && Opcode.ofFirstByte(packet.getUnsigned(0)).map(Opcode::isData).orElse(false);
    }
}
