package jmirage.kv.block;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.kv.BatchRules;

/**
 * The block backend's index in memory: for each value, where its bytes lie on the device (never
 * the bytes themselves), and for each dictionary when its subtree last changed. Its size grows with
 * the number of keys, not with the size of the values. Pure: no I/O.
 */
final class BlockIndex implements BatchRules.Store {

    /** Where a value lies: its byte position on the device, length, CRC32C, and when it was set (epoch nanoseconds). */
    record Location(long position, int length, int crc, long time) {}

    private final TreeMap<Key, Location> values = new TreeMap<>();
    private final TreeMap<Key, Long> dictionaries = new TreeMap<>();

    BlockIndex(long rootTime) {
        dictionaries.put(Key.ROOT, rootTime);
    }

    int valueCount() {
        return values.size();
    }

    Location value(Key key) {
        return values.get(key);
    }

    Long dictionaryTime(Key key) {
        return dictionaries.get(key);
    }

    TreeMap<Key, Location> values() {
        return values;
    }

    TreeMap<Key, Long> dictionaries() {
        return dictionaries;
    }

    /** Total bytes of the values: what a compaction must copy. */
    long liveBytes() {
        long total = 0;
        for (var e : values.entrySet()) {
            total += Payload.entrySize(e.getKey(), e.getValue().length());
        }
        for (Key k : dictionaries.keySet()) {
            total += Payload.entrySize(k, -8);
        }
        return total;
    }

    Optional<EntryKind> kind(Key key) {
        if (values.containsKey(key)) {
            return Optional.of(EntryKind.VALUE);
        }
        return dictionaries.containsKey(key) ? Optional.of(EntryKind.DICTIONARY) : Optional.empty();
    }

    List<Entry> children(Key dictionary) {
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
    void set(Key key, Location location) {
        values.put(key, location);
        touch(key.parent(), location.time());
    }

    void remove(Key key, long time) {
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
        Key above = key.parent();
        while (!above.isRoot() && under(values, above).findAny().isEmpty()) {
            dictionaries.remove(above);
            above = above.parent();
        }
        touch(above, time);
    }

    /** From a snapshot: a value or a dictionary exactly as it was, times included. */
    void restoreValue(Key key, Location location) {
        values.put(key, location);
    }

    void restoreDictionary(Key key, long time) {
        dictionaries.put(key, time);
    }

    private void touch(Key dictionary, long time) {
        Key k = dictionary;
        dictionaries.put(k, time);
        while (!k.isRoot()) {
            k = k.parent();
            dictionaries.put(k, time);
        }
    }

    private static Stream<Key> under(TreeMap<Key, ?> map, Key key) {
        return map.tailMap(key, false).keySet().stream().takeWhile(k -> k.startsWith(key));
    }
}
