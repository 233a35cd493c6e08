package jmirage.core.kv;

/** Why a text or a segment cannot be a {@link Key}. */
public sealed interface KeyError {

    /** An empty segment where one was required (a lone segment, not a path with doubled slashes). */
    record EmptySegment() implements KeyError {}

    /** {@code .} or {@code ..}, which no backend could store as a name. */
    record DotSegment(String segment) implements KeyError {}

    /** The segment holds {@code /} or NUL. */
    record ForbiddenCharacter(String segment) implements KeyError {}

    /** The segment is longer than {@link Key#MAX_SEGMENT_BYTES} bytes of UTF-8. */
    record TooLong(String segment) implements KeyError {}

    default String describe() {
        return switch (this) {
            case EmptySegment() -> "empty key segment";
            case DotSegment(String segment) -> "key segment '" + segment + "' is not allowed";
            case ForbiddenCharacter(String segment) -> "key segment holds '/' or NUL";
            case TooLong(String segment) -> "key segment longer than " + Key.MAX_SEGMENT_BYTES + " bytes";
        };
    }
}
