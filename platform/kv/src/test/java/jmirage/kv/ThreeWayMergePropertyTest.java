package jmirage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.kv.Key;
import jmirage.kv.ThreeWayMerge.Conflict;
import jmirage.kv.ThreeWayMerge.Merged;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge rule (platform/kv/README.md, "Conflicts: the rule") over random trees drawn from a small
 * set of keys and values, so that the same key is often changed on both sides and values often
 * sit above one another.
 */
class ThreeWayMergePropertyTest {

    private static final List<Key> KEYS = List.of("a", "b", "a/x", "a/y", "b/x", "a/x/z", "c/d/e").stream()
            .map(Key::of).toList();

    /** A valid tree: no value above another value (the lower keys under a value are dropped). */
    @Provide
    Arbitrary<Map<Key, Integer>> trees() {
        return Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.integers().between(1, 3)).ofMaxSize(KEYS.size())
                .map(ThreeWayMergePropertyTest::valid);
    }

    private static Map<Key, Integer> valid(Map<Key, Integer> any) {
        TreeMap<Key, Integer> tree = new TreeMap<>();
        for (var e : new TreeMap<>(any).entrySet()) {
            if (tree.keySet().stream().noneMatch(v -> e.getKey().startsWith(v))) {
                tree.put(e.getKey(), e.getValue());
            }
        }
        return tree;
    }

    @Property
    void mergingWithAnUnchangedSideGivesTheOtherSide(@ForAll("trees") Map<Key, Integer> base,
                                                     @ForAll("trees") Map<Key, Integer> changed) {
        Merged<Integer> theirsOnly = ThreeWayMerge.merge(base, base, changed);
        assertEquals(changed, theirsOnly.values());
        assertEquals(List.of(), theirsOnly.conflicts());
        Merged<Integer> oursOnly = ThreeWayMerge.merge(base, changed, base);
        assertEquals(changed, oursOnly.values());
        assertEquals(List.of(), oursOnly.conflicts());
    }

    @Property
    void bothSidesAlikeGiveThatSide(@ForAll("trees") Map<Key, Integer> base, @ForAll("trees") Map<Key, Integer> both) {
        Merged<Integer> merged = ThreeWayMerge.merge(base, both, both);
        assertEquals(both, merged.values());
        assertEquals(List.of(), merged.conflicts());
    }

    @Property
    void aKeyChangedOnOneSideOnlyTakesThatSideUnlessItsShapeLost(@ForAll("trees") Map<Key, Integer> base,
            @ForAll("trees") Map<Key, Integer> ours, @ForAll("trees") Map<Key, Integer> theirs) {
        Merged<Integer> merged = ThreeWayMerge.merge(base, ours, theirs);
        TreeSet<Key> dropped = new TreeSet<>();
        merged.conflicts().forEach(c -> dropped.add(c.key()));
        for (Key k : KEYS) {
            Integer b = base.get(k);
            Integer o = ours.get(k);
            Integer t = theirs.get(k);
            if (dropped.contains(k)) {
                continue;
            }
            if (Objects.equals(o, b)) {
                assertEquals(t, merged.values().get(k), "changed by them only: " + k);
            } else if (Objects.equals(t, b)) {
                assertEquals(o, merged.values().get(k), "changed by us only: " + k);
            }
        }
    }

    @Property
    void theResultNeverHasAValueAboveAValue(@ForAll("trees") Map<Key, Integer> base,
            @ForAll("trees") Map<Key, Integer> ours, @ForAll("trees") Map<Key, Integer> theirs) {
        Merged<Integer> merged = ThreeWayMerge.merge(base, ours, theirs);
        for (Key k : merged.values().keySet()) {
            for (Key above = k.parent(); !above.isRoot(); above = above.parent()) {
                assertFalse(merged.values().containsKey(above), above + " above " + k + " in " + merged.values());
            }
        }
    }

    @Property
    void everyValueComesFromOneSideAndEveryConflictNamesAKeyWhereOursLost(@ForAll("trees") Map<Key, Integer> base,
            @ForAll("trees") Map<Key, Integer> ours, @ForAll("trees") Map<Key, Integer> theirs) {
        Merged<Integer> merged = ThreeWayMerge.merge(base, ours, theirs);
        merged.values().forEach((k, v) -> assertTrue(v.equals(ours.get(k)) || v.equals(theirs.get(k)), k + "=" + v));
        for (Conflict c : merged.conflicts()) {
            switch (c) {
                case Conflict.BothChanged(Key k) -> {
                    assertEquals(theirs.get(k), merged.values().get(k), "their version of " + k);
                    assertTrue(!Objects.equals(ours.get(k), base.get(k)) && !Objects.equals(theirs.get(k), base.get(k)));
                }
                case Conflict.ValueAboveValue(Key k, Key kept) -> {
                    assertFalse(merged.values().containsKey(k), k + " dropped");
                    assertTrue(merged.values().containsKey(kept), kept + " kept");
                    assertTrue(k.startsWith(kept) || kept.startsWith(k), k + " and " + kept + " on one path");
                }
                case Conflict.KeptBoth(Key k, Key at) -> throw new AssertionError("kept both of " + k + " without a rule to");
            }
        }
    }

    /** Keeps ours beside theirs as {@code NAME~} (a key the generated trees never use). */
    private static final ThreeWayMerge.KeepOurs<Integer> BESIDE = (k, v) -> Optional.of(k.parent().child(k.name() + "~"));

    @Property
    void withARuleToKeepOursNoValueOfOursThatTheirsOverrodeIsLost(@ForAll("trees") Map<Key, Integer> base,
            @ForAll("trees") Map<Key, Integer> ours, @ForAll("trees") Map<Key, Integer> theirs) {
        Merged<Integer> merged = ThreeWayMerge.merge(base, ours, theirs, BESIDE);
        TreeSet<Key> droppedForShape = new TreeSet<>();
        for (Conflict c : merged.conflicts()) {
            if (c instanceof Conflict.ValueAboveValue(Key k, Key kept)) {
                droppedForShape.add(k);
            }
        }
        for (Conflict c : merged.conflicts()) {
            switch (c) {
                case Conflict.BothChanged(Key k) -> assertEquals(null, ours.get(k), "only a removal of ours is not kept: " + k);
                case Conflict.ValueAboveValue(Key k, Key kept) -> assertTrue(droppedForShape.contains(k));
                case Conflict.KeptBoth(Key k, Key at) -> {
                    if (!droppedForShape.contains(at)) {
                        assertEquals(ours.get(k), merged.values().get(at), "ours of " + k + " at " + at);
                    }
                    if (!at.equals(k) && !droppedForShape.contains(k)) {
                        assertEquals(theirs.get(k), merged.values().get(k), "theirs of " + k);
                    }
                }
            }
        }
        // every value of ours that changed since the base is in the result (at its key or kept beside), unless a shape conflict says it was dropped
        ours.forEach((k, v) -> {
            if (!Objects.equals(base.get(k), v) && !droppedForShape.contains(k) && !droppedForShape.contains(k.parent().child(k.name() + "~"))) {
                assertTrue(v.equals(merged.values().get(k)) || v.equals(merged.values().get(k.parent().child(k.name() + "~"))),
                        "ours of " + k + " kept");
            }
        });
        // without a conflict the rule changes nothing
        if (ThreeWayMerge.merge(base, ours, theirs).conflicts().isEmpty()) {
            assertEquals(ThreeWayMerge.merge(base, ours, theirs).values(), merged.values());
        }
    }

    @Example
    void keptBothPutsOursBesideTheirsAndBackWhenTheyRemovedIt() {
        Merged<Integer> both = ThreeWayMerge.merge(Map.of(Key.of("a"), 1), Map.of(Key.of("a"), 2), Map.of(Key.of("a"), 3), BESIDE);
        assertEquals(Map.of(Key.of("a"), 3, Key.of("a~"), 2), both.values());
        assertEquals(List.of(new Conflict.KeptBoth(Key.of("a"), Key.of("a~"))), both.conflicts());
        Merged<Integer> removed = ThreeWayMerge.merge(Map.of(Key.of("a"), 1), Map.of(Key.of("a"), 2), Map.of(), BESIDE);
        assertEquals(Map.of(Key.of("a"), 2), removed.values());
        assertEquals(List.of(new Conflict.KeptBoth(Key.of("a"), Key.of("a"))), removed.conflicts());
    }

    @Property
    void withoutConflictsTheSidesAreInterchangeable(@ForAll("trees") Map<Key, Integer> base,
            @ForAll("trees") Map<Key, Integer> ours, @ForAll("trees") Map<Key, Integer> theirs) {
        Merged<Integer> one = ThreeWayMerge.merge(base, ours, theirs);
        Merged<Integer> other = ThreeWayMerge.merge(base, theirs, ours);
        if (one.conflicts().isEmpty()) {
            assertEquals(one.values(), other.values());
            assertEquals(List.of(), other.conflicts());
        }
    }

    @Example
    void bothChangedDifferentlyTheirsWins() {
        Merged<Integer> merged = ThreeWayMerge.merge(Map.of(Key.of("a"), 1), Map.of(Key.of("a"), 2), Map.of(Key.of("a"), 3));
        assertEquals(Map.of(Key.of("a"), 3), merged.values());
        assertEquals(List.of(new Conflict.BothChanged(Key.of("a"))), merged.conflicts());
    }

    @Example
    void aValueAgainstADictionaryKeepsTheirShapeEitherWay() {
        Map<Key, Integer> value = Map.of(Key.of("x"), 1);
        Map<Key, Integer> dictionary = Map.of(Key.of("x/y"), 2, Key.of("z"), 3);
        Merged<Integer> theirsValue = ThreeWayMerge.merge(Map.of(), dictionary, value);
        assertEquals(Map.of(Key.of("x"), 1, Key.of("z"), 3), theirsValue.values());
        assertEquals(List.of(new Conflict.ValueAboveValue(Key.of("x/y"), Key.of("x"))), theirsValue.conflicts());
        Merged<Integer> theirsDictionary = ThreeWayMerge.merge(Map.of(), value, dictionary);
        assertEquals(dictionary, theirsDictionary.values());
        assertEquals(List.of(new Conflict.ValueAboveValue(Key.of("x"), Key.of("x/y"))), theirsDictionary.conflicts());
    }
}
