package jmirage.canopy.content;

import java.time.Instant;
import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;

/** A file under {@code static/}, served as it is at {@code path}. */
public record StaticFile(Key source, String path, Bytes body, Instant updated) {

    public StaticFile {
        Objects.requireNonNull(source);
        Objects.requireNonNull(path);
        Objects.requireNonNull(body);
        Objects.requireNonNull(updated);
    }
}
