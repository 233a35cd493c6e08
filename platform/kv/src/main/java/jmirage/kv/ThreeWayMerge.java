package jmirage.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.kv.Key;

/**
 * The three-way merge of two versions of a key tree that share a base (platform/kv/README.md,
 * "Conflicts: the rule"), over plain maps from each value's key to the value (a git blob id in the
 * git store). Pure: no repository, no log; the git store writes the result as a merge commit.
 *
 * <p>"Theirs" is the side whose version wins a conflict: the remote on a pull, the commits another
 * program pushed into the store's repository.
 */
public final class ThreeWayMerge {

    private ThreeWayMerge() {}

    /** What went against the rule of one side only, and which side's key was kept. */
    public sealed interface Conflict {

        /** The key that lost: ours was dropped (it stays in history). */
        Key key();

        /** Both sides changed {@code key} to different contents (a removal is a change): theirs kept. */
        record BothChanged(Key key) implements Conflict {}

        /**
         * The merged tree would have held a value at {@code key} and another at {@code kept} above or
         * under it: the one that comes from their changes was kept, {@code key} dropped.
         */
        record ValueAboveValue(Key key, Key kept) implements Conflict {}

        default String describe() {
            return switch (this) {
                case BothChanged(Key k) -> "'" + k + "' changed on both sides: their version kept";
                case ValueAboveValue(Key k, Key kept) -> "'" + k + "' dropped: their '" + kept + "' needs the other shape";
            };
        }
    }

    /** The merged values (never a value above another value) and the conflicts, in key order of discovery. */
    public record Merged<V>(SortedMap<Key, V> values, List<Conflict> conflicts) {
        public Merged {
            values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
            conflicts = List.copyOf(conflicts);
        }
    }

    /**
     * Key by key: unchanged on one side, the other side's version; changed alike on both, that
     * version; changed differently on both, theirs ({@link Conflict.BothChanged}). Then a value
     * above another value (one side made {@code a} a value, the other wrote {@code a/b}) keeps the
     * key that came from their changes ({@link Conflict.ValueAboveValue}).
     */
    public static <V> Merged<V> merge(Map<Key, V> base, Map<Key, V> ours, Map<Key, V> theirs) {
        TreeSet<Key> all = new TreeSet<>(base.keySet());
        all.addAll(ours.keySet());
        all.addAll(theirs.keySet());
        TreeMap<Key, V> result = new TreeMap<>();
        TreeSet<Key> fromTheirs = new TreeSet<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (Key k : all) {
            V b = base.get(k);
            V o = ours.get(k);
            V t = theirs.get(k);
            V chosen;
            if (Objects.equals(o, t) || Objects.equals(t, b)) {
                chosen = o;
            } else {
                chosen = t;
                fromTheirs.add(k);
                if (!Objects.equals(o, b)) {
                    conflicts.add(new Conflict.BothChanged(k));
                }
            }
            if (chosen != null) {
                result.put(k, chosen);
            }
        }
        // In key order a dictionary's key comes before the keys under it, so each key only needs
        // checking against the values above it that are still kept.
        for (Key k : List.copyOf(result.keySet())) {
            if (!result.containsKey(k)) {
                continue;
            }
            for (Key above = k.parent(); !above.isRoot(); above = above.parent()) {
                if (result.containsKey(above)) {
                    boolean dropAbove = fromTheirs.contains(k) && !fromTheirs.contains(above);
                    Key loser = dropAbove ? above : k;
                    result.remove(loser);
                    conflicts.add(new Conflict.ValueAboveValue(loser, dropAbove ? k : above));
                    break;
                }
            }
        }
        return new Merged<>(result, conflicts);
    }
}
