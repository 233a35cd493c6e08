package jmirage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.http.content.Conditional;
import jmirage.http.content.Gzip;
import jmirage.http.content.StaticContent;
import jmirage.http.server.BasicAuth;
import jmirage.http.server.Router;
import jmirage.kv.MemKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/** The pure pieces: headers, dates, router, conditional requests, Basic credentials, static content. */
class PiecesTest {

    private static HttpRequest request(String method, String target, String... headers) {
        return new HttpRequest(method, target, HttpVersion.HTTP_1_1, Headers.of(headers), Bytes.EMPTY, Optional.empty());
    }

    private static HttpResponse answer(Handler handler, HttpRequest request) {
        Promise<HttpResponse> p = handler.handle(request);
        assertTrue(p.isResolved(), "answered at once");
        return p.value();
    }

    @Test
    void headersCompareNamesCaseInsensitivelyAndKeepOrder() {
        Headers h = Headers.of("Content-Type", "text/plain", "set-cookie", "a=1", "Set-Cookie", "b=2",
                "Connection", "Keep-Alive, Upgrade");
        assertEquals(Optional.of("text/plain"), h.get("content-type"));
        assertEquals(List.of("a=1", "b=2"), h.all("SET-COOKIE"));
        assertTrue(h.hasToken("connection", "upgrade"));
        assertFalse(h.hasToken("connection", "close"));
        assertEquals(List.of("x"), h.with("set-cookie", "x").all("Set-Cookie"));
        assertFalse(h.without("SET-COOKIE").contains("set-cookie"));
    }

    @Test
    void requestPathAndQueryFromEveryTargetForm() {
        assertEquals("/a/b", request("GET", "/a/b?x=1").path());
        assertEquals(Optional.of("x=1"), request("GET", "/a/b?x=1").query());
        assertEquals("/a", request("GET", "http://example.test/a?q").path());
        assertEquals("/", request("GET", "http://example.test").path());
        assertEquals("*", request("OPTIONS", "*").path());
    }

    @Test
    void httpDatesRoundTripInImfFixdate() {
        Instant t = Instant.parse("1994-11-06T08:49:37Z");
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(t));
        assertEquals(Optional.of(t), HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(Optional.empty(), HttpDates.parse("yesterday"));
    }

    @Test
    void routerMatchesPatternsMethodsAndFallsBackFromHeadToGet() {
        Router router = Router.builder()
                .get("/users/{id}", (r, p) -> Promise.resolved(HttpResponse.text(200, "user " + p.get("id"))))
                .put("/users/{id}", (r, p) -> Promise.resolved(HttpResponse.empty(204)))
                .get("/files/*", (r, p) -> Promise.resolved(HttpResponse.text(200, "file " + p.get("*"))))
                .build();
        assertEquals("user a b", answer(router, request("GET", "/users/a%20b")).bytes().toUtf8());
        assertEquals(200, answer(router, request("HEAD", "/users/7")).status());
        assertEquals(204, answer(router, request("PUT", "/users/7")).status());
        assertEquals("file x/y.css", answer(router, request("GET", "/files/x/y.css?v=2")).bytes().toUtf8());
        HttpResponse wrong = answer(router, request("DELETE", "/users/7"));
        assertEquals(405, wrong.status());
        assertEquals(Optional.of("GET, PUT, HEAD"), wrong.headers().get("Allow"));
        assertEquals(404, answer(router, request("GET", "/users/7/extra")).status());
        assertEquals(404, answer(router, request("GET", "/users/")).status());
        assertEquals(404, answer(router, request("GET", "/users/%zz")).status());
    }

    @Test
    void conditionalFollowsRfc9110Precedence() {
        Optional<Instant> modified = Optional.of(Instant.parse("2026-01-01T10:00:00.500Z"));
        List<String> tags = List.of("\"abc\"", "\"abc-gzip\"");
        assertTrue(Conditional.notModified(Headers.of("If-None-Match", "\"x\", W/\"abc\""), tags, modified));
        assertTrue(Conditional.notModified(Headers.of("If-None-Match", "*"), tags, modified));
        // If-None-Match wins over If-Modified-Since even when the date alone would say 304.
        assertFalse(Conditional.notModified(Headers.of("If-None-Match", "\"other\"",
                "If-Modified-Since", "Thu, 01 Jan 2026 10:00:00 GMT"), tags, modified));
        assertTrue(Conditional.notModified(Headers.of("If-Modified-Since", "Thu, 01 Jan 2026 10:00:00 GMT"), tags, modified));
        assertFalse(Conditional.notModified(Headers.of("If-Modified-Since", "Thu, 01 Jan 2026 09:59:59 GMT"), tags, modified));
        assertFalse(Conditional.notModified(Headers.of("If-Modified-Since", "garbage"), tags, modified));
        assertTrue(Conditional.accepts(Headers.of("Accept-Encoding", "br, gzip;q=0.5"), "gzip"));
        assertFalse(Conditional.accepts(Headers.of("Accept-Encoding", "gzip;q=0, *"), "gzip"));
        assertTrue(Conditional.accepts(Headers.of("Accept-Encoding", "*"), "gzip"));
        assertFalse(Conditional.accepts(Headers.EMPTY, "gzip"));
        assertFalse(Conditional.accepts(Headers.of("Accept-Encoding", ";"), "gzip"));
        assertTrue(Conditional.accepts(Headers.of("Accept-Encoding", ";;, gzip"), "gzip"));
    }

