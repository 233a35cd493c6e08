package jmirage.authoritative.update;

import jmirage.dns.Rcode;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.server.Request;
import jmirage.authoritative.server.SourceLog;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Header;
import jmirage.dns.Name;

/**
 * Answers UPDATE requests (RFC 2136) for the zones of the store: signed with a key whose name gives
 * it {@code _update} on the zone (RFC 2136 3.3, ocaml-dns's key names), applied by
 * {@link UpdateCore}, written back as one commit "changed by KEY from IP", answered signed.
 * Unsigned updates are refused: the only permission this server knows is a key.
 */
public final class UpdateHandler implements Handler {

    private final ZoneStore store;
    private final Log log;
    /** Refusals are bad input or a misconfigured peer: one line per source a minute (SourceLog). */
    private final SourceLog refusals;

    public UpdateHandler(ZoneStore store, Log log) {
        this.store = store;
        this.log = log;
        this.refusals = new SourceLog(log, 60_000_000_000L);
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        var m = request.message();
        if (m.header().qr()) {
            return Promise.resolved(List.of()); // a response is never answered
        }
        var zoneCheck = UpdateCore.checkZoneSection(m);
        RequestAuth.Outcome auth = RequestAuth.check(request, store.keys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            refused(request, "update from " + request.source() + " refused: " + f.reason());
            return Promise.resolved(List.of(f.response()));
        }
        if (zoneCheck.isPresent()) {
            log.info("update from " + request.source() + " refused: " + zoneCheck.get().reason());
            return reply(request, zoneCheck.get().rcode(), auth);
        }
        Name zoneName = m.questions().getFirst().name();
        if (store.primaries().get(zoneName).isEmpty()) {
            log.info("update from " + request.source() + " for " + zoneName + " refused: not a zone of ours");
            return reply(request, Rcode.NOTAUTH, auth);
        }
        if (!(auth instanceof RequestAuth.Outcome.Signed signed)) {
            refused(request, "update from " + request.source() + " for " + zoneName + " refused: not signed");
            return reply(request, Rcode.REFUSED, auth);
        }
        Name keyName = signed.key().name();
        if (!signed.key().allows(Operation.UPDATE, zoneName)) {
            refused(request, "update from " + request.source() + " for " + zoneName + " refused: key " + keyName
                    + " may not update it");
            return reply(request, Rcode.REFUSED, auth);
        }
        String who = ZoneStore.fileName(keyName);
        return store.serially(() -> {
            Optional<Zone> current = store.primaries().get(zoneName);
            if (current.isEmpty()) {
                return Promise.resolved(Rcode.NOTAUTH);
            }
            return switch (UpdateCore.apply(current.get(), m)) {
                case UpdateCore.Outcome.Rejected r -> {
                    log.info("update of " + zoneName + " by " + who + " from " + request.source() + " refused: "
                            + r.reason());
                    yield Promise.resolved(r.rcode());
                }
                case UpdateCore.Outcome.Applied a when !a.changed() -> Promise.resolved(Rcode.NOERROR);
                case UpdateCore.Outcome.Applied a -> store.commit(a.zone(), who,
                        "changed by " + who + " from " + request.source().address().getHostAddress())
                        .map(c -> switch (c) {
                            case Result.Ok<Unit, String> ok -> {
                                log.info("zone " + zoneName + " updated by " + who + " from " + request.source()
                                        + ", serial " + a.zone().serial());
                                yield Rcode.NOERROR;
                            }
                            case Result.Err<Unit, String>(String e) -> {
                                log.error("update of " + zoneName + " by " + who + " not stored: " + e);
                                yield Rcode.SERVFAIL;
                            }
                        });
            };
        }).map(rcode -> List.of(RequestAuth.reply(request, rcode, auth)));
    }

    private static Promise<List<Bytes>> reply(Request request, Rcode rcode, RequestAuth.Outcome auth) {
        return Promise.resolved(List.of(RequestAuth.reply(request, rcode, auth)));
    }

    private void refused(Request request, String message) {
        java.time.Instant t = request.received();
        refusals.warn(request.source().address(), message, t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }
}
