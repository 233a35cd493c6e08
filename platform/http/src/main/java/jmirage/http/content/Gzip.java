package jmirage.http.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import jmirage.core.Bytes;

/**
 * gzip (RFC 1952) of a body, in memory. Deterministic: java.util.zip writes no file name and MTIME 0
 * ("no time stamp", RFC 1952 2.3.1), so the same bytes give the same copy (and web-canopy the same
 * entity tag on every build).
 */
public final class Gzip {

    private Gzip() {}

    public static Bytes compress(Bytes data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.size() / 3));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(data.toArray());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
        return Bytes.adopt(out.toByteArray());
    }
}
