package jmirage.dns;

import java.util.Optional;
import jmirage.core.Bytes;

/** RFC 4648 7 base32 with the extended hex alphabet, no padding, as NSEC3 uses it (RFC 5155 3.3). */
public final class Base32Hex {
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuv";

    private Base32Hex() {}

    public static String encode(Bytes b) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < b.size(); i++) {
            buffer = (buffer << 8) | b.getUnsigned(i);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    public static Optional<Bytes> decode(String s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (c == '=') {
                break;
            }
            int v = ALPHABET.indexOf(c);
            if (v < 0) {
                return Optional.empty();
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                if (n >= out.length) {
                    return Optional.empty();
                }
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            return Optional.empty();
        }
        return Optional.of(Bytes.of(out, 0, n));
    }
}
