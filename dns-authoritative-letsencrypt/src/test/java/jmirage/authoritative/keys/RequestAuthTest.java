package jmirage.authoritative.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;
import org.junit.jupiter.api.Test;

/** RFC 8945 5.2 answers to requests whose TSIG does not verify, and signed answers to those that do. */
class RequestAuthTest {

    static final Keys KEYS = Keys.parse("k._update. DNSKEY 0 3 163 " + KeysTest.SECRET + "\n", Name.ROOT).orElseThrow();
    static final TsigKey KEY = KEYS.tsigKey(Name.of("k._update.")).orElseThrow();
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final Endpoint PEER = new Endpoint(IpAddresses.parse("192.0.2.5").orElseThrow(), 1053);

    static Request request(Bytes wire) {
        return new Request(MessageCodec.decode(wire).orElseThrow(), wire, PEER, PEER, Request.Transport.UDP, 512, NOW);
    }

    static Message query() {
        return Message.query(42, Name.of("example.test."), Type.SOA, Optional.empty());
    }

    @Test
    void aGoodSignatureIsAnsweredSigned() {
        Tsig.Signed signed = Tsig.signRequest(query(), KEY, NOW.minusSeconds(10), 300);
        RequestAuth.Outcome o = RequestAuth.check(request(signed.wire()), KEYS);
        RequestAuth.Outcome.Signed s = assertInstanceOf(RequestAuth.Outcome.Signed.class, o);
        assertEquals(Operation.UPDATE, s.key().privilege());
        Bytes reply = RequestAuth.reply(request(signed.wire()), Rcode.NOERROR, o);
        assertTrue(Tsig.verifyResponse(reply, KEY, NOW, signed.mac()).isOk());
        assertInstanceOf(RequestAuth.Outcome.Unsigned.class, RequestAuth.check(request(MessageCodec.encode(query())), KEYS));
    }

    @Test
    void badTimeIsNotauthSignedWithTheServerTime() {
        Tsig.Signed late = Tsig.signRequest(query(), KEY, NOW.minusSeconds(3600), 300);
        RequestAuth.Outcome.Failed f = assertInstanceOf(RequestAuth.Outcome.Failed.class, RequestAuth.check(request(late.wire()), KEYS));
        Message m = MessageCodec.decode(f.response()).orElseThrow();
        assertEquals(Header.NOTAUTH, m.header().rcode());
        Rdata.Tsig t = (Rdata.Tsig) m.tsig().orElseThrow().rdata();
        assertEquals(Header.BADTIME, t.error());
        assertEquals(6, t.otherData().size(), "the server's time");
        // signed: the client can check it with its request MAC
        var checked = Tsig.verifyResponse(f.response(), KEY, NOW, late.mac());
        assertInstanceOf(TsigError.SignerReported.class, ((jmirage.core.Result.Err<Tsig.Verified, TsigError>) checked).error());
    }

    @Test
    void badSignatureAndUnknownKeyAreNotauthUnsigned() {
        TsigKey wrong = new TsigKey(KEY.name(), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("another secret"));
        Bytes bad = Tsig.signRequest(query(), wrong, NOW, 300).wire();
        Message m = MessageCodec.decode(assertInstanceOf(RequestAuth.Outcome.Failed.class,
                RequestAuth.check(request(bad), KEYS)).response()).orElseThrow();
        assertEquals(Header.NOTAUTH, m.header().rcode());
        assertEquals(Header.BADSIG, ((Rdata.Tsig) m.tsig().orElseThrow().rdata()).error());
        assertTrue(((Rdata.Tsig) m.tsig().orElseThrow().rdata()).mac().isEmpty());

        TsigKey stranger = new TsigKey(Name.of("who._update."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("x"));
        Message m2 = MessageCodec.decode(assertInstanceOf(RequestAuth.Outcome.Failed.class,
                RequestAuth.check(request(Tsig.signRequest(query(), stranger, NOW, 300).wire()), KEYS)).response()).orElseThrow();
        assertEquals(Header.NOTAUTH, m2.header().rcode());
        assertEquals(Header.BADKEY, ((Rdata.Tsig) m2.tsig().orElseThrow().rdata()).error());
        assertEquals(List.of(query().questions().getFirst()), m2.questions());
    }
}
