package jmirage.core.params;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.LogLevel;

/** Parameters of every supported type, as a unikernel declares them, for the parser's tests. */
final class Sample {

    enum Mode { fast, slow }

    enum Colour implements Labelled {
        LIGHT_BLUE;

        @Override
        public String label() {
            return "light-blue";
        }
    }

    static final class Inner {
        @Option(names = "--inner", paramLabel = "X", description = "From a mixin. Default: ${DEFAULT-VALUE}.")
        String inner = "in";
    }

    @Option(names = "--count", paramLabel = "N", description = "How many. Default: ${DEFAULT-VALUE}.")
    int count = 3;

    @Option(names = "--big", paramLabel = "N")
    long big;

    @Option(names = "--name", paramLabel = "TEXT", description = "A name. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--verbose", description = "Say more.")
    boolean verbose;

    @Option(names = "--tag", paramLabel = "TAG", description = "Repeatable.")
    List<String> tags = new ArrayList<>(List.of("default"));

    @Mixin
    Inner inner = new Inner();

    @Option(names = "--mode", paramLabel = "MODE", description = "One of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Mode mode = Mode.fast;

    @Option(names = "--colour", paramLabel = "COLOUR")
    Colour colour;

    @Option(names = "--log-level", paramLabel = "LEVEL")
    LogLevel logLevel = LogLevel.INFO;

    /** Every field, to compare a parsed object with a fresh one. */
    List<Object> values() {
        return List.of(count, big, String.valueOf(name), verbose, tags, inner.inner, mode, String.valueOf(colour), logLevel);
    }
}
