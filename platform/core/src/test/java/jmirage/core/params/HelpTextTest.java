package jmirage.core.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Help's layout: 80 columns, descriptions from column 27, broken between words only. */
class HelpTextTest {

    private static OptionValue option(String name, String label, ValueType type, String description) {
        return new OptionValue(new OptionSpec(List.of(name), label, type, description), null);
    }

    @Test
    void namesThenTheDescriptionWrappedBesideThem() {
        String help = HelpText.render("Usage: x [OPTIONS]", "what x is", List.of(
                new HelpText.Group("First:", List.of(new OptionValue(ParameterParser.HELP, false),
                        option("--port", "N", new ValueType.IntNumber(), "The port to serve on, which the operator"
                                + " chooses among those free; a long sentence wraps at eighty columns."),
                        option("--a-rather-long-name", "LABEL", new ValueType.Text(), "On the next line."),
                        option("--quiet", "", new ValueType.Flag(), ""))),
                new HelpText.Group("Empty:", List.of())));
        assertEquals("""
                Usage: x [OPTIONS]
                what x is

                First:
                  -h, --help               Show these boot parameters and exit.
                      --port=N             The port to serve on, which the operator chooses
                                             among those free; a long sentence wraps at eighty
                                             columns.
                      --a-rather-long-name=LABEL
                                           On the next line.
                      --quiet
                """, help.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aWordIsNeverBrokenAndOneLongerThanALineHasItsOwn() {
        assertEquals(List.of("a", "git:PATH[#branch][?remote=URL]", "b c"),
                HelpText.wrap("a git:PATH[#branch][?remote=URL] b  c", 10, 5));
        assertEquals(List.of(), HelpText.wrap("  ", 10, 10));
    }

    @Test
    void noLineIsWiderThanEightyColumns() {
        String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ".repeat(5);
        String help = HelpText.render("Usage", words, List.of(new HelpText.Group("G:",
                List.of(option("--x", "X", new ValueType.Text(), words)))));
        help.lines().forEach(line -> assertEquals(true, line.length() <= HelpText.WIDTH, line));
    }
}
