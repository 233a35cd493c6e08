package jmirage.acme.jose;

import java.util.Base64;
import java.util.Optional;
import jmirage.core.Bytes;

/** base64url without padding (RFC 7515 2 and appendix C, RFC 4648 5), as JOSE and ACME use everywhere. */
public final class Base64Url {

    private Base64Url() {}

    public static String encode(Bytes bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toArray());
    }

    /** The bytes of {@code text}; empty when it is not unpadded base64url. */
    public static Optional<Bytes> decode(String text) {
        if (text.indexOf('=') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Bytes.adopt(Base64.getUrlDecoder().decode(text)));
        } catch (IllegalArgumentException notBase64Url) {
            return Optional.empty();
        }
    }
}
