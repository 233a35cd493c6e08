package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.Kv;
import jmirage.core.net.Endpoint;
import jmirage.core.net.TcpListener;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.kv.MemKv;
import jmirage.testkit.CertifyPrimary;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certify client against knotd on loopback, the test playing the certify role (reads the CSR
 * with dig, signs it with its CA, publishes with nsupdate): key made and kept, CSR published, the
 * certificate served, a renewal swapped in under an open connection, another key's certificate
 * ignored, and a restart serving the kept certificate and key at once.
 */
@Tag("peer")
class CertifyKnotTest {

    static final String KNOT_ADDRESS = "127.17.3.1";
    static final int KNOT_PORT = 5317;

    @TempDir
    Path dir;

    @Test
    void theCertificateComesThroughDnsIsRenewedWithoutDroppingAConnectionAndIsKeptAcrossARestart() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        HostScheduler loop = HostScheduler.start("certify-knot");
        List<String> logged = new CopyOnWriteArrayList<>();
        try (CertifyPrimary knot = new CertifyPrimary(dir.resolve("knot"), KNOT_ADDRESS, KNOT_PORT)) {
            HostClock clock = new HostClock();
            HostRandom random = new HostRandom();
            TestCa ca = TestCa.create(random, clock.now());
            Files.writeString(dir.resolve("root.pem"), Pem.certificates(List.of(ca.root())));
            HostStack stack = new HostStack(loop, InetAddress.ofLiteral("127.17.3.2"));
            Kv kv = new MemKv(clock);
            RecordingLog log = new RecordingLog("test", LogLevel.INFO, clock, r -> logged.add(r.message()));
            Certify.Devices devices = new Certify.Devices(stack, loop, clock, random, kv, log);
            CertifyOptions options = new CertifyOptions();
            options.server = KNOT_ADDRESS + ":" + KNOT_PORT;
            options.key = CertifyPrimary.certifyKey();
            options.hostname = "www.example.org";
            CertifyConfig config = options.config().orElseThrow().orElseThrow();
            Credentials fallback = SelfSigned.make(random, clock.now(), List.of("www.example.org"));

            Certify certify = OnLoop.await(loop, () -> Certify.start(devices, config, fallback)).orElseThrow();
            assertEquals(fallback, onLoop(loop, () -> certify.slot().current()), "the fallback until a certificate comes");
            assertTrue(OnLoop.await(loop, () -> kv.get(Certify.keyKey(config))).isOk(), "the key is kept");

            TlsDevices tls = new TlsDevices(loop, clock, random);
            HttpServer server = new HttpServer(loop, clock, log, ServerConfig.defaults(),
                    request -> Promise.resolved(HttpResponse.text(200, "hello\n")));
            TcpListener listener = OnLoop.await(loop, () -> server.listenTls(stack, 0,
                    certify.slot().serverConfig(TlsServerConfig::of), tls)).orElseThrow();
            Endpoint https = listener.local();

            // The CSR appears, for our key.
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> knot.csrs().size() == 1, "the CSR at " + CertifyPrimary.RECORDS);
            Csr csr = new Csr(knot.csrs().getFirst().data());
            assertEquals(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(certify.key().publicKey()),
                    new PKCS10CertificationRequest(csr.der().toArray()).getSubjectPublicKeyInfo());

            // The CA issues; the certificate is served, with the chain.
            Instant now = clock.now();
            Certificate first = ca.sign(csr, now.minusSeconds(60), now.plusSeconds(40));
            knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, first.der()), new CertifyPrimary.Tlsa(0, 0, 0, ca.intermediate().der())));
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> leafServed(loop, certify).equals(Optional.of(first)),
                    "the first certificate in the slot");
            assertEquals(List.of(first, ca.intermediate()), onLoop(loop, () -> certify.slot().current().chain()));
            Ran verified = sClient(https, dir.resolve("root.pem"));
            assertTrue(verified.out().contains("Verify return code: 0 (ok)"), verified::output);

            HttpsProbe open = OnLoop.await(loop, () -> HttpsProbe.open(stack, loop, tls, https, ca.root(), "www.example.org"));
            assertEquals(first, open.leaf());
            assertEquals(200, OnLoop.await(loop, open::get));

            // A renewal from the same CSR, and a certificate for another key that expires later still.
            KeyPair other = KeyPair.generate(KeyType.EC_P256, random);
            Certificate stranger = ca.issue(List.of("www.example.org"), other, now.minusSeconds(60), now.plusSeconds(3600));
            Certificate renewed = ca.sign(csr, now.minusSeconds(10), now.plusSeconds(120));
            knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, stranger.der()), new CertifyPrimary.Tlsa(3, 0, 0, renewed.der())));
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> leafServed(loop, certify).equals(Optional.of(renewed)),
                    "the renewed certificate swapped in");
            assertEquals(200, OnLoop.await(loop, open::get), "the open connection survives the swap");
            assertEquals(first, open.leaf());
            HttpsProbe fresh = OnLoop.await(loop, () -> HttpsProbe.open(stack, loop, tls, https, ca.root(), "www.example.org"));
            assertEquals(renewed, fresh.leaf());
            assertTrue(logged.stream().anyMatch(m -> m.contains("ignoring the certificate") && m.contains("not ours")
                    && m.contains(stranger.serial().toString(16))), () -> String.join("\n", logged));

            // A restart with the same store: the same key, the kept certificate at once, no new CSR.
            OnLoop.run(loop, certify::stop);
            Certify again = OnLoop.await(loop, () -> Certify.start(devices, config, fallback)).orElseThrow();
            assertEquals(Pem.privateKeyDer(certify.key()), Pem.privateKeyDer(again.key()), "the same key");
            assertEquals(renewed, onLoop(loop, () -> again.slot().current().leaf()), "the kept certificate, before any look");
            CertifyPrimary.waitFor(Duration.ofSeconds(10), () -> onLoop(loop, again::looks) >= 1, "a look after the restart");
            assertEquals(1, logged.stream().filter(m -> m.startsWith("published the CSR")).count(), () -> String.join("\n", logged));
            assertEquals(List.of(csr.der()), knot.csrs().stream().map(CertifyPrimary.Tlsa::data).toList(), "the same CSR stays");
            OnLoop.run(loop, again::stop);
            OnLoop.await(loop, stack::close);
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    static Optional<Certificate> leafServed(HostScheduler loop, Certify certify) {
        return onLoop(loop, () -> certify.certified().map(Credentials::leaf));
    }

    static <T> T onLoop(HostScheduler loop, Supplier<T> read) {
        try {
            return OnLoop.await(loop, () -> Promise.resolved(read.get()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Ran sClient(Endpoint at, Path caFile) {
        return Command.of("openssl", "s_client", "-connect", at.address().getHostAddress() + ":" + at.port(), "-servername",
                "www.example.org", "-verify_hostname", "www.example.org", "-CAfile", caFile.toString(),
                "-verify_return_error").stdin("").run();
    }
}
