package jmirage.canopy.content;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The site's URL space. Every path is written as it appears in a link, each segment
 * percent-encoded (RFC 3986 2.1: all but the unreserved characters of 2.3), so a request for a link's
 * path finds its resource without decoding.
 */
public final class SitePaths {

    public static final String INDEX = "/";
    public static final String FEED = "/atom";
    public static final String SITEMAP = "/sitemap.xml";
    public static final String ROBOTS = "/robots.txt";
    public static final String STATUS = "/status";
    public static final String TAGS = "/tags";
    public static final String STATIC = "static";

    /** First segments the site's own pages use: no article or category may take them. */
    static final Set<String> RESERVED = Set.of("atom", "robots.txt", "sitemap.xml", "status", "tags", STATIC);

    private SitePaths() {}

    public static String tag(String tag) {
        return TAGS + "/" + segment(tag);
    }

    public static String category(String name) {
        return "/" + segment(name);
    }

    /** {@code /a/b} for the segments {@code a}, {@code b}. */
    public static String of(List<String> segments) {
        StringBuilder path = new StringBuilder();
        for (String s : segments) {
            path.append('/').append(segment(s));
        }
        return path.isEmpty() ? INDEX : path.toString();
    }

    /** RFC 3986 2.1 and 2.3: every byte of the UTF-8 but ALPHA, DIGIT, '-', '.', '_', '~' as %XX. */
    static String segment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
