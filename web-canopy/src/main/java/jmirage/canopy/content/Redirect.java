package jmirage.canopy.content;

import java.util.Objects;
import jmirage.core.kv.Key;

/** A file whose header is {@code redirect: TARGET}: its URL path answers with a redirect. */
public record Redirect(Key source, String path, SafeUrl target) implements Entry {

    public Redirect {
        Objects.requireNonNull(source);
        Objects.requireNonNull(path);
        Objects.requireNonNull(target);
    }
}
