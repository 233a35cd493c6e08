package jmirage.canopy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.canopy.render.Resource;
import jmirage.canopy.render.Site;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.content.Gzip;
import org.junit.jupiter.api.Test;

/** The HTTP rules around {@link Site#lookup}, on a site made by hand (no core build). */
class AnswersTest {

    static final Instant MODIFIED = Instant.parse("2026-12-06T10:00:00Z");
    static final Bytes PAGE = Bytes.utf8("<!doctype html><title>Hello</title>" + "<p>words</p>".repeat(50));
    static final Resource HELLO = new Resource("text/html; charset=utf-8", PAGE, "\"abc\"", MODIFIED,
            Optional.of(new Resource.Encoded(Gzip.compress(PAGE), "\"abc-gzip\"")));
    static final Resource LOGO = new Resource("image/png", Bytes.fromHex("89504e47"), "\"png\"", MODIFIED, Optional.empty());
    static final Resource MISSING = new Resource("text/html; charset=utf-8", Bytes.utf8("<p>no such page</p>"), "\"404\"",
            MODIFIED, Optional.empty());
    static final Site SITE = new Site(Map.of("/posts/hello", HELLO, "/static/logo.png", LOGO, "/status", HELLO),
            Map.of("/posts/old", "/posts/hello"), MISSING, List.of());

    static HttpResponse get(String path, String... headers) {
        return Answers.answer(SITE, HttpRequest.of("GET", path, Headers.of(headers), Bytes.EMPTY), false);
    }

    @Test
    void aPageWithItsValidatorsAndShortCaching() {
        HttpResponse r = get("/posts/hello");
        assertEquals(200, r.status());
        assertEquals(PAGE, r.bytes());
        assertEquals("\"abc\"", r.headers().get("ETag").orElseThrow());
        assertEquals("Sun, 06 Dec 2026 10:00:00 GMT", r.headers().get("Last-Modified").orElseThrow());
        assertEquals("public, max-age=60", r.headers().get("Cache-Control").orElseThrow());
        assertEquals("Accept-Encoding", r.headers().get("Vary").orElseThrow());
        assertFalse(r.headers().contains("Content-Encoding"));
        assertFalse(r.headers().contains("Strict-Transport-Security"));
    }

    @Test
    void staticFilesAreCachedLongerAndStatusNotAtAll() {
        assertEquals("public, max-age=3600", get("/static/logo.png").headers().get("Cache-Control").orElseThrow());
        assertFalse(get("/static/logo.png").headers().contains("Vary"), "no coded copy, nothing varies");
        assertEquals("no-cache", get("/status").headers().get("Cache-Control").orElseThrow());
    }

