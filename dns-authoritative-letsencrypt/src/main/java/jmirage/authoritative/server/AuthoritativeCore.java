package jmirage.authoritative.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.certify.UpdatePolicy;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.keys.RequestAuth;
import jmirage.authoritative.query.Lookup;
import jmirage.authoritative.query.Responder;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.transfer.Journal;
import jmirage.authoritative.transfer.TransferStream;
import jmirage.authoritative.update.Serial;
import jmirage.authoritative.update.UpdateCore;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.net.IpPrefix;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestTsig;
import jmirage.dns.server.Responses;

/**
 * The authoritative server as one pure function, after ocaml-dns's {@code Dns_server.handle_buf}:
 * {@link #handle}{@code (state, request)} gives the next state, the replies to send now, and the
 * effects the shell runs (commit an update, reload the store, check a secondary zone now, log a
 * line). No I/O, no clock (the time is the request's), no mutation: the same state and request give
 * the same outcome. Routing by opcode and question type (RFC 6895 2.2): QUERY AXFR/IXFR to the
 * transfer path, other QUERY to the lookup, UPDATE (RFC 2136), NOTIFY (RFC 1996), anything else
 * NOTIMP. Every path checks TSIG the same way ({@link RequestAuth}).
 */
public final class AuthoritativeCore {

    private AuthoritativeCore() {}

    /**
     * What the server answers from: every zone served ({@code zones}: our own and secondary copies),
     * the zones whose master files we hold ({@code primaries}, the ones updates change), the TSIG
     * keys, the IXFR journal, and the configuration.
     */
    public record State(Zones zones, Zones primaries, Keys keys, Journal journal, Policy policy) {

        /** The state once {@code after} has replaced {@code before} (one of ours): served, and journaled for IXFR. */
        public State committed(Zone before, Zone after) {
            return new State(zones.with(after), primaries.with(after), keys, journal.record(before, after), policy);
        }
    }

    /**
     * The configuration the answers depend on.
     *
     * @param allowTransfer addresses that may transfer every zone without a key
     * @param secondaries the zones we are secondary for, by name, with their primaries
     * @param nsid this server's identifier, sent to requesters that ask for it (RFC 5001)
     */
    public record Policy(List<IpPrefix> allowTransfer, Map<Name, SecondaryZone> secondaries, Optional<Bytes> nsid) {
        public Policy {
            allowTransfer = List.copyOf(allowTransfer);
            secondaries = Map.copyOf(secondaries);
        }

        public static final Policy NONE = new Policy(List.of(), Map.of(), Optional.empty());
    }

    /** What the shell does for the core. */
    public sealed interface Effect {
        /**
         * Write {@code after} (one of our zones, which was {@code before}) back as one batch with
         * {@code author} and {@code message}; then send {@code whenStored}, or {@code whenFailed} and
         * go back to {@code before} ({@link #failed}). The update is answered once it is durable.
         */
        record Commit(Zone before, Zone after, String author, String message, Bytes whenStored, Bytes whenFailed)
                implements Effect {}

        /** A signed NOTIFY for one of our zones: pull (when the store syncs) and reload the store. */
        record Reload(Name zone) implements Effect {}

        /** RFC 1996 3.11: a NOTIFY for a zone we are secondary for: check its primary now. */
        record CheckSecondary(Name zone) implements Effect {}

        /** A line for the operator. */
        record Log(LogLevel level, String line) implements Effect {}

        /** Bad input or a misconfigured peer: at most one line per source a minute ({@link SourceLog}). */
        record Refusal(InetAddress source, String line) implements Effect {}
    }

    /** The next state, the replies to send now (none, one, or a transfer stream), and the effects. */
    public record Outcome(State state, List<Bytes> replies, List<Effect> effects) {
        public Outcome {
            replies = List.copyOf(replies);
            effects = List.copyOf(effects);
        }

        static Outcome reply(State state, Bytes reply, Effect... effects) {
            return new Outcome(state, List.of(reply), List.of(effects));
        }
    }

