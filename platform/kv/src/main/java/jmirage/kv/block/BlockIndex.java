package jmirage.kv.block;

import jmirage.core.kv.Key;
import jmirage.kv.KeyTree;

/**
 * The block backend's index in memory: for each value, where its bytes lie on the device (never
 * the bytes themselves), and for each dictionary when its subtree last changed. Its size grows with
 * the number of keys, not with the size of the values. Pure: no I/O.
 */
final class BlockIndex {

    /** Where a value lies: its byte position on the device, length, CRC32C, and when it was set (epoch nanoseconds). */
    record Location(long position, int length, int crc, long time) {}

    /** The keys, with dictionary times in epoch nanoseconds. */
    private final KeyTree<Location, Long> tree;

    BlockIndex(long rootTime) {
        tree = new KeyTree<>(rootTime);
    }

    /** The key tree, for reads and for {@link jmirage.kv.BatchRules#check}. */
    KeyTree<Location, Long> tree() {
        return tree;
    }

    /** Total bytes of the values: what a compaction must copy. */
    long liveBytes() {
        long total = 0;
        for (var e : tree.values().entrySet()) {
            total += Payload.entrySize(e.getKey(), e.getValue().length());
        }
        for (Key k : tree.dictionaries().keySet()) {
            total += Payload.entrySize(k, -8);
        }
        return total;
    }

    void set(Key key, Location location) {
        tree.set(key, location, location.time());
    }

    void remove(Key key, long time) {
        tree.remove(key, time);
    }
}
