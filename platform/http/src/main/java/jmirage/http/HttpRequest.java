package jmirage.http;

import java.util.Objects;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;

/**
 * A whole HTTP request, immutable: the server hands one to a {@link Handler} once its body has
 * arrived; the client sends one. {@code target} is the request-target as sent (RFC 9112 3.2), its
 * path and query still percent-encoded; {@code peer} is the remote end of the connection it came
 * on (empty for a request the client builds).
 */
public record HttpRequest(String method, String target, HttpVersion version, Headers headers, Bytes body,
                          Optional<Endpoint> peer) {

    public HttpRequest {
        Objects.requireNonNull(method);
        Objects.requireNonNull(target);
        Objects.requireNonNull(version);
        Objects.requireNonNull(headers);
        Objects.requireNonNull(body);
        Objects.requireNonNull(peer);
    }

    /** A request for the client to send: HTTP/1.1, no peer. */
    public static HttpRequest of(String method, String target, Headers headers, Bytes body) {
        return new HttpRequest(method, target, HttpVersion.HTTP_1_1, headers, body, Optional.empty());
    }

    public static HttpRequest get(String target) {
        return of("GET", target, Headers.EMPTY, Bytes.EMPTY);
    }

    /**
     * The path part of the target, still percent-encoded: {@code /a/b} for {@code /a/b?x=1} and for
     * the absolute form {@code http://host/a/b?x=1}; {@code *} for {@code OPTIONS *}.
     */
    public String path() {
        String t = target;
        int scheme = t.indexOf("://");
        if (!t.startsWith("/") && scheme > 0) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int query = t.indexOf('?');
        return query < 0 ? t : t.substring(0, query);
    }

    /** The query part of the target without the {@code ?}, if any. */
    public Optional<String> query() {
        int query = target.indexOf('?');
        return query < 0 ? Optional.empty() : Optional.of(target.substring(query + 1));
    }

    public HttpRequest withHeaders(Headers newHeaders) {
        return new HttpRequest(method, target, version, newHeaders, body, peer);
    }

    public HttpRequest withMethod(String newMethod) {
        return new HttpRequest(newMethod, target, version, headers, body, peer);
    }
}
