package jmirage.resolver.upstream;

/** Why a server gave no usable answer to one query. */
public sealed interface UpstreamError {

    /** No matching answer within the timeout (answers that did not match were dropped). */
    record TimedOut(long millis) implements UpstreamError {}

    /** The network refused: no route, port unreachable, connection refused or reset. */
    record Unreachable(String why) implements UpstreamError {}

    /** Bytes that do not decode as DNS, or a TCP/TLS stream that broke mid-answer. */
    record Malformed(String why) implements UpstreamError {}

    /**
     * The server did not prove it is the one configured (DNS over TLS: no certificate, or one that
     * does not chain to the anchors or does not carry the name; RFC 8310 8.1): not asked.
     */
    record Unauthenticated(String why) implements UpstreamError {}

    /** Not sent: the resolver already has as many queries outstanding and waiting as it allows ({@link Throttle}). */
    record Overloaded(int outstanding, int queued) implements UpstreamError {}

    default String describe() {
        return switch (this) {
            case TimedOut(long millis) -> "no answer within " + millis + " ms";
            case Unreachable(String why) -> "unreachable: " + why;
            case Malformed(String why) -> "malformed answer: " + why;
            case Unauthenticated(String why) -> "not authenticated: " + why;
            case Overloaded(int outstanding, int queued) -> "not sent: " + outstanding + " queries outstanding and " + queued + " waiting";
        };
    }
}
