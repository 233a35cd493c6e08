package jmirage.http;

import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;

/**
 * Produces a streamed body one chunk at a time. {@link #next} is called again only after the
 * previous chunk was written; an empty Optional ends the body. A rejected promise is a bug: the
 * server cuts the connection, since the status line has already gone out.
 */
@FunctionalInterface
public interface ChunkSource {

    Promise<Optional<Bytes>> next();
}
