package jmirage.resolver.policy;

import java.util.Optional;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.update.UpdateCore;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.server.Request;

/**
 * A dynamic update (RFC 2136) of a local zone, pure: the policy and the request in, the answer or
 * the change out. What a DHCP server sends for its leases (RFC 4703), so that the network's own
 * names resolve. The same rules as our authoritative server's updates, with its code
 * ({@link RequestAuth} for TSIG, RFC 8945; {@link UpdateCore} for prerequisites, updates and
 * serial, RFC 2136 3.2-3.6): only a local zone ({@code --local-zone}) is updated, and only with a
 * TSIG key of {@code --update-keys} whose name grants it ({@code NAME._update.ZONE}, RFC 2136 3.3:
 * the key's privilege is the server's to define). Without update keys the resolver takes no
 * update at all (the serving layer answers NOTIMP, RFC 1035 4.1.1, as for any opcode it does not serve).
 */
public final class LocalUpdate {

    private LocalUpdate() {}

    /** What to do with one update. */
    public sealed interface Outcome {
        /** Answered, the zone unchanged: {@code response} whole (signed when the request was); {@code log} a refusal's line. */
        record Answered(Bytes response, Optional<String> log) implements Outcome {}

        /**
         * The zone changes to {@code after}: store it in the file of {@code before}, then answer
         * {@code whenStored}, or {@code whenFailed} (SERVFAIL) when the store refuses.
         */
        record Change(Policy.LocalZone before, Zone after, String who, String from, Bytes whenStored, Bytes whenFailed)
                implements Outcome {
            /** The commit's message: what changed, by whom, from where. */
            public String message() {
                return "update of " + after.origin() + " by " + who + " from " + from + ", serial " + after.serial();
            }
        }
    }

    /** The outcome of {@code request}, an UPDATE, against {@code policy}; pure. */
    public static Outcome decide(Policy policy, Request request) {
        Message m = request.message();
        String from = request.source().address().getHostAddress();
        RequestAuth.Outcome auth = RequestAuth.check(request, policy.updateKeys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            return new Outcome.Answered(f.response(), Optional.of("update from " + from + " refused: " + f.reason()));
        }
        Optional<UpdateCore.Outcome.Rejected> zoneSection = UpdateCore.checkZoneSection(m);
        if (zoneSection.isPresent()) {
            return refused(request, zoneSection.get().rcode(), auth, "update from " + from + " refused: "
                    + zoneSection.get().reason());
        }
        Name zoneName = m.questions().getFirst().name();
        Optional<Policy.LocalZone> zone = policy.localZone(zoneName);
        if (zone.isEmpty()) { // RFC 2136 3.1.2
            return refused(request, Rcode.NOTAUTH, auth, "update from " + from + " for " + zoneName
                    + " refused: not a local zone");
        }
        if (!(auth instanceof RequestAuth.Outcome.Signed signed)) {
            return refused(request, Rcode.REFUSED, auth, "update from " + from + " for " + zoneName + " refused: not signed");
        }
        Name key = signed.key().name();
        if (!signed.key().allows(Operation.UPDATE, zoneName)) {
            return refused(request, Rcode.REFUSED, auth, "update from " + from + " for " + zoneName + " refused: key "
                    + key + " may not update it");
        }
        String who = ZoneStore.fileName(key); // the key's name as dns-authoritative names an update's author
        return switch (UpdateCore.apply(zone.get().zone(), m)) {
            case UpdateCore.Outcome.Rejected r -> refused(request, r.rcode(), auth, "update of " + zoneName + " by " + who
                    + " from " + from + " refused: " + r.reason());
            case UpdateCore.Outcome.Applied a when !a.changed() ->
                    new Outcome.Answered(RequestAuth.reply(request, Rcode.NOERROR, auth), Optional.empty());
            case UpdateCore.Outcome.Applied a -> new Outcome.Change(zone.get(), a.zone(), who, from,
                    RequestAuth.reply(request, Rcode.NOERROR, auth), RequestAuth.reply(request, Rcode.SERVFAIL, auth));
        };
    }

    private static Outcome refused(Request request, Rcode rcode, RequestAuth.Outcome auth, String line) {
        return new Outcome.Answered(RequestAuth.reply(request, rcode, auth), Optional.of(line));
    }
}
