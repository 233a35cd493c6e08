package jmirage.authoritative.transfer;

import jmirage.dns.Rcode;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.secondary.Secondary;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.server.Request;
import jmirage.authoritative.server.SourceLog;
import jmirage.authoritative.store.ZoneStore;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Type;

/**
 * Answers NOTIFY (RFC 1996). For a zone we are secondary for: from its primary's address or signed
 * with a key that may notify the zone, the secondary checks at once (3.11). For one of our own
 * zones: signed with such a key, the store pulls and reloads (the "reload on a signed
 * NOTIFY"). Anything else is refused; the answer echoes the question with QR and AA (4.7).
 */
public final class NotifyHandler implements Handler {

    private final ZoneStore store;
    private final Optional<Secondary> secondary;
    private final Log log;
    /** Refusals are bad input or a misconfigured peer: one line per source a minute (SourceLog). */
    private final SourceLog refusals;

    public NotifyHandler(ZoneStore store, Optional<Secondary> secondary, Log log) {
        this.store = store;
        this.secondary = secondary;
        this.log = log;
        this.refusals = new SourceLog(log, 60_000_000_000L);
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        Message m = request.message();
        if (m.header().qr()) {
            return Promise.resolved(List.of()); // answers to our own notifies go to the NotifySender's socket
        }
        RequestAuth.Outcome auth = RequestAuth.check(request, store.keys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            refused(request, "notify from " + request.source() + " refused: " + f.reason());
            return Promise.resolved(List.of(f.response()));
        }
        if (m.questions().size() != 1 || m.questions().getFirst().qtype() != Type.SOA) {
            return reply(request, Rcode.FORMERR, auth);
        }
        Name zone = m.questions().getFirst().name();
        boolean byKey = auth instanceof RequestAuth.Outcome.Signed s && s.key().allows(Operation.NOTIFY, zone);
        if (secondary.isPresent() && secondary.get().serves(zone)) {
            if (!byKey && !secondary.get().isPrimaryOf(zone, request.source().address())) {
                refused(request, "notify for " + zone + " from " + request.source() + " refused: not its primary, no key");
                return reply(request, Rcode.REFUSED, auth);
            }
            log.info("notify for " + zone + " from " + request.source() + ": checking the primary now");
            secondary.get().notified(zone);
            return reply(request, Rcode.NOERROR, auth);
        }
        if (store.primaries().get(zone).isPresent()) {
            if (!byKey) {
                refused(request, "notify for our zone " + zone + " from " + request.source() + " refused: needs a key");
                return reply(request, Rcode.REFUSED, auth);
            }
            log.info("signed notify for " + zone + " from " + request.source() + ": reloading the store");
            store.reload();
            return reply(request, Rcode.NOERROR, auth);
        }
        return reply(request, Rcode.NOTAUTH, auth);
    }

    private static Promise<List<Bytes>> reply(Request request, Rcode rcode, RequestAuth.Outcome auth) {
        Message m = request.message();
        Message r = new Message(RequestAuth.responseHeader(m, rcode, rcode.equals(Rcode.NOERROR)), RequestAuth.echo(m), List.of(),
                List.of(), List.of(), Optional.empty());
        return Promise.resolved(List.of(RequestAuth.encode(r, auth, request.received())));
    }

    private void refused(Request request, String message) {
        java.time.Instant t = request.received();
        refusals.warn(request.source().address(), message, t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }
}
