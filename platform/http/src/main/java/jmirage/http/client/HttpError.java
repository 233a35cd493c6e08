package jmirage.http.client;

import jmirage.core.net.FlowError;

/** The expected ways an HTTP exchange fails, for the client. */
public sealed interface HttpError {

    /** The flow failed underneath (reset, TLS failure, I/O). */
    record Transport(FlowError error) implements HttpError {}

    /** The peer ended the connection before a whole response arrived. */
    record ConnectionClosed() implements HttpError {}

    /** The peer's bytes are not an HTTP/1.x response. */
    record Malformed(String reason) implements HttpError {}

    /** The response's head or body is over the configured limit. */
    record TooLarge(String what) implements HttpError {}

    record TimedOut() implements HttpError {}

    /** The connection cannot carry another request (closed, or the last response ended it). */
    record NotReusable() implements HttpError {}

    default String describe() {
        return switch (this) {
            case Transport(FlowError error) -> "transport failed: " + error;
            case ConnectionClosed() -> "connection closed before the response was complete";
            case Malformed(String reason) -> "malformed response: " + reason;
            case TooLarge(String what) -> what + " over the limit";
            case TimedOut() -> "no complete response in time";
            case NotReusable() -> "connection cannot carry another request";
        };
    }
}
