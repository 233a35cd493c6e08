package jmirage.caldav.interop;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP answer with the request it answers, so that a failed assertion shows both: what a report
 * of a server bug needs (request, expected, got).
 */
record Reply(String request, String requestBody, int status, Map<String, List<String>> headers, String body) {

    Reply {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name}, case-insensitively. */
    Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** Every value of header {@code name}, comma-separated lists split. */
    List<String> headerValues(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /** The body as a 207 multistatus; fails the test, showing the exchange, when it is not one. */
    Multistatus multistatus() {
        if (status != 207) {
            throw new AssertionError("expected 207 Multi-Status\n" + this);
        }
        return switch (Multistatus.parse(body)) {
            case jmirage.core.Result.Ok<Multistatus, String>(Multistatus m) -> m;
            case jmirage.core.Result.Err<Multistatus, String>(String problem) -> throw new AssertionError(problem + "\n" + this);
        };
    }

    /** Fails the test, showing the exchange, unless the status is one of {@code expected}. */
    Reply expect(int... expected) {
        for (int e : expected) {
            if (status == e) {
                return this;
            }
        }
        throw new AssertionError("expected status " + java.util.Arrays.toString(expected) + "\n" + this);
    }

    @Override
    public String toString() {
        return "request: " + request + (requestBody.isEmpty() ? "" : "\n" + requestBody) + "\ngot: " + status + " " + headers
                + "\n" + body;
    }
}
