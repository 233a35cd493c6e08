package jmirage.canopy.render;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import jmirage.canopy.content.Article;
import jmirage.canopy.content.Rfc3339;
import jmirage.canopy.content.SiteConfig;
import jmirage.canopy.content.SitePaths;

/** The Atom feed (RFC 4287) of the newest articles. Every text is escaped for XML. */
final class AtomFeed {

    /** How many articles the feed carries: a reader polls it, so it stays small. */
    static final int ENTRIES = 20;

    private AtomFeed() {}

    /**
     * @param posts  newest first; the first {@link #ENTRIES} become entries
     * @param bodies each article's rendered HTML, by URL path, for atom:content
     */
    static String render(SiteConfig config, List<Article> posts, Map<String, String> bodies) {
        List<Article> entries = posts.subList(0, Math.min(ENTRIES, posts.size()));
        // RFC 4287 4.2.15: the feed's updated is its newest significant change
        Instant updated = entries.stream().map(Article::updated).max(Instant::compareTo).orElse(Instant.EPOCH);
        StringBuilder xml = new StringBuilder(4096);
        xml.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        // RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author unless every entry has one
        element(xml, "  ", "id", config.feedId());
        element(xml, "  ", "title", config.blogName());
        element(xml, "  ", "updated", Rfc3339.format(updated));
        link(xml, "  ", "self", MediaTypes.ATOM, config.absolute(SitePaths.FEED));
        link(xml, "  ", "alternate", "text/html", config.absolute(SitePaths.INDEX));
        xml.append("  <author>\n");
        element(xml, "    ", "name", config.blogName());
        xml.append("  </author>\n");
        for (Article a : entries) {
            entry(xml, config, a, bodies.get(a.path()));
        }
        return xml.append("</feed>\n").toString();
    }

    /** RFC 4287 4.1.2: id, title, updated, and (with no content src) an alternate link; more when known. */
    private static void entry(StringBuilder xml, SiteConfig config, Article a, String bodyHtml) {
        String url = config.absolute(a.path());
        xml.append("  <entry>\n");
        element(xml, "    ", "id", url);   // RFC 4287 4.2.6: permanent as long as the article's path is
        element(xml, "    ", "title", a.title());
        element(xml, "    ", "updated", Rfc3339.format(a.updated()));
        element(xml, "    ", "published", Rfc3339.format(a.published()));
        link(xml, "    ", "alternate", "text/html", url);
        if (a.header().author().isPresent()) {
            xml.append("    <author>\n");
            element(xml, "      ", "name", a.header().author().get());
            if (a.header().authorUrl().isPresent()) {
                element(xml, "      ", "uri", a.header().authorUrl().get().value());
            }
            xml.append("    </author>\n");
        }
        for (String tag : a.header().tags()) {
            xml.append("    <category term=\"").append(Xml.attribute(tag)).append("\"/>\n");
        }
        if (a.header().summary().isPresent()) {
            element(xml, "    ", "summary", a.header().summary().get());
        }
        // RFC 4287 4.1.3.3: type="html", the markup escaped as text
        xml.append("    <content type=\"html\">").append(Xml.escape(bodyHtml)).append("</content>\n");
        xml.append("  </entry>\n");
    }

    private static void element(StringBuilder xml, String indent, String name, String text) {
        xml.append(indent).append('<').append(name).append('>').append(Xml.escape(text))
                .append("</").append(name).append(">\n");
    }

    private static void link(StringBuilder xml, String indent, String rel, String type, String href) {
        xml.append(indent).append("<link rel=\"").append(rel).append("\" type=\"").append(type)
                .append("\" href=\"").append(Xml.attribute(href)).append("\"/>\n");
    }
}
