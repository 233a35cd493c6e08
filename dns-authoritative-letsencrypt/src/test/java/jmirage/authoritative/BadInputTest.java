package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input against the running unikernel on loopback: malformed packets, compression loops,
 * responses, unknown opcodes and versions, bad TSIG; TCP connections per source. After each, the
 * server still answers, and bad input is logged once per source, not once per packet. (The limits
 * that depend on time, rate limiting and the idle timeout, are LimitsInVirtualTimeTest's.)
 */
class BadInputTest {

    static final int PORT = 21353;
    static final String SECRET = Base64.getEncoder().encodeToString("a test secret of 32 bytes, ok!!!".getBytes());
    static final TsigKey KEY = new TsigKey(Name.of("client._update."), TsigAlgorithm.HMAC_SHA256, Bytes.of(Base64.getDecoder().decode(SECRET)));

    private static Harness server;

    @BeforeAll
    static void start() throws Exception {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT;
        p.rrlPerSecond = 0; // the rate limit and the idle timeout are LimitsInVirtualTimeTest's, on virtual time
        p.tcpPerSource = 3;
        server = Harness.start(Harness::loopback, Map.of("example.test", TestZones.text(),
                "_keys", "client._update. DNSKEY 0 3 163 " + SECRET + "\n"), p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] udp(byte[] query) throws IOException {
        return PeerServers.udp(PORT, query, 1000);
    }

    private static Message ask(Message query) throws IOException {
        byte[] a = udp(MessageCodec.encode(query).toArray());
        assertNotNull(a, "no answer to " + query);
        return PeerServers.decode(a);
    }

    private static void stillAnswers() throws Exception {
        Message a = ask(Message.query(77, Name.of("web.example.test."), Type.A, Optional.empty()));
        assertEquals(Header.NOERROR, a.header().rcode());
        assertEquals(1, a.answers().size());
    }

    @Test
    void malformedPacketsGetFormerrOrSilence() throws Exception {
        // a header and a question whose name is a pointer to itself (RFC 1035 4.1.4 allows only backward pointers)
        byte[] loop = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 0x0c, 0, 1, 0, 1};
        Message formerr = PeerServers.decode(udp(loop));
        assertEquals(Header.FORMERR, formerr.header().rcode());
        assertEquals(0x1234, formerr.header().id());
        assertTrue(formerr.header().rd());
        // shorter than a header: silence
        assertNull(PeerServers.udp(PORT, new byte[] {1, 2, 3}, 300));
        // a response (QR set) is never answered
        byte[] response = MessageCodec.encode(Message.query(9, Name.of("web.example.test."), Type.A, Optional.empty())
                .withHeader(new Header(9, true, 0, true, false, false, false, false, false, false, 0))).toArray();
        assertNull(PeerServers.udp(PORT, response, 300));
        // garbage after a valid header
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[12 + random.nextInt(600)];
            random.nextBytes(junk);
            junk[2] &= 0x7f; // QR clear: it claims to be a request
            byte[] answer = PeerServers.udp(PORT, junk, 30);
            if (answer != null) {
                Message m = PeerServers.decode(answer);
                assertEquals((junk[0] & 0xff) << 8 | (junk[1] & 0xff), m.header().id());
            }
        }
        // an oversized datagram of junk
        byte[] big = new byte[60000];
        Arrays.fill(big, (byte) 0xc0);
        big[2] = 0;
        assertEquals(Header.FORMERR, PeerServers.decode(udp(big)).header().rcode());
        stillAnswers();
        long lines = server.records.stream().filter(r -> r.level() == LogLevel.WARN && r.message().contains("malformed")).count();
        assertEquals(1, lines, "one line for 200 malformed packets from one source: " + server.records);
    }

    @Test
    void protocolErrorsGetTheirRcodes() throws Exception {
        Message base = Message.query(5, Name.of("web.example.test."), Type.A, Optional.empty());
        Header h = base.header();
        // opcode 2 (STATUS) is not implemented
        Message status = ask(base.withHeader(new Header(5, false, 2, false, false, true, false, false, false, false, 0)));
        assertEquals(Header.NOTIMP, status.header().rcode());
        // two questions
        Message two = new Message(h, List.of(new Question(Name.of("web.example.test."), Type.A),
                new Question(Name.of("www.example.test."), Type.A)), List.of(), List.of(), List.of(), Optional.empty());
        assertEquals(Header.FORMERR, ask(two).header().rcode());
        // EDNS version 1: BADVERS (RFC 6891 6.1.3), with an OPT of version 0
        Message v1 = Message.query(6, Name.of("web.example.test."), Type.A, Optional.of(new Edns(1232, 1, false, 0, List.of())));
        Message badvers = ask(v1);
        assertEquals(Header.BADVERS, badvers.header().rcode());
        assertEquals(0, badvers.edns().orElseThrow().version());
        // class CH: not served
        Message chaos = new Message(h, List.of(new Question(Name.of("version.bind."), Type.TXT, DnsClass.CH)), List.of(),
                List.of(), List.of(), Optional.empty());
        assertEquals(Header.REFUSED, ask(chaos).header().rcode());
        stillAnswers();
    }

    @Test
    void signedQueriesAreAnsweredSignedAndBadSignaturesGetNotauth() throws Exception {
        Message q = Message.query(11, Name.of("web.example.test."), Type.A, Optional.empty());
        Tsig.Signed signed = Tsig.signRequest(q, KEY, Instant.now(), Tsig.DEFAULT_FUDGE);
        byte[] answer = udp(signed.wire().toArray());
        var verified = Tsig.verifyResponse(Bytes.of(answer), KEY, Instant.now(), signed.mac());
        assertTrue(verified.isOk(), "the answer is signed with the same key: " + verified);
        assertEquals(1, PeerServers.decode(answer).answers().size());

        // a signed answer that does not fit 512 bytes: empty, TC set, and still signed (RFC 8945 5.3)
        Message big = Message.query(12, Name.of("long.example.test."), Type.TXT, Optional.empty());
        Tsig.Signed signedBig = Tsig.signRequest(big, KEY, Instant.now(), Tsig.DEFAULT_FUDGE);
        byte[] truncated = udp(signedBig.wire().toArray());
        assertTrue(truncated.length <= 512);
        assertTrue(Tsig.verifyResponse(Bytes.of(truncated), KEY, Instant.now(), signedBig.mac()).isOk());
        assertTrue(PeerServers.decode(truncated).header().tc());
        assertTrue(PeerServers.decode(truncated).answers().isEmpty());

        TsigKey unknown = new TsigKey(Name.of("stranger."), TsigAlgorithm.HMAC_SHA256, KEY.secret());
        Message badKey = PeerServers.decode(udp(Tsig.signRequest(q, unknown, Instant.now(), 300).wire().toArray()));
        assertEquals(Header.NOTAUTH, badKey.header().rcode());
        assertEquals(Header.BADKEY, ((jmirage.dns.Rdata.Tsig) badKey.tsig().orElseThrow().rdata()).error());

        TsigKey wrongSecret = new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("not the secret at all, not at all"));
        Message badSig = PeerServers.decode(udp(Tsig.signRequest(q, wrongSecret, Instant.now(), 300).wire().toArray()));
        assertEquals(Header.NOTAUTH, badSig.header().rcode());
        assertEquals(Header.BADSIG, ((jmirage.dns.Rdata.Tsig) badSig.tsig().orElseThrow().rdata()).error());
        assertTrue(badSig.answers().isEmpty());

        Message old = PeerServers.decode(udp(Tsig.signRequest(q, KEY, Instant.now().minusSeconds(3600), 300).wire().toArray()));
        assertEquals(Header.NOTAUTH, old.header().rcode());
        assertEquals(Header.BADTIME, ((jmirage.dns.Rdata.Tsig) old.tsig().orElseThrow().rdata()).error());
        stillAnswers();
    }

    @Test
    void unsignedUpdatesTransfersAndNotifiesAreRefusedThroughTheWholeServer() throws Exception {
        // the Dispatcher hands them to zone management's handlers, which refuse without a key
        Message update = new Message(new Header(41, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(Name.of("example.test."), Type.SOA)), List.of(),
                List.of(jmirage.dns.Record.in(Name.of("new.example.test."), 300,
                        new jmirage.dns.Rdata.A((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2.7")))), List.of(), Optional.empty());
        assertEquals(Header.REFUSED, ask(update).header().rcode(), "RFC 2136 3.3: an unsigned update is refused");
        Message notify = new Message(new Header(42, false, Header.NOTIFY, true, false, false, false, false, false, false, 0),
                List.of(new Question(Name.of("example.test."), Type.SOA)), List.of(), List.of(), List.of(), Optional.empty());
        assertEquals(Header.REFUSED, ask(notify).header().rcode());
        Message axfr = Message.query(43, Name.of("example.test."), Type.AXFR, Optional.empty());
        assertEquals(Header.REFUSED, ask(axfr).header().rcode(), "AXFR over UDP");
        try (Socket s = connect()) {
            assertEquals(Header.REFUSED, exchange(s, MessageCodec.encode(axfr).toArray()).header().rcode(), "AXFR without a key");
        }
        Message still = ask(Message.query(44, Name.of("new.example.test."), Type.A, Optional.empty()));
        assertEquals(Header.NXDOMAIN, still.header().rcode(), "the refused update changed nothing");
    }

    @Test
    void tcpConnectionsAreLimitedPerSource() throws Exception {
        byte[] q = MessageCodec.encode(Message.query(31, Name.of("web.example.test."), Type.A, Optional.empty())).toArray();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(connect());
                assertEquals(Header.NOERROR, exchange(open.get(i), q).header().rcode());
            }
            Socket fourth = connect();
            open.add(fourth);
            assertEquals(-1, readOrEof(fourth), "the fourth connection from one source is closed at once");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 2000);
        s.setSoTimeout(3000);
        return s;
    }

    private static int readOrEof(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static Message exchange(Socket s, byte[] q) throws IOException {
        var out = s.getOutputStream();
        out.write(new byte[] {(byte) (q.length >>> 8), (byte) q.length});
        out.write(q);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] a = new byte[in.readUnsignedShort()];
        in.readFully(a);
        return PeerServers.decode(a);
    }

    @Test
    void aTcpMessageShorterThanAHeaderClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
            assertEquals(-1, readOrEof(s));
        }
        assertFalse(server.records.stream().anyMatch(r -> r.level() == LogLevel.ERROR), "no handler failed");
    }
}
