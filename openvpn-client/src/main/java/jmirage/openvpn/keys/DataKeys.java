package jmirage.openvpn.keys;

import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.DirectionKeys;
import jmirage.openvpn.wire.KeyDirection;
import jmirage.openvpn.wire.StaticKey;

/**
 * The data channel's keys for each direction, cut from the expanded key material (ssl.c
 * init_key_contexts, crypto.c init_key_ctx): the client uses key direction 0 (sends with key 0,
 * receives with key 1), the server the inverse; in each key the cipher key is the first
 * key-size bytes of the cipher part and the AEAD implicit IV the first 8 bytes of the HMAC part.
 */
public record DataKeys(DirectionKeys send, DirectionKeys receive) {

    public static DataKeys forClient(AeadCipher cipher, StaticKey material) {
        return of(cipher, material, KeyDirection.NORMAL);
    }

    public static DataKeys forServer(AeadCipher cipher, StaticKey material) {
        return of(cipher, material, KeyDirection.INVERSE);
    }

    private static DataKeys of(AeadCipher cipher, StaticKey material, KeyDirection direction) {
        return new DataKeys(direction(cipher, material, direction.outgoing()), direction(cipher, material, direction.incoming()));
    }

    private static DirectionKeys direction(AeadCipher cipher, StaticKey material, int index) {
        return new DirectionKeys(material.cipher(index).slice(0, cipher.keySize()),
                material.hmac(index).slice(0, DirectionKeys.IMPLICIT_IV_SIZE));
    }
}
