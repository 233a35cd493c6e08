package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpDates;
import jmirage.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final URI BASE = URI.create("https://ca.test/acme/order/1");

    private static HttpResponse with(String name, String value) {
        return HttpResponse.empty(200).withHeader(name, value);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), Responses.retryAfter(with("Retry-After", " 120 "), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                Responses.retryAfter(with("Retry-After", HttpDates.format(NOW.plusSeconds(30))), NOW));
        assertEquals(Optional.of(Duration.ZERO), Responses.retryAfter(with("Retry-After", HttpDates.format(NOW.minusSeconds(5))), NOW));
        assertEquals(Optional.empty(), Responses.retryAfter(with("Retry-After", "-3"), NOW));
        assertEquals(Optional.empty(), Responses.retryAfter(with("Retry-After", "99999999999"), NOW));
        assertEquals(Optional.empty(), Responses.retryAfter(HttpResponse.empty(200), NOW));
    }

    @Test
    void urlsAreHttpsAndRelativeOnesAreResolved() {
        assertEquals(Result.ok(URI.create("https://ca.test/acme/authz/7")), Responses.uri(BASE, "../authz/7"));
        assertEquals(Result.ok(URI.create("https://other.test/x")), Responses.uri(BASE, "https://other.test/x"));
        assertEquals(Result.err(new AcmeError.Protocol("not an https URL: http://ca.test/x")), Responses.uri(BASE, "http://ca.test/x"));
        assertEquals(Result.err(new AcmeError.Protocol("not a URL: https://ca test/")), Responses.uri(BASE, "https://ca test/"));
        assertEquals(Result.err(new AcmeError.Protocol("no Location header")), Responses.location(HttpResponse.empty(201), BASE));
    }

    @Test
    void aNonceIsBase64url() {
        assertEquals(Optional.of("oFvnlFP1wIhRlYS2jTaXbA"), Responses.nonce(with("Replay-Nonce", "oFvnlFP1wIhRlYS2jTaXbA")));
        assertEquals(Optional.empty(), Responses.nonce(with("Replay-Nonce", "a+b/c=")));
        assertEquals(Optional.empty(), Responses.nonce(with("Replay-Nonce", "")));
    }

    @Test
    void errorStatusesAreProblemsOrProtocolErrors() {
        HttpResponse problem = HttpResponse.of(429, Headers.of("Content-Type", "application/problem+json; charset=utf-8"),
                Bytes.utf8("{\"type\":\"urn:ietf:params:acme:error:rateLimited\",\"detail\":\"too many\"}"));
        assertEquals(Result.err(new AcmeError.Problem(429, "urn:ietf:params:acme:error:rateLimited", "too many")),
                Responses.success(problem));
        HttpResponse notJson = HttpResponse.of(400, Headers.of("Content-Type", "application/problem+json"), Bytes.utf8("oops"));
        assertEquals(Result.err(new AcmeError.Protocol("status 400 without a problem document")), Responses.success(notJson));
        assertEquals(Result.err(new AcmeError.Protocol("status 302 without a problem document")),
                Responses.success(HttpResponse.empty(302)));
    }
}
