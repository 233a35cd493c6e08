package jmirage.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;

/** Reads a whole store through its {@link Kv} interface, for tests that compare it with {@link KvModel}. */
public final class KvDump {

    private KvDump() {}

    /** Every value by key; fails if a dictionary other than the root is empty. */
    public static TreeMap<Key, Bytes> readAll(Kv kv, SimScheduler scheduler) {
        TreeMap<Key, Bytes> values = new TreeMap<>();
        List<Key> dictionaries = new ArrayList<>(List.of(Key.ROOT));
        while (!dictionaries.isEmpty()) {
            Key dictionary = dictionaries.removeLast();
            List<Entry> children = scheduler.runUntil(kv.list(dictionary)).value().orElseThrow();
            assertTrue(dictionary.isRoot() || !children.isEmpty(), "empty dictionary left at " + dictionary);
            for (Entry e : children) {
                if (e.kind() == EntryKind.DICTIONARY) {
                    dictionaries.add(e.key());
                } else {
                    values.put(e.key(), scheduler.runUntil(kv.get(e.key())).value().orElseThrow());
                }
            }
        }
        return values;
    }
}
