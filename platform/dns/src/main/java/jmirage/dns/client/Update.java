package jmirage.dns.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Stack;
import jmirage.dns.DecodeError;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.RdataCodec;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * A change to a zone as one TSIG-signed RFC 2136 UPDATE, with prerequisites where the change
 * depends on what the zone holds, and what the server's answer means: pure ({@link #build},
 * {@link #conditional}, {@link #signed}, {@link #answer}), and {@link #send}, one exchange over TCP.
 */
public final class Update {

    private Update() {}

    /** A signed update ready to send, with what its answer must match. */
    public record Signed(int id, Bytes wire, Bytes mac) {}

    /** RFC 2136 2.4: a condition on the zone that must hold for the server to apply the update. */
    public sealed interface Prerequisite {
        Name name();

        /** RFC 2136 2.4.5, "Name Is Not In Use": no record of any type at {@code name} (class NONE, type ANY, no data). */
        record NameNotInUse(Name name) implements Prerequisite {}

        /** RFC 2136 2.4.3, "RRset Does Not Exist": no record of {@code type} at {@code name} (class NONE, no data). */
        record RrsetAbsent(Name name, int type) implements Prerequisite {}

        /**
         * RFC 2136 2.4.2, "RRset Exists (Value Dependent)": the RRset of {@code record}'s name and type
         * is exactly {@code record} (sent with TTL 0).
         */
        record RrsetIs(Record record) implements Prerequisite {
            public Name name() {
                return record.name();
            }
        }
    }

    /** RFC 2136 2.5: one change of the update section, applied in order (3.4.2). */
    public sealed interface Change {
        Name name();

        /** RFC 2136 2.5.1: adds {@code record} (its class and TTL); present already, a no-op. */
        record Add(Record record) implements Change {
            public Name name() {
                return record.name();
            }
        }

        /** RFC 2136 2.5.2: deletes every record of {@code type} at {@code name} (class ANY, TTL 0, no data). */
        record DeleteRrset(Name name, int type) implements Change {}

        /** RFC 2136 2.5.4: deletes that exact record (class NONE, TTL 0, its data); absent, a no-op. */
        record DeleteRecord(Record record) implements Change {
            public Name name() {
                return record.name();
            }
        }
    }

    /**
     * The update for {@code zone}: zone section ZONE SOA IN (RFC 2136 2.3), no prerequisites (2.4),
     * then each record of {@code remove} as a deletion of that exact record (2.5.4: class NONE, TTL
     * 0) and each of {@code add} as an addition (2.5.1: its class and TTL). RFC 2136 3.4.2 applies
     * them in order, so removals come first; both are idempotent at the server (deleting an absent
     * record and adding a present one are no-ops, 3.4.2.2 and 3.4.2.4), so a retry is harmless.
     */
    public static Result<Message, UpdateError> build(int id, Name zone, List<Record> remove, List<Record> add) {
        List<Change> changes = new ArrayList<>();
        remove.forEach(r -> changes.add(new Change.DeleteRecord(r)));
        add.forEach(r -> changes.add(new Change.Add(r)));
        return conditional(id, zone, List.of(), changes);
    }

    /**
     * The update for {@code zone} with {@code prerequisites} (RFC 2136 2.4, in the answer section)
     * and {@code changes} (2.5, in the authority section), in their order. A name outside the zone
     * is refused here (the server would answer NOTZONE, 3.4.1.3 and 3.4.1.2).
     */
    public static Result<Message, UpdateError> conditional(int id, Name zone, List<Prerequisite> prerequisites,
            List<Change> changes) {
        List<Record> conditions = new ArrayList<>();
        for (Prerequisite p : prerequisites) {
            if (!p.name().isSubdomainOf(zone)) {
                return Result.err(new UpdateError.OutsideZone(p.name(), zone));
            }
            conditions.add(switch (p) {
                case Prerequisite.NameNotInUse(Name name) -> new Record(name, DnsClass.NONE, 0, noData(Type.ANY));
                case Prerequisite.RrsetAbsent(Name name, int type) -> new Record(name, DnsClass.NONE, 0, noData(type));
                case Prerequisite.RrsetIs(Record r) -> new Record(r.name(), r.rrClass(), 0, r.rdata());
            });
        }
        List<Record> updates = new ArrayList<>();
        for (Change c : changes) {
            if (!c.name().isSubdomainOf(zone)) {
                return Result.err(new UpdateError.OutsideZone(c.name(), zone));
            }
            updates.add(switch (c) {
                case Change.Add(Record r) -> r;
                case Change.DeleteRrset(Name name, int type) -> new Record(name, DnsClass.ANY, 0, noData(type));
                case Change.DeleteRecord(Record r) -> new Record(r.name(), DnsClass.NONE, 0, r.rdata());
            });
        }
        Header header = new Header(id, false, Header.UPDATE, false, false, false, false, false, false, false, Header.NOERROR);
        return Result.ok(new Message(header, List.of(new Question(zone, Type.SOA, DnsClass.IN)), conditions, updates,
                List.of(), Optional.empty()));
    }

    /** RDLENGTH 0 of {@code type}, as the prerequisite and update sections use it (RFC 2136 2.4.1, 2.5.2). */
    private static Rdata noData(int type) {
        return RdataCodec.isKnown(type) ? new Rdata.Empty(type) : new Rdata.Opaque(type, Bytes.EMPTY);
    }

    /** {@link #build}, signed with {@code key} at {@code now} (RFC 8945 5.1), within a TCP message. */
    public static Result<Signed, UpdateError> signed(int id, Name zone, List<Record> remove, List<Record> add, TsigKey key,
            Instant now) {
        return build(id, zone, remove, add).flatMap(m -> sign(m, key, now));
    }

    /** {@link #conditional}, signed with {@code key} at {@code now} (RFC 8945 5.1), within a TCP message. */
    public static Result<Signed, UpdateError> signedConditional(int id, Name zone, List<Prerequisite> prerequisites,
            List<Change> changes, TsigKey key, Instant now) {
        return conditional(id, zone, prerequisites, changes).flatMap(m -> sign(m, key, now));
    }

    private static Result<Signed, UpdateError> sign(Message m, TsigKey key, Instant now) {
        Tsig.Signed s = Tsig.signRequest(m, key, now, Tsig.DEFAULT_FUDGE);
        return s.wire().size() > TcpExchange.MAX_MESSAGE ? Result.err(new UpdateError.TooLarge(s.wire().size()))
                : Result.ok(new Signed(m.header().id(), s.wire(), s.mac()));
    }

    /**
     * What the server's answer {@code wire} to {@code request} means. Success only for a NOERROR
     * answer whose TSIG verifies with our key and our request's MAC (RFC 8945 5.3); an answer that
     * refuses our signature comes unsigned or with a TSIG error (RFC 8945 5.2), and is reported as
     * such, never taken for a success.
     */
    public static Result<Unit, UpdateError> answer(Signed request, Bytes wire, TsigKey key, Instant now) {
        Message m;
        switch (MessageCodec.decode(wire)) {
            case Result.Err<Message, DecodeError>(DecodeError e) -> {
                return Result.err(new UpdateError.Malformed(e));
            }
            case Result.Ok<Message, DecodeError>(Message ok) -> m = ok;
        }
        if (m.header().id() != request.id() || !m.header().qr() || m.header().opcode() != Header.UPDATE) {
            return Result.err(new UpdateError.NotTheAnswer(m.header().id(), m.header().opcode()));
        }
        Rcode rcode = Rcode.of(m.header().rcode());
        return switch (Tsig.verifyResponse(wire, key, now, request.mac())) {
            case Result.Ok<Tsig.Verified, TsigError> verified -> rcode.equals(Rcode.NOERROR) ? Result.ok()
                    : Result.err(new UpdateError.Rejected(rcode));
            case Result.Err<Tsig.Verified, TsigError>(TsigError e) -> {
                Optional<Rcode> reported = m.tsig().map(t -> ((Rdata.Tsig) t.rdata()).error()).filter(x -> x != 0).map(Rcode::of);
                yield reported.isPresent() && !rcode.equals(Rcode.NOERROR)
                        ? Result.err(new UpdateError.KeyRejected(rcode, reported.get()))
                        : Result.err(new UpdateError.BadTsig(e));
            }
        };
    }

    /**
     * {@code request} to {@code server} over TCP ({@link TcpExchange}) within {@code timeout}, and
     * its answer checked with {@link #answer} at the time it arrives. One attempt: retrying (with a
     * new ID and signature) is the caller's, after {@link UpdateError#worthRetrying()}.
     */
    public static Promise<Result<Unit, UpdateError>> send(Stack stack, Scheduler scheduler, Clock clock, Endpoint server,
            Signed request, TsigKey key, Duration timeout) {
        return TcpExchange.exchange(stack, scheduler, server, request.wire(), timeout).map(r -> switch (r) {
            case Result.Err<Bytes, ExchangeError>(ExchangeError e) -> Result.<Unit, UpdateError>err(new UpdateError.NoAnswer(e));
            case Result.Ok<Bytes, ExchangeError>(Bytes wire) -> answer(request, wire, key, clock.now());
        });
    }
}
