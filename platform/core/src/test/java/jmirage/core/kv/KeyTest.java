package jmirage.core.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.Result;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeyTest {

    @Test
    void parsesPathsToleratingExtraSlashes() {
        assertEquals(List.of("a", "b", "c"), Key.of("/a//b/c/").segments());
        assertTrue(Key.of("").isRoot());
        assertTrue(Key.of("/").isRoot());
    }

    @Test
    void refusesDotSegmentsNulAndOverlongNames() {
        assertFalse(Key.parse("a/../b").isOk());
        assertFalse(Key.parse("./a").isOk());
        assertFalse(Key.parse("a\0b").isOk());
        assertFalse(Key.parse("x".repeat(256)).isOk());
        assertTrue(Key.parse("x".repeat(255)).isOk());
        assertTrue(Key.parse(".hidden/..x").isOk());
    }

    @Test
    void navigation() {
        Key k = Key.of("a/b");
        assertEquals(Key.of("a/b/c"), k.child("c"));
        assertEquals(Key.of("a"), k.parent());
        assertEquals(Key.ROOT, Key.ROOT.parent());
        assertEquals("b", k.name());
        assertTrue(k.child("c").startsWith(k));
        assertFalse(Key.of("a/bc").startsWith(k));
    }

    @Test
    void parentsSortBeforeChildrenAndSiblingsByName() {
        List<Key> sorted = List.of(Key.of("a/b"), Key.of("a"), Key.of("a/a/z"), Key.of("b")).stream().sorted().toList();
        assertEquals(List.of(Key.of("a"), Key.of("a/a/z"), Key.of("a/b"), Key.of("b")), sorted);
    }

    @Property
    void printingThenParsingGivesTheSameKey(@ForAll("keys") Key key) {
        assertEquals(Result.ok(key), Key.parse(key.toString()));
    }

    @Provide
    Arbitrary<Key> keys() {
        Arbitrary<String> segment = Arbitraries.strings().ofMinLength(1).ofMaxLength(20)
                .filter(s -> Key.segmentProblem(s).isEmpty());
        return segment.list().ofMaxSize(5).map(Key::new);
    }
}
