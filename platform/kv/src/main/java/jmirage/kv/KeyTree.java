package jmirage.kv;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;

/**
 * The tree of keys every in-memory view of a store keeps (README, "The semantics every backend
 * keeps"): values at leaves, dictionaries that exist while they have children (the root always),
 * and for each dictionary when something under it last changed. {@code V} is what a value is to
 * the backend (the bytes for mem, a location on the device for block); {@code T} its time. Pure: no
 * I/O, and the caller gives the time.
 */
public final class KeyTree<V, T> implements BatchRules.Store {

    /** Sorted by {@link Key}, so the keys under a key follow it in one run. */
    private final TreeMap<Key, V> values = new TreeMap<>();
    private final TreeMap<Key, T> dictionaries = new TreeMap<>();

    public KeyTree(T rootTime) {
        dictionaries.put(Key.ROOT, rootTime);
    }

    public V value(Key key) {
        return values.get(key);
    }

    /** When something under the dictionary last changed, or null if there is no such dictionary. */
    public T dictionaryTime(Key key) {
        return dictionaries.get(key);
    }

    public int valueCount() {
        return values.size();
    }

    /** Every value, in key order (read-only). */
    public NavigableMap<Key, V> values() {
        return Collections.unmodifiableNavigableMap(values);
    }

    /** Every dictionary with its time, in key order (read-only). */
    public NavigableMap<Key, T> dictionaries() {
        return Collections.unmodifiableNavigableMap(dictionaries);
    }

    public Optional<EntryKind> kind(Key key) {
        if (values.containsKey(key)) {
            return Optional.of(EntryKind.VALUE);
        }
        return dictionaries.containsKey(key) ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }

    /** The direct children of {@code dictionary}, sorted by key. */
    public List<Entry> children(Key dictionary) {
        Stream<Entry> valuesIn = under(values, dictionary)
                .filter(k -> k.depth() == dictionary.depth() + 1)
                .map(k -> new Entry(k, EntryKind.VALUE));
        Stream<Entry> dictionariesIn = under(dictionaries, dictionary)
                .filter(k -> k.depth() == dictionary.depth() + 1)
                .map(k -> new Entry(k, EntryKind.DICTIONARY));
        return Stream.concat(valuesIn, dictionariesIn).sorted(Comparator.comparing(Entry::key)).toList();
    }

    @Override
    public boolean isValue(Key key) {
        return values.containsKey(key);
    }

    @Override
    public List<Key> valuesUnder(Key key) {
        return under(values, key).toList();
    }

    /** Checked by {@link BatchRules} (or replayed from a batch that was): nothing above is a value, the key no dictionary. */
    public void set(Key key, V value, T time) {
        values.put(key, value);
        touch(key.parent(), time);
    }

    /** Removes the value or the whole dictionary at {@code key}; removing nothing changes nothing. */
    public void remove(Key key, T time) {
        boolean removed = values.remove(key) != null;
        if (!key.isRoot()) {
            removed |= dictionaries.remove(key) != null;
        }
        for (Key k : Stream.concat(under(values, key), under(dictionaries, key)).toList()) {
            removed |= values.remove(k) != null | dictionaries.remove(k) != null;
        }
        if (!removed) {
            return;
        }
        // a dictionary exists while it has children, so the removal may empty the ones above
        Key above = key.parent();
        while (!above.isRoot() && under(values, above).findAny().isEmpty()) {
            dictionaries.remove(above);
            above = above.parent();
        }
        touch(above, time);
    }

    /** From a snapshot: a value exactly as it was, without touching the times above it. */
    public void restoreValue(Key key, V value) {
        values.put(key, value);
    }

    /** From a snapshot: a dictionary's time exactly as it was. */
    public void restoreDictionary(Key key, T time) {
        dictionaries.put(key, time);
    }

    /** Records a change in {@code dictionary} and every dictionary above it. */
    private void touch(Key dictionary, T time) {
        Key k = dictionary;
        dictionaries.put(k, time);
        while (!k.isRoot()) {
            k = k.parent();
            dictionaries.put(k, time);
        }
    }

    /** The keys strictly under {@code key}: they follow it in key order, ending at the first that does not start with it. */
    private static Stream<Key> under(TreeMap<Key, ?> map, Key key) {
        return map.tailMap(key, false).keySet().stream().takeWhile(k -> k.startsWith(key));
    }
}
