package jmirage.pinata;

/** Why the stored statistics do not read back. */
sealed interface StatsError {

    /** Line {@code number} (from 1) is not a counter; {@code text} is the line, cut at 80 characters. */
    record UnparsableLine(int number, String text) implements StatsError {}

    default String describe() {
        return switch (this) {
            case UnparsableLine(int number, String text) -> "line " + number + " does not parse: " + text;
        };
    }
}
