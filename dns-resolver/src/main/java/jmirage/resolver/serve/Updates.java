package jmirage.resolver.serve;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.dns.server.Request;

/** Where the serving layer sends an RFC 2136 UPDATE, after the access check and the client's rate limit. */
@FunctionalInterface
public interface Updates {

    /** The resolver takes no updates: every UPDATE gets NOTIMP, as any opcode it does not serve. */
    Updates NONE = request -> Optional.empty();

    /** The answers to {@code request}, or empty when updates are not taken now. */
    Optional<Promise<List<Bytes>>> update(Request request);
}
