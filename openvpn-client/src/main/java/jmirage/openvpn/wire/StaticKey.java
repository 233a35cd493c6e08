package jmirage.openvpn.wire;

import java.util.HexFormat;
import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * A 2048-bit OpenVPN static key (crypto.c read_key_file / write_key_file): two keys, each a 64-byte
 * cipher part followed by a 64-byte HMAC part, as `openvpn --genkey secret` writes them between
 * {@code -----BEGIN OpenVPN Static key V1-----} and the END line, 16 lines of 32 hex digits. The
 * same layout holds the tls-crypt-v2 client key and the data channel's expanded key material.
 */
public record StaticKey(Bytes bytes) {

    public static final int SIZE = 256;
    public static final int PART = 64;
    static final String BEGIN = "-----BEGIN OpenVPN Static key V1-----";
    static final String END = "-----END OpenVPN Static key V1-----";

    public StaticKey {
        Objects.requireNonNull(bytes);
        if (bytes.size() != SIZE) {
            throw new IllegalArgumentException("a static key has " + SIZE + " bytes, not " + bytes.size());
        }
    }

    /** The cipher part of key {@code index} (0 or 1). */
    public Bytes cipher(int index) {
        return bytes.slice(index * 2 * PART, index * 2 * PART + PART);
    }

    /** The HMAC part of key {@code index} (0 or 1). */
    public Bytes hmac(int index) {
        return bytes.slice(index * 2 * PART + PART, (index + 1) * 2 * PART);
    }

    /**
     * The key file's text: anything before BEGIN (OpenVPN writes a comment) is ignored, and the hex
     * digits between BEGIN and END, whitespace aside, must make exactly 256 bytes.
     */
    public static Result<StaticKey, WireError> parse(String text) {
        int begin = text.indexOf(BEGIN);
        if (begin < 0) {
            return Result.err(new WireError("no '" + BEGIN + "' line"));
        }
        int end = text.indexOf(END, begin);
        if (end < 0) {
            return Result.err(new WireError("no '" + END + "' line"));
        }
        String hex = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        if (hex.length() != SIZE * 2) {
            return Result.err(new WireError("static key of " + hex.length() + " hex digits, expected " + SIZE * 2));
        }
        if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Result.err(new WireError("static key with a character that is not a hex digit"));
        }
        return Result.ok(new StaticKey(Bytes.fromHex(hex)));
    }

    /** As `openvpn --genkey secret` writes it. */
    public String format() {
        StringBuilder out = new StringBuilder("#\n# 2048 bit OpenVPN static key\n#\n").append(BEGIN).append('\n');
        String hex = HexFormat.of().formatHex(bytes.toArray());
        for (int i = 0; i < hex.length(); i += 32) {
            out.append(hex, i, i + 32).append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    @Override
    public String toString() {
        return "StaticKey[secret]";
    }
}
