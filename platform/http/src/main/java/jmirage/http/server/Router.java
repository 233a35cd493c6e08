package jmirage.http.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Promise;
import jmirage.http.Handler;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;

/**
 * A small router: method plus path pattern to handler. Patterns are literal segments,
 * {@code {name}} for one segment and a final {@code *} for the rest of the path:
 * {@code /users/{id}}, {@code /static/*}. Routes are tried in the order added; HEAD falls back
 * to GET (RFC 9110 9.3.2). A path that matches no route gets 404; one that matches only routes of
 * other methods gets 405 with Allow (RFC 9110 15.5.6).
 */
public final class Router implements Handler {

    /** A handler that also receives the path parameters ({@code id}, and {@code *} for the rest), percent-decoded. */
    @FunctionalInterface
    public interface RouteHandler {
        Promise<HttpResponse> handle(HttpRequest request, Map<String, String> parameters);
    }

    private sealed interface Segment {
        record Literal(String text) implements Segment {}

        record Parameter(String name) implements Segment {}

        record Rest() implements Segment {}
    }

    private record Route(String method, String pattern, List<Segment> segments, RouteHandler handler) {}

    private final List<Route> routes;
    private final Handler notFound;

    private Router(List<Route> routes, Handler notFound) {
        this.routes = List.copyOf(routes);
        this.notFound = notFound;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private Handler notFound = request -> Promise.resolved(HttpResponse.text(404, "not found\n"));

        public Builder route(String method, String pattern, RouteHandler handler) {
            routes.add(new Route(Objects.requireNonNull(method), pattern, parse(pattern), Objects.requireNonNull(handler)));
            return this;
        }

        public Builder route(String method, String pattern, Handler handler) {
            return route(method, pattern, (request, parameters) -> handler.handle(request));
        }

        public Builder get(String pattern, RouteHandler handler) {
            return route("GET", pattern, handler);
        }

        public Builder post(String pattern, RouteHandler handler) {
            return route("POST", pattern, handler);
        }

        public Builder put(String pattern, RouteHandler handler) {
            return route("PUT", pattern, handler);
        }

        public Builder delete(String pattern, RouteHandler handler) {
            return route("DELETE", pattern, handler);
        }

        /** What answers a path no route matches (404 by default). */
        public Builder notFound(Handler handler) {
            this.notFound = Objects.requireNonNull(handler);
            return this;
        }

        public Router build() {
            return new Router(routes, notFound);
        }
    }

    private static List<Segment> parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a pattern starts with /: " + pattern);
        }
        List<Segment> segments = new ArrayList<>();
        String[] parts = pattern.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("*")) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("* must be the last segment: " + pattern);
                }
                segments.add(new Segment.Rest());
            } else if (p.startsWith("{") && p.endsWith("}") && p.length() > 2) {
                segments.add(new Segment.Parameter(p.substring(1, p.length() - 1)));
            } else {
                segments.add(new Segment.Literal(p));
            }
        }
        return List.copyOf(segments);
    }

    @Override
    public Promise<HttpResponse> handle(HttpRequest request) {
        String path = request.path();
        if (!path.startsWith("/")) {
            return notFound.handle(request);
        }
        String[] parts = path.substring(1).split("/", -1);
        Route fallback = null;
        Map<String, String> fallbackParameters = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = match(route.segments(), parts);
            if (parameters.isEmpty()) {
                continue;
            }
            if (route.method().equals(request.method())) {
                return route.handler().handle(request, parameters.get());
            }
            if (request.method().equals("HEAD") && route.method().equals("GET") && fallback == null) {
                fallback = route;
                fallbackParameters = parameters.get();
            }
            allowed.add(route.method());
        }
        if (fallback != null) {
            return fallback.handler().handle(request, fallbackParameters);
        }
        if (!allowed.isEmpty()) {
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            return Promise.resolved(HttpResponse.text(405, "method not allowed\n")
                    .withHeader("Allow", String.join(", ", allowed)));
        }
        return notFound.handle(request);
    }

    private static Optional<Map<String, String>> match(List<Segment> segments, String[] parts) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment instanceof Segment.Rest) {
                StringBuilder rest = new StringBuilder();
                for (int j = i; j < parts.length; j++) {
                    if (j > i) {
                        rest.append('/');
                    }
                    rest.append(parts[j]);
                }
                Optional<String> decoded = percentDecode(rest.toString());
                if (decoded.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put("*", decoded.get());
                return Optional.of(parameters);
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            switch (segment) {
                case Segment.Literal(String text) -> {
                    if (!text.equals(parts[i])) {
                        return Optional.empty();
                    }
                }
                case Segment.Parameter(String name) -> {
                    Optional<String> decoded = percentDecode(parts[i]);
                    if (parts[i].isEmpty() || decoded.isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(name, decoded.get());
                }
                case Segment.Rest rest -> throw new AssertionError("handled above");
            }
        }
        return parts.length == segments.size() ? Optional.of(parameters) : Optional.empty();
    }

    /** RFC 3986 2.1 percent-decoding as UTF-8; empty for a broken escape. */
    public static Optional<String> percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return Optional.of(text);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
