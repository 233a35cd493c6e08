package jmirage.dns.tsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

class TsigTest {

    static final String SECRET = "q4Gsu0nYoyub20//PATXhABobmrVUQyqq5TFzYHfC7o=";
    static final TsigKey AXFR_KEY = new TsigKey(Name.of("dnssecishardtest."), TsigAlgorithm.HMAC_SHA256,
            Bytes.of(Base64.getDecoder().decode(SECRET)));

    static Bytes requestBin() throws Exception {
        byte[] tcp = Files.readAllBytes(jmirage.dns.zone.TestData.DIR.resolve("tsig-axfr/request.bin"));
        int len = (tcp[0] & 0xff) << 8 | (tcp[1] & 0xff);
        assertEquals(tcp.length - 2, len, "request.bin is one TCP-framed message");
        return Bytes.of(tcp, 2, len);
    }

    static <E> E err(Result<?, E> r) {
        return ((Result.Err<?, E>) r).error();
    }

    @Test
    void dnsjavasAxfrRequestVerifiesWithItsKey() throws Exception {
        Bytes wire = requestBin();
        long signed = 0x6542ba78L;
        var ok = Tsig.verifyRequest(wire, n -> n.equals(AXFR_KEY.name()) ? Optional.of(AXFR_KEY) : Optional.empty(),
                Instant.ofEpochSecond(signed + 10)).orElseThrow();
        assertEquals(Type.AXFR, ok.message().questions().get(0).qtype());
        assertEquals(Name.of("dnssecishard.com."), ok.message().questions().get(0).name());
        assertEquals(32, ok.mac().size());
        assertEquals(signed, ok.tsig().timeSigned());
    }

    @Test
    void aTsigRecordOfClassInIsRefusedThoughItsMacIsGood() {
        TsigKey key = new TsigKey(Name.of("k."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("a secret"));
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        Bytes signed = Tsig.signRequest(Message.query(9, Name.of("a."), Type.A, Optional.empty()), key, now, 300).wire();
        Message m = jmirage.dns.MessageCodec.decode(signed).orElseThrow();
        Record tsig = m.tsig().orElseThrow();
        // the MAC covers class ANY whatever the record says (RFC 8945 4.3.3), so only the class is wrong
        Message inClassIn = m.withAdditional(List.of(new Record(tsig.name(), jmirage.dns.DnsClass.IN, 0, tsig.rdata())));
        Bytes wire = jmirage.dns.MessageCodec.encode(inClassIn);
        assertTrue(Tsig.verifyRequest(signed, n -> Optional.of(key), now).isOk());
        assertEquals(new TsigError.WrongClass(jmirage.dns.DnsClass.IN),
                err(Tsig.verifyRequest(wire, n -> Optional.of(key), now)));
    }

    @Test
    void badTimeBadKeyAndBadSigAreReported() throws Exception {
        Bytes wire = requestBin();
        Instant inTime = Instant.ofEpochSecond(0x6542ba78L);
        assertInstanceOf(TsigError.BadTime.class,
                err(Tsig.verifyRequest(wire, n -> Optional.of(AXFR_KEY), inTime.plusSeconds(301))));
        assertInstanceOf(TsigError.BadKey.class, err(Tsig.verifyRequest(wire, n -> Optional.empty(), inTime)));
        TsigKey wrongAlg = new TsigKey(AXFR_KEY.name(), TsigAlgorithm.HMAC_SHA512, AXFR_KEY.secret());
        assertInstanceOf(TsigError.BadKey.class, err(Tsig.verifyRequest(wire, n -> Optional.of(wrongAlg), inTime)));
        TsigKey wrongSecret = new TsigKey(AXFR_KEY.name(), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("nope"));
        assertInstanceOf(TsigError.BadSig.class, err(Tsig.verifyRequest(wire, n -> Optional.of(wrongSecret), inTime)));
        byte[] tampered = wire.toArray();
        tampered[3] ^= 0x01; // flip a header flag bit
        assertInstanceOf(TsigError.BadSig.class,
                err(Tsig.verifyRequest(Bytes.of(tampered), n -> Optional.of(AXFR_KEY), inTime)));
        assertInstanceOf(TsigError.Unsigned.class, err(Tsig.verifyRequest(jmirage.dns.MessageCodec.encode(
                Message.query(1, Name.of("a."), Type.A, Optional.empty())), n -> Optional.of(AXFR_KEY), inTime)));
    }

    static Message response(int id, int n) {
        List<Record> answers = List.of(Record.in(Name.of("host" + n + ".example."), 60,
                new Rdata.Txt(List.of(Bytes.utf8("message " + n)))));
        return new Message(new Header(id, true, 0, true, false, false, false, false, false, false, 0),
                List.of(new jmirage.dns.Question(Name.of("example."), Type.AXFR)), answers, List.of(), List.of(),
                Optional.empty());
    }

    @Test
    void everyAlgorithmSignsRequestsAndResponsesThatDnsjavaVerifies() throws Exception {
        for (TsigAlgorithm alg : TsigAlgorithm.values()) {
            TsigKey key = new TsigKey(Name.of("key.example."), alg, Bytes.utf8("0123456789abcdef0123456789abcdef"));
            org.xbill.DNS.TSIG theirs = new org.xbill.DNS.TSIG(new org.xbill.DNS.Name(alg.algorithmName().toString()),
                    new org.xbill.DNS.Name("key.example."), key.secret().toArray());
            Instant now = Instant.now();
            Tsig.Signed req = Tsig.signRequest(Message.query(4242, Name.of("example."), Type.AXFR, Optional.empty()),
                    key, now, Tsig.DEFAULT_FUDGE);
            org.xbill.DNS.Message theirReq = new org.xbill.DNS.Message(req.wire().toArray());
            assertEquals(Rcode.NOERROR, theirs.verify(theirReq, req.wire().toArray(), null), alg + " request");
            // and ours verifies our own
            assertTrue(Tsig.verifyRequest(req.wire(), n -> Optional.of(key), now).isOk());

            Tsig.Signed resp = Tsig.signResponse(response(4242, 0), key, now, Tsig.DEFAULT_FUDGE, req.mac());
            org.xbill.DNS.Message theirResp = new org.xbill.DNS.Message(resp.wire().toArray());
            assertEquals(Rcode.NOERROR, theirs.verify(theirResp, resp.wire().toArray(), theirReq.getTSIG()), alg + " response");
            assertTrue(Tsig.verifyResponse(resp.wire(), key, now, req.mac()).isOk());
            // a response checked against another request's MAC fails
            assertInstanceOf(TsigError.BadSig.class, err(Tsig.verifyResponse(resp.wire(), key, now, resp.mac())));
        }
    }

    @Test
    void dnsjavaSignedRequestsVerifyInOurs() throws Exception {
        org.xbill.DNS.TSIG theirs = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "dnssecishardtest.", SECRET);
        org.xbill.DNS.Message q = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                new org.xbill.DNS.Name("example.com."), org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
        q.setTSIG(theirs);
        byte[] wire = q.toWire(65535);
        assertTrue(Tsig.verifyRequest(Bytes.of(wire), n -> Optional.of(AXFR_KEY), Instant.now()).isOk());
    }

