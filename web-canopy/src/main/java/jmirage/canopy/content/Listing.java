package jmirage.canopy.content;

import java.util.List;
import java.util.Objects;

/** A category (a top folder) or a tag: its name, its page's path, its articles newest first. */
public record Listing(String name, String path, List<Article> articles) {

    public Listing {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        articles = List.copyOf(articles);
    }
}
