package jmirage.authoritative.certify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.DecodeError;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * A change to a zone as one RFC 2136 UPDATE, and what the primary's answer means: pure, no I/O.
 * {@link UpdateZoneWriter} is its shell.
 */
public final class UpdateMessage {

    /** RFC 1035 4.2.2: a TCP message carries a 16-bit length. */
    static final int MAX_TCP_MESSAGE = 65535;

    private UpdateMessage() {}

    /** A signed update ready to send, with what its answer must match. */
    public record Signed(int id, Bytes wire, Bytes mac) {}

    /**
     * The update for {@code zone}: zone section ZONE SOA IN (RFC 2136 2.3), no prerequisites (2.4),
     * then each record of {@code remove} as a deletion of that exact record (2.5.4: class NONE, TTL
     * 0) and each of {@code add} as an addition (2.5.1: its class and TTL). RFC 2136 3.4.2 applies
     * them in order, so removals come first; both are idempotent at the primary (deleting an absent
     * record and adding a present one are no-ops, 3.4.2.2 and 3.4.2.4), so a retry is harmless.
     */
    public static Result<Message, UpdateError> build(int id, Name zone, List<Record> remove, List<Record> add) {
        List<Record> updates = new ArrayList<>();
        for (Record r : remove) {
            if (!r.name().isSubdomainOf(zone)) {
                return Result.err(new UpdateError.OutsideZone(r.name(), zone));
            }
            updates.add(new Record(r.name(), DnsClass.NONE, 0, r.rdata()));
        }
        for (Record r : add) {
            if (!r.name().isSubdomainOf(zone)) {
                return Result.err(new UpdateError.OutsideZone(r.name(), zone));
            }
            updates.add(r);
        }
        Header header = new Header(id, false, Header.UPDATE, false, false, false, false, false, false, false, Header.NOERROR);
        return Result.ok(new Message(header, List.of(new Question(zone, Type.SOA, DnsClass.IN)), List.of(), updates,
                List.of(), Optional.empty()));
    }

    /** {@link #build}, signed with {@code key} at {@code now} (RFC 8945 5.1). */
    public static Result<Signed, UpdateError> signed(int id, Name zone, List<Record> remove, List<Record> add, TsigKey key,
            Instant now) {
        return build(id, zone, remove, add).flatMap(m -> {
            Tsig.Signed s = Tsig.signRequest(m, key, now, Tsig.DEFAULT_FUDGE);
            return s.wire().size() > MAX_TCP_MESSAGE ? Result.err(new UpdateError.TooLarge(s.wire().size()))
                    : Result.ok(new Signed(id, s.wire(), s.mac()));
        });
    }

    /**
     * What the primary's answer {@code wire} to {@code request} means. Success only for a NOERROR
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
}
