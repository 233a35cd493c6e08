package jmirage.openvpn.keys;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.wire.WireError;

/**
 * Key method 2, the first plaintext the peers exchange inside TLS (ssl.c key_method_2_write and
 * key_method_2_read): a 4-byte zero, the byte 2, the key source (the client's with its pre-master
 * secret), then strings, each a 16-bit length counting a terminating NUL, the text and the NUL
 * (write_string; an absent string is a zero length): the options string, the username, the
 * password, and the peer info.
 */
public final class KeyMethod2 {

    static final int METHOD = 2;

    private KeyMethod2() {}

    /** The client's message. Credentials are sent only when given (auth-user-pass). */
    public record ClientMessage(KeySource source, String options, Optional<String> username, Optional<String> password, String peerInfo) {
        public ClientMessage {
            if (source.preMaster().isEmpty()) {
                throw new IllegalArgumentException("the client sends its pre-master secret");
            }
        }

        public Bytes encode() {
            Bytes out = Bytes.of((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) METHOD).concat(source.encode()).concat(string(options));
            out = out.concat(username.map(KeyMethod2::string).orElse(EMPTY)).concat(password.map(KeyMethod2::string).orElse(EMPTY));
            return out.concat(string(peerInfo));
        }

        @Override
        public String toString() {
            return "ClientMessage[" + options + ", user " + username.orElse("-") + "]";
        }
    }

    /**
     * The client's options string (options.c options_string): informational since OpenVPN 2.4,
     * compared by a server only with --opt-verify and otherwise logged. Only what holds for this
     * client: a tun device, the usual tun MTU, the transport (proto2ascii), key method 2, the TLS
     * client role. The data-channel fields (cipher, auth, keysize) are negotiated, not stated here.
     */
    public static String clientOptions(boolean tcp) {
        return "V4,dev-type tun,tun-mtu 1500,proto " + (tcp ? "TCPv4_CLIENT" : "UDPv4") + ",key-method 2,tls-client";
    }

    /** What the server sends: its randoms, its options string and (2.4 and later) its peer info. */
    public record ServerMessage(KeySource source, String options, String peerInfo) {}

    private static final Bytes EMPTY = Bytes.of((byte) 0, (byte) 0);

    static Bytes string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length + 1 > 0xffff) {
            throw new IllegalArgumentException("a key method 2 string has at most 65534 bytes");
        }
        byte[] out = new byte[utf8.length + 3];
        out[0] = (byte) ((utf8.length + 1) >>> 8);
        out[1] = (byte) (utf8.length + 1);
        System.arraycopy(utf8, 0, out, 2, utf8.length);
        return Bytes.adopt(out);
    }

    /**
     * Where the server's message ends in the TLS plaintext when {@code plaintext} holds all of it
     * (its four strings, as key_method_2_write always writes them), else empty: what follows it (a
     * PUSH_REPLY in the same read) is the next message, and a message cut short waits for more.
     */
    public static OptionalInt serverMessageLength(Bytes plaintext) {
        int at = 5 + 2 * KeySource.RANDOM;
        for (int i = 0; i < 4; i++) {
            if (plaintext.size() < at + 2) {
                return OptionalInt.empty();
            }
            at += 2 + (plaintext.getUnsigned(at) << 8 | plaintext.getUnsigned(at + 1));
        }
        return plaintext.size() < at ? OptionalInt.empty() : OptionalInt.of(at);
    }

    public static Result<ServerMessage, WireError> parseServer(Bytes message) {
        if (message.size() < 5 + 2 * KeySource.RANDOM) {
            return Result.err(new WireError("key method 2 message of " + message.size() + " bytes is too short"));
        }
        if (message.getUnsigned(0) != 0 || message.getUnsigned(1) != 0 || message.getUnsigned(2) != 0 || message.getUnsigned(3) != 0) {
            return Result.err(new WireError("key method 2 message does not start with four zero bytes"));
        }
        if ((message.getUnsigned(4) & 0x0f) != METHOD) {
            return Result.err(new WireError("key method " + (message.getUnsigned(4) & 0x0f) + ", not 2"));
        }
        int at = 5;
        KeySource source = new KeySource(Optional.empty(), message.slice(at, at + KeySource.RANDOM),
                message.slice(at + KeySource.RANDOM, at + 2 * KeySource.RANDOM));
        at += 2 * KeySource.RANDOM;
        String[] strings = new String[4];
        for (int i = 0; i < strings.length; i++) {
            if (message.size() - at < 2) {
                if (i == 0) {
                    return Result.err(new WireError("key method 2 message without its options string"));
                }
                strings[i] = "";
                continue;
            }
            int length = message.getUnsigned(at) << 8 | message.getUnsigned(at + 1);
            at += 2;
            if (message.size() - at < length) {
                return Result.err(new WireError("key method 2 string of " + length + " bytes truncated"));
            }
            // read_string: the last byte is the NUL, replaced whatever it was.
            strings[i] = length == 0 ? "" : new String(message.slice(at, at + length - 1).toArray(), StandardCharsets.UTF_8);
            at += length;
        }
        // A server sends no username and password: its second and third strings are empty, its peer info the fourth.
        return Result.ok(new ServerMessage(source, strings[0], strings[3]));
    }
}
