package jmirage.acme;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonError;
import jmirage.acme.json.JsonParser;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.http.HttpDates;
import jmirage.http.HttpResponse;

/**
 * Reading an ACME server's HTTP responses, without I/O: the JSON body, a problem document, the
 * headers ACME gives meaning to (Replay-Nonce, Location, Retry-After), and URLs. Everything a
 * server sends is checked here and becomes a value; nothing it sends makes this throw.
 */
final class Responses {

    /** The problem type that asks for a retry with a fresh nonce (RFC 8555 6.5). */
    static final String BAD_NONCE = "urn:ietf:params:acme:error:badNonce";

    private Responses() {}

    /** The body as JSON, after a success status; a problem document or any other status is the error. */
    static Result<Json, AcmeError> json(HttpResponse response) {
        return success(response).flatMap(ok -> parse(ok.bytes(), "the response body"));
    }

    static Result<Json, AcmeError> parse(Bytes body, String what) {
        return JsonParser.parse(body).mapError((JsonError e) -> new AcmeError.Protocol(what + ": " + e.describe()));
    }

    /**
     * The response itself when its status is a success (2xx); a problem document (RFC 8555 6.7,
     * RFC 7807) as {@link AcmeError.Problem}, any other answer as {@link AcmeError.Protocol}.
     */
    static Result<HttpResponse, AcmeError> success(HttpResponse response) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return Result.ok(response);
        }
        boolean problem = response.headers().get("Content-Type")
                .map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/problem+json")).orElse(false);
        if (problem && JsonParser.parse(response.bytes()).orElse(null) instanceof Json.Obj o) {
            return Result.err(new AcmeError.Problem(status, o.string("type").orElse("about:blank"),
                    o.string("detail").orElse("(no detail)")));
        }
        return Result.err(new AcmeError.Protocol("status " + status + " without a problem document"));
    }

    /** A problem document inside a resource (an order's or a challenge's {@code error}) as one line. */
    static String problemText(Json.Obj problem) {
        return problem.string("type").orElse("about:blank") + ": " + problem.string("detail").orElse("(no detail)");
    }

    /** The Replay-Nonce header (RFC 8555 6.5.1) when it is a well-formed base64url nonce. */
    static Optional<String> nonce(HttpResponse response) {
        return response.headers().get("Replay-Nonce").map(String::strip)
                .filter(n -> !n.isEmpty() && n.length() <= 512 && n.chars().allMatch(Responses::base64url));
    }

    static boolean base64url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** The Location header, resolved against the request URL: an account's or an order's URL (RFC 8555 7.3, 7.4). */
    static Result<URI, AcmeError> location(HttpResponse response, URI request) {
        return response.headers().get("Location")
                .map(l -> uri(request, l))
                .orElse(Result.err(new AcmeError.Protocol("no Location header")));
    }

    /**
     * How long the server asks us to wait (RFC 8555 7.4 and 8.2, RFC 9110 10.2.3): delay-seconds or an
     * HTTP date, measured from {@code now}; a date in the past is no wait.
     */
    static Optional<Duration> retryAfter(HttpResponse response, Instant now) {
        Optional<String> value = response.headers().get("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        return HttpDates.parse(v).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    /** The member {@code name} of {@code object} as an https URL. */
    static Result<URI, AcmeError> url(Json.Obj object, String name, URI base, String what) {
        return object.string(name)
                .map(s -> uri(base, s))
                .orElse(Result.err(new AcmeError.Protocol("the " + what + " has no " + name + " URL")));
    }

    /** {@code text} as an absolute https URL (RFC 8555 6.1: ACME is HTTPS only), relative ones resolved against {@code base}. */
    static Result<URI, AcmeError> uri(URI base, String text) {
        URI resolved;
        try {
            resolved = base.resolve(new URI(text));
        } catch (URISyntaxException | IllegalArgumentException bad) {
            return Result.err(new AcmeError.Protocol("not a URL: " + shorten(text)));
        }
        if (!"https".equalsIgnoreCase(resolved.getScheme()) || resolved.getHost() == null) {
            return Result.err(new AcmeError.Protocol("not an https URL: " + shorten(text)));
        }
        return Result.ok(resolved);
    }

    static String shorten(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
