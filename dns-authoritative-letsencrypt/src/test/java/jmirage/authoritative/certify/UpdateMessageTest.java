package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
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
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;
import org.junit.jupiter.api.Test;

/** The update a change becomes (RFC 2136) and what each answer of a primary means, as plain values. */
class UpdateMessageTest {

    static final Name ZONE = Name.of("prim.test.");
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final TsigKey KEY = new TsigKey(Name.of("certify._update.prim.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.utf8("a secret of thirty-two bytes ...."));
    static final Record CHALLENGE = Record.in(Name.of("_acme-challenge.www.prim.test."), 60,
            new Rdata.Txt(List.of(Bytes.utf8("digest"))));
    static final Record CERT = Record.in(Name.of("_letsencrypt._tcp.www.prim.test."), 3600,
            new Rdata.Tlsa(3, 0, 0, Bytes.utf8("certificate DER")));

    @Test
    void removalsAreExactDeletionsBeforeTheAdditions() {
        Message m = UpdateMessage.build(7, ZONE, List.of(CHALLENGE), List.of(CERT)).orElseThrow();
        assertEquals(Header.UPDATE, m.header().opcode());
        assertEquals(7, m.header().id());
        // RFC 2136 2.3: the zone section; 2.4: no prerequisites
        assertEquals(List.of(new Question(ZONE, Type.SOA, DnsClass.IN)), m.questions());
        assertEquals(List.of(), m.answers());
        // RFC 2136 2.5.4: class NONE, TTL 0, the record's data; 2.5.1: an addition as it is
        assertEquals(List.of(new Record(CHALLENGE.name(), DnsClass.NONE, 0, CHALLENGE.rdata()), CERT), m.authority());
        // it survives the wire (the deletion's class included)
        assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)).orElseThrow());
    }

    @Test
    void aRecordOutsideTheZoneIsRefusedBeforeSending() {
        Record other = Record.in(Name.of("www.other.test."), 60, CHALLENGE.rdata());
        assertEquals(Result.err(new UpdateError.OutsideZone(other.name(), ZONE)),
                UpdateMessage.build(1, ZONE, List.of(), List.of(CERT, other)));
        assertEquals(Result.err(new UpdateError.OutsideZone(other.name(), ZONE)),
                UpdateMessage.build(1, ZONE, List.of(other), List.of()));
    }

    @Test
    void anUpdateLargerThanATcpMessageIsRefused() {
        List<Record> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(Record.in(Name.of("_letsencrypt._tcp.h" + i + ".prim.test."), 3600, new Rdata.Tlsa(0, 0, 0, Bytes.of(new byte[2000]))));
        }
        var r = UpdateMessage.signed(1, ZONE, List.of(), many, KEY, NOW);
        assertInstanceOf(UpdateError.TooLarge.class, ((Result.Err<UpdateMessage.Signed, UpdateError>) r).error());
    }

    UpdateMessage.Signed request() {
        return UpdateMessage.signed(4242, ZONE, List.of(), List.of(CHALLENGE), KEY, NOW).orElseThrow();
    }

    /** The primary's answer to {@code request}: the request's header with QR and {@code rcode}, no records. */
    static Message reply(UpdateMessage.Signed request, int rcode) {
        Message m = MessageCodec.decode(request.wire()).orElseThrow();
        Header h = m.header();
        return new Message(new Header(h.id(), true, Header.UPDATE, false, false, false, false, false, false, false, rcode),
                m.questions(), List.of(), List.of(), List.of(), Optional.empty());
    }

    @Test
    void aSignedNoerrorIsSuccess() {
        UpdateMessage.Signed req = request();
        Bytes answer = Tsig.signResponse(reply(req, Header.NOERROR), KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertEquals(Result.ok(), UpdateMessage.answer(req, answer, KEY, NOW.plusSeconds(1)));
    }

    @Test
    void aSignedRefusalIsRejectedWithItsRcode() {
        UpdateMessage.Signed req = request();
        for (int rcode : List.of(Header.REFUSED, Header.NOTAUTH, Header.NOTZONE, Header.SERVFAIL)) {
            Bytes answer = Tsig.signResponse(reply(req, rcode), KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
            assertEquals(Result.err(new UpdateError.Rejected(Rcode.of(rcode))), UpdateMessage.answer(req, answer, KEY, NOW));
        }
    }

    @Test
    void aNoerrorThatIsNotSignedOrSignedForAnotherRequestIsNotBelieved() {
        UpdateMessage.Signed req = request();
        Bytes unsigned = MessageCodec.encode(reply(req, Header.NOERROR));
        assertEquals(Result.err(new UpdateError.BadTsig(new TsigError.Unsigned())), UpdateMessage.answer(req, unsigned, KEY, NOW));

        Bytes otherMac = Tsig.signResponse(reply(req, Header.NOERROR), KEY, NOW, Tsig.DEFAULT_FUDGE, Bytes.of(new byte[32])).wire();
        assertInstanceOf(UpdateError.BadTsig.class, err(UpdateMessage.answer(req, otherMac, KEY, NOW)));

        TsigKey forged = new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("another secret"));
        Bytes forgedAnswer = Tsig.signResponse(reply(req, Header.NOERROR), forged, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertInstanceOf(UpdateError.BadTsig.class, err(UpdateMessage.answer(req, forgedAnswer, KEY, NOW)));
    }

    @Test
    void aPrimaryThatRefusesOurSignatureSaysWhy() {
        UpdateMessage.Signed req = request();
        // RFC 8945 5.2.1: BADKEY, NOTAUTH with an unsigned TSIG carrying the error
        Bytes badKey = Tsig.unsignedError(reply(req, Header.NOTAUTH), KEY.name(), KEY.algorithm().algorithmName(), NOW,
                Tsig.DEFAULT_FUDGE, Header.BADKEY);
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)), UpdateMessage.answer(req, badKey, KEY, NOW));
        // RFC 8945 5.2.3: BADTIME, signed
        Bytes badTime = Tsig.signError(reply(req, Header.NOTAUTH), KEY, NOW, Tsig.DEFAULT_FUDGE, Header.BADTIME, Optional.of(req.mac()));
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADTIME)), UpdateMessage.answer(req, badTime, KEY, NOW));
    }

    @Test
    void anAnswerToAnotherMessageOrNoMessageAtAll() {
        UpdateMessage.Signed req = request();
        Message m = reply(req, Header.NOERROR);
        Message otherId = m.withHeader(m.header().withId(4243));
        Bytes answer = Tsig.signResponse(otherId, KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertEquals(Result.err(new UpdateError.NotTheAnswer(4243, Header.UPDATE)), UpdateMessage.answer(req, answer, KEY, NOW));
        assertInstanceOf(UpdateError.Malformed.class, err(UpdateMessage.answer(req, Bytes.utf8("not dns"), KEY, NOW)));
    }

    @Test
    void onlyNoAnswerAndServfailAreWorthAnotherAttempt() {
        assertEquals(true, new UpdateError.Rejected(Rcode.SERVFAIL).worthRetrying());
        assertEquals(false, new UpdateError.Rejected(Rcode.REFUSED).worthRetrying());
        assertEquals(false, new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADSIG).worthRetrying());
        assertEquals(true, new UpdateError.ClosedEarly(new jmirage.core.net.Endpoint(
                jmirage.core.net.IpAddresses.parse("127.17.4.1").orElseThrow(), 53)).worthRetrying());
    }

    static UpdateError err(Result<Unit, UpdateError> r) {
        return ((Result.Err<Unit, UpdateError>) r).error();
    }
}
