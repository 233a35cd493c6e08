package jmirage.openvpn.session;

import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.openvpn.keys.KeySource;

/**
 * Where the server's key method 2 message ends in the TLS plaintext (ssl.c key_method_2_write: four
 * zero bytes, the method, two randoms, then four length-prefixed strings: options, username,
 * password, peer info), so that what follows it (a PUSH_REPLY in the same read) is not lost.
 */
final class ServerKeyMessage {

    private static final int STRINGS = 4;

    private ServerKeyMessage() {}

    /** The message's length when {@code plaintext} holds all of it, else empty. */
    static OptionalInt length(Bytes plaintext) {
        int at = 5 + 2 * KeySource.RANDOM;
        for (int i = 0; i < STRINGS; i++) {
            if (plaintext.size() < at + 2) {
                return OptionalInt.empty();
            }
            at += 2 + (plaintext.getUnsigned(at) << 8 | plaintext.getUnsigned(at + 1));
        }
        return plaintext.size() < at ? OptionalInt.empty() : OptionalInt.of(at);
    }
}
