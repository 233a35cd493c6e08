package jmirage.http;

import java.util.Objects;
import jmirage.core.Bytes;

/**
 * A response body: all of it at once (sent with Content-Length), or a stream of chunks produced on
 * demand (sent with Transfer-Encoding: chunked to HTTP/1.1 clients, RFC 9112 7.1), each pulled only
 * once the previous one has been written, so a slow client paces the producer.
 */
public sealed interface Body {

    record Full(Bytes bytes) implements Body {
        public Full {
            Objects.requireNonNull(bytes);
        }
    }

    record Chunked(ChunkSource source) implements Body {
        public Chunked {
            Objects.requireNonNull(source);
        }
    }

    Body EMPTY = new Full(Bytes.EMPTY);

    static Body of(Bytes bytes) {
        return new Full(bytes);
    }
}
