package jmirage.dns.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;
import org.junit.jupiter.api.Test;

/** RFC 8945 5.2 and 5.3: each TSIG failure of a request, its rcode and the TSIG of its answer. */
class RequestTsigTest {

    static final TsigKey KEY = new TsigKey(Name.of("k."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("a shared secret"));
    static final Instant NOW = Instant.ofEpochSecond(1_780_000_000L);

    static Message query() {
        return Message.query(42, Name.of("example.test."), Type.SOA, Optional.empty());
    }

    static RequestTsig.Authentication check(Bytes wire) {
        return RequestTsig.check(MessageCodec.decode(wire).orElseThrow(), wire,
                n -> n.equals(KEY.name()) ? Optional.of(KEY) : Optional.empty(), NOW);
    }

    /** The refusal as a client sees it: rcode, TSIG error and MAC size (-1 without TSIG). */
    static List<Integer> refusal(Bytes wire) {
        RequestTsig.Authentication.Refused r = assertInstanceOf(RequestTsig.Authentication.Refused.class, check(wire));
        Message request = MessageCodec.decode(wire).orElseThrow();
        Bytes answer = RequestTsig.refusal(Responses.error(RequestTsig.withoutTsig(request), r.rcode(), Edns.of(1232)), r, NOW);
        Message m = MessageCodec.decode(answer).orElseThrow();
        assertEquals(request.header().id(), m.header().id());
        return m.tsig().map(t -> List.of(m.header().rcode(), ((Rdata.Tsig) t.rdata()).error(),
                ((Rdata.Tsig) t.rdata()).mac().size())).orElse(List.of(m.header().rcode(), -1, -1));
    }

    @Test
    void aGoodSignatureIsAnsweredSignedAndUnsignedRequestsUnsigned() {
        Tsig.Signed signed = Tsig.signRequest(query(), KEY, NOW, 300);
        RequestTsig.Authentication auth = check(signed.wire());
        assertInstanceOf(RequestTsig.Authentication.Signed.class, auth);
        Message response = Responses.error(query(), Rcode.NOERROR, Edns.of(1232));
        assertTrue(Tsig.verifyResponse(RequestTsig.answer(response, auth, NOW), KEY, NOW, signed.mac()).isOk());
        assertInstanceOf(RequestTsig.Authentication.Unsigned.class, check(MessageCodec.encode(query())));
    }

    @Test
    void unknownKeyIsNotauthWithBadkeyAndNoMac() {
        TsigKey stranger = new TsigKey(Name.of("who."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("x"));
        assertEquals(List.of(Rcode.NOTAUTH.value(), Rcode.BADKEY.value(), 0),
                refusal(Tsig.signRequest(query(), stranger, NOW, 300).wire()));
    }

    @Test
    void anAlgorithmWeDoNotKnowIsNamedBackInTheBadkeyAnswer() {
        Bytes signed = Tsig.signRequest(query(), KEY, NOW, 300).wire();
        Message m = MessageCodec.decode(signed).orElseThrow();
        Record t = m.tsig().orElseThrow();
        Rdata.Tsig r = (Rdata.Tsig) t.rdata();
        Name gost = Name.of("gost.");
        Rdata.Tsig other = new Rdata.Tsig(gost, r.timeSigned(), r.fudge(), r.mac(), r.originalId(), 0, Bytes.EMPTY);
        Bytes wire = MessageCodec.encode(m.withAdditional(List.of(new Record(t.name(), DnsClass.ANY, 0, other))));
        RequestTsig.Authentication.Refused refused = assertInstanceOf(RequestTsig.Authentication.Refused.class, check(wire));
        Bytes answer = RequestTsig.refusal(Responses.error(query(), refused.rcode(), Edns.of(1232)), refused, NOW);
        assertEquals(gost, ((Rdata.Tsig) MessageCodec.decode(answer).orElseThrow().tsig().orElseThrow().rdata()).algorithm());
    }

    @Test
    void aWrongMacIsNotauthWithBadsigAndNoMac() {
        TsigKey wrong = new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("another secret"));
        assertEquals(List.of(Rcode.NOTAUTH.value(), Rcode.BADSIG.value(), 0),
                refusal(Tsig.signRequest(query(), wrong, NOW, 300).wire()));
    }

    @Test
    void aTimeOutsideTheFudgeIsNotauthWithBadtimeSignedWithOurTime() {
        Tsig.Signed late = Tsig.signRequest(query(), KEY, NOW.minusSeconds(3600), 300);
        assertEquals(List.of(Rcode.NOTAUTH.value(), Rcode.BADTIME.value(), 32), refusal(late.wire()));
    }

    @Test
    void aTsigOfClassInOrCarryingAnErrorCannotBeInterpretedAndIsFormerrWithoutTsig() {
        Bytes signed = Tsig.signRequest(query(), KEY, NOW, 300).wire();
        Message m = MessageCodec.decode(signed).orElseThrow();
        Record t = m.tsig().orElseThrow();
        Bytes classIn = MessageCodec.encode(m.withAdditional(List.of(new Record(t.name(), DnsClass.IN, 0, t.rdata()))));
        assertEquals(new TsigError.WrongClass(DnsClass.IN),
                assertInstanceOf(RequestTsig.Authentication.Refused.class, check(classIn)).error());
        assertEquals(List.of(Rcode.FORMERR.value(), -1, -1), refusal(classIn));

        // a request that carries a TSIG error (signed correctly, with the error in the MAC)
        Bytes withError = Tsig.signError(query(), KEY, NOW, 300, Rcode.BADTIME.value(), Optional.empty());
        assertInstanceOf(TsigError.SignerReported.class,
                assertInstanceOf(RequestTsig.Authentication.Refused.class, check(withError)).error());
        assertEquals(List.of(Rcode.FORMERR.value(), -1, -1), refusal(withError));
    }
}
