package jmirage.authoritative.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.server.Request;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;

/**
 * Who signed a request (RFC 8945 5.2), and how to sign the answer to it: the one place the update,
 * transfer and notify handlers check TSIG.
 */
public final class RequestAuth {

    private RequestAuth() {}

    /** The outcome of checking a request's TSIG. */
    public sealed interface Outcome {
        /** No TSIG record. */
        record Unsigned() implements Outcome {}

        /** Signed by {@code key}; {@code requestMac} chains the response. */
        record Signed(KeyEntry key, Bytes requestMac) implements Outcome {}

        /** The TSIG did not verify: {@code response} is the error answer (RFC 8945 5.2), {@code reason} for the log. */
        record Failed(Bytes response, String reason) implements Outcome {}
    }

    public static Outcome check(Request request, Keys keys) {
        Message m = request.message();
        Optional<Record> tsig = m.tsig();
        if (tsig.isEmpty()) {
            return new Outcome.Unsigned();
        }
        Instant now = request.received();
        var verified = Tsig.verifyRequest(request.wire(), keys::tsigKey, now);
        if (verified instanceof jmirage.core.Result.Ok<Tsig.Verified, TsigError>(Tsig.Verified v)) {
            return new Outcome.Signed(keys.find(tsig.get().name()).orElseThrow(), v.mac());
        }
        TsigError error = ((jmirage.core.Result.Err<Tsig.Verified, TsigError>) verified).error();
        Name keyName = tsig.get().name();
        Rdata.Tsig t = (Rdata.Tsig) tsig.get().rdata();
        Message base = errorBase(m, Header.NOTAUTH);
        Optional<TsigAlgorithm> alg = TsigAlgorithm.byName(t.algorithm());
        return switch (error) {
            case TsigError.BadKey b -> new Outcome.Failed(alg.isPresent()
                    ? Tsig.signError(base, new TsigKey(keyName, alg.get(), Bytes.of((byte) 0)), now, Tsig.DEFAULT_FUDGE,
                            Header.BADKEY, Optional.empty())
                    : MessageCodec.encode(base), "TSIG key " + keyName + ": " + b.reason());
            case TsigError.BadSig b -> new Outcome.Failed(Tsig.signError(base, keys.tsigKey(keyName).orElseThrow(), now,
                    Tsig.DEFAULT_FUDGE, Header.BADSIG, Optional.empty()), "TSIG key " + keyName + ": bad signature");
            case TsigError.BadTime b -> new Outcome.Failed(Tsig.signError(base, keys.tsigKey(keyName).orElseThrow(), now,
                    Tsig.DEFAULT_FUDGE, Header.BADTIME, Optional.of(t.mac())),
                    "TSIG key " + keyName + ": time " + b.timeSigned() + " is outside now " + b.now() + " +- " + b.fudge());
            case TsigError.Malformed b -> new Outcome.Failed(MessageCodec.encode(errorBase(m, Header.FORMERR)),
                    "malformed TSIG: " + b.error());
            case TsigError.Unsigned u -> new Outcome.Failed(MessageCodec.encode(errorBase(m, Header.FORMERR)), "unsigned");
            case TsigError.SignerReported s -> new Outcome.Failed(MessageCodec.encode(errorBase(m, Header.FORMERR)),
                    "a request carrying TSIG error " + s.error());
        };
    }

    /** The answer's header for {@code request}: QR, same ID, opcode and question, {@code rcode}. */
    public static Header responseHeader(Message request, int rcode, boolean authoritative) {
        Header h = request.header();
        return new Header(h.id(), true, h.opcode(), authoritative, false, h.rd(), false, false, false, h.cd(), rcode);
    }

    /**
     * The question section an answer repeats: the request's one question; none when it had several
     * (those get FORMERR, and repeating them could make the answer larger than the transport allows).
     */
    public static List<jmirage.dns.Question> echo(Message request) {
        return request.questions().size() == 1 ? request.questions() : List.of();
    }

    private static Message errorBase(Message request, int rcode) {
        return new Message(responseHeader(request, rcode, false), echo(request), List.of(), List.of(), List.of(),
                Optional.empty());
    }

    /** The response encoded, signed when the request was (RFC 8945 5.3). */
    public static Bytes encode(Message response, Outcome auth, Instant now) {
        return switch (auth) {
            case Outcome.Signed s -> Tsig.signResponse(response, s.key().key(), now, Tsig.DEFAULT_FUDGE, s.requestMac()).wire();
            default -> MessageCodec.encode(response);
        };
    }

    /** A bare answer with {@code rcode} and the question, signed when the request was. */
    public static Bytes reply(Request request, int rcode, Outcome auth) {
        Message m = request.message();
        return encode(new Message(responseHeader(m, rcode, false), echo(m), List.of(), List.of(), List.of(),
                Optional.empty()), auth, request.received());
    }
}
