package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NameTest {

    @Test
    void equalityIgnoresCaseButTheCaseIsKept() {
        Name a = Name.of("WWW.Example.COM");
        Name b = Name.of("www.example.com.");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("WWW.Example.COM.", a.toString());
        assertFalse(a.equalsExact(b));
        assertNotEquals(Name.of("www.example.org."), b);
    }

    @Test
    void canonicalOrderIsRfc4034Section61() {
        // the example list of RFC 4034 6.1, in order
        List<String> expected = List.of("example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
                "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.");
        List<Name> names = new ArrayList<>(expected.stream().map(Name::of).toList());
        Collections.shuffle(names, new java.util.Random(1));
        Collections.sort(names);
        assertEquals(expected, names.stream().map(Name::toString).toList());
    }

    @Test
    void escapesParseAndPrint() {
        Name n = Name.of("a\\.b.c\\032d.\\@.e\\\\");
        assertEquals(4, n.labelCount());
        assertEquals("a.b", new String(n.label(0), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("c d", new String(n.label(1), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("a\\.b.c\\032d.\\@.e\\\\.", n.toString());
        assertEquals(n, Name.of(n.toString()));
    }

    @Test
    void limitsAreEnforced() {
        assertTrue(Name.parse("a".repeat(63) + ".").isOk());
        assertFalse(Name.parse("a".repeat(64) + ".").isOk());
        String label = "a".repeat(63) + ".";
        assertTrue(Name.parse(label.repeat(3) + "a".repeat(61) + ".").isOk()); // 255 bytes on the wire
        assertFalse(Name.parse(label.repeat(3) + "a".repeat(62) + ".").isOk());
        assertFalse(Name.parse("a..b.").isOk());
        assertFalse(Name.parse("a\\300.").isOk());
        assertFalse(Name.parse("").isOk());
    }

    @Test
    void relativeNamesAndTheOrigin() {
        Name origin = Name.of("example.com.");
        assertEquals(Name.of("www.example.com."), Name.parse("www", origin).orElseThrow());
        assertEquals(origin, Name.parse("@", origin).orElseThrow());
        assertEquals(Name.of("www."), Name.parse("www.", origin).orElseThrow());
        assertTrue(Name.of("a.b.example.com.").isSubdomainOf(origin));
        assertFalse(Name.of("aexample.com.").isSubdomainOf(origin));
    }
}
