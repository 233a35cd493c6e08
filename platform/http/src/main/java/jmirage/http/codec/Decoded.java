package jmirage.http.codec;

import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpVersion;

/** What the codec made of the bytes fed so far: the next piece of a message, or why it failed. */
public sealed interface Decoded {

    /** A request line and its header fields (server side). */
    record RequestHead(String method, String target, HttpVersion version, Headers headers, boolean keepAlive)
            implements Decoded {
        public RequestHead {
            Objects.requireNonNull(method);
            Objects.requireNonNull(target);
            Objects.requireNonNull(version);
            Objects.requireNonNull(headers);
        }
    }

    /** A status line and its header fields (client side). */
    record ResponseHead(int status, HttpVersion version, Headers headers, boolean keepAlive) implements Decoded {}

    /** Some body bytes; {@code last} ends the message (a message without body gets one empty last piece). */
    record Content(Bytes bytes, boolean last) implements Decoded {}

    /**
     * The input cannot be an HTTP/1.x message. {@code status} is the answer a server owes: 414 for a
     * request line over the limit, 431 for header fields over it, 505 for another major version,
     * 400 otherwise (RFC 9110 15.5, RFC 6585 5). After this the codec decodes nothing more.
     */
    record Malformed(int status, String reason) implements Decoded {}
}
