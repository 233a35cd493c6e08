package jmirage.canopy.content;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An article's {@code ---} header, checked. A header is either an article's or a redirect's, so
 * an article always has a title and a redirect always has a target.
 */
public sealed interface Header {

    /**
     * @param authorUrl an http or https URL ({@link SafeUrl})
     * @param date      the date the author gave; when absent the git history's is used
     */
    record Article(String title, Optional<String> author, Optional<SafeUrl> authorUrl,
                   Optional<String> summary, List<String> tags, Optional<Instant> date) implements Header {
        public Article {
            Objects.requireNonNull(title);
            Objects.requireNonNull(author);
            Objects.requireNonNull(authorUrl);
            Objects.requireNonNull(summary);
            tags = List.copyOf(tags);
            Objects.requireNonNull(date);
        }
    }

    /** {@code redirect: TARGET}: the article's URL answers with a redirect to {@code target}. */
    record Redirect(SafeUrl target) implements Header {
        public Redirect {
            Objects.requireNonNull(target);
        }
    }
}
