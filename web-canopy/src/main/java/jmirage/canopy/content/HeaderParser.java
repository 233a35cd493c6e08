package jmirage.canopy.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Result;

/**
 * Reads the header Canopy's articles start with: a {@code ---} line, {@code key: value} lines, a
 * {@code ---} line, then the Markdown body.
 *
 * <pre>
 * ---
 * title: Unikernels in Java
 * author: Ada
 * author_url: https://ada.example/
 * abstract: What a pure core buys.
 * tags: mirage, java
 * date: 2026-12-06
 * ---
 * </pre>
 *
 * Every key is known ({@code title}, {@code author}, {@code author_url}, {@code abstract},
 * {@code tags}, {@code date}, {@code redirect}) and given once: a typo is reported rather than
 * silently dropping the abstract. A value may be quoted, {@code title: "Why: a story"}.
 */
public final class HeaderParser {

    /** A parsed article: its header and the Markdown after it. */
    public record Parsed(Header header, String body) {}

    private static final String FENCE = "---";
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z_]+)[ \\t]*:(.*)");
    private static final Set<String> KEYS = Set.of("title", "author", "author_url", "abstract", "tags", "date", "redirect");

    private HeaderParser() {}

    /** The header and body of the article at {@code path} (for the problem it may return). */
    public static Result<Parsed, Problem> parse(String path, String text) {
        String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\\R", -1);
        if (!lines[0].strip().equals(FENCE)) {
            return Result.err(new Problem(path, 1, "an article starts with a '---' line, then its header"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        int i = 1;
        for (; i < lines.length && !lines[i].strip().equals(FENCE); i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher entry = ENTRY.matcher(lines[i]);
            if (!entry.matches()) {
                return Result.err(new Problem(path, i + 1, "a header line is 'key: value'"));
            }
            String key = entry.group(1);
            if (!KEYS.contains(key)) {
                return Result.err(new Problem(path, i + 1, "unknown header key '" + key + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")"));
            }
            if (values.containsKey(key)) {
                return Result.err(new Problem(path, i + 1, "'" + key + "' is given twice"));
            }
            values.put(key, unquote(entry.group(2).strip()));
            lineOf.put(key, i + 1);
        }
        if (i == lines.length) {
            return Result.err(new Problem(path, 1, "the header is not closed by a '---' line"));
        }
        String body = String.join("\n", List.of(lines).subList(i + 1, lines.length));
        return header(path, values, lineOf).map(header -> new Parsed(header, body));
    }

    private static Result<Header, Problem> header(String path, Map<String, String> values, Map<String, Integer> lineOf) {
        if (values.containsKey("redirect")) {
            String target = values.get("redirect");
            return SafeUrl.of(target)
                    .<Result<Header, Problem>>map(url -> Result.ok(new Header.Redirect(url)))
                    .orElseGet(() -> Result.err(new Problem(path, lineOf.get("redirect"),
                            "a redirect goes to a path on this site (/posts/new) or an http(s) URL, not '" + target + "'")));
        }
        String title = values.getOrDefault("title", "");
        if (title.isEmpty()) {
            return Result.err(new Problem(path, lineOf.getOrDefault("title", 1), "an article needs a title"));
        }
        Optional<SafeUrl> authorUrl = Optional.empty();
        if (values.containsKey("author_url")) {
            authorUrl = SafeUrl.of(values.get("author_url")).filter(url -> !url.isSitePath());
            if (authorUrl.isEmpty()) {
                return Result.err(new Problem(path, lineOf.get("author_url"),
                        "author_url is an http(s) or mailto URL, not '" + values.get("author_url") + "'"));
            }
        }
        Optional<Instant> date = Optional.empty();
        if (values.containsKey("date")) {
            switch (Rfc3339.parse(values.get("date"))) {
                case Result.Ok<Instant, String>(Instant instant) -> date = Optional.of(instant);
                case Result.Err<Instant, String>(String reason) -> {
                    return Result.err(new Problem(path, lineOf.get("date"), reason));
                }
            }
        }
        List<String> tags = tags(values.getOrDefault("tags", ""));
        for (String tag : tags) {
            // a tag is a path segment of its page: one of dots only would be a dot-segment (RFC 3986 5.2.4)
            if (tag.codePoints().noneMatch(Character::isLetterOrDigit)) {
                return Result.err(new Problem(path, lineOf.get("tags"), "the tag '" + tag + "' has no letter or digit"));
            }
        }
        return Result.ok(new Header.Article(title, nonEmpty(values.get("author")), authorUrl,
                nonEmpty(values.get("abstract")), tags, date));
    }

    /** {@code a, b, c} or {@code [a, b, c]}: trimmed, without empties and repeats, in order. */
    private static List<String> tags(String text) {
        String list = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : list.split(",")) {
            String t = unquote(tag.strip());
            if (!t.isEmpty()) {
                tags.add(t);
            }
        }
        return new ArrayList<>(tags);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
