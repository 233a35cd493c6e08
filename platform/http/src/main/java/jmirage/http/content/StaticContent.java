package jmirage.http.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpDates;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.server.Router;

/**
 * Static files from a {@link Kv} (the device: a directory, a git tree, memory), under a root key.
 * {@code /a/b.css} is the value at {@code root/a/b.css}; a dictionary serves its {@code index.html}.
 * Answers carry an ETag from the store's content digest and Last-Modified from its change time;
 * conditional GETs get 304 (RFC 9110 13.1); text gets gzip when the client accepts it, with its own
 * ETag and {@code Vary: Accept-Encoding} (RFC 9110 8.8.3, 12.5.5). Compressed bodies are kept in a
 * small cache keyed by digest.
 */
public final class StaticContent implements Handler {

    /** Bodies smaller than this are sent as they are: gzip's header costs more than it saves. */
    private static final int MIN_GZIP_BYTES = 256;
    private static final int GZIP_CACHE_ENTRIES = 128;

    private final Kv kv;
    private final Key root;
    private final String cacheControl;
    private final Map<Bytes, Bytes> gzipCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Bytes> eldest) {
            return size() > GZIP_CACHE_ENTRIES;
        }
    };

    /** Serves the values under {@code root}; {@code cacheControl} is sent as is when not empty. */
    public StaticContent(Kv kv, Key root, String cacheControl) {
        this.kv = kv;
        this.root = root;
        this.cacheControl = cacheControl;
    }

    public StaticContent(Kv kv, Key root) {
        this(kv, root, "");
    }

    @Override
    public Promise<HttpResponse> handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Promise.resolved(HttpResponse.text(405, "method not allowed\n").withHeader("Allow", "GET, HEAD"));
        }
        Optional<Key> key = keyFor(request.path());
        if (key.isEmpty()) {
            return Promise.resolved(HttpResponse.text(404, "not found\n"));
        }
        return serve(request, key.get(), true);
    }

    /** The key a URL path names, or empty if a segment is not a valid key segment (.., NUL...). */
    Optional<Key> keyFor(String path) {
        List<String> segments = new ArrayList<>(root.segments());
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            Optional<String> segment = Router.percentDecode(raw);
            if (segment.isEmpty() || Key.segmentProblem(segment.get()).isPresent()) {
                return Optional.empty();
            }
            segments.add(segment.get());
        }
        if (path.endsWith("/")) {
            segments.add("index.html");
        }
        return Optional.of(new Key(segments));
    }

    private Promise<HttpResponse> serve(HttpRequest request, Key key, boolean tryIndex) {
        return kv.get(key).flatMap(value -> switch (value) {
            case Result.Ok<Bytes, KvError>(Bytes bytes) -> describe(request, key, bytes);
            case Result.Err<Bytes, KvError>(KvError.NotAValue notAValue) when tryIndex ->
                    serve(request, key.child("index.html"), false);
            case Result.Err<Bytes, KvError>(KvError.NotFound notFound) ->
                    Promise.resolved(HttpResponse.text(404, "not found\n"));
            case Result.Err<Bytes, KvError>(KvError.NotAValue notAValue) ->
                    Promise.resolved(HttpResponse.text(404, "not found\n"));
            case Result.Err<Bytes, KvError>(KvError error) ->
                    Promise.resolved(HttpResponse.text(503, "storage unavailable\n"));
        });
    }

    private Promise<HttpResponse> describe(HttpRequest request, Key key, Bytes content) {
        Promise<Result<Bytes, KvError>> digest = kv.digest(key);
        Promise<Result<Instant, KvError>> modified = kv.lastModified(key);
        return digest.flatMap(d -> modified.map(m -> answer(request, key, content,
                d.orElse(Bytes.EMPTY), m.isOk() ? Optional.of(m.orElseThrow()) : Optional.empty())));
    }

    HttpResponse answer(HttpRequest request, Key key, Bytes content, Bytes digest, Optional<Instant> lastModified) {
        String type = MediaTypes.forName(key.name());
        boolean compressible = MediaTypes.compressible(type);
        String tag = digest.isEmpty() ? Integer.toHexString(content.hashCode()) : digest.slice(0, Math.min(16, digest.size())).hex();
        String identityTag = "\"" + tag + "\"";
        String gzipTag = "\"" + tag + "-gzip\"";
        boolean gzip = compressible && content.size() >= MIN_GZIP_BYTES && Conditional.accepts(request.headers(), "gzip");

        Headers headers = Headers.of("ETag", gzip ? gzipTag : identityTag);
        if (lastModified.isPresent()) {
            headers = headers.with("Last-Modified", HttpDates.format(lastModified.get()));
        }
        if (compressible) {
            headers = headers.with("Vary", "Accept-Encoding");
        }
        if (!cacheControl.isEmpty()) {
            headers = headers.with("Cache-Control", cacheControl);
        }
        if (Conditional.notModified(request.headers(), List.of(identityTag, gzipTag), lastModified)) {
            return HttpResponse.of(304, headers, Bytes.EMPTY);
        }
        headers = headers.with("Content-Type", type);
        Bytes body = content;
        if (gzip) {
            body = gzipCache.computeIfAbsent(Bytes.utf8(tag), t -> Gzip.compress(content));
            headers = headers.with("Content-Encoding", "gzip");
        }
        return HttpResponse.of(200, headers, body);
    }
}
