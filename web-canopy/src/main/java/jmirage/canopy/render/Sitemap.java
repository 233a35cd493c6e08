package jmirage.canopy.render;

import java.time.Instant;
import java.util.List;
import jmirage.canopy.content.Rfc3339;
import jmirage.canopy.content.SiteConfig;

/** The sitemap (sitemaps.org protocol 0.9): every HTML page of the site with its last change. */
final class Sitemap {

    /** sitemaps.org: "no more than 50,000 URLs"; beyond, a sitemap index would be needed. */
    static final int MAX_URLS = 50_000;

    /** A page for the sitemap: its path and when its content last changed. */
    record Page(String path, Instant lastModified) {}

    private Sitemap() {}

    static String render(SiteConfig config, List<Page> pages) {
        StringBuilder xml = new StringBuilder(128 + 100 * pages.size());
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (Page page : pages.subList(0, Math.min(MAX_URLS, pages.size()))) {
            // <lastmod> is a W3C Datetime, of which RFC 3339's date-time in UTC is one form
            xml.append("<url><loc>").append(Xml.escape(config.absolute(page.path()))).append("</loc><lastmod>")
                    .append(Rfc3339.format(page.lastModified())).append("</lastmod></url>\n");
        }
        return xml.append("</urlset>\n").toString();
    }
}
