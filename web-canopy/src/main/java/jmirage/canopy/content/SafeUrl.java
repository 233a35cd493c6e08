package jmirage.canopy.content;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A URL that is safe to put in an {@code href}: a path on this site ({@code /posts/x}), or an
 * absolute http, https or mailto URL. Never {@code javascript:}, {@code data:} or another scheme a
 * browser would run or render in place.
 */
public record SafeUrl(String value) {

    private static final Set<String> SCHEMES = Set.of("http", "https", "mailto");
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*):");

    public SafeUrl {
        if (!isSafe(value)) {
            throw new IllegalArgumentException("unsafe URL " + value);
        }
    }

    /** {@code text} as a safe URL, or empty when a browser could treat it as something else. */
    public static Optional<SafeUrl> of(String text) {
        return isSafe(text) ? Optional.of(new SafeUrl(text)) : Optional.empty();
    }

    /** A path on this site: it starts with one slash (two would name another host). */
    public boolean isSitePath() {
        return value.startsWith("/") && !value.startsWith("//");
    }

    /**
     * Whether {@code text} is a site path or an absolute URL of an allowed scheme, with no space,
     * control or backslash (which browsers read as a slash) anywhere.
     */
    static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '\\') {
                return false;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return SCHEME.matcher(lower).find()
                ? hasSafeScheme(text)
                : lower.startsWith("/") && !lower.startsWith("//");
    }

    /**
     * Whether a link to {@code text} cannot run script: it has no scheme (a relative reference) or
     * an allowed one. The scheme is read as a browser reads it (WHATWG URL: controls and spaces
     * stripped at the ends, tabs and newlines removed anywhere); this removes every such character
     * anywhere, so it errs towards refusing.
     */
    public static boolean hasSafeScheme(String text) {
        StringBuilder seen = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > ' ' && c != 0x7f) {
                seen.append(c);
            }
        }
        var scheme = SCHEME.matcher(seen.toString().toLowerCase(Locale.ROOT));
        return !scheme.find() || SCHEMES.contains(scheme.group(1));
    }
}
