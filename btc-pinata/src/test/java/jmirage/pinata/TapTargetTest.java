package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same unikernel on the tap target: platform/net's DirectStack on a TAP device with its own MAC
 * and 10.81.N.2; openssl runs in a network namespace holding the Linux side (10.81.N.1). As root.
 */
@Tag("peer")
@Tag("root")
class TapTargetTest {

    private static final TapLink LINK = TapLink.random("pin", "pinns", "10.81");

    private static HostPinata pinata;
    private static TapDevice tap;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("socat", "socat");
        Sh.requireRootNetworking();
        LINK.create();
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        pinata = HostPinata.on(InetAddress.ofLiteral(LINK.ourIp()), loop -> {
            var log = ConsoleLog.create("tap-pinata", LogLevel.WARN, clock);
            try {
                tap = TapDevice.open(LINK.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
                LINK.adoptTap();
                Ipv4Config config = new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty());
                return HostPinata.await(loop, () -> DirectStack.start(tap, config, clock, loop, random, log)).orElseThrow();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "--test", "--http-port", "8080", "--https-port", "0");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pinata != null) {
                pinata.stop(); // closes the stack first: its last segments go out on the TAP
                if (tap != null) {
                    pinata.await(tap::close);
                }
                pinata.close();
                PositivePathTest.assertSecretNeverLogged(pinata);
            }
        } finally {
            LINK.delete();
        }
    }

    @Test
    void opensslInTheNamespaceGetsTheSecretFrom10000AndOtherCertificatesDoNot() throws Exception {
        Ran ok = Command.of(LINK.exec("openssl", "s_client", "-connect", LINK.ourIp() + ":10000",
                "-cert", TestPki.file("client.pem").toString(), "-key", TestPki.file("client.key").toString(), "-ign_eof")).timeout(Duration.ofSeconds(30)).run();
        assertTrue(pinata.containsSecret(ok.stdout()), () -> ok.out() + ok.err());
        Ran none = Command.of(LINK.exec("openssl", "s_client", "-connect", LINK.ourIp() + ":10000", "-ign_eof")).timeout(Duration.ofSeconds(30)).run();
        assertFalse(pinata.containsSecret(none.stdout()));
        pinata.awaitStats(s -> s.successes(Role.SERVER) >= 1 && s.failures(Role.SERVER, "no-certificate") >= 1,
                Duration.ofSeconds(10), () -> "one success and one refusal on 10000");
    }

    @Test
    void opensslServerInTheNamespaceGetsTheSecretThrough10001() throws Exception {
        long before = pinata.stats().successes(Role.CONNECT_BACK);
        try (Started server = Command.of(LINK.exec("openssl", "s_server", "-accept", LINK.linuxIp() + ":40001",
                "-cert", TestPki.file("server.pem").toString(), "-key", TestPki.file("server.key").toString(),
                "-naccept", "1", "-ign_eof")).holdStdin().start()) {
            server.awaitOutput("ACCEPT", Duration.ofSeconds(10));
            Ran knock = Command.of(LINK.exec("socat", "-u", "TCP:" + LINK.ourIp() + ":10001", "-")).timeout(Duration.ofSeconds(20)).run();
            assertEquals(0, knock.exit(), knock.err());
            pinata.awaitStats(s -> s.successes(Role.CONNECT_BACK) == before + 1, Duration.ofSeconds(20), () -> "a success on 10001");
            byte[] out = server.waitFor(Duration.ofSeconds(10)).stdout();
            assertTrue(pinata.containsSecret(out), () -> new String(out));
        }
    }

    @Test
    void thePageAnswersOnTheTapAddress() throws Exception {
        Ran page = Command.of(LINK.exec("curl", "-sS", "--max-time", "10", "http://" + LINK.ourIp() + ":8080/")).run();
        assertEquals(0, page.exit(), page.err());
        assertTrue(page.out().contains("<h1>BTC Pinata</h1>") && page.out().contains("TEST MODE"), page.out());
    }
}
