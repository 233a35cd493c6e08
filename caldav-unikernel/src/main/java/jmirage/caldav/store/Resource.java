package jmirage.caldav.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.core.Bytes;

/**
 * A calendar object resource: the bytes the client stored (served back as they were), its strong
 * ETag (a digest of those bytes, so equal on every server restart and every replica), when it last
 * changed, and its index: from validation, or ({@code validated} false) a {@link FallbackIndex} for
 * an object edited by hand that does not validate, which the object index file leaves out.
 */
public record Resource(String name, Bytes data, String etag, Instant lastModified, CalendarIndex index, boolean validated) {

    /** An object that validated: its index is {@code index}. */
    public static Resource of(String name, Bytes data, CalendarIndex index, Instant lastModified) {
        return new Resource(name, data, etagOf(data), lastModified, index, true);
    }

    /** A quoted strong entity tag: the first 128 bits of the SHA-256 of the content. */
    public static String etagOf(Bytes data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data.asReadOnlyBuffer());
            return "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
