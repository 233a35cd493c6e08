package jmirage.core.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the command line, the parser answers with one of its results, and values read back. */
class ParameterParserPropertiesTest {

    private static final List<String> NAMES = List.of("--count", "--big", "--name", "--verbose", "--tag", "--inner",
            "--mode", "--colour", "--log-level", "-h", "--help", "-V", "--version", "--", "--nonsense", "-");

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("-=\n\r\t\u0000\u0085x1").ofMaxLength(6),
                Arbitraries.integers().map(String::valueOf), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("true", "false", "fast", "SLOW", "light-blue", "debug", "", "-1", "=", "--"));
        Arbitrary<String> withValue = name.flatMap(n -> value.map(v -> n + "=" + v));
        return Arbitraries.oneOf(name, value, withValue).list().ofMaxSize(8);
    }

    @Property(tries = 2000)
    void anyCommandLineGivesOneResultAndSetsNothingUnlessAssigned(@ForAll("commandLines") List<String> args) {
        Sample sample = new Sample();
        Parsed parsed = ParameterParser.parse(List.of(sample), args);
        switch (parsed) {
            case Parsed.Assigned() -> { }
            case Parsed.HelpRequested(), Parsed.VersionRequested() ->
                    assertEquals(new Sample().values(), sample.values());
            case Parsed.UsageError(String reason) -> {
                assertEquals(new Sample().values(), sample.values());
                assertFalse(reason.contains("\n") || reason.contains("\r"), reason);
            }
        }
    }

    @Property
    void textReadsBackThroughEitherForm(@ForAll String text) {
        Sample joined = new Sample();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(joined), List.of("--name=" + text)));
        assertEquals(text, joined.name);
        Sample apart = new Sample();
        Parsed parsed = ParameterParser.parse(List.of(apart), List.of("--name", text));
        if (text.startsWith("--")) {
            assertEquals(new Parsed.UsageError("Missing required parameter for option '--name' (TEXT)"), parsed);
        } else {
            assertInstanceOf(Parsed.Assigned.class, parsed);
            assertEquals(text, apart.name);
        }
    }

    @Property
    void numbersReadBackThroughEitherForm(@ForAll int count, @ForAll long big) {
        Sample sample = new Sample();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(sample),
                List.of("--count", String.valueOf(count), "--big=" + big)));
        assertEquals(count, sample.count);
        assertEquals(big, sample.big);
    }
}
