package jmirage.caldav.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * A small WebDAV client for the benchmark tests: one server, Basic auth, each request timed from
 * sending to the last byte of the answer. Blocking, on the test's thread (java.net.http).
 */
final class DavClient {

    /** An answer: status, body, and how long it took. */
    record Answer(int status, byte[] body, Duration elapsed) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The hrefs of the DAV:response elements of a 207 multistatus, in order. */
        List<String> hrefs() {
            // A multistatus of 10,000 members holds some 100,000 elements: above the server's own request limits.
            Result<Element, ?> parsed = XmlReader.parse(Bytes.of(body), new XmlReader.Limits(16, 10_000_000, 1_000_000_000));
            return switch (parsed) {
                case Result.Ok<Element, ?> ok -> ok.value().elements(DavNames.RESPONSE).stream()
                        .map(r -> r.element(DavNames.HREF).map(Element::text).orElse("").strip())
                        .toList();
                case Result.Err<Element, ?> err -> throw new AssertionError("not XML: " + err.error() + "\n" + text());
            };
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String authorization;

    DavClient(URI base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer send(String method, String path, String depth, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (depth != null) {
            request.header("Depth", depth);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException closed) {
                // RFC 9110 9.2.2: a client may repeat an idempotent request whose connection closed
                // before any of the answer came (a kept-alive connection the server had just closed,
                // as Radicale's does under load); every method this client sends is idempotent but POST.
                if (method.equals("POST") || !String.valueOf(closed.getMessage()).contains("received no bytes")) {
                    throw closed;
                }
                System.out.println(method + " " + path + ": the connection closed before an answer; sent again");
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            return new Answer(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Answer xml(String method, String path, String depth, String body) {
        return send(method, path, depth, "application/xml; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    Answer put(String path, byte[] ics) {
        return send("PUT", path, null, "text/calendar; charset=utf-8", ics);
    }
}
