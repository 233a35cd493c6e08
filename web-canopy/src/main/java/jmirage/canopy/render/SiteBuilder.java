package jmirage.canopy.render;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jmirage.canopy.content.Article;
import jmirage.canopy.content.Content;
import jmirage.canopy.content.ContentReader;
import jmirage.canopy.content.History;
import jmirage.canopy.content.Listing;
import jmirage.canopy.content.Problem;
import jmirage.canopy.content.Redirect;
import jmirage.canopy.content.SitePaths;
import jmirage.canopy.content.Snapshot;
import jmirage.canopy.content.StaticFile;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * The one function from a repository snapshot to the site: read the content, render every page,
 * the feed and the sitemap, and check every redirect. Pure: the same snapshot gives the same bytes
 * and entity tags, on any machine.
 */
public final class SiteBuilder {

    /** How many of the newest articles the index lists when no {@code index_page} is set. */
    static final int NEWEST_ON_INDEX = 20;

    /** The body of an article whose Markdown could not be rendered. */
    static final String UNRENDERED = "<p>This article could not be rendered; the <a href=\"" + SitePaths.STATUS
            + "\">status page</a> says why.</p>\n";

    private SiteBuilder() {}

    /**
     * The Markdown a build rendered, by source text, under one raw-HTML setting, and the entity tags
     * and gzip copies of the bodies it served: the next build reuses what did not change, so a push
     * of one article renders one and compresses the few pages whose bytes changed (commonmark-java,
     * then gzip, are most of a build's time). A pure memo: {@link Markdown#toHtml} is a function of
     * the text and the setting, {@link Resource.Codes} of the bytes and the media type, so a build
     * with it gives the same site as one without. Immutable; holds only what the build that made it
     * served.
     */
    public record Renderings(boolean allowRawHtml, Map<String, Result<String, String>> byMarkdown,
                             Map<Bytes, Resource.Codes> byBody) {
        public static final Renderings NONE = new Renderings(false, Map.of(), Map.of());

        public Renderings {
            byMarkdown = Map.copyOf(byMarkdown);
            byBody = Map.copyOf(byBody);
        }

        private Resource resource(String mediaType, Bytes body, Instant lastModified, Map<Bytes, Resource.Codes> into) {
            Resource.Codes codes = byBody.get(body);
            if (codes == null || !codes.mediaType().equals(mediaType)) {
                codes = into.get(body);
            }
            if (codes == null || !codes.mediaType().equals(mediaType)) {
                codes = Resource.Codes.of(mediaType, body);
            }
            into.put(body, codes);
            return Resource.of(body, lastModified, codes);
        }

        private Result<String, String> render(String markdown, boolean raw, Map<String, Result<String, String>> into) {
            Result<String, String> html = raw == allowRawHtml ? byMarkdown.get(markdown) : null;
            if (html == null) {
                html = into.get(markdown);
            }
            if (html == null) {
                html = Markdown.toHtml(markdown, raw);
            }
            into.put(markdown, html);
            return html;
        }
    }

    /** A site and the Markdown rendered for it, for the next {@link #build(Snapshot, Renderings)}. */
    public record Built(Site site, Renderings renderings) {}

    public static Site build(Snapshot snapshot) {
        return build(snapshot, Renderings.NONE).site();
    }

    /** The site of {@code snapshot}, rendering only the Markdown {@code previous} does not hold. */
    public static Built build(Snapshot snapshot, Renderings previous) {
        Instant lastChange = snapshot.history().values().stream().map(History::updated)
                .max(Instant::compareTo).orElse(Instant.EPOCH);
        return render(ContentReader.read(snapshot), lastChange, previous);
    }

