package jmirage.authoritative.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.server.Request;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * Answers standard queries from the current zones. A TSIG-signed query is verified and its answer
 * signed with the same key (RFC 8945 5.3); one that does not verify gets NOTAUTH with the TSIG error
 * (RFC 8945 5.2). Over UDP, ANY gets one RRset (RFC 8482 4.1); over TCP every RRset of the name.
 */
public final class QueryHandler implements Handler {

    private final Supplier<Zones> zones;
    private final Function<Name, Optional<TsigKey>> keys;
    private final Supplier<Instant> now;
    private final Optional<Bytes> nsid;

    /** A handler without an NSID. */
    public QueryHandler(Supplier<Zones> zones, Function<Name, Optional<TsigKey>> keys, Supplier<Instant> now) {
        this(zones, keys, now, Optional.empty());
    }

    /**
     * @param zones the zones as they are now (read on every query, so reloads take effect at once)
     * @param keys the TSIG keys by name
     * @param now the wall clock, for TSIG time checks (RFC 8945 5.2.3)
     * @param nsid this server's identifier, sent to requesters that ask for it (RFC 5001)
     */
    public QueryHandler(Supplier<Zones> zones, Function<Name, Optional<TsigKey>> keys, Supplier<Instant> now,
            Optional<Bytes> nsid) {
        this.zones = zones;
        this.keys = keys;
        this.now = now;
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
        Optional<Record> tsig = query.tsig();
        if (tsig.isEmpty()) {
            return Responder.encode(Responder.respond(zones.get(), query, any, nsid), request.maxResponseSize());
        }
        Instant time = now.get();
        Rdata.Tsig requestTsig = (Rdata.Tsig) tsig.get().rdata();
        return switch (Tsig.verifyRequest(request.wire(), keys, time)) {
            case Result.Ok<Tsig.Verified, TsigError>(Tsig.Verified v) -> {
                TsigKey key = keys.apply(tsig.get().name()).orElseThrow();
                Message response = Responder.respond(zones.get(), strip(query), any, nsid);
                Bytes signed = Tsig.signResponse(response, key, time, Tsig.DEFAULT_FUDGE, v.mac()).wire();
                if (signed.size() > request.maxResponseSize()) {
                    Message truncated = new Message(response.header().withTc(true), response.questions(), List.of(),
                            List.of(), List.of(), response.edns());
                    signed = Tsig.signResponse(truncated, key, time, Tsig.DEFAULT_FUDGE, v.mac()).wire();
                }
                yield signed;
            }
            case Result.Err<Tsig.Verified, TsigError>(TsigError e) -> tsigFailure(query, tsig.get(), requestTsig, e, time);
        };
    }

    /** RFC 8945 5.2: NOTAUTH, with the TSIG error; BADTIME signed, BADKEY and BADSIG with an empty MAC. */
    private Bytes tsigFailure(Message query, Record tsigRecord, Rdata.Tsig requestTsig, TsigError e, Instant time) {
        Message plain = strip(query);
        Message refusal = Responder.error(plain, Header.NOTAUTH, plain.edns().map(x -> Responder.errorEdns()));
        TsigKey named = keys.apply(tsigRecord.name()).orElseGet(() -> new TsigKey(tsigRecord.name(),
                TsigAlgorithm.byName(requestTsig.algorithm()).orElse(TsigAlgorithm.HMAC_SHA256), Bytes.EMPTY));
        return switch (e) {
            case TsigError.BadTime t -> Tsig.signError(refusal, named, time, Tsig.DEFAULT_FUDGE, Header.BADTIME,
                    Optional.of(requestTsig.mac()));
            case TsigError.BadKey k -> Tsig.signError(refusal, named, time, Tsig.DEFAULT_FUDGE, Header.BADKEY, Optional.empty());
            case TsigError.BadSig s -> Tsig.signError(refusal, named, time, Tsig.DEFAULT_FUDGE, Header.BADSIG, Optional.empty());
            case TsigError.Malformed m -> Responder.encode(Responder.error(plain, Header.FORMERR, plain.edns()), 512);
            case TsigError.Unsigned u -> Responder.encode(Responder.error(plain, Header.FORMERR, plain.edns()), 512);
            case TsigError.SignerReported r -> Tsig.signError(refusal, named, time, Tsig.DEFAULT_FUDGE, Header.BADSIG,
                    Optional.empty());
        };
    }

    /** The query without its TSIG record. */
    private static Message strip(Message query) {
        List<Record> additional = query.additional();
        return query.tsig().isEmpty() ? query : query.withAdditional(additional.subList(0, additional.size() - 1));
    }
}
