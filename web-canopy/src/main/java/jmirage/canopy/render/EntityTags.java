package jmirage.canopy.render;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jmirage.core.Bytes;

/**
 * Strong entity tags (RFC 9110 8.8.3): a digest of the exact bytes, so two builds of the same
 * content give the same tag and any change of a byte gives another.
 */
final class EntityTags {

    private EntityTags() {}

    /** 128 bits of the bytes' SHA-256, in hex: only etagc characters (RFC 9110 8.8.3). */
    static String opaque(Bytes body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(body.asReadOnlyBuffer());
            return HexFormat.of().formatHex(sha256.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** RFC 9110 8.8.3: {@code opaque-tag = DQUOTE *etagc DQUOTE}. */
    static String quote(String opaque) {
        return "\"" + opaque + "\"";
    }
}
