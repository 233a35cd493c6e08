package jmirage.authoritative.query;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.server.Request;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.dns.Message;
import jmirage.dns.server.RequestTsig;

/**
 * Answers standard queries from the current zones. A TSIG-signed query is verified and its answer
 * signed with the same key (RFC 8945 5.3); one that does not verify gets the answer of
 * {@link RequestAuth}, as an update or a transfer would (RFC 8945 5.2). The time is the request's.
 * Over UDP, ANY gets one RRset (RFC 8482 4.1); over TCP every RRset of the name.
 */
public final class QueryHandler implements Handler {

    private final Supplier<Zones> zones;
    private final Supplier<Keys> keys;
    private final Optional<Bytes> nsid;

    /**
     * @param zones the zones as they are now (read on every query, so reloads take effect at once)
     * @param keys the TSIG keys as they are now
     * @param nsid this server's identifier, sent to requesters that ask for it (RFC 5001)
     */
    public QueryHandler(Supplier<Zones> zones, Supplier<Keys> keys, Optional<Bytes> nsid) {
        this.zones = zones;
        this.keys = keys;
        this.nsid = nsid;
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        return Promise.resolved(List.of(answer(request)));
    }

    /** The encoded answer to one query. */
    public Bytes answer(Request request) {
        Message query = request.message();
        Lookup.AnyPolicy any = request.transport() == Request.Transport.TCP ? Lookup.AnyPolicy.ALL : Lookup.AnyPolicy.ONE_RRSET;
        if (query.tsig().isEmpty()) {
            return Responder.encode(Responder.respond(zones.get(), query, any, nsid), request.maxResponseSize());
        }
        return switch (RequestAuth.check(request, keys.get())) {
            case RequestAuth.Outcome.Failed f -> f.response();
            case RequestAuth.Outcome.Unsigned u -> throw new IllegalStateException("a query with a TSIG record is signed");
            case RequestAuth.Outcome.Signed s -> {
                RequestTsig.Authentication auth = RequestAuth.authentication(s);
                Message response = Responder.respond(zones.get(), RequestTsig.withoutTsig(query), any, nsid);
                Bytes signed = RequestTsig.answer(response, auth, request.received());
                if (signed.size() > request.maxResponseSize()) {
                    // RFC 2181 9 with RFC 8945 5.3: the truncated answer is signed too
                    Message truncated = new Message(response.header().withTc(true), response.questions(), List.of(),
                            List.of(), List.of(), response.edns());
                    signed = RequestTsig.answer(truncated, auth, request.received());
                }
                yield signed;
            }
        };
    }
}
