package jmirage.resolver.upstream;

/** Why a server gave no usable answer to one query. */
public sealed interface UpstreamError {

    /** No matching answer within the timeout (answers that did not match were dropped). */
    record TimedOut(long millis) implements UpstreamError {}

    /** The network refused: no route, port unreachable, connection refused or reset. */
    record Unreachable(String why) implements UpstreamError {}

    /** Bytes that do not decode as DNS, or a TCP/TLS stream that broke mid-answer. */
    record Malformed(String why) implements UpstreamError {}

    default String describe() {
        return switch (this) {
            case TimedOut(long millis) -> "no answer within " + millis + " ms";
            case Unreachable(String why) -> "unreachable: " + why;
            case Malformed(String why) -> "malformed answer: " + why;
        };
    }
}
