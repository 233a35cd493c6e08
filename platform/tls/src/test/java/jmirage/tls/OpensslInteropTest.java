package jmirage.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.FlowError;
import jmirage.core.net.TcpListener;
import jmirage.host.HostRandom;
import jmirage.testkit.Command;
import jmirage.testkit.FlowBytes;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.PeerName;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interop with openssl on the host target (HostStack on loopback): openssl s_client against our
 * server, our client against openssl s_server, and the handshakes that must fail.
 */
@Tag("peer")
class OpensslInteropTest {

    static HostHarness host;
    static TestPki rsa;
    static TestPki ec;
    static TestPki other;
    static TestPki ed;
    @TempDir
    static Path dir;

    /** What our echo server saw: a failure, or the session of a connection it served. */
    static final LinkedBlockingQueue<Result<TlsSession, TlsFailure>> seen = new LinkedBlockingQueue<>();

    @BeforeAll
    static void setUp() throws Exception {
        host = new HostHarness();
        Instant now = Instant.now();
        rsa = TestPki.create(KeyType.RSA_2048, new HostRandom(), now);
        ec = TestPki.create(KeyType.EC_P256, new HostRandom(), now);
        other = TestPki.create(KeyType.EC_P256, new HostRandom(), now);
        ed = TestPki.create(KeyType.ED25519, new HostRandom(), now);
        for (var e : List.of(List.of("rsa", rsa), List.of("ec", ec), List.of("other", other), List.of("ed", ed))) {
            String n = (String) e.get(0);
            TestPki p = (TestPki) e.get(1);
            HostHarness.pem(dir, n + "-ca.pem", List.of(p.ca()));
            HostHarness.pem(dir, n + "-server.pem", p.server().chain());
            HostHarness.pem(dir, n + "-server-leaf.pem", List.of(p.server().leaf()));
            HostHarness.pem(dir, n + "-intermediate.pem", List.of(p.intermediate()));
            HostHarness.key(dir, n + "-server.key", p.server().key());
            HostHarness.pem(dir, n + "-client.pem", p.client().chain());
            HostHarness.key(dir, n + "-client.key", p.client().key());
        }
    }

    static TestPki pick(String name) {
        return switch (name) {
            case "rsa" -> rsa;
            case "ec" -> ec;
            case "ed" -> ed;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @AfterAll
    static void tearDown() throws Exception {
        host.close();
    }

    /** Our TLS echo server: answers "echo:" + the first chunk, then closes with close_notify. */
    static int startServer(TlsServerConfig config) throws Exception {
        seen.clear();
        Result<TcpListener, NetError> listener = host.await(() -> host.stack.listenTcp(0, flow ->
                TlsFlow.accept(flow, config, host.devices).onSuccess(r -> {
                    switch (r) {
                        case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> seen.add(Result.err(f));
                        case Result.Ok<TlsFlow, TlsFailure>(TlsFlow tls) -> {
                            seen.add(Result.ok(tls.session()));
                            tls.read().onSuccess(read -> {
                                if (read instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b))) {
                                    tls.write(Bytes.utf8("echo:").concat(b)).onSuccess(w -> tls.close());
                                } else {
                                    tls.close();
                                }
                            });
                        }
                    }
                })));
        return listener.orElseThrow().local().port();
    }