    /** Answers one decoded request. */
    public static Outcome handle(State state, Request request) {
        Message m = request.message();
        if (m.header().qr()) {
            // a response is never answered; answers to our own notifies go to the NotifySender's socket
            return new Outcome(state, List.of(), List.of());
        }
        return switch (m.header().opcode()) {
            case Header.QUERY -> isTransfer(m) ? transfer(state, request) : Outcome.reply(state, query(state, request));
            case Header.UPDATE -> update(state, request);
            case Header.NOTIFY -> notify(state, request);
            default -> Outcome.reply(state, Responses.error(request, Rcode.NOTIMP));
        };
    }

    /** The state after a commit failed: {@code before} again, unless something else replaced the zone meanwhile. */
    public static State failed(State state, Effect.Commit commit) {
        Optional<Zone> now = state.primaries().get(commit.after().origin());
        if (now.isEmpty() || !now.get().equals(commit.after())) {
            return state;
        }
        return new State(state.zones().with(commit.before()), state.primaries().with(commit.before()), state.keys(),
                state.journal().forget(commit.before().origin()), state.policy());
    }

    private static boolean isTransfer(Message m) {
        return m.questions().size() == 1
                && (m.questions().getFirst().qtype() == Type.AXFR || m.questions().getFirst().qtype() == Type.IXFR);
    }

        // ------------------------------------------------------------------ QUERY

