package jmirage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;
import org.junit.jupiter.api.Test;

class KeepBothAttributesTest {

    private static Optional<Key> keep(String attributes, String key) {
        return KeepBothAttributes.<String>parse(Bytes.utf8(attributes), v -> v).keepAt(Key.of(key), "0123456789abcdef");
    }

    @Test
    void aPatternWithoutSlashMatchesTheNameAtAnyDepth() {
        String file = "# comment\n*.ics merge=keep-both\n";
        assertEquals(Optional.of(Key.of("calendars/a/b/x-conflict-01234567.ics")), keep(file, "calendars/a/b/x.ics"));
        assertEquals(Optional.of(Key.of("y-conflict-01234567.ics")), keep(file, "y.ics"));
        assertEquals(Optional.empty(), keep(file, "calendars/a/b/.collection.xml"));
        assertEquals(Optional.empty(), keep(file, "calendars/a/b/x.icsx"));
    }

    @Test
    void aPatternWithSlashMatchesFromTheRootAndTheLastMatchingLineDecides() {
        String file = "/notes/* merge=keep-both\nnotes/secret -merge\nREADME merge=keep-both text\n";
        assertEquals(Optional.of(Key.of("notes/todo-conflict-01234567")), keep(file, "notes/todo"));
        assertEquals(Optional.empty(), keep(file, "notes/secret"));
        assertEquals(Optional.empty(), keep(file, "deep/notes/todo"));
        assertEquals(Optional.of(Key.of("docs/README-conflict-01234567")), keep(file, "docs/README"));
        assertEquals(Optional.empty(), keep("*.ics merge=union\n", "x.ics"));
        assertEquals(Optional.empty(), keep("", "x.ics"));
    }
}