    /**
     * @param lastChange the repository's newest commit: every HTML page shows the navigation, which
     *                   any change may alter, so it is every page's Last-Modified
     */
    private static Built render(Content content, Instant lastChange, Renderings previous) {
        boolean allowRawHtml = content.config().allowRawHtml();
        Layout layout = Layout.of(content);
        List<Problem> problems = new ArrayList<>(content.problems());
        Map<String, Resource> resources = new LinkedHashMap<>();
        List<Sitemap.Page> sitemap = new ArrayList<>();

        List<Article> articles = new ArrayList<>(content.pages());
        articles.addAll(content.posts());
        Map<String, String> bodies = new HashMap<>();
        Map<String, Result<String, String>> rendered = new HashMap<>();
        Coding coding = new Coding(previous, new HashMap<>());
        for (Article a : articles) {
            String body = switch (previous.render(a.markdown(), allowRawHtml, rendered)) {
                case Result.Ok<String, String>(String html) -> html;
                case Result.Err<String, String>(String reason) -> {
                    // the page stays, so links to it still resolve; the status page says why it is empty
                    problems.add(new Problem(a.source().toString(), 0, reason));
                    yield UNRENDERED;
                }
            };
            bodies.put(a.path(), body);
            add(resources, a.path(), coding.html(layout.page(a.title(), Pages.article(a, body)), lastChange));
            sitemap.add(new Sitemap.Page(a.path(), a.updated()));
        }

        String index = content.indexPage()
                .map(a -> layout.page(a.title(), Pages.article(a, bodies.get(a.path()))))
                .orElseGet(() -> layout.page(content.config().blogName(), Pages.listing("Newest articles",
                        content.posts().subList(0, Math.min(NEWEST_ON_INDEX, content.posts().size())))));
        add(resources, SitePaths.INDEX, coding.html(index, lastChange));
        sitemap.addFirst(new Sitemap.Page(SitePaths.INDEX, newest(articles)));

        for (Listing category : content.categories()) {
            add(resources, category.path(), coding.html(layout.page(category.name(), Pages.listing(category.name(), category.articles())), lastChange));
            sitemap.add(new Sitemap.Page(category.path(), newest(category.articles())));
        }
        for (Listing tag : content.tags()) {
            String title = "Tagged " + tag.name();
            add(resources, tag.path(), coding.html(layout.page(title, Pages.listing(title, tag.articles())), lastChange));
            sitemap.add(new Sitemap.Page(tag.path(), newest(tag.articles())));
        }
        add(resources, SitePaths.TAGS, coding.html(layout.page("Tags", Pages.tags(content.tags())), lastChange));
        sitemap.add(new Sitemap.Page(SitePaths.TAGS, newest(articles)));

        add(resources, SitePaths.FEED, coding.resource(MediaTypes.ATOM,
                Bytes.utf8(AtomFeed.render(content.config(), content.posts(), bodies)), lastChange));
        if (sitemap.size() > Sitemap.MAX_URLS) {
            problems.add(new Problem("sitemap.xml", 0, (sitemap.size() - Sitemap.MAX_URLS)
                    + " pages beyond the sitemap protocol's " + Sitemap.MAX_URLS + " URLs are left out of it"));
        }
        add(resources, SitePaths.SITEMAP, coding.resource(MediaTypes.XML,
                Bytes.utf8(Sitemap.render(content.config(), sitemap)), lastChange));
        // RFC 9309 with the sitemaps.org "Sitemap:" line, how crawlers find the sitemap
        add(resources, SitePaths.ROBOTS, coding.resource(MediaTypes.TEXT, Bytes.utf8("User-agent: *\nAllow: /\nSitemap: "
                + content.config().absolute(SitePaths.SITEMAP) + "\n"), lastChange));

        for (StaticFile file : content.statics()) {
            add(resources, file.path(), coding.resource(MediaTypes.of(file.source().name()), file.body(), file.updated()));
        }

        Set<String> paths = new HashSet<>(resources.keySet());
        paths.add(SitePaths.STATUS);   // rendered last, since it lists the redirects' problems too
        Map<String, String> redirects = redirects(content.redirects(), paths, problems);
        add(resources, SitePaths.STATUS, coding.html(layout.page("Status", Pages.status(problems, articles.size())), lastChange));
        Resource notFound = coding.html(layout.page("Not found", Pages.notFound()), lastChange);
        return new Built(new Site(resources, redirects, notFound, problems), new Renderings(allowRawHtml, rendered, coding.coded()));
    }

    /**
     * Each redirect by its path, but one whose path is a page already or whose target on this site
     * is no page: those are problems, so no redirect leads a crawler to a 404.
     */
    private static Map<String, String> redirects(List<Redirect> all, Set<String> paths, List<Problem> problems) {
        Map<String, String> redirects = new LinkedHashMap<>();
        for (Redirect r : all) {
            String target = r.target().value();
            if (paths.contains(r.path())) {
                problems.add(new Problem(r.source().toString(), 0, "its URL " + r.path() + " is already a page of the site"));
            } else if (r.target().isSitePath() && !paths.contains(withoutQueryOrFragment(target))) {
                problems.add(new Problem(r.source().toString(), 0, "it redirects to " + target + ", which is not a page of the site"));
            } else {
                redirects.put(r.path(), target);
            }
        }
        return redirects;
    }

    /** Resources made through the previous build's {@link Renderings}, collecting this build's codes. */
    private record Coding(Renderings previous, Map<Bytes, Resource.Codes> coded) {

        Resource resource(String mediaType, Bytes body, Instant lastModified) {
            return previous.resource(mediaType, body, lastModified, coded);
        }

        Resource html(String page, Instant lastModified) {
            return resource(MediaTypes.HTML, Bytes.utf8(page), lastModified);
        }
    }

    /** Adds a resource; the content reader keeps names apart, so a second one for a path is a bug. */
    private static void add(Map<String, Resource> resources, String path, Resource resource) {
        if (resources.putIfAbsent(path, resource) != null) {
            throw new IllegalStateException("two resources for " + path);
        }
    }

    private static Instant newest(List<Article> articles) {
        return articles.stream().map(Article::updated).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    private static String withoutQueryOrFragment(String path) {
        int end = path.length();
        for (char c : new char[] {'?', '#'}) {
            int at = path.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return path.substring(0, end);
    }
}
