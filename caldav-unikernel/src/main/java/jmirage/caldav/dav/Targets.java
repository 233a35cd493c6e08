package jmirage.caldav.dav;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.store.HomeView;

/**
 * Paths and hrefs to {@link Target}s and back. A path is percent-decoded and normalised first
 * (RFC 3986 5.2.4: dot segments removed; empty segments dropped); a segment that decodes to
 * something unsafe (a '/', a NUL, a leading '.') names nothing. Whether the target exists is for
 * the caller to look up.
 */
public final class Targets {

    public static final String PRINCIPALS = "principals";
    public static final String CALENDARS = "calendars";
    /** Separates a shared calendar's name from its owner's in an alias: {@code work@alice}. */
    public static final char SHARE_SEPARATOR = HomeView.SHARE_SEPARATOR;

    private Targets() {}

    /** What {@code path} (already decoded, as {@link DavRequest#path()}) names for {@code user}; empty: nothing of ours. */
    public static Optional<Target> resolve(String path, String user) {
        Optional<List<String>> parsed = segments(path);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        List<String> s = parsed.get();
        String href = href(s, path.endsWith("/") || s.size() <= 3 && !s.isEmpty() && !isObjectPath(s));
        if (s.isEmpty()) {
            return Optional.of(new Target.Root("/"));
        }
        if (s.size() == 2 && s.get(0).equals(".well-known") && s.get(1).equals("caldav")) {
            return Optional.of(new Target.WellKnown("/.well-known/caldav"));
        }
        return switch (s.get(0)) {
            case PRINCIPALS -> switch (s.size()) {
                case 1 -> Optional.of(new Target.Principals(href));
                case 2 -> Optional.of(new Target.Principal(href, s.get(1)));
                default -> Optional.empty();
            };
            case CALENDARS -> switch (s.size()) {
                case 1 -> Optional.of(new Target.Calendars(href));
                case 2 -> Optional.of(new Target.Home(href, s.get(1)));
                case 3 -> Optional.of(calendar(href, s.get(1), s.get(2)));
                case 4 -> {
                    String calendarHref = href(s.subList(0, 3), true);
                    yield Optional.of(new Target.Object(href(s, false), calendar(calendarHref, s.get(1), s.get(2)), s.get(3)));
                }
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }

    private static boolean isObjectPath(List<String> s) {
        return s.size() == 4;
    }

    private static Target.Calendar calendar(String href, String homeUser, String segment) {
        int at = segment.lastIndexOf(SHARE_SEPARATOR);
        // "work@alice" in alice's own home is no alias of her own "work" (one URL per calendar, or sync
        // clients see it twice): it is a calendar named "work@alice", which MKCALENDAR never makes.
        if (at > 0 && at < segment.length() - 1 && !segment.substring(at + 1).equals(homeUser)) {
            return new Target.Calendar(href, homeUser, segment.substring(at + 1), segment.substring(0, at));
        }
        return new Target.Calendar(href, homeUser, homeUser, segment);
    }

    /** The href of a principal, a home, a calendar (as seen from a viewer's home), an object. */
    public static String principalHref(String user) {
        return href(List.of(PRINCIPALS, user), true);
    }

    public static String homeHref(String user) {
        return href(List.of(CALENDARS, user), true);
    }

    public static String calendarHref(String viewer, String owner, String calendar) {
        String segment = viewer.equals(owner) ? calendar : calendar + SHARE_SEPARATOR + owner;
        return href(List.of(CALENDARS, viewer, segment), true);
    }

    public static String objectHref(Target.Calendar calendar, String name) {
        return calendar.href() + encode(name);
    }

    /**
     * The path of an href from a request body or a Destination header: an absolute path or a full
     * URL (its authority is not checked: clients behind proxies send what they see), percent-decoded.
     */
    public static Optional<String> pathOfHref(String href) {
        try {
            URI uri = new URI(href.strip());
            String raw = uri.getRawPath();
            if (raw == null || !raw.startsWith("/")) {
                return Optional.empty();
            }
            return decode(raw);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Percent-decodes a raw path as UTF-8; empty if malformed. */
    public static Optional<String> decode(String rawPath) {
        byte[] out = new byte[rawPath.length() * 3];
        int n = 0;
        byte[] utf8 = rawPath.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '%') {
                if (i + 2 >= utf8.length) {
                    return Optional.empty();
                }
                int hi = Character.digit(utf8[i + 1], 16);
                int lo = Character.digit(utf8[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        String decoded = new String(out, 0, n, StandardCharsets.UTF_8);
        return decoded.indexOf('\uFFFD') >= 0 ? Optional.empty() : Optional.of(decoded);
    }

    /** The decoded path's segments, dot segments resolved; empty if a segment is unusable as a name. */
    static Optional<List<String>> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String segment : withoutDotSegments(path)) {
            if (segment.indexOf('\0') >= 0 || segment.indexOf('\\') >= 0
                    || segment.startsWith(".") && !(out.isEmpty() && segment.equals(".well-known"))) {
                return Optional.empty();
            }
            out.add(segment);
        }
        return Optional.of(out);
    }

    /**
     * The segments of a decoded path with "." and ".." resolved (RFC 3986 5.2.4: ".." above the root
     * stays at the root) and empty segments dropped.
     */
    public static List<String> withoutDotSegments(String path) {
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(segment);
        }
        return out;
    }

    private static String href(List<String> segments, boolean collection) {
        StringBuilder b = new StringBuilder();
        for (String s : segments) {
            b.append('/').append(encode(s));
        }
        if (collection || segments.isEmpty()) {
            b.append('/');
        }
        return b.toString();
    }

    /** Percent-encodes a path segment: unreserved characters and sub-delims stay (RFC 3986 3.3). */
    public static String encode(String segment) {
        int kept = 0;
        while (kept < segment.length() && keptAsIs(segment.charAt(kept))) {
            kept++;
        }
        if (kept == segment.length()) {
            // the usual name (a UUID and .ics): nothing to encode, nothing allocated
            return segment;
        }
        StringBuilder b = new StringBuilder(segment.length() + 16);
        for (byte raw : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if (keptAsIs(c)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static boolean keptAsIs(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }
}
