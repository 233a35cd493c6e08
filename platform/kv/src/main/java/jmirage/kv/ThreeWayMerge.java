package jmirage.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

        /**
         * Both sides changed {@code key} differently and the rule of {@link KeepOurs} kept both: theirs
         * at {@code key} (when they did not remove it) and ours at {@code oursAt}.
         */
        record KeptBoth(Key key, Key oursAt) implements Conflict {}

        default String describe() {
            return switch (this) {
                case BothChanged(Key k) -> "'" + k + "' changed on both sides: their version kept";
                case ValueAboveValue(Key k, Key kept) -> "'" + k + "' dropped: their '" + kept + "' needs the other shape";
                case KeptBoth(Key k, Key at) -> k.equals(at)
                        ? "'" + k + "' changed by us and removed by them: ours kept"
                        : "'" + k + "' changed on both sides: theirs kept, ours kept as '" + at + "'";
            };
        }
    }

    /**
     * Where our version of a key both sides changed differently is kept beside theirs, when it must
     * not be lost (a calendar event): the key for it, or empty to drop it (it stays in history).
     */
    @FunctionalInterface
    public interface KeepOurs<V> {
        Optional<Key> keepAt(Key key, V ours);

        static <V> KeepOurs<V> never() {
            return (key, ours) -> Optional.empty();
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
        return merge(base, ours, theirs, KeepOurs.never());
    }

    /**
     * As {@link #merge(Map, Map, Map)}, except that where both sides changed a key differently and
     * ours is a value, {@code keep} may keep ours too: at the key it gives, or back at its own key
     * when theirs removed it. A key it gives that either side already uses is not taken: ours is
     * dropped as usual ({@link Conflict.BothChanged}). A value kept so counts as ours in the
     * value-above-value rule.
     */
    public static <V> Merged<V> merge(Map<Key, V> base, Map<Key, V> ours, Map<Key, V> theirs, KeepOurs<V> keep) {
        TreeSet<Key> all = new TreeSet<>(base.keySet());
        all.addAll(ours.keySet());
        all.addAll(theirs.keySet());
        TreeMap<Key, V> result = new TreeMap<>();
        TreeSet<Key> fromTheirs = new TreeSet<>();
        List<Conflict> conflicts = new ArrayList<>();
        TreeMap<Key, V> keptOurs = new TreeMap<>();
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
                    Optional<Key> at = o == null ? Optional.empty() : keep.keepAt(k, o);
                    if (at.isPresent() && t == null) {
                        chosen = o;
                        fromTheirs.remove(k);
                        conflicts.add(new Conflict.KeptBoth(k, k));
                    } else if (at.isPresent() && !at.get().equals(k) && !all.contains(at.get()) && !keptOurs.containsKey(at.get())) {
                        keptOurs.put(at.get(), o);
                        conflicts.add(new Conflict.KeptBoth(k, at.get()));
                    } else {
                        conflicts.add(new Conflict.BothChanged(k));
                    }
                }
            }
            if (chosen != null) {
                result.put(k, chosen);
            }
        }
        result.putAll(keptOurs);
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
