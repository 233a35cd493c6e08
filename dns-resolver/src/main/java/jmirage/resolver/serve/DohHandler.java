package jmirage.resolver.serve;

import java.net.InetAddress;
import java.util.Base64;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.dns.DecodeError;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.server.DnsServer;
import jmirage.dns.server.Request;
import jmirage.http.Handler;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.server.Router;

/**
 * DNS over HTTPS (RFC 8484): {@code GET /dns-query?dns=BASE64URL} and {@code POST /dns-query}
 * with an {@code application/dns-message} body, each one DNS query answered by the same server
 * shell and handler as the other transports ({@link DnsServer#answerOne}). The answer is
 * {@code application/dns-message} with a freshness lifetime no longer than its smallest TTL
 * (RFC 8484 5.1). A POST of another media type gets 415, a missing or broken query 400 (RFC 8484
 * 4.1), another method on the path 405, another path 404.
 */
public final class DohHandler {

    /** RFC 8484 6. */
    public static final String MEDIA_TYPE = "application/dns-message";
    public static final String PATH = "/dns-query";
    /** RFC 1035 4.2.2: the largest message the two-byte framing can carry, and so the largest query. */
    private static final int MAX_MESSAGE = 65535;
    private static final Endpoint NOBODY = new Endpoint(InetAddress.ofLiteral("0.0.0.0"), 0);

    private DohHandler() {}

    /** The HTTP handler over {@code server}; {@code local} is where the HTTPS listener is (for the Request). */
    public static Handler of(DnsServer server, Endpoint local) {
        return Router.builder()
                .get(PATH, (request, p) -> get(server, local, request))
                .post(PATH, (request, p) -> post(server, local, request))
                .build();
    }

    private static Promise<HttpResponse> get(DnsServer server, Endpoint local, HttpRequest request) {
        Optional<String> dns = request.query().flatMap(q -> parameter(q, "dns"));
        if (dns.isEmpty()) {
            return Promise.resolved(HttpResponse.text(400, "a GET needs the query in the dns parameter (RFC 8484 4.1)\n"));
        }
        Optional<Bytes> wire = base64url(dns.get());
        if (wire.isEmpty()) {
            return Promise.resolved(HttpResponse.text(400, "the dns parameter is not base64url (RFC 8484 4.1)\n"));
        }
        return answer(server, local, request, wire.get());
    }

    private static Promise<HttpResponse> post(DnsServer server, Endpoint local, HttpRequest request) {
        Optional<String> type = request.headers().get("Content-Type").map(t -> t.split(";", 2)[0].strip());
        if (type.isEmpty() || !type.get().equalsIgnoreCase(MEDIA_TYPE)) {
            return Promise.resolved(HttpResponse.text(415, "a POST carries " + MEDIA_TYPE + " (RFC 8484 4.1)\n"));
        }
        return answer(server, local, request, request.body());
    }

    private static Promise<HttpResponse> answer(DnsServer server, Endpoint local, HttpRequest request, Bytes wire) {
        if (wire.size() > MAX_MESSAGE) {
            return Promise.resolved(HttpResponse.text(413, "a DNS message is at most 65535 bytes\n"));
        }
        return server.answerOne(wire, request.peer().orElse(NOBODY), local, Request.Transport.HTTPS).map(answer -> answer
                .map(bytes -> HttpResponse.of(200, Headers.of("Content-Type", MEDIA_TYPE,
                        "Cache-Control", "max-age=" + freshness(bytes)), bytes))
                .orElseGet(() -> HttpResponse.text(400, "not a DNS query\n")));
    }

    /**
     * RFC 8484 5.1: the smallest TTL of the answer section; without answer records, the negative
     * TTL of the SOA in the authority section (RFC 2308 5: the smaller of its TTL and MINIMUM); 0
     * when there is neither (an error: not to be cached).
     */
    static long freshness(Bytes response) {
        return switch (MessageCodec.decode(response)) {
            case Result.Err<Message, DecodeError> e -> 0;
            case Result.Ok<Message, DecodeError>(Message m) -> {
                if (!m.answers().isEmpty()) {
                    yield m.answers().stream().mapToLong(Record::ttl).min().orElseThrow();
                }
                yield m.authority().stream()
                        .filter(r -> r.rdata() instanceof Rdata.Soa)
                        .mapToLong(r -> Math.min(r.ttl(), ((Rdata.Soa) r.rdata()).minimum()))
                        .min().orElse(0);
            }
        };
    }

    /** The value of {@code name} in an {@code a=b&c=d} query, percent-decoded. */
    static Optional<String> parameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Router.percentDecode(pair.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    /** RFC 4648 5 without padding (RFC 8484 4.1: padding is left out, but accepted here). */
    static Optional<Bytes> base64url(String text) {
        try {
            return Optional.of(Bytes.of(Base64.getUrlDecoder().decode(text)));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
