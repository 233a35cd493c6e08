package jmirage.dns.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * The one TSIG path of a server (RFC 8945 5.2, 5.3): who signed a request, and how every answer to
 * it goes out, whatever the opcode. A query, an update, a transfer and a notify are checked and
 * answered here alike, so that the same failure gets the same answer on every path. Pure: the time
 * and the keys come in as arguments.
 */
public final class RequestTsig {

    private RequestTsig() {}

    /** Who signed a request. */
    public sealed interface Authentication {
        /** No TSIG record: the request stands on what its source address allows. */
        record Unsigned() implements Authentication {}

        /** Verified with {@code key}; every answer is signed with it, chained on {@code requestMac} (RFC 8945 5.3). */
        record Signed(TsigKey key, Bytes requestMac) implements Authentication {}

        /**
         * The TSIG did not verify: the request is answered with {@link #refusal} only. {@code tsig} is
         * the request's TSIG record (key and algorithm names, MAC); {@code key} ours of that name, if any.
         */
        record Refused(TsigError error, Record tsig, Optional<TsigKey> key) implements Authentication {
            /** RFC 8945 5.2: NOTAUTH for a key, signature or time failure; FORMERR when the TSIG cannot be interpreted. */
            public Rcode rcode() {
                return switch (error) {
                    case TsigError.BadKey k -> Rcode.NOTAUTH;
                    case TsigError.BadSig s -> Rcode.NOTAUTH;
                    case TsigError.BadTime t -> Rcode.NOTAUTH;
                    case TsigError.Malformed m -> Rcode.FORMERR;
                    case TsigError.WrongClass w -> Rcode.FORMERR;
                    case TsigError.SignerReported r -> Rcode.FORMERR;
                    case TsigError.Unsigned u -> Rcode.FORMERR;
                };
            }
        }
    }

    /** Checks the TSIG of {@code request}, which came as {@code wire} (the MAC covers the exact bytes, RFC 8945 4.3). */
    public static Authentication check(Message request, Bytes wire, Function<Name, Optional<TsigKey>> keys, Instant now) {
        Optional<Record> tsig = request.tsig();
        if (tsig.isEmpty()) {
            return new Authentication.Unsigned();
        }
        return switch (Tsig.verifyRequest(wire, keys, now)) {
            case Result.Ok<Tsig.Verified, TsigError>(Tsig.Verified v) ->
                    new Authentication.Signed(keys.apply(tsig.get().name()).orElseThrow(), v.mac());
            case Result.Err<Tsig.Verified, TsigError>(TsigError e) ->
                    new Authentication.Refused(e, tsig.get(), keys.apply(tsig.get().name()));
        };
    }

    /**
     * The answer to a refused request, {@code base} being the error answer of rcode
     * {@link Authentication.Refused#rcode()}. RFC 8945 5.3.2: BADKEY and BADSIG carry a TSIG record
     * with the error and an empty MAC (we share no key with the peer to sign with); 5.2.3: BADTIME is
     * signed with the key, chained on the request's MAC, our time in other data; a TSIG that cannot be
     * interpreted gets FORMERR and no TSIG (5.2).
     */
    public static Bytes refusal(Message base, Authentication.Refused refused, Instant now) {
        Name keyName = refused.tsig().name();
        Rdata.Tsig theirs = (Rdata.Tsig) refused.tsig().rdata();
        return switch (refused.error()) {
            case TsigError.BadKey k -> Tsig.unsignedError(base, keyName, theirs.algorithm(), now, Tsig.DEFAULT_FUDGE,
                    Rcode.BADKEY.value());
            case TsigError.BadSig s -> Tsig.unsignedError(base, keyName, theirs.algorithm(), now, Tsig.DEFAULT_FUDGE,
                    Rcode.BADSIG.value());
            case TsigError.BadTime t -> Tsig.signError(base, refused.key().orElseThrow(), now, Tsig.DEFAULT_FUDGE,
                    Rcode.BADTIME.value(), Optional.of(theirs.mac()));
            case TsigError.Malformed m -> MessageCodec.encode(base);
            case TsigError.WrongClass w -> MessageCodec.encode(base);
            case TsigError.SignerReported r -> MessageCodec.encode(base);
            case TsigError.Unsigned u -> MessageCodec.encode(base);
        };
    }

    /** An answer to an accepted request, signed when the request was (RFC 8945 5.3). */
    public static Bytes answer(Message response, Authentication auth, Instant now) {
        return switch (auth) {
            case Authentication.Signed s -> Tsig.signResponse(response, s.key(), now, Tsig.DEFAULT_FUDGE,
                    s.requestMac()).wire();
            case Authentication.Unsigned u -> MessageCodec.encode(response);
            case Authentication.Refused r -> throw new IllegalArgumentException("a refused request gets refusal(), not an answer");
        };
    }

    /**
     * The messages of a multi-message answer (a zone transfer), signed as one stream when the
     * request was: the first chained on the request's MAC, each next on the one before (RFC 8945 5.3.1).
     */
    public static List<Bytes> answerStream(List<Message> responses, Authentication auth, Instant now) {
        List<Bytes> out = new ArrayList<>(responses.size());
        switch (auth) {
            case Authentication.Signed s -> {
                Bytes priorMac = s.requestMac();
                for (int i = 0; i < responses.size(); i++) {
                    Tsig.Signed signed = i == 0
                            ? Tsig.signResponse(responses.get(i), s.key(), now, Tsig.DEFAULT_FUDGE, priorMac)
                            : Tsig.signNext(Tsig.Stream.after(s.key(), priorMac), responses.get(i), now,
                                    Tsig.DEFAULT_FUDGE);
                    priorMac = signed.mac();
                    out.add(signed.wire());
                }
            }
            case Authentication.Unsigned u -> responses.forEach(m -> out.add(MessageCodec.encode(m)));
            case Authentication.Refused r -> throw new IllegalArgumentException("a refused request gets refusal(), not an answer");
        }
        return out;
    }

    /** The request without its TSIG record (the last additional record, RFC 8945 5.1), for answering. */
    public static Message withoutTsig(Message request) {
        List<Record> additional = request.additional();
        return request.tsig().isEmpty() ? request : request.withAdditional(additional.subList(0, additional.size() - 1));
    }
}