    /**
     * A standard query, answered from the zones; signed when the query was (RFC 8945 5.3). Over UDP,
     * ANY gets one RRset (RFC 8482 4.1); over TCP every RRset of the name.
     */
    static Bytes query(State state, Request request) {
        Message query = request.message();
        Lookup.AnyPolicy any = request.transport() == Request.Transport.TCP ? Lookup.AnyPolicy.ALL : Lookup.AnyPolicy.ONE_RRSET;
        Optional<Bytes> nsid = state.policy().nsid();
        if (query.tsig().isEmpty()) {
            return Responses.encodeWithin(Responder.respond(state.zones(), query, any, nsid), request.maxResponseSize());
        }
        return switch (RequestAuth.check(request, state.keys())) {
            case RequestAuth.Outcome.Failed f -> f.response();
            case RequestAuth.Outcome.Unsigned u -> throw new IllegalStateException("a query with a TSIG record is signed");
            case RequestAuth.Outcome.Signed s -> {
                RequestTsig.Authentication auth = RequestAuth.authentication(s);
                Message response = Responder.respond(state.zones(), RequestTsig.withoutTsig(query), any, nsid);
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

    // ------------------------------------------------------------------ AXFR, IXFR

    /**
     * AXFR (RFC 5936) and IXFR (RFC 1995) to a peer whose key may transfer the zone ({@code _transfer}
     * or {@code _update}) or whose address is allowed. Over UDP an IXFR gets the current SOA alone
     * (RFC 1995 2), an AXFR is refused (RFC 5936 4.2). An IXFR the journal cannot serve gets the zone
     * in AXFR form (RFC 1995 4).
     */
    public static Outcome transfer(State state, Request request) {
        Message m = request.message();
        InetAddress from = request.source().address();
        RequestAuth.Outcome auth = RequestAuth.check(request, state.keys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            return Outcome.reply(state, f.response(),
                    new Effect.Refusal(from, "transfer to " + request.source() + " refused: " + f.reason()));
        }
        int qtype = m.questions().getFirst().qtype();
        Name name = m.questions().getFirst().name();
        String what = Type.name(qtype) + " " + name + " to " + request.source();
        Optional<Zone> zone = state.zones().get(name);
        if (zone.isEmpty()) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.NOTAUTH, auth),
                    new Effect.Log(LogLevel.INFO, what + " refused: not a zone served here"));
        }
        boolean byKey = auth instanceof RequestAuth.Outcome.Signed s && s.key().allows(Operation.TRANSFER, name);
        boolean byAddress = state.policy().allowTransfer().stream().anyMatch(p -> p.contains(from));
        if (!byKey && !byAddress) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.REFUSED, auth), new Effect.Refusal(from,
                    what + " refused: " + (auth instanceof RequestAuth.Outcome.Signed s
                            ? "key " + s.key().name() + " may not transfer it" : "no key, and the address is not allowed")));
        }
        Zone z = zone.get();
        Record soa = z.soaSet().records().getFirst();
        if (qtype == Type.IXFR) {
            Optional<Long> theirs = m.authority().stream().filter(r -> r.rdata() instanceof Rdata.Soa)
                    .map(r -> ((Rdata.Soa) r.rdata()).serial()).findFirst();
            if (theirs.isEmpty()) {
                return Outcome.reply(state, RequestAuth.reply(request, Rcode.FORMERR, auth)); // RFC 1995 3: the client's SOA
            }
            if (request.transport() == Request.Transport.UDP || !Serial.greater(z.serial(), theirs.get())) {
                return new Outcome(state, TransferStream.encode(m, List.of(soa), auth, request.received()), List.of());
            }
            Optional<List<Journal.Step>> path = state.journal().path(name, theirs.get(), z.serial());
            if (path.isPresent()) {
                List<Record> records = new ArrayList<>();
                records.add(soa);
                for (Journal.Step step : path.get()) {
                    records.add(step.fromSoa());
                    records.addAll(step.removed());
                    records.add(step.toSoa());
                    records.addAll(step.added());
                }
                records.add(soa);
                return new Outcome(state, TransferStream.encode(m, records, auth, request.received()),
                        List.of(new Effect.Log(LogLevel.INFO, "IXFR " + name + " " + theirs.get() + " -> " + z.serial()
                                + " to " + request.source() + " (" + path.get().size() + " step(s))")));
            }
        } else if (request.transport() == Request.Transport.UDP) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.REFUSED, auth)); // RFC 5936 4.2: TCP only
        }
        List<Record> records = new ArrayList<>(z.records());
        records.add(soa); // RFC 5936 2.2: the SOA again at the end
        return new Outcome(state, TransferStream.encode(m, records, auth, request.received()),
                List.of(new Effect.Log(LogLevel.INFO, "AXFR " + name + " serial " + z.serial() + " (" + records.size()
                        + " records) to " + request.source()
                        + (auth instanceof RequestAuth.Outcome.Signed s ? " with key " + s.key().name() : ""))));
    }

    // ------------------------------------------------------------------ UPDATE

    /**
     * RFC 2136, for our own zones: signed with a key whose name gives it {@code _update} on the zone
     * (RFC 2136 3.3, ocaml-dns's key names), applied by {@link UpdateCore}, committed as one batch
     * "changed by KEY from IP" and answered signed once stored. Unsigned updates are refused: the only
     * permission this server knows is a key. An update adding a CSR for the certify role must pass
     * {@link UpdatePolicy} (decision 11: a verified CSR, every name within a zone the key may change).
     */
    static Outcome update(State state, Request request) {
        Message m = request.message();
        InetAddress from = request.source().address();
        var zoneCheck = UpdateCore.checkZoneSection(m);
        RequestAuth.Outcome auth = RequestAuth.check(request, state.keys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            return Outcome.reply(state, f.response(),
                    new Effect.Refusal(from, "update from " + request.source() + " refused: " + f.reason()));
        }
        if (zoneCheck.isPresent()) {
            return Outcome.reply(state, RequestAuth.reply(request, zoneCheck.get().rcode(), auth), new Effect.Log(LogLevel.INFO,
                    "update from " + request.source() + " refused: " + zoneCheck.get().reason()));
        }
        Name zoneName = m.questions().getFirst().name();
        Optional<Zone> current = state.primaries().get(zoneName);
        if (current.isEmpty()) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.NOTAUTH, auth), new Effect.Log(LogLevel.INFO,
                    "update from " + request.source() + " for " + zoneName + " refused: not a zone of ours"));
        }
        if (!(auth instanceof RequestAuth.Outcome.Signed signed)) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.REFUSED, auth), new Effect.Refusal(from,
                    "update from " + request.source() + " for " + zoneName + " refused: not signed"));
        }
        Name keyName = signed.key().name();
        if (!signed.key().allows(Operation.UPDATE, zoneName)) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.REFUSED, auth), new Effect.Refusal(from,
                    "update from " + request.source() + " for " + zoneName + " refused: key " + keyName
                            + " may not update it"));
        }
        String who = ZoneStore.fileName(keyName);
        Optional<UpdatePolicy.Refused> csr = UpdatePolicy.check(m.authority(), signed.key(), state.primaries());
        if (csr.isPresent()) {
            return Outcome.reply(state, RequestAuth.reply(request, Rcode.REFUSED, auth), new Effect.Log(LogLevel.WARN,
                    "update of " + zoneName + " by key " + keyName + " from " + request.source() + " refused: "
                            + csr.get().describe()));
        }
        return switch (UpdateCore.apply(current.get(), m)) {
            case UpdateCore.Outcome.Rejected r -> Outcome.reply(state, RequestAuth.reply(request, r.rcode(), auth),
                    new Effect.Log(LogLevel.INFO, "update of " + zoneName + " by " + who + " from " + request.source()
                            + " refused: " + r.reason()));
            case UpdateCore.Outcome.Applied a when !a.changed() ->
                    Outcome.reply(state, RequestAuth.reply(request, Rcode.NOERROR, auth));
            case UpdateCore.Outcome.Applied a -> new Outcome(state.committed(current.get(), a.zone()), List.of(),
                    List.of(new Effect.Commit(current.get(), a.zone(), who,
                            "changed by " + who + " from " + from.getHostAddress(),
                            RequestAuth.reply(request, Rcode.NOERROR, auth),
                            RequestAuth.reply(request, Rcode.SERVFAIL, auth))));
        };
    }

    // ------------------------------------------------------------------ NOTIFY

    /**
     * RFC 1996. For a zone we are secondary for: from its primary's address or signed with a key that
     * may notify the zone, the secondary checks at once (3.11). For one of our own zones: signed with
     * such a key, the store pulls and reloads. Anything else is refused; the answer echoes the
     * question with QR and AA (4.7).
     */
    static Outcome notify(State state, Request request) {
        Message m = request.message();
        InetAddress from = request.source().address();
        RequestAuth.Outcome auth = RequestAuth.check(request, state.keys());
        if (auth instanceof RequestAuth.Outcome.Failed f) {
            return Outcome.reply(state, f.response(),
                    new Effect.Refusal(from, "notify from " + request.source() + " refused: " + f.reason()));
        }
        if (m.questions().size() != 1 || m.questions().getFirst().qtype() != Type.SOA) {
            return Outcome.reply(state, notifyReply(request, Rcode.FORMERR, auth));
        }
        Name zone = m.questions().getFirst().name();
        boolean byKey = auth instanceof RequestAuth.Outcome.Signed s && s.key().allows(Operation.NOTIFY, zone);
        SecondaryZone secondary = state.policy().secondaries().get(zone);
        if (secondary != null) {
            if (!byKey && !secondary.primary().address().equals(from)) {
                return Outcome.reply(state, notifyReply(request, Rcode.REFUSED, auth), new Effect.Refusal(from,
                        "notify for " + zone + " from " + request.source() + " refused: not its primary, no key"));
            }
            return Outcome.reply(state, notifyReply(request, Rcode.NOERROR, auth), new Effect.CheckSecondary(zone),
                    new Effect.Log(LogLevel.INFO, "notify for " + zone + " from " + request.source()
                            + ": checking the primary now"));
        }
        if (state.primaries().get(zone).isPresent()) {
            if (!byKey) {
                return Outcome.reply(state, notifyReply(request, Rcode.REFUSED, auth), new Effect.Refusal(from,
                        "notify for our zone " + zone + " from " + request.source() + " refused: needs a key"));
            }
            return Outcome.reply(state, notifyReply(request, Rcode.NOERROR, auth), new Effect.Reload(zone),
                    new Effect.Log(LogLevel.INFO, "signed notify for " + zone + " from " + request.source()
                            + ": reloading the store"));
        }
        return Outcome.reply(state, notifyReply(request, Rcode.NOTAUTH, auth));
    }

    private static Bytes notifyReply(Request request, Rcode rcode, RequestAuth.Outcome auth) {
        Message m = request.message();
        Message r = new Message(RequestAuth.responseHeader(m, rcode, rcode.equals(Rcode.NOERROR)), RequestAuth.echo(m),
                List.of(), List.of(), List.of(), Optional.empty());
        return RequestAuth.encode(r, auth, request.received());
    }
}
