package jmirage.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jmirage.core.Result;
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
        assertEquals(new NameError.LabelTooLong("a".repeat(64) + ".", 64), error(Name.parse("a".repeat(64) + ".")));
        assertEquals(new NameError.LabelTooLong("x." + "a".repeat(70) + ".y", 70),
                error(Name.parse("x." + "a".repeat(70) + ".y")), "the whole label's length, not where reading stopped");
        String label = "a".repeat(63) + ".";
        assertTrue(Name.parse(label.repeat(3) + "a".repeat(61) + ".").isOk()); // 255 bytes on the wire
        String tooLong = label.repeat(3) + "a".repeat(62) + ".";
        assertEquals(new NameError.NameTooLong(tooLong, 256), error(Name.parse(tooLong)));
        assertEquals(new NameError.EmptyLabel("a..b."), error(Name.parse("a..b.")));
        assertEquals(new NameError.Empty(), error(Name.parse("")));
    }

    /** One minimal text per case; a caller can switch on what went wrong. */
    @Test
    void eachErrorCaseSaysWhichRuleWasBroken() {
        assertEquals(new NameError.EmptyLabel(".a."), error(Name.parse(".a.")));
        assertEquals(new NameError.BadEscape("a\\300.", 1), error(Name.parse("a\\300.")));
        assertEquals(new NameError.BadEscape("a\\", 1), error(Name.parse("a\\")));
        assertEquals(new NameError.BadEscape("a\\12", 1), error(Name.parse("a\\12")));
        assertEquals(new NameError.BadEscape("\\1x3", 0), error(Name.parse("\\1x3")));
        assertEquals(new NameError.NotAscii("caf\u00e9.", 3), error(Name.parse("caf\u00e9.")));
        assertEquals(new NameError.LabelTooLong("a".repeat(64) + ".com.", 64),
                error(Name.ofLabels(List.of("a".repeat(64).getBytes(), "com".getBytes()))));
        assertEquals(new NameError.EmptyLabel("a.."), error(Name.ofLabels(List.of("a".getBytes(), new byte[0]))));
        Name deep = Name.of(("a".repeat(63) + ".").repeat(3) + "a".repeat(61) + ".");
        assertEquals(new NameError.NameTooLong("b." + deep, 257), error(deep.prepend("b".getBytes())));
        List<String> texts = List.of("", ".a.", "a\\300.", "caf\u00e9.", "a".repeat(64), "b." + deep);
        List<String> rules = List.of("empty", "3.1 .a.", "5.1 \\300", "ASCII \u00e9", "2.3.4 label 64", "2.3.4 name 257");
        for (int i = 0; i < texts.size(); i++) {
            String rule = switch (error(Name.parse(texts.get(i), deep))) {
                case NameError.Empty() -> "empty";
                case NameError.EmptyLabel(String name) -> "3.1 " + name;
                case NameError.LabelTooLong(String name, int length) -> "2.3.4 label " + length;
                case NameError.NameTooLong(String name, int wireLength) -> "2.3.4 name " + wireLength;
                case NameError.BadEscape b -> "5.1 " + b.escape();
                case NameError.NotAscii(String name, int at) -> "ASCII " + name.charAt(at);
            };
            assertEquals(rules.get(i), rule, texts.get(i));
        }
        assertEquals("bad escape \\300 in a\\300. (\\X or \\DDD up to 255)", error(Name.parse("a\\300.")).describe());
        assertEquals("label of 64 bytes in " + "a".repeat(64) + " (at most 63)", error(Name.parse("a".repeat(64))).describe());
    }

    private static NameError error(Result<Name, NameError> r) {
        return switch (r) {
            case Result.Err<Name, NameError>(NameError e) -> e;
            case Result.Ok<Name, NameError>(Name n) -> throw new AssertionError("parsed as " + n);
        };
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
