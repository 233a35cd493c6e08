package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's acceptance on the tap target: btc-pinata on its own stack at {@value #PINATA} over a
 * TAP device the test creates, whose Linux end {@value #LINUX} is where our dns-authoritative (host
 * target) listens, pebble on loopback beside it; the pinata publishes its CSR and reads its
 * certificate over the TAP, and openssl on the host verifies the page against pebble's root. As root.
 */
@Tag("peer")
@Tag("root")
class CertifyOnTapTargetTest {

    static final String TAP = "jmce5";
    static final String LINUX = "10.217.5.1";
    static final String PINATA = "10.217.5.2";

    @TempDir
    Path dir;

    @BeforeEach
    void createTheTap() {
        Sh.requireRootNetworking();
        Sh.quietly("ip", "link", "del", TAP);
        Sh.ok("ip", "tuntap", "add", "dev", TAP, "mode", "tap");
        Sh.ok("ip", "addr", "add", LINUX + "/24", "dev", TAP);
        Sh.ok("ip", "link", "set", TAP, "up");
    }

    @AfterEach
    void removeIt() {
        Sh.quietly("ip", "link", "del", TAP);
    }

    @Test
    void thePinataOnItsOwnStackServesAPebbleCertificateObtainedThroughDns() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        try (AcmeWorld world = AcmeWorld.start(dir, LINUX, Duration.ofDays(90), "pinata A " + PINATA);
                ChildLauncher pinata = new ChildLauncher(CertifyEndToEndTest.pinata(world, LINUX, "--target", "tap", "--tap", TAP,
                        "--ipv4", PINATA + "/24"))) {
            pinata.awaitLine("page certificate through DNS for [" + CertifyEndToEndTest.PINATA_NAME + "]");
            Ran verified = CertifyEndToEndTest.awaitVerified(PINATA, world, pinata);
            assertTrue(CertifyEndToEndTest.servedFor(verified, CertifyEndToEndTest.PINATA_NAME), verified.out());
            // the CSR came over the TAP, from the pinata's own address
            CertifyEndToEndTest.indexOf(world.history(), AcmeWorld.KEY_NAME + ": changed by " + AcmeWorld.KEY_NAME + " from " + PINATA);
            try (HttpsPage page = HttpsPage.open(PINATA, CertifyEndToEndTest.HTTPS_PORT, CertifyEndToEndTest.PINATA_NAME, world.root)) {
                assertEquals(200, page.get("/stats"));
            }
        }
    }
}
