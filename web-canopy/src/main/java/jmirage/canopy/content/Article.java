package jmirage.canopy.content;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jmirage.core.kv.Key;

/**
 * One article: a Markdown file with a header. At the repository's root it is a page of the
 * navigation; in a folder it belongs to that folder's category.
 *
 * @param path      its URL path: the file's path without {@code .md}, {@code /posts/hello}
 * @param category  the top folder, empty for a page at the root
 * @param published the header's date, or the file's first commit
 * @param updated   the file's last commit, never before {@code published}
 */
public record Article(Key source, String path, Optional<String> category, Header.Article header,
                      String markdown, Instant published, Instant updated) implements Entry {

    public Article {
        Objects.requireNonNull(source);
        Objects.requireNonNull(path);
        Objects.requireNonNull(category);
        Objects.requireNonNull(header);
        Objects.requireNonNull(markdown);
        Objects.requireNonNull(published);
        Objects.requireNonNull(updated);
        if (updated.isBefore(published)) {
            throw new IllegalArgumentException("updated " + updated + " before published " + published);
        }
    }

    public String title() {
        return header.title();
    }

    public boolean isPage() {
        return category.isEmpty();
    }
}
