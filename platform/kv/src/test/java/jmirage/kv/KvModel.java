package jmirage.kv;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.Bytes;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;

/**
 * The Kv semantics of README.md in the plainest form, as the oracle for property and crash tests:
 * the store is its map of values, a dictionary is any proper prefix of a stored key.
 */
public record KvModel(TreeMap<Key, Bytes> values) {

    public KvModel() {
        this(new TreeMap<>());
    }

    /** The model after {@code batch}, or the error of its first invalid change. */
    public Result apply(Batch batch) {
        TreeMap<Key, Bytes> next = new TreeMap<>(values);
        for (Change change : batch.changes()) {
            switch (change) {
                case Change.Set(Key key, Bytes value) -> {
                    if (key.isRoot()) {
                        return new Result(this, Optional.of(new KvError.InvalidKey(key, "root")));
                    }
                    for (Key above = key.parent(); !above.isRoot(); above = above.parent()) {
                        if (next.containsKey(above)) {
                            return new Result(this, Optional.of(new KvError.NotADictionary(above)));
                        }
                    }
                    if (kind(next, key).equals(Optional.of(EntryKind.DICTIONARY))) {
                        return new Result(this, Optional.of(new KvError.NotAValue(key)));
                    }
                    next.put(key, value);
                }
                case Change.Remove(Key key) -> next.keySet().removeIf(k -> k.startsWith(key));
            }
        }
        return new Result(new KvModel(next), Optional.empty());
    }

    public record Result(KvModel model, Optional<KvError> error) {}

    public Optional<EntryKind> kind(Key key) {
        return kind(values, key);
    }

    /** Direct children of {@code key} with their kinds, sorted by key. */
    public Map<Key, EntryKind> children(Key key) {
        TreeMap<Key, EntryKind> children = new TreeMap<>();
        for (Key k : values.keySet()) {
            if (k.startsWith(key) && k.depth() > key.depth()) {
                Key child = new Key(k.segments().subList(0, key.depth() + 1));
                children.put(child, child.equals(k) ? EntryKind.VALUE : EntryKind.DICTIONARY);
            }
        }
        return children;
    }

    /** Every dictionary, the root included. */
    public SortedSet<Key> dictionaries() {
        TreeSet<Key> dictionaries = new TreeSet<>();
        dictionaries.add(Key.ROOT);
        for (Key k : values.keySet()) {
            for (Key above = k.parent(); !above.isRoot(); above = above.parent()) {
                dictionaries.add(above);
            }
        }
        return dictionaries;
    }

    private static Optional<EntryKind> kind(TreeMap<Key, Bytes> values, Key key) {
        if (values.containsKey(key)) {
            return Optional.of(EntryKind.VALUE);
        }
        boolean hasChildren = key.isRoot() || values.keySet().stream().anyMatch(k -> k.startsWith(key));
        return hasChildren ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }
}
