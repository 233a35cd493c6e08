package jmirage.core.params;

import java.util.Comparator;
import java.util.List;

/**
 * One option as its annotation describes it: what the parser reads and help shows.
 *
 * @param names the names with their dashes, as declared
 * @param label what the value is ({@code N}, {@code ADDR}); unused for a flag
 * @param type how the value is read
 * @param description the help paragraph, placeholders not yet substituted
 */
public record OptionSpec(List<String> names, String label, ValueType type, String description) {

    public OptionSpec {
        names = List.copyOf(names);
        if (names.isEmpty() || names.stream().anyMatch(n -> !n.startsWith("-") || n.equals("-") || n.equals("--")
                || n.contains("="))) {
            throw new IllegalArgumentException("option names are -X or --NAME, without '=': " + names);
        }
    }

    /** The name errors and rules use: the longest, so {@code --help} rather than {@code -h}. */
    public String longestName() {
        return names.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
    }

    /** The help's first column: short names first, then {@code --NAME=LABEL} (a flag has no label). */
    String synopsis() {
        String shortNames = String.join(", ", names.stream().filter(n -> !n.startsWith("--")).toList());
        String longNames = String.join(", ", names.stream().filter(n -> n.startsWith("--")).toList());
        String value = type.takesValue() ? "=" + label : "";
        return (shortNames.isEmpty() ? "    " : shortNames + ", ") + longNames + value;
    }

    /** The description with {@code ${DEFAULT-VALUE}} as {@code value} and an enum's labels for {@code ${COMPLETION-CANDIDATES}}. */
    String description(Object value) {
        String candidates = type instanceof ValueType.Choice choice ? String.join(", ", choice.labels()) : "";
        return description.replace("${DEFAULT-VALUE}", type.show(value)).replace("${COMPLETION-CANDIDATES}", candidates);
    }
}
