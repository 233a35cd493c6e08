package jmirage.core.kv;

import java.util.List;
import java.util.Objects;
import jmirage.core.Bytes;

/**
 * Changes that are applied together or not at all, in order, with who made them and why. The git
 * backend makes each batch one commit with this author and message.
 */
public record Batch(String author, String message, List<Change> changes) {

    public static final String DEFAULT_AUTHOR = "unikernel";

    public Batch {
        Objects.requireNonNull(author);
        Objects.requireNonNull(message);
        changes = List.copyOf(changes);
    }

    public static Batch set(Key key, Bytes value) {
        return new Batch(DEFAULT_AUTHOR, "set " + key, List.of(new Change.Set(key, value)));
    }

    public static Batch remove(Key key) {
        return new Batch(DEFAULT_AUTHOR, "remove " + key, List.of(new Change.Remove(key)));
    }
}
