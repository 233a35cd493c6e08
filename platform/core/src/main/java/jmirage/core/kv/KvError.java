package jmirage.core.kv;

/** The expected ways a {@link Kv} operation fails. */
public sealed interface KvError {

    /** Nothing is stored at the key. */
    record NotFound(Key key) implements KvError {}

    /** The key is a dictionary where a value was needed (a get of a folder). */
    record NotAValue(Key key) implements KvError {}

    /** A value sits where a dictionary was needed ({@code key} is a value and a change wants {@code key/x}). */
    record NotADictionary(Key key) implements KvError {}

    /** The key cannot be used for this operation or by this backend. */
    record InvalidKey(Key key, String reason) implements KvError {}

    /** The store has been closed. */
    record Closed() implements KvError {}

    /** The medium failed (I/O error, corruption): {@code detail} says how, for the operator. */
    record Storage(String detail) implements KvError {}

    default String describe() {
        return switch (this) {
            case NotFound(Key key) -> "nothing at '" + key + "'";
            case NotAValue(Key key) -> "'" + key + "' is a dictionary, not a value";
            case NotADictionary(Key key) -> "'" + key + "' is a value, not a dictionary";
            case InvalidKey(Key key, String reason) -> "invalid key '" + key + "': " + reason;
            case Closed() -> "the store is closed";
            case Storage(String detail) -> "storage failure: " + detail;
        };
    }
}
