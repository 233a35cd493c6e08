package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dig (bind9-dnsutils), kdig (knot-dnsutils) and curl against the resolver on the host target,
 * booted in-process on loopback with a scripted core: UDP, TCP, DNS over TLS with kdig (checking
 * the self-signed certificate the resolver made), DNS over HTTPS with curl (GET and POST).
 */
@Tag("peer")
class DigInteropTest {

    static final int PORT = 22053;
    static final int DOT = 22853;
    static final int DOH = 22443;
    private static ResolverHarness resolver;

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("kdig", "knot-dnsutils");
        Sh.requireCommand("curl", "curl");
        DnsResolver.Parameters p = new DnsResolver.Parameters();
        p.port = PORT;
        p.dotPort = DOT;
        p.dohPort = DOH;
        p.rateLimit = 0;
        resolver = ResolverHarness.start(ResolverHarness::loopback, p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
    }

    static Ran dig(String... args) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+time=5", "+tries=1"));
        cmd.addAll(List.of(args));
        Ran run = Command.of(cmd).run();
        assertEquals(0, run.exit(), run.output());
        return run;
    }

    static Ran kdig(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(port), "+time=5", "+retry=0"));
        cmd.addAll(List.of(args));
        Ran run = Command.of(cmd).run();
        assertEquals(0, run.exit(), run.output());
        return run;
    }

    @Test
    void digGetsAnAnswerWithRaOverUdpAndTcp() {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = dig(transport, "+noadflag", "www.example.test.", "A").out();
            assertTrue(out.contains("status: NOERROR"), out);
            assertTrue(out.contains("flags: qr rd ra;"), out);
            assertTrue(out.matches("(?s).*www\\.example\\.test\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"), out);
            assertTrue(!out.contains("RRSIG"), "no DNSSEC records without DO: " + out);
        }
    }

    @Test
    void adForSecureDataWhenAsked() {
        String out = dig("+dnssec", "+noadflag", "www.example.test.", "A").out();
        assertTrue(out.contains("flags: qr rd ra ad;"), out);
        assertTrue(out.contains("RRSIG"), out);
        // dig sets AD in its queries by default (RFC 6840 5.7): that asks for it too
        assertTrue(dig("www.example.test.", "A").out().contains("flags: qr rd ra ad;"));
        assertTrue(dig("www.example.test.", "AAAA").out().contains("flags: qr rd ra;"), "insecure data: no AD");
    }

    @Test
    void aBogusNameIsServfailWithItsExtendedError() {
        String out = dig("bogus.example.test.", "A").out();
        assertTrue(out.contains("status: SERVFAIL"), out);
        assertTrue(out.contains("EDE: 6 (DNSSEC Bogus)"), out);
        String kout = kdig(PORT, "+edns", "bogus.example.test.", "A").out();
        assertTrue(kout.contains("EDE: 6 (DNSSEC Bogus)"), kout);
        String noEdns = kdig(PORT, "bogus.example.test.", "A").out();
        assertTrue(noEdns.contains("status: SERVFAIL") && !noEdns.contains("EDE"), "no EDNS, no EDE: " + noEdns);
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndDigRetriesOverTcp() {
        String out = dig("+noedns", "long.example.test.", "TXT").out();
        assertTrue(out.contains("Truncated, retrying in TCP mode"), out);
        assertTrue(out.contains("ANSWER: 40,"), out);
    }

    @Test
    void kdigOverTlsChecksTheCertificateAndGetsTheAnswer() throws Exception {
        Path ca = folder.resolve("resolver.pem");
        Files.writeString(ca, resolver.certificatePem());
        String out = kdig(DOT, "+tls-ca=" + ca, "+tls-hostname=localhost", "www.example.test.", "AAAA").out();
        assertTrue(out.contains("TLS session (TLS1.3)"), out);
        assertTrue(out.contains("2001:db8::80"), out);
        // several queries on one connection (RFC 7858 3.3)
        String two = kdig(DOT, "+tls", "+keepopen", "+noall", "+answer", "www.example.test.", "A", "www.example.test.", "AAAA").out();
        assertTrue(two.contains("192.0.2.80") && two.contains("2001:db8::80"), two);
    }

    @Test
    void curlGetsTheAnswerOverHttpsByGetAndPost() throws Exception {
        Path ca = folder.resolve("doh.pem");
        Files.writeString(ca, resolver.certificatePem());
        Message query = Message.query(0, Name.of("www.example.test."), Type.A, Optional.of(Edns.of(1232)));
        Bytes wire = MessageCodec.encode(query);
        String url = "https://localhost:" + DOH + "/dns-query";
        List<String> curl = List.of("curl", "-sS", "--http1.1", "--cacert", ca.toString(), "--resolve", "localhost:" + DOH + ":127.0.0.1",
                "-D", "-", "-o", folder.resolve("body").toString());
        List<String> get = new ArrayList<>(curl);
        get.add(url + "?dns=" + Base64.getUrlEncoder().withoutPadding().encodeToString(wire.toArray()));
        checkDohAnswer(Command.of(get).run());
        List<String> post = new ArrayList<>(curl);
        post.addAll(List.of("-H", "Content-Type: application/dns-message", "--data-binary", "@-", url));
        checkDohAnswer(Command.of(post).stdin(wire.toArray()).run());

        List<String> wrongType = new ArrayList<>(curl);
        wrongType.addAll(List.of("-H", "Content-Type: text/plain", "--data-binary", "@-", url));
        String headers = Command.of(wrongType).stdin(wire.toArray()).run().out();
        assertTrue(headers.startsWith("HTTP/1.1 415"), headers);
    }

    @Test
    void kdigAndDigOverHttps() throws Exception {
        Path ca = folder.resolve("h2.pem");
        Files.writeString(ca, resolver.certificatePem());
        // kdig speaks HTTP/2 only (ALPN h2): POST by default, GET when asked
        for (String method : List.of("+https", "+https-get")) {
            String out = kdig(DOH, method, "+tls-ca=" + ca, "+tls-hostname=localhost", "www.example.test.", "A").out();
            assertTrue(out.contains(method.equals("+https") ? "HTTP session (HTTP/2-POST)" : "HTTP session (HTTP/2-GET)"), out);
            assertTrue(out.contains("192.0.2.80"), out);
        }
        String dig = dig("-p", String.valueOf(DOH), "+https", "+tls-ca=" + ca, "+tls-hostname=localhost", "www.example.test.", "AAAA").out();
        assertTrue(dig.contains("2001:db8::80"), dig);
    }

    private static void checkDohAnswer(Ran run) throws Exception {
        assertEquals(0, run.exit(), run.output());
        String headers = run.out();
        assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
        assertTrue(headers.toLowerCase().contains("content-type: application/dns-message"), headers);
        assertTrue(headers.toLowerCase().contains("cache-control: max-age=300"), "the smallest TTL (RFC 8484 5.1): " + headers);
        Message answer = MessageCodec.decode(Bytes.of(Files.readAllBytes(folder.resolve("body")))).orElseThrow();
        assertEquals(Header.NOERROR, answer.header().rcode());
        assertTrue(answer.header().ra());
        assertEquals(1, answer.answers().size(), answer.answers().toString());
    }
}
