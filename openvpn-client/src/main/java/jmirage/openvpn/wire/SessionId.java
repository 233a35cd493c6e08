package jmirage.openvpn.wire;

import java.util.HexFormat;

/** The 8 random bytes that name one end of a TLS session (ssl_pkt.h SID_SIZE), kept as a 64-bit value. */
public record SessionId(long value) {

    public static final int SIZE = 8;

    public static SessionId of(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < SIZE; i++) {
            v = v << 8 | (bytes[offset + i] & 0xff);
        }
        return new SessionId(v);
    }

    public void write(byte[] to, int offset) {
        for (int i = 0; i < SIZE; i++) {
            to[offset + i] = (byte) (value >>> (8 * (SIZE - 1 - i)));
        }
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(value);
    }
}