    @Test
    void multiMessageTransfersChainTheirMacs() throws Exception {
        TsigKey key = AXFR_KEY;
        Instant now = Instant.now();
        Tsig.Signed req = Tsig.signRequest(Message.query(7, Name.of("example."), Type.AXFR, Optional.empty()), key, now, 300);
        Tsig.Signed first = Tsig.signResponse(response(7, 0), key, now, 300, req.mac());
        Tsig.Stream s = Tsig.Stream.after(key, first.mac());
        Bytes second = Tsig.signNext(s, response(7, 1), now, 300).wire();
        Tsig.Signed secondSigned = Tsig.signNext(s, response(7, 1), now, 300);
        Tsig.Stream s2 = Tsig.Stream.after(key, secondSigned.mac());
        Tsig.Signed third = Tsig.signNext(s2, response(7, 2), now, 300);

        // dnsjava's stream verifier accepts our chain
        org.xbill.DNS.TSIG theirs = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "dnssecishardtest.", SECRET);
        org.xbill.DNS.Message theirReq = new org.xbill.DNS.Message(req.wire().toArray());
        org.xbill.DNS.TSIG.StreamVerifier v = new org.xbill.DNS.TSIG.StreamVerifier(theirs, theirReq.getTSIG());
        for (Bytes b : List.of(first.wire(), second, third.wire())) {
            org.xbill.DNS.Message m = new org.xbill.DNS.Message(b.toArray());
            assertEquals(Rcode.NOERROR, v.verify(m, b.toArray()));
        }

        // ours: first as a response, then the stream; an unsigned message in between is carried over
        Tsig.Verified v1 = Tsig.verifyResponse(first.wire(), key, now, req.mac()).orElseThrow();
        Tsig.Stream st = Tsig.Stream.after(key, v1.mac());
        Tsig.StreamStep st2 = Tsig.verifyNext(st, second, now).orElseThrow();
        assertTrue(st2.signed());
        Tsig.StreamStep st3 = Tsig.verifyNext(st2.next(), third.wire(), now).orElseThrow();
        assertTrue(st3.signed());
        // out of order fails
        assertInstanceOf(TsigError.BadSig.class, err(Tsig.verifyNext(st, third.wire(), now)));

        // unsigned middle message: sign the third over (unsigned second + third)
        Bytes unsignedSecond = jmirage.dns.MessageCodec.encode(response(7, 1));
        Tsig.Stream withUnsigned = new Tsig.Stream(key, first.mac(), List.of(unsignedSecond));
        Tsig.Signed thirdAfterUnsigned = Tsig.signNext(withUnsigned, response(7, 2), now, 300);
        Tsig.StreamStep u2 = Tsig.verifyNext(st, unsignedSecond, now).orElseThrow();
        assertTrue(!u2.signed());
        assertTrue(Tsig.verifyNext(u2.next(), thirdAfterUnsigned.wire(), now).orElseThrow().signed());
    }

    @Test
    void badTimeErrorResponsesCarryTheServerTime() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        Tsig.Signed req = Tsig.signRequest(Message.query(9, Name.of("example."), Type.SOA, Optional.empty()), AXFR_KEY,
                now.minusSeconds(1000), 300);
        var got = Tsig.verifyRequest(req.wire(), n -> Optional.of(AXFR_KEY), now);
        assertInstanceOf(TsigError.BadTime.class, err(got));
        Bytes reply = Tsig.signError(response(9, 0), AXFR_KEY, now, 300, Header.BADTIME, Optional.of(req.mac()));
        Rdata.Tsig t = (Rdata.Tsig) jmirage.dns.MessageCodec.decode(reply).orElseThrow().tsig().get().rdata();
        assertEquals(Header.BADTIME, t.error());
        assertEquals(6, t.otherData().size());
        assertInstanceOf(TsigError.SignerReported.class, err(Tsig.verifyResponse(reply, AXFR_KEY, now, req.mac())));
    }
}
