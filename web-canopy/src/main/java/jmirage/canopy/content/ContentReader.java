package jmirage.canopy.content;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;

/**
 * Reads a {@link Snapshot} with Canopy's layout: Markdown files at the root are pages, each top
 * folder is a category of articles, {@code static/} is served as it is, {@code .config/} holds the
 * settings, every other name starting with a dot ({@code .git}, {@code .github}) and every other
 * file is left out. A file that cannot be read becomes a {@link Problem}; the rest is read.
 */
public final class ContentReader {

    private static final String MARKDOWN = ".md";
    private static final String CONFIG = ".config";

    /**
     * Larger Markdown files are refused: no article written by hand comes near, and commonmark-java
     * takes time quadratic in the length of some inputs (runs of '<', lists nested by the thousand).
     */
    static final int MAX_ARTICLE_BYTES = 1 << 20;

    /** Newest first; the path breaks ties, so the order is the same on every build. */
    public static final Comparator<Article> NEWEST_FIRST =
            Comparator.comparing(Article::published).reversed().thenComparing(Article::path);

    private ContentReader() {}

    public static Content read(Snapshot snapshot) {
        SiteConfig.Read config = SiteConfig.read(snapshot);
        List<Problem> problems = new ArrayList<>(config.problems());
        List<Article> articles = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        List<StaticFile> statics = new ArrayList<>();
        for (Map.Entry<Key, Bytes> file : new TreeMap<>(snapshot.files()).entrySet()) {
            Key key = file.getKey();
            List<String> segments = key.segments();
            String top = segments.getFirst();
            if (top.equals(CONFIG) || segments.stream().anyMatch(s -> s.startsWith("."))) {
                continue;
            }
            if (top.equals(SitePaths.STATIC) && segments.size() > 1) {
                statics.add(new StaticFile(key, SitePaths.of(segments), file.getValue(), snapshot.historyOf(key).updated()));
            } else if (key.name().endsWith(MARKDOWN)) {
                switch (entry(key, file.getValue(), snapshot.historyOf(key))) {
                    case Result.Ok<Entry, Problem>(Article a) -> articles.add(a);
                    case Result.Ok<Entry, Problem>(Redirect r) -> redirects.add(r);
                    case Result.Err<Entry, Problem>(Problem p) -> problems.add(p);
                }
            }
        }
        List<Listing> categories = listings(articles.stream().filter(a -> !a.isPage()).toList(),
                a -> List.of(a.category().orElseThrow()), SitePaths::category);
        List<Article> pages = new ArrayList<>();
        for (Article page : articles.stream().filter(Article::isPage).toList()) {
            if (categories.stream().anyMatch(c -> c.path().equals(page.path()))) {
                problems.add(Problem.of(page.source().toString(), "its URL " + page.path() + " is the category of the folder beside it"));
            } else {
                pages.add(page);
            }
        }
        pages.sort(Comparator.comparing(Article::title).thenComparing(Article::path));
        List<Article> posts = categories.stream().flatMap(c -> c.articles().stream()).sorted(NEWEST_FIRST).toList();
        List<Article> published = new ArrayList<>(pages);
        published.addAll(posts);
        List<Listing> tags = listings(published, a -> a.header().tags(), SitePaths::tag);
        Optional<Article> indexPage = Optional.empty();
        if (config.config().indexPage().isPresent()) {
            String name = config.config().indexPage().get();
            indexPage = published.stream().filter(a -> a.source().toString().equals(name + MARKDOWN)).findFirst();
            if (indexPage.isEmpty()) {
                problems.add(Problem.of(".config/index_page", "no article " + name + MARKDOWN + "; the index lists the newest articles"));
            }
        }
        return new Content(config.config(), pages, posts, categories, tags, indexPage, redirects, statics, problems);
    }

    /** An {@link Article} or a {@link Redirect}, or why the file is neither. */
    private static Result<Entry, Problem> entry(Key key, Bytes bytes, History history) {
        String path = key.toString();
        List<String> segments = key.segments();
        String name = key.name().substring(0, key.name().length() - MARKDOWN.length());
        String top = segments.size() == 1 ? name : segments.getFirst();
        if (SitePaths.RESERVED.contains(top)) {
            return Result.err(Problem.of(path, "the name '" + top + "' is the site's own (" + String.join(", ", SitePaths.RESERVED.stream().sorted().toList()) + ")"));
        }
        if (bytes.size() > MAX_ARTICLE_BYTES) {
            return Result.err(Problem.of(path, bytes.size() + " bytes; an article has at most " + MAX_ARTICLE_BYTES));
        }
        Optional<String> text = utf8(bytes);
        if (text.isEmpty()) {
            return Result.err(Problem.of(path, "not UTF-8 text"));
        }
        List<String> urlSegments = new ArrayList<>(segments.subList(0, segments.size() - 1));
        urlSegments.add(name);
        String urlPath = SitePaths.of(urlSegments);
        return HeaderParser.parse(path, text.get()).<Entry>map(parsed -> switch (parsed.header()) {
            case Header.Redirect r -> new Redirect(key, urlPath, r.target());
            case Header.Article h -> {
                Instant published = h.date().orElse(history.created());
                Instant updated = history.updated().isAfter(published) ? history.updated() : published;
                Optional<String> category = segments.size() == 1 ? Optional.empty() : Optional.of(top);
                yield new Article(key, urlPath, category, h, parsed.body(), published, updated);
            }
        });
    }

    /** One listing per key {@code keys} gives an article, by name, each newest first. */
    private static List<Listing> listings(List<Article> articles, Function<Article, List<String>> keys, Function<String, String> path) {
        TreeMap<String, List<Article>> byName = new TreeMap<>();
        for (Article a : articles) {
            for (String name : keys.apply(a)) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(a);
            }
        }
        return byName.entrySet().stream()
                .map(e -> new Listing(e.getKey(), path.apply(e.getKey()), e.getValue().stream().sorted(NEWEST_FIRST).toList()))
                .toList();
    }

    private static Optional<String> utf8(Bytes bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.asReadOnlyBuffer()).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
