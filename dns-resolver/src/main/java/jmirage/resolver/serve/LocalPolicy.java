package jmirage.resolver.serve;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.dns.Question;
import jmirage.dns.server.Request;
import jmirage.resolver.core.Resolution;

/**
 * What the serving layer asks the local policy directly, after the access check and the client's
 * rate limit: the answer to a non-recursive query from local data, and RFC 2136 UPDATEs of the local
 * zones. (Recursive queries reach the policy through the {@code Resolve} in front of the core.)
 */
public interface LocalPolicy {

    /** No local data and no updates: a non-recursive query is refused, an UPDATE gets NOTIMP. */
    LocalPolicy NONE = new LocalPolicy() {
        @Override
        public Optional<Resolution> localAnswer(Question question) {
            return Optional.empty();
        }

        @Override
        public Optional<Promise<List<Bytes>>> update(Request request) {
            return Optional.empty();
        }
    };

    /** The answer from local data (zones and hosts files, not policy zones) to {@code question}, if it is theirs. */
    Optional<Resolution> localAnswer(Question question);

    /** The answers to {@code request}, an UPDATE, or empty when updates are not taken now. */
    Optional<Promise<List<Bytes>>> update(Request request);
}
