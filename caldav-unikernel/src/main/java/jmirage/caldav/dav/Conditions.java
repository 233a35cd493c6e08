package jmirage.caldav.dav;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.http.Headers;
import jmirage.http.HttpDates;

/**
 * The conditional request headers of RFC 9110 13.1, evaluated in the order of 13.2.2, against the
 * target's current strong ETag and modification time (both empty when the target does not exist).
 */
public final class Conditions {

    /** What the preconditions say about going on with the method. */
    public sealed interface Verdict {
        record Proceed() implements Verdict {}

        /** GET or HEAD of a representation the client already has: 304. */
        record NotModified() implements Verdict {}

        /** 412, because of {@code header}. */
        record Failed(String header) implements Verdict {}
    }

    private Conditions() {}

    public static Verdict evaluate(Headers headers, boolean getOrHead, Optional<String> etag, Optional<Instant> lastModified) {
        Optional<String> ifMatch = headers.get("If-Match");
        if (ifMatch.isPresent()) {
            // RFC 9110 13.1.1: "*" holds when a current representation exists; tags compare strongly.
            if (!matches(ifMatch.get(), etag, true)) {
                return new Verdict.Failed("If-Match");
            }
        } else if (lastModified.isPresent()) {
            // RFC 9110 13.1.4: only without If-Match, and a date that does not parse is ignored.
            Optional<Instant> since = headers.get("If-Unmodified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && seconds(lastModified.get()).isAfter(since.get())) {
                return new Verdict.Failed("If-Unmodified-Since");
            }
        }
        Optional<String> ifNoneMatch = headers.get("If-None-Match");
        if (ifNoneMatch.isPresent()) {
            // RFC 9110 13.1.2: weak comparison; false means 304 for GET and HEAD, 412 otherwise.
            if (matches(ifNoneMatch.get(), etag, false)) {
                return getOrHead ? new Verdict.NotModified() : new Verdict.Failed("If-None-Match");
            }
        } else if (getOrHead && lastModified.isPresent()) {
            // RFC 9110 13.1.3: only for GET and HEAD, only without If-None-Match.
            Optional<Instant> since = headers.get("If-Modified-Since").flatMap(HttpDates::parse);
            if (since.isPresent() && !seconds(lastModified.get()).isAfter(since.get())) {
                return new Verdict.NotModified();
            }
        }
        return new Verdict.Proceed();
    }

    /**
     * The conditions on a collection that exists, which has no ETag of ours: "If-Match: *" holds and
     * a list of tags cannot; "If-None-Match: *" fails (RFC 9110 13.1.1, 13.1.2). The failing header, if any.
     */
    public static Optional<String> onExistingCollection(Headers headers) {
        if (headers.get("If-Match").filter(v -> !v.strip().equals("*")).isPresent()) {
            return Optional.of("If-Match");
        }
        if (headers.get("If-None-Match").filter(v -> v.strip().equals("*")).isPresent()) {
            return Optional.of("If-None-Match");
        }
        return Optional.empty();
    }

    /** Whether the field value ("*" or a list of entity tags) names the current representation. */
    static boolean matches(String field, Optional<String> etag, boolean strong) {
        if (etag.isEmpty()) {
            return false;
        }
        if (field.strip().equals("*")) {
            return true;
        }
        for (String tag : entityTags(field)) {
            boolean weak = tag.startsWith("W/");
            if (weak && strong) {
                continue;
            }
            if ((weak ? tag.substring(2) : tag).equals(etag.get())) {
                return true;
            }
        }
        return false;
    }

    /** The entity tags of a list (RFC 9110 8.8.3: {@code [W/]"opaque"}, commas between); malformed items skipped. */
    static List<String> entityTags(String field) {
        List<String> tags = new ArrayList<>();
        int i = 0;
        while (i < field.length()) {
            char c = field.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            int start = i;
            if (field.startsWith("W/", i)) {
                i += 2;
            }
            if (i < field.length() && field.charAt(i) == '"') {
                int close = field.indexOf('"', i + 1);
                if (close < 0) {
                    break;
                }
                tags.add(field.substring(start, close + 1));
                i = close + 1;
            } else {
                int comma = field.indexOf(',', i);
                i = comma < 0 ? field.length() : comma;
            }
        }
        return tags;
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
