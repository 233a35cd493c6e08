package jmirage.dns;

/**
 * Why text or labels are not a domain name: which rule of RFC 1035 2.3.4 / 3.1 (lengths, the
 * empty root label) or 5.1 (escapes in presentation form) was broken. {@code name} is the text as
 * given, or the labels in presentation form when there was no text.
 */
public sealed interface NameError {

    /** The text is empty; the root is written ".". */
    record Empty() implements NameError {}

    /** RFC 1035 3.1: only the root label is empty ("a..b", ".a"). */
    record EmptyLabel(String name) implements NameError {}

    /** RFC 1035 2.3.4: a label is 63 octets or less. */
    record LabelTooLong(String name, int length) implements NameError {}

    /** RFC 1035 2.3.4: a name is 255 octets or less on the wire. */
    record NameTooLong(String name, int wireLength) implements NameError {}

    /** RFC 1035 5.1: {@code \X}, or {@code \DDD} with three digits up to 255; {@code at} is the backslash's index. */
    record BadEscape(String name, int at) implements NameError {
        /** The escape as written: the backslash and up to three characters after it. */
        public String escape() {
            return name.substring(at, Math.min(name.length(), at + 4));
        }
    }

    /** Presentation form is ASCII; other bytes are written as {@code \DDD}. */
    record NotAscii(String name, int at) implements NameError {}

    default String describe() {
        return switch (this) {
            case Empty() -> "empty name (the root is \".\")";
            case EmptyLabel(String name) -> "empty label in " + name;
            case LabelTooLong(String name, int length) -> "label of " + length + " bytes in " + name
                    + " (at most " + Name.MAX_LABEL + ")";
            case NameTooLong(String name, int wireLength) -> "name " + name + " takes " + wireLength
                    + " bytes (at most " + Name.MAX_WIRE + ")";
            case BadEscape e -> "bad escape " + e.escape() + " in " + e.name() + " (\\X or \\DDD up to 255)";
            case NotAscii(String name, int at) -> "non-ASCII character U+"
                    + String.format("%04X", (int) name.charAt(at)) + " in name " + name + " (write it as \\DDD)";
        };
    }
}
