package jmirage.canopy.content;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The repository read into what the site shows, and the problems met on the way.
 *
 * @param pages      the articles at the root, for the navigation, by title
 * @param posts      the articles of every category, newest first (the index and the feed)
 * @param categories by name, each newest first
 * @param tags       by name, each newest first, pages included
 * @param indexPage  the article {@code .config/index_page} names, shown at {@code /}
 */
public record Content(SiteConfig config, List<Article> pages, List<Article> posts, List<Listing> categories,
                      List<Listing> tags, Optional<Article> indexPage, List<Redirect> redirects,
                      List<StaticFile> statics, List<Problem> problems) {

    public Content {
        Objects.requireNonNull(config);
        pages = List.copyOf(pages);
        posts = List.copyOf(posts);
        categories = List.copyOf(categories);
        tags = List.copyOf(tags);
        Objects.requireNonNull(indexPage);
        redirects = List.copyOf(redirects);
        statics = List.copyOf(statics);
        problems = List.copyOf(problems);
    }
}
