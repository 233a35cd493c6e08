package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
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
 * HTTPS with the certificate through DNS (--certify-*) on the host target: the self-signed pair
 * first, then, once the test (as the certify role, through knotd) publishes a certificate for the
 * CSR, that certificate, which openssl verifies with the test's CA alone.
 */
@Tag("peer")
class CertifyHttpsTest {

    @TempDir
    Path dir;

    @Test
    void httpsServesTheCertificatePublishedInDns() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        HostScheduler loop = HostScheduler.start("caldav-certify");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        Instant now = clock.now();
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("caldav certify test CA", caKey, now.minusSeconds(3600), now.plus(Duration.ofDays(1)),
                random);
        Path caFile = dir.resolve("testca.pem");
        Files.writeString(caFile, Pem.certificates(List.of(ca)));
        InetAddress address = InetAddress.ofLiteral("127.17.3.31");
        int httpsPort = 18443;
        try (CertifyPrimary knot = new CertifyPrimary(dir.resolve("knot"), "127.17.3.1", 5319)) {
            CalDav caldav = new CalDav();
            CalDav.Parameters p = caldav.parameters();
            p.httpsPort = httpsPort;
            p.certify.server = "127.17.3.1:5319";
            p.certify.key = CertifyPrimary.certifyKey();
            p.certify.hostname = "www.example.org";
            HostStack stack = new HostStack(loop, address);
            CalDav.Devices devices = new CalDav.Devices(stack, new MemKv(clock), Optional.empty(),
                    ConsoleLog.create("caldav", LogLevel.INFO, clock), clock, loop, random, new Metrics());
            Unikernel.Running running = OnLoop.await(loop, () -> caldav.start(devices, p))
                    .orElseThrow(e -> new IllegalStateException("boot failed: " + e));
            assertFalse(verifies(sClient(address, httpsPort, caFile)), "the self-signed pair at first");
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> knot.csrs().size() == 1, "the CSR");
            Certificate issued = X509.signCsr(new Csr(knot.csrs().getFirst().data()), new X509.Profile.Server(),
                    now.minusSeconds(60), now.plus(Duration.ofHours(1)), ca, caKey, random).orElseThrow();
            knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, issued.der())));
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> verifies(sClient(address, httpsPort, caFile)),
                    "openssl verifying CalDAV's HTTPS with the test CA");
            OnLoop.await(loop, running::stop);
            OnLoop.await(loop, stack::close);
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
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
