package jmirage.core.kv;

import java.util.Objects;
import jmirage.core.Bytes;

/** One change in a {@link Batch}. */
public sealed interface Change {

    Key key();

    /** Store {@code value} at {@code key}, creating the dictionaries above it. */
    record Set(Key key, Bytes value) implements Change {
        public Set {
            Objects.requireNonNull(key);
            Objects.requireNonNull(value);
        }
    }

    /** Remove the value or the whole dictionary at {@code key}; removing nothing is not an error. */
    record Remove(Key key) implements Change {
        public Remove {
            Objects.requireNonNull(key);
        }
    }
}
