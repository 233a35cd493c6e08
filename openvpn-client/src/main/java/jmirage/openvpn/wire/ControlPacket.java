package jmirage.openvpn.wire;

import java.util.Objects;
import jmirage.core.Bytes;

/**
 * A control-channel packet once its wrapping (none, tls-auth or tls-crypt) is off: a message the
 * reliability layer numbers and retransmits, or a bare acknowledgement (P_ACK_V1).
 */
public sealed interface ControlPacket {

    Opcode opcode();

    int keyId();

    SessionId session();

    Acks acks();

    /**
     * A reliable message (hard resets, soft reset, P_CONTROL_V1, P_CONTROL_WKC_V1): acks, its
     * 4-byte message id, then the payload (TLS records, or early-negotiation TLVs in a reset).
     */
    record Message(Opcode opcode, int keyId, SessionId session, Acks acks, long messageId, Bytes payload) implements ControlPacket {
        public Message {
            if (!opcode.isReliable()) {
                throw new IllegalArgumentException(opcode + " is not a reliable control message");
            }
            checkKeyId(keyId);
            Objects.requireNonNull(session);
            Objects.requireNonNull(acks);
            PacketIds.check(messageId);
            Objects.requireNonNull(payload);
        }
    }

    /** P_ACK_V1: acknowledgements only, no message id, no payload. */
    record Ack(int keyId, SessionId session, Acks acks) implements ControlPacket {
        public Ack {
            checkKeyId(keyId);
            Objects.requireNonNull(session);
            if (acks.isEmpty()) {
                throw new IllegalArgumentException("an ACK packet acknowledges something");
            }
        }

        @Override
        public Opcode opcode() {
            return Opcode.ACK_V1;
        }
    }

    private static void checkKeyId(int keyId) {
        if (keyId < 0 || keyId > Opcode.KEY_ID_MASK) {
            throw new IllegalArgumentException("key id " + keyId);
        }
    }
}
