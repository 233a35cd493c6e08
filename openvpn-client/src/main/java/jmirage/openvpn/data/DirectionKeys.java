package jmirage.openvpn.data;

import java.util.Objects;
import jmirage.core.Bytes;

/**
 * The data channel's key for one direction (crypto.c init_key_ctx): the cipher key and the 8-byte
 * implicit IV that completes each packet's 4-byte packet id into the 12-byte nonce.
 */
public record DirectionKeys(Bytes key, Bytes implicitIv) {

    public static final int IMPLICIT_IV_SIZE = AeadCipher.NONCE_SIZE - 4;

    public DirectionKeys {
        Objects.requireNonNull(key);
        if (implicitIv.size() != IMPLICIT_IV_SIZE) {
            throw new IllegalArgumentException("implicit IV of " + implicitIv.size() + " bytes");
        }
    }

    @Override
    public String toString() {
        return "DirectionKeys[secret]";
    }
}
