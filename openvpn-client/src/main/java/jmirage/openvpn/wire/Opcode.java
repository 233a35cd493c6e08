package jmirage.openvpn.wire;

import java.util.Optional;

/**
 * The opcodes of OpenVPN's packets (src/openvpn/ssl_pkt.h): the high five bits of a packet's first
 * byte, beside the three-bit key id. The V1 hard resets (key method 1) are gone from OpenVPN 2.6 and
 * are not decoded.
 */
public enum Opcode {
    CONTROL_SOFT_RESET_V1(3),
    CONTROL_V1(4),
    ACK_V1(5),
    DATA_V1(6),
    CONTROL_HARD_RESET_CLIENT_V2(7),
    CONTROL_HARD_RESET_SERVER_V2(8),
    DATA_V2(9),
    CONTROL_HARD_RESET_CLIENT_V3(10),
    CONTROL_WKC_V1(11);

    public static final int KEY_ID_MASK = 0x07;
    public static final int SHIFT = 3;

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<Opcode> of(int code) {
        for (Opcode opcode : values()) {
            if (opcode.code == code) {
                return Optional.of(opcode);
            }
        }
        return Optional.empty();
    }

    /** The opcode of a packet's first byte. */
    public static Optional<Opcode> ofFirstByte(int firstByte) {
        return of((firstByte & 0xff) >>> SHIFT);
    }

    /** The packet's first byte: opcode and key id (0..7). */
    public int firstByte(int keyId) {
        if (keyId < 0 || keyId > KEY_ID_MASK) {
            throw new IllegalArgumentException("key id " + keyId);
        }
        return code << SHIFT | keyId;
    }

    public boolean isData() {
        return this == DATA_V1 || this == DATA_V2;
    }

    /** A control packet with a message id, carried by the reliability layer (all but the ACK and the data packets). */
    public boolean isReliable() {
        return !isData() && this != ACK_V1;
    }

    /** The packets that carry the tls-crypt-v2 wrapped client key after the tls-crypt part (ssl_pkt.c tls_wrap_control). */
    public boolean carriesWrappedClientKey() {
        return this == CONTROL_HARD_RESET_CLIENT_V3 || this == CONTROL_WKC_V1;
    }
}
