package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.testkit.Command;
import jmirage.testkit.FlowBytes;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The positive path in --test mode on the host target, with real peers: openssl s_client with the
 * test client certificate on 10000, openssl s_server with the test server certificate on 40001 for
 * 10001, a TCP client playing TLS server for 10002, and the pinata talking to itself through socat.
 */
@Tag("peer")
class PositivePathTest {

    private static HostPinata pinata;

    @BeforeAll
    static void boot() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("socat", "socat");
        pinata = HostPinata.start("--test", "--btc-address", "1TestAddress<script>");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pinata != null) {
            pinata.close();
            assertSecretNeverLogged(pinata);
        }
    }

    static void assertSecretNeverLogged(HostPinata p) {
        assertFalse(p.records.isEmpty());
        for (LogRecord r : p.records) {
            assertFalse(p.containsSecret(r.message().getBytes(StandardCharsets.UTF_8)), () -> "secret in log: " + r);
        }
    }

    static List<String> sClient(HostPinata p, String... extra) {
        List<String> c = new ArrayList<>(List.of("openssl", "s_client", "-connect", p.address.getHostAddress() + ":10000",
                "-cert", TestPki.file("client.pem").toString(), "-key", TestPki.file("client.key").toString(),
                "-CAfile", TestPki.file("ca.pem").toString(), "-verify_return_error", "-ign_eof"));
        c.addAll(List.of(extra));
        return c;
    }

    /** openssl s_client with the test client certificate gets the secret, in TLS 1.3 and 1.2. */
    static void opensslGetsTheSecret(HostPinata p, String version) throws Exception {
        long before = p.stats().successes(Role.SERVER);
        Ran run = Command.of(sClient(p, version)).timeout(Duration.ofSeconds(30)).run();
        assertTrue(p.containsSecret(run.stdout()), () -> "no secret for s_client " + version + ": " + run.out() + run.err());
        p.awaitStats(s -> s.successes(Role.SERVER) == before + 1, Duration.ofSeconds(10), () -> "a success on 10000");
    }

    @Test
    void opensslClientWithTheTestCertificateGetsTheSecretOn10000() throws Exception {
        opensslGetsTheSecret(pinata, "-tls1_3");
        opensslGetsTheSecret(pinata, "-tls1_2");
    }

    @Test
    void opensslServerOn40001GetsTheSecretThrough10001() throws Exception {
        long before = pinata.stats().successes(Role.CONNECT_BACK);
        try (Started server = Command.of("openssl", "s_server", "-accept",
                pinata.address.getHostAddress() + ":40001", "-cert", TestPki.file("server.pem").toString(),
                "-key", TestPki.file("server.key").toString(), "-naccept", "1", "-ign_eof").holdStdin().start()) {
            server.awaitOutput("ACCEPT", Duration.ofSeconds(10));
            try (java.net.Socket knock = pinata.knock(Role.CONNECT_BACK)) {
                assertEquals(-1, knock.getInputStream().read(), "10001 closes at once");
            }
            pinata.awaitStats(s -> s.successes(Role.CONNECT_BACK) == before + 1, Duration.ofSeconds(20),
                    () -> "a success on 10001");
            byte[] out = server.waitFor(Duration.ofSeconds(10)).stdout();
            assertTrue(pinata.containsSecret(out), () -> "s_server did not print the secret: " + new String(out));
        }
    }

    @Test
    void aTcpClientPlayingTlsServerGetsTheSecretThrough10002() throws Exception {
        HostScheduler loop = HostScheduler.start("pinata-test-peer");
        HostStack stack = new HostStack(loop, HostPinata.uniqueLoopback());
        try {
            TlsDevices devices = new TlsDevices(loop, new HostClock(), new HostRandom());
            long before = pinata.stats().successes(Role.CLIENT);
            Bytes got = HostPinata.await(loop, () -> stack.connectTcp(new Endpoint(pinata.address, Role.CLIENT.port()))
                    .flatMap(r -> switch (r) {
                        case Result.Err<Flow, NetError>(NetError e) -> Promise.rejected(new AssertionError(e.describe()));
                        case Result.Ok<Flow, NetError>(Flow tcp) ->
                                TlsFlow.accept(tcp, TlsServerConfig.of(TestPki.server()), devices).flatMap(t -> switch (t) {
                                    case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) ->
                                            Promise.rejected(new AssertionError(f.describe()));
                                    case Result.Ok<TlsFlow, TlsFailure>(TlsFlow tls) -> FlowBytes.readAll(tls);
                                });
                    }));
            assertArrayEquals(pinata.secret(), got.toArray());
            pinata.awaitStats(s -> s.successes(Role.CLIENT) == before + 1, Duration.ofSeconds(10), () -> "a success on 10002");
        } finally {
            HostPinata.await(loop, stack::close);
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * The pinata talks to itself, as README documents: socat forwards the pinata's connect-back
     * (40001) to its own 10000, so its client side (10001) meets its server side (10000).
     */
    @Test
    void bridgedToItselfThePinataTalksToItselfAndCountsNoWin() throws Exception {
        // Anyone can bridge two of its ports: the secret then goes (encrypted) from the pinata to
        // itself. The page must not show that as the secret sent, or anyone could make the
        // pinata look broken; it is counted as 'to-itself' on both roles.
        String a = pinata.address.getHostAddress();
        Stats before = pinata.stats();
        try (Started socat = Command.of("socat", "-d", "-d",
                "TCP-LISTEN:40001,bind=" + a + ",fork,reuseaddr", "TCP:" + a + ":10000").start()) {
            socat.awaitOutput("listening on", Duration.ofSeconds(10));
            try (java.net.Socket knock = pinata.knock(Role.CONNECT_BACK)) {
                assertEquals(-1, knock.getInputStream().read());
            }
            Stats after = pinata.awaitStats(s -> s.failures(Role.CONNECT_BACK, Reasons.TO_ITSELF) == before.failures(Role.CONNECT_BACK, Reasons.TO_ITSELF) + 1
                    && s.failures(Role.SERVER, Reasons.TO_ITSELF) == before.failures(Role.SERVER, Reasons.TO_ITSELF) + 1,
                    Duration.ofSeconds(20), () -> "'to-itself' on 10001 and on 10000");
            assertEquals(before.successes(Role.CONNECT_BACK), after.successes(Role.CONNECT_BACK));
            assertEquals(before.successes(Role.SERVER), after.successes(Role.SERVER));
        }
    }

    @Test
    void thePageShowsRulesAddressCaAndLiveStatisticsOverHttpAndHttps() throws Exception {
        Sh.requireCommand("curl", "curl");
        String a = pinata.address.getHostAddress();
        Ran http = Command.of("curl", "-sS", "-i", "--max-time", "10", "http://" + a + ":" + pinata.httpPort + "/").run();
        String page = http.out();
        assertTrue(page.startsWith("HTTP/1.1 200"), page);
        assertTrue(page.toLowerCase().contains("content-type: text/html; charset=utf-8"), page);
        assertTrue(page.contains("1TestAddress&lt;script&gt;"), "the address, escaped");
        assertFalse(page.contains("<script>"));
        assertTrue(page.contains(jmirage.tls.x509.Pem.certificates(List.of(TestPki.ca())).lines().skip(1).findFirst().orElseThrow()),
                "the CA certificate in PEM");
        assertTrue(page.contains("10000") && page.contains("10001") && page.contains("10002"));
        assertFalse(pinata.containsSecret(http.stdout()));
        Ran head = Command.of("curl", "-sS", "-I", "--max-time", "10", "http://" + a + ":" + pinata.httpPort + "/").run();
        assertTrue(head.out().startsWith("HTTP/1.1 200"), head.out());
        Ran https = Command.of("curl", "-sS", "--max-time", "10", "--cacert", TestPki.file("ca.pem").toString(),
                "--resolve", "btc-pinata:" + pinata.httpsPort + ":" + a, "https://btc-pinata:" + pinata.httpsPort + "/stats").run();
        assertEquals(0, https.exit(), https.err());
        assertEquals(pinata.stats().encode().toUtf8(), https.out());
        Ran pem = Command.of("curl", "-sS", "--max-time", "10", "http://" + a + ":" + pinata.httpPort + "/ca.pem").run();
        assertEquals(TestPki.text("ca.pem").strip(), pem.out().strip());
    }

    @Test
    void statisticsSurviveARestart() throws Exception {
        HostPinata p = HostPinata.start("--test", "--http-port", "0", "--https-port", "0");
        try {
            opensslGetsTheSecret(p, "-tls1_3");
            Stats before = p.stats();
            p.stop();
            assertTrue(p.boot("--test", "--http-port", "0", "--https-port", "0").isOk());
            assertEquals(before, p.stats());
            assertEquals(1, p.stats().successes(Role.SERVER));
        } finally {
            p.close();
        }
        assertSecretNeverLogged(p);
    }

    @Test
    void withoutASecretItRefusesToStartWithAClearMessage() throws Exception {
        try (HostPinata p = HostPinata.unbooted()) {
            Result<?, String> r = p.boot("--http-port", "0", "--https-port", "0");
            assertTrue(r instanceof Result.Err<?, String>(String e) && e.contains("--secret"), r::toString);
        }
    }

    @Test
    void theSecretCanComeFromTheKv() throws Exception {
        try (HostPinata p = HostPinata.unbooted()) {
            p.await(() -> p.kv.set(Pinata.SECRET_KEY, Bytes.utf8("kv secret\n")));
            assertTrue(p.bootWithTestCa("--http-port", "0", "--https-port", "0").isOk());
            assertArrayEquals("kv secret".getBytes(StandardCharsets.UTF_8), p.secret());
            opensslGetsTheSecret(p, "-tls1_3");
            p.stop();
            assertSecretNeverLogged(p);
        }
    }

    /**
     * --test guards with the published test CA (its key is in this repository): it must never
     * guard an operator's own secret, from the Kv or the command line.
     */
    @Test
    void testModeRefusesAnOperatorsSecret() throws Exception {
        try (HostPinata p = HostPinata.unbooted()) {
            p.await(() -> p.kv.set(Pinata.SECRET_KEY, Bytes.utf8("the real bounty\n")));
            Result<?, String> fromKv = p.boot("--test", "--http-port", "0", "--https-port", "0");
            assertTrue(fromKv instanceof Result.Err<?, String>(String e) && e.contains("--test") && e.contains("public"),
                    fromKv::toString);
        }
        try (HostPinata p = HostPinata.unbooted()) {
            Result<?, String> fromArgs = p.boot("--test", "--secret", "the real bounty", "--http-port", "0", "--https-port", "0");
            assertTrue(fromArgs instanceof Result.Err<?, String>(String e) && e.contains("--test") && e.contains("public"),
                    fromArgs::toString);
        }
    }

    /**
     * No session resumption (RFC 5077 tickets, TLS 1.2 session IDs, TLS 1.3 PSKs): the pinata gives
     * a client nothing to resume (s_client -sess_out finds no session ID and no ticket to save), so
     * every attempt is a full handshake with its certificate checked again; a resumed session would
     * carry no certificate to check.
     */
    @Test
    void aClientGetsNoSessionToResume() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pinata-sess");
        try {
            for (String version : new String[] {"-tls1_2", "-tls1_3"}) {
                java.nio.file.Path sess = dir.resolve("s" + version);
                // -ign_eof: s_client reads until the pinata closes, so a ticket sent after the handshake is seen
                Ran first = Command.of(sClient(pinata, version, "-sess_out", sess.toString())).timeout(Duration.ofSeconds(30)).run();
                assertTrue(pinata.containsSecret(first.stdout()), first::out);
                assertFalse(java.nio.file.Files.exists(sess), () -> version + ": a session to resume was given: " + first.out());
                assertFalse(first.out().contains("TLS session ticket:"), first::out);
            }
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }
}
