package jmirage.canopy.render;

import java.time.Instant;
import java.util.List;
import jmirage.canopy.content.Article;
import jmirage.canopy.content.Listing;
import jmirage.canopy.content.Problem;
import jmirage.canopy.content.Rfc3339;
import jmirage.canopy.content.SitePaths;

/** The main part of each kind of page, as HTML: every text from the repository escaped. */
final class Pages {

    private Pages() {}

    /** An article: its title, author, dates and tags, then its body (Markdown already rendered). */
    static String article(Article article, String bodyHtml) {
        StringBuilder html = new StringBuilder(bodyHtml.length() + 512);
        html.append("<article>\n<h1>");
        Html.escapeTo(html, article.title());
        html.append("</h1>\n<p class=\"meta\">");
        if (article.header().author().isPresent()) {
            html.append("By ");
            String author = article.header().author().get();
            if (article.header().authorUrl().isPresent()) {
                Layout.link(html, article.header().authorUrl().get().value(), author);
            } else {
                Html.escapeTo(html, author);
            }
            html.append(", ");
        }
        time(html, article.published());
        if (!Rfc3339.formatDay(article.updated()).equals(Rfc3339.formatDay(article.published()))) {
            html.append(", updated ");
            time(html, article.updated());
        }
        html.append("</p>\n");
        if (!article.header().tags().isEmpty()) {
            html.append("<p class=\"meta\">Tags: ");
            List<String> tags = article.header().tags();
            for (int i = 0; i < tags.size(); i++) {
                html.append(i == 0 ? "" : ", ");
                Layout.link(html, SitePaths.tag(tags.get(i)), tags.get(i));
            }
            html.append("</p>\n");
        }
        return html.append(bodyHtml).append("</article>").toString();
    }

    /** A heading and the articles, each with its date and abstract. */
    static String listing(String title, List<Article> articles) {
        StringBuilder html = new StringBuilder(256 + 256 * articles.size());
        html.append("<h1>");
        Html.escapeTo(html, title);
        html.append("</h1>\n");
        if (articles.isEmpty()) {
            return html.append("<p>Nothing here yet.</p>").toString();
        }
        html.append("<ul class=\"articles\">\n");
        for (Article a : articles) {
            html.append("<li><h2>");
            Layout.link(html, a.path(), a.title());
            html.append("</h2><p class=\"meta\">");
            time(html, a.published());
            html.append("</p>");
            if (a.header().summary().isPresent()) {
                html.append("<p>");
                Html.escapeTo(html, a.header().summary().get());
                html.append("</p>");
            }
            html.append("</li>\n");
        }
        return html.append("</ul>").toString();
    }

    /** Every tag, with how many articles carry it. */
    static String tags(List<Listing> tags) {
        StringBuilder html = new StringBuilder("<h1>Tags</h1>\n");
        if (tags.isEmpty()) {
            return html.append("<p>No article has tags yet.</p>").toString();
        }
        html.append("<ul>\n");
        for (Listing tag : tags) {
            html.append("<li>");
            Layout.link(html, tag.path(), tag.name());
            html.append(" (").append(tag.articles().size()).append(")</li>\n");
        }
        return html.append("</ul>").toString();
    }

    /** What the build left out and why, for the repository's authors. */
    static String status(List<Problem> problems, int articles) {
        StringBuilder html = new StringBuilder("<h1>Status</h1>\n<p>");
        html.append(articles).append(articles == 1 ? " article" : " articles").append(" published, ")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append(".</p>\n");
        if (!problems.isEmpty()) {
            html.append("<ul class=\"problems\">\n");
            for (Problem p : problems) {
                html.append("<li><code>");
                Html.escapeTo(html, p.line() == 0 ? p.path() : p.path() + ":" + p.line());
                html.append("</code> ");
                Html.escapeTo(html, p.reason());
                html.append("</li>\n");
            }
            html.append("</ul>");
        }
        return html.toString();
    }

    static String notFound() {
        return "<h1>Not found</h1>\n<p>There is no page here. The <a href=\"" + SitePaths.INDEX
                + "\">index</a> lists the newest articles.</p>";
    }

    private static void time(StringBuilder html, Instant instant) {
        html.append("<time datetime=\"").append(Rfc3339.format(instant)).append("\">")
                .append(Rfc3339.formatDay(instant)).append("</time>");
    }
}
