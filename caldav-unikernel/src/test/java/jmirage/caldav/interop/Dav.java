package jmirage.caldav.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain HTTP/1.1 client for WebDAV requests as a client application sends them: any method, the
 * headers given, Basic credentials sent up front (as DAVx5, Thunderbird and Apple do once they know
 * the server wants them), no redirect followed unless asked.
 */
final class Dav implements DavRequests {

    private final URI root;
    private final String authorization;
    private final Map<String, String> always;
    private final HttpClient http;

    Dav(URI root, String user, String password) {
        this(root, user, password, Map.of());
    }

    /** A client that sends {@code always} (a User-Agent, say) with every request. */
    Dav(URI root, String user, String password, Map<String, String> always) {
        this.root = root;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.always = Map.copyOf(always);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static Dav of(ServerUnderTest server) {
        return new Dav(server.root(), ServerUnderTest.USER, ServerUnderTest.PASSWORD);
    }

    static Dav of(ServerUnderTest server, Map<String, String> always) {
        return new Dav(server.root(), ServerUnderTest.USER, ServerUnderTest.PASSWORD, always);
    }

    /** The same client without credentials: what a client sends first, before it knows it needs them. */
    Dav anonymous() {
        return new Dav(root, always, http);
    }

    private Dav(URI root, Map<String, String> always, HttpClient http) {
        this.root = root;
        this.authorization = null;
        this.always = always;
        this.http = http;
    }

    @Override
    public Reply send(String method, String pathOrUrl, String body, String... headers) throws Exception {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        URI target = root.resolve(pathOrUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        Map<String, String> all = new LinkedHashMap<>(always);
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        if (authorization != null) {
            all.putIfAbsent("Authorization", authorization);
        }
        all.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(method + " " + target.getRawPath(), body, response.statusCode(), response.headers().map(), response.body());
    }
}
