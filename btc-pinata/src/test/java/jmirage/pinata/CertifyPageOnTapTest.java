package jmirage.pinata;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.CertifyPrimary;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
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
 * The page's certificate through DNS on the tap target, from the same code as on the host: the
 * pinata on a DirectStack over a TAP device reaches knotd in the test's network namespace (the
 * Linux end of the link), and openssl there verifies the page with the test's CA. As root.
 */
@Tag("peer")
@Tag("root")
class CertifyPageOnTapTest {

    @TempDir
    Path dir;

    @Test
    void thePageOnTheTapTargetServesTheCertificatePublishedInDns() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        Sh.requireRootNetworking();
        TapLink link = TapLink.random("pcf", "pcfns", "10.117");
        link.create();
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        Instant now = clock.now();
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("pinata certify tap test CA", caKey, now.minusSeconds(3600),
                now.plus(Duration.ofDays(1)), random);
        Path caFile = dir.resolve("testca.pem");
        Files.writeString(caFile, Pem.certificates(List.of(ca)));
        TapDevice[] tap = new TapDevice[1];
        HostPinata pinata = null;
        try {
            // The pinata first: it brings the link up (knotd binds the namespace's end of it); its
            // first looks find nobody and are retried.
            pinata = HostPinata.on(InetAddress.ofLiteral(link.ourIp()), loop -> {
                var log = ConsoleLog.create("tap-pinata", LogLevel.WARN, clock);
                try {
                    tap[0] = TapDevice.open(link.tap(), Optional.empty(), loop, random, log)
                            .orElseThrow(e -> new IllegalStateException(e.describe()));
                    link.adoptTap();
                    return HostPinata.await(loop, () -> DirectStack.start(tap[0], new Ipv4Config.Static(link.ourPrefix(),
                            Optional.empty()), clock, loop, random, log)).orElseThrow();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "--test", "--http-port", "0", "--https-port", "8443", "--certify-server", link.linuxIp() + ":5320",
                    "--certify-key", CertifyPrimary.certifyKey(), "--certify-hostname", "www.example.org");
            try (CertifyPrimary knot = new CertifyPrimary(dir.resolve("knot"), link.linuxIp(), 5320, link::exec)) {
                CertifyPrimary.waitFor(Duration.ofSeconds(30), () -> knot.csrs().size() == 1, "the page's CSR over the TAP");
                Certificate issued = X509.signCsr(new Csr(knot.csrs().getFirst().data()), new X509.Profile.Server(),
                        now.minusSeconds(60), now.plus(Duration.ofHours(1)), ca, caKey, random).orElseThrow();
                knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, issued.der())));
                CertifyPrimary.waitFor(Duration.ofSeconds(30), () -> CertifyPageTest.verifies(sClient(link, caFile)),
                        "openssl in the namespace verifying the page with the test CA");
            }
        } finally {
            if (pinata != null) {
                pinata.stop();
                if (tap[0] != null) {
                    pinata.await(tap[0]::close);
                }
                pinata.close();
            }
            link.delete();
        }
    }

    static Ran sClient(TapLink link, Path caFile) {
        return Command.of(link.exec("openssl", "s_client", "-connect", link.ourIp() + ":8443", "-servername", "www.example.org",
                "-verify_hostname", "www.example.org", "-CAfile", caFile.toString(), "-verify_return_error"))
                .stdin("").timeout(Duration.ofSeconds(10)).run();
    }
}
