package jmirage.authoritative.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestTsig;
import jmirage.dns.server.Responses;

/**
 * Who signed a request, and how to sign the answer to it: the one place the query, update, transfer
 * and notify handlers check TSIG, through platform/dns's {@link RequestTsig}, so that a failure gets
 * the same answer whatever the opcode (RFC 8945 5.2).
 */
public final class RequestAuth {

    private RequestAuth() {}

    /** The outcome of checking a request's TSIG. */
    public sealed interface Outcome {
        /** No TSIG record. */
        record Unsigned() implements Outcome {}

        /** Signed by {@code key}; {@code requestMac} chains the response. */
        record Signed(KeyEntry key, Bytes requestMac) implements Outcome {}

        /** The TSIG did not verify: {@code response} is the whole answer (RFC 8945 5.2), {@code reason} for the log. */
        record Failed(Bytes response, String reason) implements Outcome {}
    }

    public static Outcome check(Request request, Keys keys) {
        Message m = request.message();
        return switch (RequestTsig.check(m, request.wire(), keys::tsigKey, request.received())) {
            case RequestTsig.Authentication.Unsigned u -> new Outcome.Unsigned();
            case RequestTsig.Authentication.Signed s ->
                    new Outcome.Signed(keys.find(s.key().name()).orElseThrow(), s.requestMac());
            case RequestTsig.Authentication.Refused r -> {
                Message base = Responses.error(RequestTsig.withoutTsig(m), r.rcode(), Edns.of(Responses.OUR_UDP_PAYLOAD));
                yield new Outcome.Failed(RequestTsig.refusal(base, r, request.received()),
                        "TSIG key " + r.tsig().name() + ": " + r.error().describe());
            }
        };
    }

    /** The platform's view of a checked request, for signing its answers; not for a failed one. */
    public static RequestTsig.Authentication authentication(Outcome auth) {
        return switch (auth) {
            case Outcome.Signed s -> new RequestTsig.Authentication.Signed(s.key().key(), s.requestMac());
            case Outcome.Unsigned u -> new RequestTsig.Authentication.Unsigned();
            case Outcome.Failed f -> throw new IllegalArgumentException("a failed request is answered with its response");
        };
    }

    /** The answer's header for {@code request}: QR, same ID, opcode and question, {@code rcode}. */
    public static Header responseHeader(Message request, Rcode rcode, boolean authoritative) {
        return Responses.header(request, rcode, authoritative);
    }

    /** The question section an answer repeats (see {@link Responses#echo}). */
    public static List<Question> echo(Message request) {
        return Responses.echo(request);
    }

    /** The response encoded, signed when the request was (RFC 8945 5.3). */
    public static Bytes encode(Message response, Outcome auth, Instant now) {
        return RequestTsig.answer(response, authentication(auth), now);
    }

    /** A bare answer with {@code rcode} and the question, signed when the request was. */
    public static Bytes reply(Request request, Rcode rcode, Outcome auth) {
        Message m = request.message();
        return encode(new Message(responseHeader(m, rcode, false), echo(m), List.of(), List.of(), List.of(),
                Optional.empty()), auth, request.received());
    }
}
