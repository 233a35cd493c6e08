package jmirage.canopy.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import jmirage.core.Bytes;
import jmirage.http.content.Gzip;
import org.junit.jupiter.api.Test;

class ResourceTest {

    private static final Bytes PAGE = Bytes.utf8("<p>A page that repeats itself. </p>\n".repeat(50));
    private static final Instant WHEN = Instant.parse("2026-12-06T13:00:00.750Z");

    @Test
    void theEntityTagIsStrongQuotedAndFollowsTheBytes() {
        Resource r = Resource.of(MediaTypes.HTML, PAGE, WHEN);
        assertTrue(r.etag().matches("\"[0-9a-f]{32}\""), r.etag());   // RFC 9110 8.8.3: no W/ prefix
        assertEquals(r.etag(), Resource.of(MediaTypes.HTML, PAGE, Instant.EPOCH).etag());
        assertNotEquals(r.etag(), Resource.of(MediaTypes.HTML, PAGE.concat(Bytes.utf8(" ")), WHEN).etag());
    }

    @Test
    void lastModifiedKeepsWholeSecondsAsAnHttpDateDoes() {
        assertEquals(Instant.parse("2026-12-06T13:00:00Z"), Resource.of(MediaTypes.HTML, PAGE, WHEN).lastModified());
    }

    @Test
    void aCompressibleBodyGetsAGzipCopyWithItsOwnTag() throws IOException {
        Resource r = Resource.of(MediaTypes.HTML, PAGE, WHEN);
        Resource.Encoded gzip = r.gzip().orElseThrow();
        assertTrue(gzip.body().size() < PAGE.size() / 4, "size " + gzip.body().size());
        assertEquals(r.etag().replace("\"", "").concat("-gzip"), gzip.etag().replace("\"", ""));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body().toArray()))) {
            assertEquals(PAGE, Bytes.of(in.readAllBytes()));
        }
    }

    @Test
    void theGzipCopyIsTheSameOnEveryBuildAndCarriesNoTimestamp() {
        Bytes once = Gzip.compress(PAGE);
        assertEquals(once, Gzip.compress(PAGE));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, once.slice(4, 8).toArray(), "RFC 1952 2.3.1 MTIME");
    }

    @Test
    void noGzipCopyForAnIncompressibleTypeOrWhenItWouldBeLarger() {
        assertTrue(Resource.of("image/png", PAGE, WHEN).gzip().isEmpty());
        assertTrue(Resource.of(MediaTypes.HTML, Bytes.utf8("<p>"), WHEN).gzip().isEmpty());
    }

    @Test
    void mediaTypesFollowTheExtension() {
        assertEquals("image/svg+xml", MediaTypes.of("logo.SVG"));
        assertEquals("text/javascript; charset=utf-8", MediaTypes.of("app.js"));
        assertEquals("font/woff2", MediaTypes.of("font.woff2"));
        assertEquals("application/octet-stream", MediaTypes.of("archive.tar.xz"));
        assertEquals("application/octet-stream", MediaTypes.of("Makefile"));
        assertTrue(MediaTypes.isCompressible("image/svg+xml"));
        assertTrue(MediaTypes.isCompressible(MediaTypes.ATOM));
        assertTrue(!MediaTypes.isCompressible("image/jpeg"));
    }
}
