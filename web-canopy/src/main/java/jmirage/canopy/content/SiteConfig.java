package jmirage.canopy.content;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/**
 * The site's settings, one file each under {@code .config/} as in Canopy: {@code blog_name},
 * {@code index_page} (the article shown at {@code /}, named by its path without {@code .md}),
 * {@code root} (the site's origin, {@code https://blog.example}, for the feed's and the sitemap's
 * absolute URLs), {@code uuid} (the feed's id) and {@code allow_raw_html} ({@code true} lets HTML in
 * articles through; off by default).
 *
 * @param origin scheme and authority, no trailing slash: {@code https://blog.example}
 * @param feedId RFC 4287 4.2.6 atom:id of the feed: {@code urn:uuid:...}, or the root URL
 */
public record SiteConfig(String blogName, Optional<String> indexPage, String origin, String feedId, boolean allowRawHtml) {

    /** The configuration, and what was wrong with the files it was read from (defaults used instead). */
    public record Read(SiteConfig config, List<Problem> problems) {
        public Read {
            Objects.requireNonNull(config);
            problems = List.copyOf(problems);
        }
    }

    public static final String DEFAULT_BLOG_NAME = "Canopy";
    public static final String DEFAULT_ORIGIN = "http://localhost";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public SiteConfig {
        Objects.requireNonNull(blogName);
        Objects.requireNonNull(indexPage);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(feedId);
    }

    /** {@code path} on this site as an absolute URL, for the feed and the sitemap. */
    public String absolute(String path) {
        return origin + path;
    }

    public static Read read(Snapshot snapshot) {
        List<Problem> problems = new ArrayList<>();
        String blogName = value(snapshot, "blog_name").orElse(DEFAULT_BLOG_NAME);
        Optional<String> indexPage = value(snapshot, "index_page").map(name -> name.endsWith(".md") ? name.substring(0, name.length() - 3) : name);
        String origin = DEFAULT_ORIGIN;
        Optional<String> root = value(snapshot, "root");
        if (root.isEmpty()) {
            problems.add(Problem.of(".config/root", "missing: the feed and the sitemap use " + DEFAULT_ORIGIN + " until it names the site, https://blog.example"));
        } else {
            Optional<String> parsed = origin(root.get());
            if (parsed.isPresent()) {
                origin = parsed.get();
            } else {
                problems.add(new Problem(".config/root", 1, "'" + root.get() + "' is not an http(s) origin such as https://blog.example; using " + DEFAULT_ORIGIN));
            }
        }
        String feedId = origin + "/";
        Optional<String> uuid = value(snapshot, "uuid");
        if (uuid.isPresent()) {
            if (UUID.matcher(uuid.get()).matches()) {
                feedId = "urn:uuid:" + uuid.get().toLowerCase(Locale.ROOT);  // RFC 4122 3
            } else {
                problems.add(new Problem(".config/uuid", 1, "'" + uuid.get() + "' is not a UUID; the feed's id is " + feedId));
            }
        }
        boolean allowRawHtml = false;
        Optional<String> raw = value(snapshot, "allow_raw_html");
        if (raw.isPresent()) {
            switch (raw.get().toLowerCase(Locale.ROOT)) {
                case "true" -> allowRawHtml = true;
                case "false" -> allowRawHtml = false;
                default -> problems.add(new Problem(".config/allow_raw_html", 1, "'" + raw.get() + "' is neither true nor false; raw HTML stays escaped"));
            }
        }
        return new Read(new SiteConfig(blogName, indexPage, origin, feedId, allowRawHtml), problems);
    }

    /** {@code scheme://authority} of an http(s) URL whose path is empty or {@code /}, with nothing after it. */
    private static Optional<String> origin(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean plain = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && plain) {
                return Optional.of(scheme + "://" + uri.getRawAuthority());
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> value(Snapshot snapshot, String name) {
        Bytes bytes = snapshot.files().get(Key.of(".config/" + name));
        return bytes == null ? Optional.empty() : Optional.of(bytes.toUtf8().strip()).filter(v -> !v.isEmpty());
    }
}