    static Bytes gunzip(Bytes coded) throws java.io.IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(coded.toArray()))) {
            return Bytes.adopt(in.readAllBytes());
        }
    }

    @Test
    void gzipWhenAcceptedWithItsOwnTag() throws Exception {
        HttpResponse r = get("/posts/hello", "Accept-Encoding", "br, gzip;q=0.8");
        assertEquals("gzip", r.headers().get("Content-Encoding").orElseThrow());
        assertEquals("\"abc-gzip\"", r.headers().get("ETag").orElseThrow());
        assertEquals(PAGE, gunzip(r.bytes()));
        assertFalse(get("/posts/hello", "Accept-Encoding", "gzip;q=0").headers().contains("Content-Encoding"));
        assertFalse(get("/static/logo.png", "Accept-Encoding", "gzip").headers().contains("Content-Encoding"));
    }

    @Test
    void ifNoneMatchWithEitherTagIs304WithoutBody() {
        for (String tag : List.of("\"abc\"", "\"abc-gzip\"", "W/\"abc\"", "\"other\", \"abc\"", "*")) {
            HttpResponse r = get("/posts/hello", "If-None-Match", tag);
            assertEquals(304, r.status(), tag);
            assertTrue(r.bytes().isEmpty());
            assertEquals("\"abc\"", r.headers().get("ETag").orElseThrow());
            assertEquals("public, max-age=60", r.headers().get("Cache-Control").orElseThrow());
        }
        assertEquals(200, get("/posts/hello", "If-None-Match", "\"stale\"").status());
        // RFC 9110 13.1.3: If-Modified-Since only counts without If-None-Match
        assertEquals(304, get("/posts/hello", "If-Modified-Since", "Sun, 06 Dec 2026 10:00:00 GMT").status());
        assertEquals(200, get("/posts/hello", "If-None-Match", "\"stale\"", "If-Modified-Since", "Sun, 06 Dec 2026 10:00:00 GMT").status());
    }

    @Test
    void headIsAnsweredLikeGet() {
        HttpResponse head = Answers.answer(SITE, HttpRequest.of("HEAD", "/posts/hello", Headers.EMPTY, Bytes.EMPTY), false);
        assertEquals(200, head.status());
        assertEquals(get("/posts/hello").headers(), head.headers());
    }

    @Test
    void otherMethodsAre405WithAllow() {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "BREW")) {
            HttpResponse r = Answers.answer(SITE, HttpRequest.of(method, "/posts/hello", Headers.EMPTY, Bytes.EMPTY), false);
            assertEquals(405, r.status(), method);
            assertEquals("GET, HEAD", r.headers().get("Allow").orElseThrow());
        }
    }

    @Test
    void redirectsAndTheNotFoundPage() {
        HttpResponse moved = get("/posts/old");
        assertEquals(301, moved.status());
        assertEquals("/posts/hello", moved.headers().get("Location").orElseThrow());
        HttpResponse missing = get("/posts/nothing", "If-None-Match", "\"404\"");
        assertEquals(404, missing.status(), "a 404 is never a 304");
        assertEquals(MISSING.body(), missing.bytes());
        assertEquals("no-cache", missing.headers().get("Cache-Control").orElseThrow());
        assertEquals(404, get("/Posts/hello").status(), "paths match exactly");
    }

    @Test
    void overTlsEveryAnswerCarriesHsts() {
        for (String path : List.of("/posts/hello", "/posts/old", "/nothing")) {
            HttpResponse r = Answers.answer(SITE, HttpRequest.of("GET", path, Headers.EMPTY, Bytes.EMPTY), true);
            assertEquals("max-age=31536000", r.headers().get("Strict-Transport-Security").orElseThrow(), path);
        }
    }

    @Test
    void plainHttpRedirectsToTheSameTargetOverHttps() {
        HttpRequest request = HttpRequest.of("GET", "/posts/hello?x=1", Headers.of("Host", "blog.example:8080"), Bytes.EMPTY);
        HttpResponse r = Answers.toHttps(request, 8443);
        assertEquals(301, r.status());
        assertEquals("https://blog.example:8443/posts/hello?x=1", r.headers().get("Location").orElseThrow());
        assertFalse(r.headers().contains("Strict-Transport-Security"), "RFC 6797 7.2: not over plain HTTP");
        assertEquals("https://blog.example/", Answers.toHttps(HttpRequest.of("GET", "/", Headers.of("Host", "blog.example"),
                Bytes.EMPTY), 443).headers().get("Location").orElseThrow());
        assertEquals("https://[::1]:8443/", Answers.toHttps(HttpRequest.of("GET", "/", Headers.of("Host", "[::1]:8080"),
                Bytes.EMPTY), 8443).headers().get("Location").orElseThrow());
        for (String host : List.of("", "evil.example/path", "a b", "x@y")) {
            assertEquals(400, Answers.toHttps(HttpRequest.of("GET", "/", Headers.of("Host", host), Bytes.EMPTY), 8443).status(), host);
        }
        assertEquals(400, Answers.toHttps(HttpRequest.of("GET", "/", Headers.EMPTY, Bytes.EMPTY), 8443).status());
    }
}
