package jmirage.canopy.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import jmirage.core.Bytes;

/**
 * gzip (RFC 1952) of a body. Deterministic: java.util.zip writes no file name and MTIME 0 ("no time
 * stamp", RFC 1952 2.3.1), so the same bytes give the same copy and the same entity tag on every build.
 */
final class Gzip {

    private Gzip() {}

    static Bytes compress(Bytes body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() / 3 + 32);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return Bytes.adopt(out.toByteArray());
    }
}
