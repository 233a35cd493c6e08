package jmirage.canopy.render;

import jmirage.canopy.content.Article;
import jmirage.canopy.content.Content;
import jmirage.canopy.content.Listing;
import jmirage.canopy.content.SitePaths;

/**
 * The one template every HTML page is poured into: the blog's name, a navigation with the pages
 * and the categories, the page's own part, a footer with the feed, the tags and the status page.
 * The navigation is written once per build and shared by every page.
 */
record Layout(String blogName, String navigation) {

    private static final String STYLE = """
            body{max-width:46rem;margin:0 auto;padding:0 1rem;font:1.05rem/1.6 system-ui,sans-serif;color:#222}
            header,footer{padding:1rem 0}header{border-bottom:1px solid #ddd}footer{border-top:1px solid #ddd;font-size:.9rem}
            header a.site{font-weight:bold;font-size:1.3rem;text-decoration:none}nav a{margin-right:1rem}
            .meta{color:#666;font-size:.9rem}ul.articles{list-style:none;padding:0}ul.articles h2{margin-bottom:0}
            pre{overflow-x:auto;background:#f6f6f6;padding:.5rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}
            """;

    static Layout of(Content content) {
        StringBuilder nav = new StringBuilder("<nav>");
        for (Article page : content.pages()) {
            link(nav, page.path(), page.title());
        }
        for (Listing category : content.categories()) {
            link(nav, category.path(), category.name());
        }
        nav.append("</nav>");
        return new Layout(content.config().blogName(), nav.toString());
    }

    /** A whole page: {@code title} is text (escaped here), {@code main} is HTML already made safe. */
    String page(String title, String main) {
        StringBuilder html = new StringBuilder(main.length() + 2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        Html.escapeTo(html, title.equals(blogName) ? title : title + " - " + blogName);
        html.append("</title>\n<link rel=\"alternate\" type=\"application/atom+xml\" href=\"").append(SitePaths.FEED)
                .append("\" title=\"");
        Html.escapeTo(html, blogName);
        html.append("\">\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<header>\n<a class=\"site\" href=\"")
                .append(SitePaths.INDEX).append("\">");
        Html.escapeTo(html, blogName);
        html.append("</a>\n").append(navigation).append("\n</header>\n<main>\n").append(main)
                .append("\n</main>\n<footer>\n<a href=\"").append(SitePaths.FEED).append("\">Atom feed</a> · <a href=\"")
                .append(SitePaths.TAGS).append("\">Tags</a> · <a href=\"").append(SitePaths.STATUS)
                .append("\">Status</a>\n</footer>\n</body>\n</html>\n");
        return html.toString();
    }

    /** {@code <a href="PATH">TEXT</a>}, the path escaped as an attribute, the text as text. */
    static void link(StringBuilder html, String path, String text) {
        html.append("<a href=\"");
        Html.escapeTo(html, path);
        html.append("\">");
        Html.escapeTo(html, text);
        html.append("</a>");
    }
}
