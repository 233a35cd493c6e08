package jmirage.http.content;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import jmirage.http.Headers;
import jmirage.http.HttpDates;

/** Conditional GET (RFC 9110 13.1): pure functions of the request headers and the representation. */
public final class Conditional {

    private Conditional() {}

    /**
     * Whether a GET or HEAD may be answered 304 Not Modified. If-None-Match decides when present
     * (weak comparison, RFC 9110 13.1.2); only without it does If-Modified-Since count (13.1.3).
     * {@code etags} are the tags that name the same content (its identity and gzip variants).
     */
    public static boolean notModified(Headers request, List<String> etags, Optional<Instant> lastModified) {
        List<String> noneMatch = request.all("If-None-Match");
        if (!noneMatch.isEmpty()) {
            for (String value : noneMatch) {
                for (String candidate : value.split(",")) {
                    String tag = candidate.strip();
                    if (tag.equals("*")) {
                        return true;
                    }
                    for (String etag : etags) {
                        if (opaque(tag).equals(opaque(etag))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
        Optional<String> since = request.get("If-Modified-Since");
        if (since.isEmpty() || lastModified.isEmpty()) {
            return false;
        }
        Optional<Instant> date = HttpDates.parse(since.get());
        // A date that does not parse is ignored (RFC 9110 13.1.3).
        return date.isPresent() && !lastModified.get().truncatedTo(ChronoUnit.SECONDS).isAfter(date.get());
    }

    /** The opaque part of an entity tag, so W/"x" and "x" compare equal (weak comparison). */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** Whether {@code coding} is acceptable per Accept-Encoding (RFC 9110 12.5.3): listed (or *) with q above 0. */
    public static boolean accepts(Headers request, String coding) {
        boolean accepted = false;
        boolean explicit = false;
        for (String value : request.all("Accept-Encoding")) {
            for (String element : value.split(",")) {
                // -1: an element of only ";" still has a (blank) coding name, not an empty array (a fuzz finding)
                String[] parts = element.split(";", -1);
                String name = parts[0].strip();
                double q = 1.0;
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].strip();
                    if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                        try {
                            q = Double.parseDouble(parameter.substring(2).strip());
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                }
                if (name.equalsIgnoreCase(coding)) {
                    explicit = true;
                    accepted = q > 0;
                } else if (name.equals("*") && !explicit) {
                    accepted = q > 0;
                }
            }
        }
        return accepted;
    }
}
