package jmirage.openvpn.wire;

import java.util.Base64;
import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * A tls-crypt-v2 client key as `openvpn --genkey tls-crypt-v2-client` writes it (tls_crypt.c
 * tls_crypt_v2_write_client_key_file): PEM {@code OpenVPN tls-crypt-v2 client key} holding the
 * client's 256-byte key Kc (laid out as a {@link StaticKey}) followed by WKc, Kc wrapped with the
 * server's key, which the client appends to its first packets. WKc ends with its own length as a
 * 16-bit number (tls_crypt_v2_extract_client_key reads it from the end).
 */
public record TlsCryptV2ClientKey(StaticKey key, Bytes wrappedKey) {

    static final String PEM_NAME = "OpenVPN tls-crypt-v2 client key";
    /** tls_crypt.h TLS_CRYPT_V2_MAX_WKC_LEN. */
    public static final int MAX_WRAPPED_KEY = 1024;

    public TlsCryptV2ClientKey {
        Objects.requireNonNull(key);
        Objects.requireNonNull(wrappedKey);
    }

    public static Result<TlsCryptV2ClientKey, WireError> parse(String text) {
        String begin = "-----BEGIN " + PEM_NAME + "-----";
        String end = "-----END " + PEM_NAME + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0) {
            return Result.err(new WireError("not a PEM '" + PEM_NAME + "'"));
        }
        byte[] decoded;
        try {
            decoded = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException bad) {
            return Result.err(new WireError("tls-crypt-v2 client key is not base64: " + bad.getMessage()));
        }
        int wkcLength = decoded.length - StaticKey.SIZE;
        if (wkcLength < 2 || wkcLength > MAX_WRAPPED_KEY) {
            return Result.err(new WireError("tls-crypt-v2 client key of " + decoded.length + " bytes: the wrapped key would have " + wkcLength));
        }
        int declared = (decoded[decoded.length - 2] & 0xff) << 8 | (decoded[decoded.length - 1] & 0xff);
        if (declared != wkcLength) {
            return Result.err(new WireError("tls-crypt-v2 wrapped key says " + declared + " bytes but has " + wkcLength));
        }
        return Result.ok(new TlsCryptV2ClientKey(
                new StaticKey(Bytes.of(decoded, 0, StaticKey.SIZE)), Bytes.of(decoded, StaticKey.SIZE, wkcLength)));
    }

    @Override
    public String toString() {
        return "TlsCryptV2ClientKey[secret, wrapped key of " + wrappedKey.size() + " bytes]";
    }
}
