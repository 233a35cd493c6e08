package jmirage.core.params;

import java.util.ArrayList;
import java.util.List;

/**
 * Help for boot parameters, 80 columns wide: the usage line, what the program is, then each group of
 * options under its heading, names in the first column and the description wrapped beside them.
 */
public final class HelpText {

    private HelpText() {}

    /** Options under a heading; a group without options is left out, heading and all. */
    public record Group(String heading, List<OptionValue> options) {
        public Group {
            options = List.copyOf(options);
        }
    }

    static final int WIDTH = 80;
    /** Where descriptions start; names longer than the column put theirs on the next line. */
    static final int DESCRIPTION_COLUMN = 27;
    /** The further indent of a description's second and later lines. */
    static final int CONTINUATION_INDENT = 2;

    private static final String NEWLINE = System.lineSeparator();

    public static String render(String usage, String about, List<Group> groups) {
        StringBuilder text = new StringBuilder(usage).append(NEWLINE);
        wrap(about, WIDTH, WIDTH).forEach(line -> text.append(line).append(NEWLINE));
        for (Group group : groups) {
            if (group.options().isEmpty()) {
                continue;
            }
            text.append(NEWLINE).append(group.heading()).append(NEWLINE);
            group.options().forEach(option -> entry(text, option));
        }
        return text.toString();
    }

    private static void entry(StringBuilder text, OptionValue option) {
        String names = "  " + option.spec().synopsis();
        int width = WIDTH - DESCRIPTION_COLUMN;
        List<String> lines = wrap(option.description(), width, width - CONTINUATION_INDENT);
        if (lines.isEmpty()) {
            text.append(names).append(NEWLINE);
            return;
        }
        text.append(names.length() < DESCRIPTION_COLUMN ? names + " ".repeat(DESCRIPTION_COLUMN - names.length())
                : names + NEWLINE + " ".repeat(DESCRIPTION_COLUMN));
        text.append(lines.getFirst()).append(NEWLINE);
        String indent = " ".repeat(DESCRIPTION_COLUMN + CONTINUATION_INDENT);
        lines.subList(1, lines.size()).forEach(line -> text.append(indent).append(line).append(NEWLINE));
    }

    /**
     * {@code paragraph} in lines of at most {@code firstWidth}, then {@code restWidth}, columns, broken
     * only between words (a word longer than a line gets a line of its own).
     */
    static List<String> wrap(String paragraph, int firstWidth, int restWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int width = lines.isEmpty() ? firstWidth : restWidth;
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