    @Test
    void basicCredentialsAreParsedAndChecked() {
        String token = Base64.getEncoder().encodeToString("alice:pa:ss".getBytes());
        HttpRequest withAuth = request("GET", "/", "Authorization", "basic " + token);
        assertEquals(Optional.of(new BasicAuth.Credentials("alice", "pa:ss")), BasicAuth.credentials(withAuth));
        assertEquals(Optional.empty(), BasicAuth.credentials(request("GET", "/", "Authorization", "Basic !!!")));
        assertEquals(Optional.empty(), BasicAuth.credentials(request("GET", "/", "Authorization", "Bearer x")));
        BasicAuth.Verifier users = BasicAuth.users(Map.of("alice", "pa:ss"));
        assertTrue(users.verify("alice", "pa:ss"));
        assertFalse(users.verify("alice", "pa:sS"));
        assertFalse(users.verify("bob", "pa:ss"));
        Handler inner = r -> Promise.resolved(HttpResponse.text(200, "in"));
        Handler guarded = BasicAuth.protect("r", users, inner);
        assertEquals(200, answer(guarded, withAuth).status());
        HttpResponse refused = answer(guarded, request("GET", "/"));
        assertEquals(401, refused.status());
        assertEquals(Optional.of("Basic realm=\"r\", charset=\"UTF-8\""), refused.headers().get("WWW-Authenticate"));
    }

    @Test
    void staticContentServesFromAKvWithValidatorsAndGzip() {
        VirtualClock clock = new VirtualClock(VirtualClock.DEFAULT_START);
        SimScheduler scheduler = new SimScheduler(clock);
        MemKv kv = new MemKv(clock);
        String css = "body { color: black; }\n".repeat(40);
        scheduler.runUntil(kv.set(Key.of("www/style.css"), Bytes.utf8(css))).value().orElseThrow();
        scheduler.runUntil(kv.set(Key.of("www/docs/index.html"), Bytes.utf8("<p>docs</p>"))).value().orElseThrow();
        StaticContent site = new StaticContent(kv, Key.of("www"), "max-age=60");

        HttpResponse plain = scheduler.runUntil(site.handle(request("GET", "/style.css"))).value();
        assertEquals(200, plain.status());
        assertEquals(css, plain.bytes().toUtf8());
        assertEquals(Optional.of("text/css; charset=utf-8"), plain.headers().get("Content-Type"));
        assertEquals(Optional.of("Thu, 01 Jan 2026 00:00:00 GMT"), plain.headers().get("Last-Modified"));
        assertEquals(Optional.of("max-age=60"), plain.headers().get("Cache-Control"));
        String etag = plain.headers().get("ETag").orElseThrow();

        HttpResponse zipped = scheduler.runUntil(site.handle(request("GET", "/style.css", "Accept-Encoding", "gzip"))).value();
        assertEquals(Optional.of("gzip"), zipped.headers().get("Content-Encoding"));
        assertEquals(Gzip.compress(Bytes.utf8(css)), zipped.bytes());
        assertEquals(etag.replace("\"", "").concat("-gzip"), zipped.headers().get("ETag").orElseThrow().replace("\"", ""));

        assertEquals(304, scheduler.runUntil(site.handle(request("GET", "/style.css", "If-None-Match", etag))).value().status());
        assertEquals("<p>docs</p>", scheduler.runUntil(site.handle(request("GET", "/docs/"))).value().bytes().toUtf8());
        assertEquals("<p>docs</p>", scheduler.runUntil(site.handle(request("GET", "/docs"))).value().bytes().toUtf8());
        assertEquals(404, scheduler.runUntil(site.handle(request("GET", "/missing.css"))).value().status());
        assertEquals(404, scheduler.runUntil(site.handle(request("GET", "/%2e%2e/secret"))).value().status());
        assertEquals(405, scheduler.runUntil(site.handle(request("POST", "/style.css"))).value().status());
    }
}
