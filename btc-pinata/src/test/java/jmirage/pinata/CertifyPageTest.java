package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.host.HostRandom;
import jmirage.host.HostStack;
import jmirage.testkit.CertifyPrimary;
import jmirage.testkit.Command;
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
 * The page over HTTPS with its certificate through DNS (--certify-*): against knotd on loopback,
 * the test signing the published CSR with its own CA; openssl verifies the page's certificate with
 * that CA alone, while the bounty's ports keep the pinata's CA.
 */
@Tag("peer")
class CertifyPageTest {

    @TempDir
    Path dir;

    @Test
    void thePageServesTheCertificatePublishedInDns() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        HostRandom random = new HostRandom();
        Instant now = Instant.now();
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("pinata certify test CA", caKey, now.minusSeconds(3600), now.plus(Duration.ofDays(1)),
                random);
        Path caFile = dir.resolve("testca.pem");
        Files.writeString(caFile, Pem.certificates(List.of(ca)));
        InetAddress address = InetAddress.ofLiteral("127.17.3.21");
        try (CertifyPrimary knot = new CertifyPrimary(dir.resolve("knot"), "127.17.3.1", 5318);
                HostPinata pinata = HostPinata.on(address, loop -> new HostStack(loop, address), "--test",
                        "--certify-server", "127.17.3.1:5318", "--certify-key", CertifyPrimary.certifyKey(),
                        "--certify-hostname", "www.example.org")) {
            assertFalse(verifies(sClient(address, pinata.httpsPort, caFile)), "the pinata's own certificate at first");
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> knot.csrs().size() == 1, "the page's CSR");
            Csr csr = new Csr(knot.csrs().getFirst().data());
            Certificate issued = X509.signCsr(csr, new X509.Profile.Server(), now.minusSeconds(60), now.plus(Duration.ofHours(1)),
                    ca, caKey, random).orElseThrow();
            knot.publish(List.of(new CertifyPrimary.Tlsa(3, 0, 0, issued.der())));
            CertifyPrimary.waitFor(Duration.ofSeconds(20), () -> verifies(sClient(address, pinata.httpsPort, caFile)),
                    "openssl verifying the page with the test CA");
            Ran page = sClient(address, pinata.httpsPort, caFile);
            assertTrue(page.out().contains("CN=www.example.org") || page.out().contains("CN = www.example.org"), page::out);
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
