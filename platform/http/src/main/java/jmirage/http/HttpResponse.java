package jmirage.http;

import java.util.Objects;
import jmirage.core.Bytes;

/**
 * An HTTP response, immutable. The server adds Date, Content-Length or Transfer-Encoding and
 * Connection itself; a handler sets the rest. A response the client received always has a
 * {@link Body.Full} body.
 */
public record HttpResponse(int status, Headers headers, Body body) {

    public HttpResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        Objects.requireNonNull(headers);
        Objects.requireNonNull(body);
    }

    public static HttpResponse of(int status, Headers headers, Bytes body) {
        return new HttpResponse(status, headers, new Body.Full(body));
    }

    /** A response with a short plain-text body, as for errors. */
    public static HttpResponse text(int status, String text) {
        return of(status, Headers.of("Content-Type", "text/plain; charset=utf-8"), Bytes.utf8(text));
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, Headers.EMPTY, Body.EMPTY);
    }

    /** The body's bytes; empty for a streamed body (a bug to ask for on the server side). */
    public Bytes bytes() {
        return switch (body) {
            case Body.Full(Bytes bytes) -> bytes;
            case Body.Chunked chunked -> throw new IllegalStateException("streamed body");
        };
    }

    public HttpResponse withHeader(String name, String value) {
        return new HttpResponse(status, headers.with(name, value), body);
    }

    public HttpResponse withHeaders(Headers newHeaders) {
        return new HttpResponse(status, newHeaders, body);
    }

    public HttpResponse withBody(Body newBody) {
        return new HttpResponse(status, headers, newBody);
    }
}
