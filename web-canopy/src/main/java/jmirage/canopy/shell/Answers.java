package jmirage.canopy.shell;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jmirage.canopy.content.SitePaths;
import jmirage.canopy.render.Resource;
import jmirage.canopy.render.Site;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpDates;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.content.Conditional;

/**
 * What the site answers to a request, as a pure function of the {@link Site} and the request: the
 * HTTP rules around {@link Site#lookup}, with no device. The shell adds nothing but the listener it
 * came on ({@code overTls}).
 */
public final class Answers {

    /** Pages may change with any push: caches ask again after a minute (and get a 304 if nothing changed). */
    static final String PAGE_CACHE = "public, max-age=60";
    /** Files under static/ change rarely and are often big: an hour. */
    static final String STATIC_CACHE = "public, max-age=3600";
    /** The 404 page and /status say what is true now. */
    static final String NO_CACHE = "no-cache";
    /** RFC 6797 6.1: a year; no includeSubDomains, since the site does not know its neighbours. */
    static final String HSTS = "max-age=31536000";
    static final String ALLOW = "GET, HEAD";

    /** A Host header's value as RFC 9110 7.2 / RFC 3986 3.2.2 allow it: a reg-name or IPv4 (letters, digits, - .) or an IPv6 literal, and a port. */
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private Answers() {}

    /** The answer of the site to a request other than the webhook's. */
    public static HttpResponse answer(Site site, HttpRequest request, boolean overTls) {
        HttpResponse response = content(site, request);
        return overTls ? response.withHeader("Strict-Transport-Security", HSTS) : response;
    }

    private static HttpResponse content(Site site, HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            // RFC 9110 15.5.6: 405 names the methods the resource supports
            return HttpResponse.text(405, "method not allowed\n").withHeader("Allow", ALLOW);
        }
        String path = request.path();
        return switch (site.lookup(path)) {
            case Site.Answer.Found(Resource resource) -> found(resource, request.headers(), cacheControl(path));
            // RFC 9110 15.4.2
            case Site.Answer.Moved(String location) -> HttpResponse.text(301, "moved to " + location + "\n")
                    .withHeader("Location", location);
            case Site.Answer.NotFound(Resource page) -> representation(404, page, request.headers(), NO_CACHE);
        };
    }

    private static String cacheControl(String path) {
        if (path.startsWith("/" + SitePaths.STATIC + "/")) {
            return STATIC_CACHE;
        }
        return path.equals(SitePaths.STATUS) ? NO_CACHE : PAGE_CACHE;
    }

    /**
     * 200, or 304 when the client holds it already (RFC 9110 13.1.2: If-None-Match, weak comparison,
     * any of the resource's codings; 13.1.3: If-Modified-Since only without it). A 304 carries the
     * validators and caching fields a 200 would (RFC 9110 15.4.5).
     */
    private static HttpResponse found(Resource resource, Headers request, String cacheControl) {
        List<String> tags = resource.gzip().map(g -> List.of(resource.etag(), g.etag())).orElse(List.of(resource.etag()));
        if (Conditional.notModified(request, tags, Optional.of(resource.lastModified()))) {
            HttpResponse full = representation(200, resource, request, cacheControl);
            return HttpResponse.of(304, full.headers().without("Content-Type").without("Content-Encoding"), Bytes.EMPTY);
        }
        return representation(200, resource, request, cacheControl);
    }

    /** The resource's bytes, gzip-coded when it has such a copy and the client accepts it (RFC 9110 12.5.3, 8.4). */
    private static HttpResponse representation(int status, Resource resource, Headers request, String cacheControl) {
        boolean gzip = resource.gzip().isPresent() && Conditional.accepts(request, "gzip");
        Headers headers = Headers.of("Content-Type", resource.mediaType(),
                "ETag", gzip ? resource.gzip().get().etag() : resource.etag(),
                "Last-Modified", HttpDates.format(resource.lastModified()),
                "Cache-Control", cacheControl);
        if (resource.gzip().isPresent()) {
            // RFC 9110 12.5.5: the answer depends on Accept-Encoding
            headers = headers.with("Vary", "Accept-Encoding");
        }
        if (gzip) {
            headers = headers.with("Content-Encoding", "gzip");
        }
        return HttpResponse.of(status, headers, gzip ? resource.gzip().get().body() : resource.body());
    }

    /**
     * With TLS on, the plain HTTP listener's answer: 301 to the same target over HTTPS on
     * {@code httpsPort} (RFC 6797 7.2: no HSTS over plain HTTP, a redirect instead), or 400 without a
     * usable Host (RFC 9112 3.2: a request without it is bad).
     */
    public static HttpResponse toHttps(HttpRequest request, int httpsPort) {
        Optional<String> host = request.headers().get("Host").map(String::strip).filter(h -> HOST.matcher(h).matches());
        if (host.isEmpty()) {
            return HttpResponse.text(400, "a Host header is needed to redirect to HTTPS\n");
        }
        String name = host.get();
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf(']')) {
            name = name.substring(0, colon);
        }
        String target = request.path() + request.query().map(q -> "?" + q).orElse("");
        String location = "https://" + name + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
        return HttpResponse.text(301, "moved to " + location + "\n").withHeader("Location", location);
    }
}
