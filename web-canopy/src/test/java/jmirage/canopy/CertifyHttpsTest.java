package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.canopy.render.SampleBlog;
import jmirage.certify.Certify;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Metrics;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.CertifyPrimary;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with the certificate through DNS (--certify-*, decision 11) on the host target, as caldav's
 * test does it: a self-signed stand-in first, then, once the test (as the certify role, through
 * knotd) publishes a certificate for the CSR, that certificate, which openssl verifies with the
 * test's CA alone; the key and the certificate are kept in the secrets store, none in the content.
 */
@Tag("peer")
class CertifyHttpsTest {

    @TempDir
    Path dir;

    @Test
    void httpsServesTheCertificatePublishedInDnsWithItsKeyInTheSecretsStore() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        HostScheduler loop = HostScheduler.start("canopy-certify");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        Instant now = clock.now();
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("canopy certify test CA", caKey, now.minusSeconds(3600), now.plus(Duration.ofDays(1)),
                random);
        Path caFile = dir.resolve("testca.pem");
        Files.writeString(caFile, Pem.certificates(List.of(ca)));
        InetAddress address = InetAddress.ofLiteral("127.23.19.31");
        int httpsPort = 18443;
        try (CertifyPrimary knot = new CertifyPrimary(dir.resolve("knot"), "127.23.19.1", 5319)) {
            MemKv content = new MemKv(clock);
            MemKv secrets = new MemKv(clock);
            for (Map.Entry<Key, Bytes> file : SampleBlog.repository().snapshot().files().entrySet()) {
                OnLoop.await(loop, () -> content.set(file.getKey(), file.getValue())).orElseThrow();
            }
            Canopy canopy = new Canopy();
            Canopy.Parameters p = canopy.parameters();
            p.httpPort = 0;
            p.httpsPort = httpsPort;
            p.certify.server = "127.23.19.1:5319";
            p.certify.key = CertifyPrimary.certifyKey();
            p.certify.hostname = "www.example.org";
            HostStack stack = new HostStack(loop, address);
            Canopy.Devices devices = new Canopy.Devices(stack, content, Optional.empty(), Optional.empty(),
                    ConsoleLog.create("canopy", LogLevel.INFO, clock), clock, loop, random, new Metrics(), Optional.of(secrets));
            Unikernel.Running running = OnLoop.await(loop, () -> canopy.start(devices, p))
                    .orElseThrow(e -> new IllegalStateException("boot failed: " + e));
            assertFalse(verifies(sClient(address, httpsPort, caFile)), "the self-signed stand-in at first");
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> knot.csrs().size() == 1, "the CSR");
            Certificate issued = X509.signCsr(new Csr(knot.csrs().getFirst().data()), new X509.Profile.Server(),
                    now.minusSeconds(60), now.plus(Duration.ofHours(1)), ca, caKey, random).orElseThrow();
            knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, issued.der())));
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> verifies(sClient(address, httpsPort, caFile)),
                    "openssl verifying canopy's HTTPS with the test CA");
            var config = p.certify.config().orElseThrow().orElseThrow();
            CertifyPrimary.waitFor(Duration.ofSeconds(5), () -> onLoop(loop, () -> secrets.get(Certify.chainKey(config))),
                    "the certificate kept in the secrets store");
            assertTrue(onLoop(loop, () -> secrets.get(Certify.keyKey(config))), "the key in the secrets store");
            assertFalse(onLoop(loop, () -> content.get(Key.of("certify/www.example.org.key"))), "no key in the content");
            OnLoop.await(loop, running::stop);
            OnLoop.await(loop, stack::close);
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Whether the read on the loop finds the value. */
    private static boolean onLoop(HostScheduler loop, Supplier<Promise<Result<Bytes, KvError>>> read) {
        try {
            return OnLoop.await(loop, read).isOk();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verifies(Ran ran) {
        return ran.out().contains("Verify return code: 0 (ok)");
    }

    static Ran sClient(InetAddress address, int port, Path caFile) {
        return Command.of("openssl", "s_client", "-connect", address.getHostAddress() + ":" + port, "-servername",
                "www.example.org", "-verify_hostname", "www.example.org", "-CAfile", caFile.toString(), "-verify_return_error")
                .stdin("").timeout(Duration.ofSeconds(10)).run();
    }
}