    static Ran sClient(int port, String version, String pki, boolean withClientCert) throws Exception {
        List<String> c = HostHarness.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-CAfile", dir.resolve(pki + "-ca.pem").toString(), "-verify_return_error", "-servername", "localhost",
                "-quiet");
        if (withClientCert) {
            c.addAll(List.of("-cert", dir.resolve(pki + "-client.pem").toString(),
                    "-cert_chain", dir.resolve(pki + "-intermediate.pem").toString(),
                    "-key", dir.resolve(pki + "-client.key").toString()));
        }
        return Command.of(c).stdin("hello\n").run();
    }

    /** The matrix both directions run: TLS version, key type, whether the client presents a certificate. */
    private static final String VERSION_KEY_CLIENT_CERTIFICATE = """
            -tls1_3, rsa, false
            -tls1_3, rsa, true
            -tls1_2, rsa, false
            -tls1_2, rsa, true
            -tls1_3, ec, false
            -tls1_3, ec, true
            -tls1_2, ec, false
            -tls1_2, ec, true
            -tls1_3, ed, false
            -tls1_3, ed, true
            -tls1_2, ed, false
            """;

    @ParameterizedTest(name = "s_client {0} {1} client certificate {2}")
    @CsvSource(textBlock = VERSION_KEY_CLIENT_CERTIFICATE)
    void opensslClientAgainstOurServer(String version, String pkiName, boolean clientCert) throws Exception {
        TestPki pki = pick(pkiName);
        TlsServerConfig config = TlsServerConfig.of(pki.server())
                .withClientAuth(clientCert ? ClientAuth.REQUIRED : ClientAuth.NONE, List.of(pki.ca()));
        int port = startServer(config);
        Ran run = sClient(port, version, pkiName, clientCert);
        assertTrue(run.out().contains("echo:hello"), "stdout: " + run.out() + "\nstderr: " + run.err());
        TlsSession session = seen.poll(10, TimeUnit.SECONDS).orElseThrow();
        assertEquals(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2", session.version());
        // OpenSSL's first choice, which we honour (client order): the suite the benchmark measures.
        assertEquals(version.equals("-tls1_3") ? "TLS_AES_256_GCM_SHA384"
                : pkiName.equals("rsa") ? "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                session.cipherSuite());
        assertEquals(clientCert ? pki.client().leaf() : null,
                session.peerChain().isEmpty() ? null : session.peerChain().get(0));
    }

    /**
     * Every AEAD suite we offer, forced from the openssl side, carries data both ways: the record
     * ciphers are the JDK's (RecordCrypto), checked here against OpenSSL's, not only against ours.
     */
    @ParameterizedTest(name = "s_client {0} {1}")
    @CsvSource(textBlock = """
            -tls1_3, -ciphersuites, TLS_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256
            -tls1_3, -ciphersuites, TLS_AES_256_GCM_SHA384, TLS_AES_256_GCM_SHA384
            -tls1_3, -ciphersuites, TLS_CHACHA20_POLY1305_SHA256, TLS_CHACHA20_POLY1305_SHA256
            -tls1_2, -cipher, ECDHE-ECDSA-AES128-GCM-SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            -tls1_2, -cipher, ECDHE-ECDSA-AES256-GCM-SHA384, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
            -tls1_2, -cipher, ECDHE-ECDSA-CHACHA20-POLY1305, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
            """)
    void everyAeadSuiteAgainstOpenssl(String version, String option, String opensslName, String ianaName) throws Exception {
        int port = startServer(TlsServerConfig.of(ec.server()));
        List<String> c = HostHarness.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, version, option, opensslName,
                "-CAfile", dir.resolve("ec-ca.pem").toString(), "-verify_return_error", "-servername", "localhost", "-quiet");
        Ran run = Command.of(c).stdin("hello\n").run();
        assertTrue(run.out().contains("echo:hello"), "stdout: " + run.out() + "\nstderr: " + run.err());
        assertEquals(ianaName, seen.poll(10, TimeUnit.SECONDS).orElseThrow().cipherSuite());
    }

    // ---- handshakes that must fail, each with its reason and no application data ----

    TlsFailure failureWith(TlsServerConfig config, String version, String clientPem, String clientKey) throws Exception {
        String chain = clientPem != null && clientPem.contains("other") ? "other-intermediate.pem" : "ec-intermediate.pem";
        return failureWith(config, version, clientPem, clientKey, dir.resolve(chain).toString());
    }

    TlsFailure failureWith(TlsServerConfig config, String version, String clientPem, String clientKey, String chain)
            throws Exception {
        int port = startServer(config);
        List<String> c = HostHarness.cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-CAfile", dir.resolve("ec-ca.pem").toString(), "-servername", "localhost", "-quiet");
        if (clientPem != null) {
            // s_client sends only the first certificate of -cert; the chain goes in -cert_chain.
            c.addAll(List.of("-cert", clientPem, "-cert_chain", chain, "-key", clientKey));
        }
        Ran run = Command.of(c).stdin("hello\n").run();
        assertFalse(run.out().contains("echo:"), "no application data on a failed handshake: " + run.out());
        Result<TlsSession, TlsFailure> r = seen.poll(10, TimeUnit.SECONDS);
        return ((Result.Err<TlsSession, TlsFailure>) r).error();
    }

    TlsServerConfig requiring() {
        return TlsServerConfig.of(ec.server()).withClientAuth(ClientAuth.REQUIRED, List.of(ec.ca()));
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3", "-tls1_2"})
    void noClientCertificateWhereRequired(String version) throws Exception {
        assertEquals(new TlsFailure.PeerCertificateMissing(), failureWith(requiring(), version, null, null));
    }

    @Test
    void clientCertificateFromAnotherCa() throws Exception {
        assertInstanceOf(PathFailure.NoTrustedPath.class,
                rejectionOf("-tls1_3", dir.resolve("other-client.pem"), dir.resolve("other-client.key")));
    }

    /** Why our server, requiring a client certificate, rejected the one s_client presented from {@code pem}. */
    PathFailure rejectionOf(String version, Path pem, Path key) throws Exception {
        TlsFailure f = failureWith(requiring(), version, pem.toString(), key.toString());
        return assertInstanceOf(TlsFailure.PeerCertificateRejected.class, f).reason();
    }

    /** A client certificate issued by ec's intermediate, with the given profile and validity. */
    Path[] clientCert(String name, X509.Profile profile, Instant from, Instant to) throws Exception {
        KeyPair k = KeyPair.generate(KeyType.EC_P256, new HostRandom());
        Certificate c = X509.issue(name, List.of(), List.of(), k.publicKey(), profile, from, to,
                ec.intermediate(), ec.intermediateKey(), new HostRandom());
        return new Path[] {HostHarness.pem(dir, name + ".pem", List.of(c, ec.intermediate())), HostHarness.key(dir, name + ".key", k)};
    }

    @Test
    void expiredClientCertificate() throws Exception {
        Instant now = Instant.now();
        Path[] c = clientCert("expired", new X509.Profile.Client(), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        assertInstanceOf(PathFailure.Expired.class, rejectionOf("-tls1_3", c[0], c[1]));
    }

    @Test
    void clientCertificateWithServerEku() throws Exception {
        Instant now = Instant.now();
        Path[] c = clientCert("wrong-eku", new X509.Profile.Server(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        assertInstanceOf(PathFailure.ExtendedKeyUsageForbids.class, rejectionOf("-tls1_2", c[0], c[1]));
    }

    @Test
    void caCertificateAsClientLeaf() throws Exception {
        Path pem = HostHarness.pem(dir, "ica-as-leaf.pem", List.of(ec.intermediate()));
        Path key = HostHarness.key(dir, "ica-as-leaf.key", ec.intermediateKey());
        assertInstanceOf(PathFailure.CaCertificateAsLeaf.class, rejectionOf("-tls1_3", pem, key));
    }

    @Test
    void selfSignedClientCertificate() throws Exception {
        KeyPair k = KeyPair.generate(KeyType.EC_P256, new HostRandom());
        Instant now = Instant.now();
        Certificate self = X509.selfSigned("self", List.of(), k, new X509.Profile.Client(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1)), new HostRandom());
        Path pem = HostHarness.pem(dir, "self.pem", List.of(self));
        Path key = HostHarness.key(dir, "self.key", k);
        assertInstanceOf(PathFailure.NoTrustedPath.class, rejectionOf("-tls1_3", pem, key));
    }

    /** 12 intermediates under ec's intermediate: Bouncy Castle stops at 10 certificates; reported as a typed rejection. */
    @Test
    void overlongClientChainIsATypedRejection() throws Exception {
        Instant now = Instant.now();
        HostRandom random = new HostRandom();
        List<Certificate> chain = new java.util.ArrayList<>();
        Certificate issuer = ec.intermediate();
        KeyPair issuerKey = ec.intermediateKey();
        for (int i = 0; i < 12; i++) {
            KeyPair k = KeyPair.generate(KeyType.EC_P256, random);
            Certificate c = X509.issue("long chain " + i, List.of(), List.of(), k.publicKey(),
                    new X509.Profile.Ca(java.util.OptionalInt.empty()), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                    issuer, issuerKey, random);
            chain.addFirst(c);
            issuer = c;
            issuerKey = k;
        }
        KeyPair leafKey = KeyPair.generate(KeyType.EC_P256, random);
        chain.addFirst(X509.issue("long chain leaf", List.of(), List.of(), leafKey.publicKey(), new X509.Profile.Client(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), issuer, issuerKey, random));
        chain.add(ec.intermediate());
        Path pem = HostHarness.pem(dir, "long-chain-leaf.pem", chain.subList(0, 1));
        Path rest = HostHarness.pem(dir, "long-chain-rest.pem", chain.subList(1, chain.size()));
        Path key = HostHarness.key(dir, "long-chain.key", leafKey);
        TlsFailure f = failureWith(requiring(), "-tls1_3", pem.toString(), key.toString(), rest.toString());
        assertInstanceOf(PathFailure.TooManyIntermediates.class, ((TlsFailure.PeerCertificateRejected) f).reason());
    }

    @Test
    void opensslTls10ClientIsRefused() throws Exception {
        // OpenSSL 3 disables TLS 1.0 at security level 1+; level 0 lets s_client send the hello.
        TlsFailure f = failureWith(TlsServerConfig.of(ec.server()), "-tls1", null, null);
        assertEquals(70, ((TlsFailure.AlertSent) f).alert(), f.describe());   // protocol_version
    }

    /** A minimal ClientHello with the given legacy version, no extensions (so no supported_versions). */
    static byte[] legacyClientHello(int major, int minor) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(major);
        body.write(minor);
        body.writeBytes(new byte[32]);                 // random
        body.write(0);                                  // session id
        body.writeBytes(new byte[] {0, 4, 0, 0x2f, 0, 0x35});   // TLS_RSA_WITH_AES_128/256_CBC_SHA
        body.writeBytes(new byte[] {1, 0});             // compression: null
        byte[] b = body.toByteArray();
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        hs.write(1);                                    // client_hello
        hs.write(0);
        hs.write(b.length >> 8);
        hs.write(b.length);
        hs.writeBytes(b);
        byte[] h = hs.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes(new byte[] {22, (byte) major, (byte) minor, (byte) (h.length >> 8), (byte) h.length});
        rec.writeBytes(h);
        return rec.toByteArray();
    }

    /** Sends raw bytes, returns what the server answered before closing. */
    static byte[] rawExchange(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            return s.getInputStream().readAllBytes();
        }
    }

    @ParameterizedTest(name = "legacy ClientHello {0}.{1}")
    @CsvSource({"3, 0", "3, 1", "3, 2"})
    void sslv3AndTls10And11HellosAreRefused(int major, int minor) throws Exception {
        int port = startServer(TlsServerConfig.of(ec.server()));
        byte[] answer = rawExchange(port, legacyClientHello(major, minor));
        // A single fatal alert record: protocol_version (RFC 8446 4.2.1, RFC 5246 E.1).
        assertEquals(7, answer.length, Bytes.of(answer).hex());
        assertEquals(21, answer[0]);
        assertEquals(2, answer[5]);
        assertEquals(70, answer[6]);
        TlsFailure f = ((Result.Err<TlsSession, TlsFailure>) seen.poll(10, TimeUnit.SECONDS)).error();
        assertEquals(70, ((TlsFailure.AlertSent) f).alert(), f.describe());
    }

    @Test
    void garbageBytesAreRefused() throws Exception {
        int port = startServer(TlsServerConfig.of(ec.server()));
        byte[] answer = rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        TlsFailure f = ((Result.Err<TlsSession, TlsFailure>) seen.poll(10, TimeUnit.SECONDS)).error();
        assertInstanceOf(TlsFailure.AlertSent.class, f);
        assertTrue(answer.length == 0 || answer[0] == 21, "only an alert comes back: " + Bytes.of(answer).hex());
    }

    // ---- our client against openssl s_server ----

    record Served(Started process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.stop();
        }
    }

    static Served sServer(String version, String pki, boolean requireClientCert) throws Exception {
        Sh.requireCommand("openssl", "openssl");
        AssertionError lastFailure = new AssertionError("openssl s_server was not started");
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = 20000 + new java.util.Random().nextInt(40000);
            List<String> c = HostHarness.cmd("openssl", "s_server", "-accept", "127.0.0.1:" + port, version, "-www",
                    "-cert", dir.resolve(pki + "-server-leaf.pem").toString(),
                    "-cert_chain", dir.resolve(pki + "-intermediate.pem").toString(),
                    "-key", dir.resolve(pki + "-server.key").toString());
            if (requireClientCert) {
                c.addAll(List.of("-Verify", "2", "-verify_return_error", "-CAfile", dir.resolve(pki + "-ca.pem").toString()));
            }
            Started p = Command.of(c).holdStdin().start(); // s_server ends its session at end of input
            try {
                p.awaitOutput("ACCEPT", Duration.ofSeconds(10));
                return new Served(p, port);
            } catch (AssertionError portTakenOrRefused) {
                p.stop();
                lastFailure = portTakenOrRefused;
            }
        }
        throw lastFailure;
    }

    Result<Bytes, TlsFailure> getFrom(int port, TlsClientConfig config) throws Exception {
        return host.await(() -> host.stack.connectTcp(new Endpoint(InetAddress.getLoopbackAddress(), port))
                .flatMap(conn -> TlsFlow.connect(conn.orElseThrow(), config, host.devices))
                .flatMap(tls -> switch (tls) {
                    case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> Promise.resolved(Result.<Bytes, TlsFailure>err(f));
                    case Result.Ok<TlsFlow, TlsFailure>(TlsFlow flow) -> flow.write(Bytes.utf8("GET / HTTP/1.0\r\n\r\n"))
                            .flatMap(w -> FlowBytes.readAll(flow))
                            .map(body -> Result.<Bytes, TlsFailure>ok(Bytes.utf8(flow.session().version() + "\n").concat(body)));
                }));
    }

    @ParameterizedTest(name = "our client against s_server {0} {1} client certificate {2}")
    @CsvSource(textBlock = VERSION_KEY_CLIENT_CERTIFICATE)
    void ourClientAgainstOpensslServer(String version, String pkiName, boolean clientCert) throws Exception {
        TestPki pki = pick(pkiName);
        try (Served server = sServer(version, pkiName, clientCert)) {
            TlsClientConfig config = TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost"));
            if (clientCert) {
                config = config.withClientCredentials(pki.client());
            }
            String answer = getFrom(server.port(), config).orElseThrow().toUtf8();
            assertTrue(answer.startsWith(version.equals("-tls1_3") ? "TLSv1.3\n" : "TLSv1.2\n"), answer);
            assertTrue(answer.contains("HTTP/1.0 200 ok"), answer);
        }
    }

    @Test
    void ourClientRejectsServerFromAnotherCa() throws Exception {
        assertInstanceOf(PathFailure.NoTrustedPath.class, ourClientsRejection("-tls1_3", "other", "localhost"));
    }

    @Test
    void ourClientRejectsWrongHostName() throws Exception {
        assertInstanceOf(PathFailure.NameMismatch.class, ourClientsRejection("-tls1_2", "ec", "not-localhost.test"));
    }

    /** Why our client, trusting ec's root and asking for {@code name}, rejected s_server's {@code serverPki} certificate. */
    PathFailure ourClientsRejection(String version, String serverPki, String name) throws Exception {
        try (Served server = sServer(version, serverPki, false)) {
            Result<Bytes, TlsFailure> r = getFrom(server.port(), TlsClientConfig.of(List.of(ec.ca()), new PeerName.Dns(name)));
            TlsFailure f = ((Result.Err<Bytes, TlsFailure>) r).error();
            return assertInstanceOf(TlsFailure.PeerCertificateRejected.class, f).reason();
        }
    }
}
