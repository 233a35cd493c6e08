package jmirage.dns.client;

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
class UpdateTest {

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
        Message m = Update.build(7, ZONE, List.of(CHALLENGE), List.of(CERT)).orElseThrow();
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
    void prerequisitesAndRrsetDeletionsAreTheFormsOfRfc2136() {
        Name host = Name.of("alice.prim.test.");
        Record a = Record.in(host, 300, new Rdata.A(jmirage.core.net.IpAddresses.parseIpv4("10.46.0.100").orElseThrow()));
        Record dhcid = Record.in(host, 300, new Rdata.Opaque(Type.DHCID, Bytes.fromHex("000001aabb")));
        Message m = Update.conditional(9, ZONE,
                List.of(new Update.Prerequisite.NameNotInUse(host), new Update.Prerequisite.RrsetIs(dhcid),
                        new Update.Prerequisite.RrsetAbsent(host, Type.A)),
                List.of(new Update.Change.DeleteRrset(host, Type.A), new Update.Change.DeleteRrset(host, Type.DHCID),
                        new Update.Change.DeleteRecord(a), new Update.Change.Add(a))).orElseThrow();
        // RFC 2136 2.4.5: NONE ANY, no data; 2.4.2: the record with TTL 0; 2.4.3: NONE TYPE, no data
        assertEquals(List.of(new Record(host, DnsClass.NONE, 0, new Rdata.Opaque(Type.ANY, Bytes.EMPTY)),
                new Record(host, DnsClass.IN, 0, dhcid.rdata()), new Record(host, DnsClass.NONE, 0, new Rdata.Empty(Type.A))),
                m.answers());
        // RFC 2136 2.5.2: ANY TYPE, TTL 0, no data (a known type empty, an unknown one as empty opaque data)
        assertEquals(List.of(new Record(host, DnsClass.ANY, 0, new Rdata.Empty(Type.A)),
                new Record(host, DnsClass.ANY, 0, new Rdata.Opaque(Type.DHCID, Bytes.EMPTY)),
                new Record(host, DnsClass.NONE, 0, a.rdata()), a), m.authority());
        assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)).orElseThrow());
        Name outside = Name.of("bob.other.test.");
        assertEquals(Result.err(new UpdateError.OutsideZone(outside, ZONE)),
                Update.conditional(1, ZONE, List.of(new Update.Prerequisite.NameNotInUse(outside)), List.of()));
        assertEquals(Result.err(new UpdateError.OutsideZone(outside, ZONE)),
                Update.conditional(1, ZONE, List.of(), List.of(new Update.Change.DeleteRrset(outside, Type.A))));
    }

    @Test
    void aRecordOutsideTheZoneIsRefusedBeforeSending() {
        Record other = Record.in(Name.of("www.other.test."), 60, CHALLENGE.rdata());
        assertEquals(Result.err(new UpdateError.OutsideZone(other.name(), ZONE)),
                Update.build(1, ZONE, List.of(), List.of(CERT, other)));
        assertEquals(Result.err(new UpdateError.OutsideZone(other.name(), ZONE)),
                Update.build(1, ZONE, List.of(other), List.of()));
    }

    @Test
    void anUpdateLargerThanATcpMessageIsRefused() {
        List<Record> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(Record.in(Name.of("_letsencrypt._tcp.h" + i + ".prim.test."), 3600, new Rdata.Tlsa(0, 0, 0, Bytes.of(new byte[2000]))));
        }
        var r = Update.signed(1, ZONE, List.of(), many, KEY, NOW);
        assertInstanceOf(UpdateError.TooLarge.class, ((Result.Err<Update.Signed, UpdateError>) r).error());
    }

    Update.Signed request() {
        return Update.signed(4242, ZONE, List.of(), List.of(CHALLENGE), KEY, NOW).orElseThrow();
    }

    /** The primary's answer to {@code request}: the request's header with QR and {@code rcode}, no records. */
    static Message reply(Update.Signed request, int rcode) {
        Message m = MessageCodec.decode(request.wire()).orElseThrow();
        Header h = m.header();
        return new Message(new Header(h.id(), true, Header.UPDATE, false, false, false, false, false, false, false, rcode),
                m.questions(), List.of(), List.of(), List.of(), Optional.empty());
    }

    @Test
    void aSignedNoerrorIsSuccess() {
        Update.Signed req = request();
        Bytes answer = Tsig.signResponse(reply(req, Header.NOERROR), KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertEquals(Result.ok(), Update.answer(req, answer, KEY, NOW.plusSeconds(1)));
    }

    @Test
    void aSignedRefusalIsRejectedWithItsRcode() {
        Update.Signed req = request();
        for (int rcode : List.of(Header.REFUSED, Header.NOTAUTH, Header.NOTZONE, Header.SERVFAIL)) {
            Bytes answer = Tsig.signResponse(reply(req, rcode), KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
            assertEquals(Result.err(new UpdateError.Rejected(Rcode.of(rcode))), Update.answer(req, answer, KEY, NOW));
        }
    }

    @Test
    void aNoerrorThatIsNotSignedOrSignedForAnotherRequestIsNotBelieved() {
        Update.Signed req = request();
        Bytes unsigned = MessageCodec.encode(reply(req, Header.NOERROR));
        assertEquals(Result.err(new UpdateError.BadTsig(new TsigError.Unsigned())), Update.answer(req, unsigned, KEY, NOW));

        Bytes otherMac = Tsig.signResponse(reply(req, Header.NOERROR), KEY, NOW, Tsig.DEFAULT_FUDGE, Bytes.of(new byte[32])).wire();
        assertInstanceOf(UpdateError.BadTsig.class, err(Update.answer(req, otherMac, KEY, NOW)));

        TsigKey forged = new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("another secret"));
        Bytes forgedAnswer = Tsig.signResponse(reply(req, Header.NOERROR), forged, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertInstanceOf(UpdateError.BadTsig.class, err(Update.answer(req, forgedAnswer, KEY, NOW)));
    }

    @Test
    void aPrimaryThatRefusesOurSignatureSaysWhy() {
        Update.Signed req = request();
        // RFC 8945 5.2.1: BADKEY, NOTAUTH with an unsigned TSIG carrying the error
        Bytes badKey = Tsig.unsignedError(reply(req, Header.NOTAUTH), KEY.name(), KEY.algorithm().algorithmName(), NOW,
                Tsig.DEFAULT_FUDGE, Header.BADKEY);
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)), Update.answer(req, badKey, KEY, NOW));
        // RFC 8945 5.2.3: BADTIME, signed
        Bytes badTime = Tsig.signError(reply(req, Header.NOTAUTH), KEY, NOW, Tsig.DEFAULT_FUDGE, Header.BADTIME, Optional.of(req.mac()));
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADTIME)), Update.answer(req, badTime, KEY, NOW));
        // RFC 8945 5.2.2: BADSIG, unsigned; named as the TSIG error it is (16 is BADVERS in a header)
        Bytes badSig = Tsig.unsignedError(reply(req, Header.NOTAUTH), KEY.name(), KEY.algorithm().algorithmName(), NOW,
                Tsig.DEFAULT_FUDGE, Header.BADSIG);
        UpdateError refused = err(Update.answer(req, badSig, KEY, NOW));
        assertEquals(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADSIG), refused);
        assertEquals("the server refused our TSIG key: NOTAUTH with TSIG error BADSIG", refused.describe());
    }

    @Test
    void anAnswerToAnotherMessageOrNoMessageAtAll() {
        Update.Signed req = request();
        Message m = reply(req, Header.NOERROR);
        Message otherId = m.withHeader(m.header().withId(4243));
        Bytes answer = Tsig.signResponse(otherId, KEY, NOW, Tsig.DEFAULT_FUDGE, req.mac()).wire();
        assertEquals(Result.err(new UpdateError.NotTheAnswer(4243, Header.UPDATE)), Update.answer(req, answer, KEY, NOW));
        assertInstanceOf(UpdateError.Malformed.class, err(Update.answer(req, Bytes.utf8("not dns"), KEY, NOW)));
    }

    @Test
    void onlyNoAnswerAndServfailAreWorthAnotherAttempt() {
        assertEquals(true, new UpdateError.Rejected(Rcode.SERVFAIL).worthRetrying());
        assertEquals(false, new UpdateError.Rejected(Rcode.REFUSED).worthRetrying());
        assertEquals(false, new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADSIG).worthRetrying());
        assertEquals(true, new UpdateError.NoAnswer(new ExchangeError.ClosedEarly(new jmirage.core.net.Endpoint(
                jmirage.core.net.IpAddresses.parse("127.17.4.1").orElseThrow(), 53), 0)).worthRetrying());
    }

    static UpdateError err(Result<Unit, UpdateError> r) {
        return ((Result.Err<Unit, UpdateError>) r).error();
    }
}
