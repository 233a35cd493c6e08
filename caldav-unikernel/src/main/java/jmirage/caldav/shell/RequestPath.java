package jmirage.caldav.shell;

import java.util.List;
import java.util.Optional;
import jmirage.caldav.dav.Targets;

/**
 * The path of a request as {@code DavRequest} wants it: percent-decoded (UTF-8), dot segments
 * removed (RFC 3986 5.2.4), empty segments dropped, a trailing slash kept as sent. A path that does
 * not decode, or that is not absolute, has none.
 */
public final class RequestPath {

    private RequestPath() {}

    public static Optional<String> normalise(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return Optional.empty();
        }
        return Targets.decode(rawPath).map(decoded -> {
            List<String> out = Targets.withoutDotSegments(decoded);
            String[] parts = decoded.split("/", -1);
            String last = parts[parts.length - 1];
            boolean collection = last.isEmpty() || last.equals(".") || last.equals("..");
            String joined = "/" + String.join("/", out);
            return collection && !out.isEmpty() ? joined + "/" : joined;
        });
    }
}
