package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's acceptance on the host target, every piece a child JVM or a real peer on loopback
 * (127.17.5.0/24): pebble issues, our dns-authoritative answers its DNS-01 challenges and publishes
 * the certificates, and a unikernel started with {@code --certify-server}, {@code --certify-key} and
 * {@code --certify-hostname} serves within seconds a certificate that openssl verifies against
 * pebble's root; the zone's git history shows each step; a short-lived certificate is renewed and
 * swapped in while a connection opened before stays usable. The CalDAV server's HTTPS gets its
 * certificate the same way, and serves it at once after a restart.
 */
@Tag("peer")
class CertifyEndToEndTest {

    static final String DNS = "127.17.5.1";
    static final String PINATA = "127.17.5.3";
    static final String PINATA_NAME = "pinata.example.test";
    static final int HTTPS_PORT = 8443;
    static final String CALDAV = "127.17.5.4";
    static final String CALDAV_NAME = "cal.example.test";
    /** How long the first certificate may take: the client's first looks are 2, 4, 8 s apart. */
    static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void thePinataPageServesAPebbleCertificateObtainedThroughDnsAndTheZoneHistoryShowsEachStep() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("dig", "bind9-dnsutils");
        try (AcmeWorld world = AcmeWorld.start(dir, DNS, Duration.ofDays(90), "pinata A " + PINATA);
                ChildLauncher pinata = new ChildLauncher(pinata(world, DNS, "--listen", PINATA))) {
            pinata.awaitLine("page certificate through DNS for [" + PINATA_NAME + "]");
            Ran verified = awaitVerified(PINATA, world, pinata);
            assertTrue(servedFor(verified, PINATA_NAME), verified.out());
            X509Certificate leaf;
            try (HttpsPage page = HttpsPage.open(PINATA, HTTPS_PORT, PINATA_NAME, world.root)) {
                assertEquals(200, page.get("/"));
                leaf = page.leaf();
            }
            assertEquals(List.of(List.of(2, PINATA_NAME)), List.copyOf(leaf.getSubjectAlternativeNames()).stream()
                    .map(List::copyOf).toList());

            // each step one commit, in order: the CSR by the unikernel's key, the challenge in, out, the certificate
            List<String> history = world.history();
            String serial = leaf.getSerialNumber().toString(16);
            // from: the host's choice of source address towards the server (127.0.0.1 on loopback)
            int csr = indexOf(history, AcmeWorld.KEY_NAME + ": changed by " + AcmeWorld.KEY_NAME + " from ");
            int challenge = indexOf(history, "certify: certify: challenge for " + PINATA_NAME);
            int removed = indexOf(history, "certify: certify: challenge for " + PINATA_NAME + " removed");
            int certificate = indexOf(history, "certify: certify: certificate for " + PINATA_NAME + ", serial " + serial + ",");
            assertTrue(0 < csr && csr < challenge && challenge < removed && removed < certificate,
                    "commits in order CSR, challenge, removed, certificate: " + history);
            assertFalse(world.zoneFile().contains("_acme-challenge"), world.zoneFile());
            Ran txt = Command.of("dig", "@" + DNS, "-p", Integer.toString(AcmeWorld.DNS_PORT), "+norec", "+time=3",
                    "_acme-challenge." + PINATA_NAME, "TXT").run().ok();
            assertTrue(txt.out().contains("status: NXDOMAIN") && txt.out().contains("ANSWER: 0"), txt.out());
        }
    }

    @Test
    void aRenewedCertificateIsSwappedInAndAConnectionOpenedBeforeStaysUsable() throws Exception {
        // 30 s certificates: the server renews at two thirds of their life, the unikernel looks every tenth of what is left
        try (AcmeWorld world = AcmeWorld.start(dir, DNS, Duration.ofSeconds(30), "pinata A " + PINATA);
                ChildLauncher pinata = new ChildLauncher(pinata(world, DNS, "--listen", PINATA))) {
            pinata.awaitLine("page certificate through DNS for [" + PINATA_NAME + "]");
            awaitVerified(PINATA, world, pinata);
            try (HttpsPage before = HttpsPage.open(PINATA, HTTPS_PORT, PINATA_NAME, world.root)) {
                X509Certificate first = before.leaf();
                X509Certificate renewed = first;
                long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                // a request every 2 s keeps the connection in use (the page closes one idle for 10 s)
                while (renewed.getSerialNumber().equals(first.getSerialNumber()) && System.nanoTime() < deadline) {
                    Thread.sleep(2000);
                    assertEquals(200, before.get("/stats"), "the connection opened before the renewal");
                    try (HttpsPage fresh = HttpsPage.open(PINATA, HTTPS_PORT, PINATA_NAME, world.root)) {
                        renewed = fresh.leaf();
                    }
                }
                assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber(), "no renewal within 45 s:\n" + pinata.output()
                        + world.output());
                assertTrue(renewed.getNotAfter().after(first.getNotAfter()), first.getNotAfter() + " then " + renewed.getNotAfter());
                assertEquals(200, before.get("/"), "the connection opened before the swap, after it");
                assertEquals(first.getSerialNumber(), before.leaf().getSerialNumber());
                assertTrue(pinata.output().contains("swapped in the renewed certificate CN=" + PINATA_NAME + " serial "
                        + renewed.getSerialNumber().toString(16)), pinata.output());
                // the renewal is one more commit, from the same CSR (no second update by the unikernel)
                List<String> history = world.history();
                String certificate = "certify: certify: certificate for " + PINATA_NAME + ", serial ";
                assertTrue(indexOf(history, certificate + first.getSerialNumber().toString(16) + ",")
                        < indexOf(history, certificate + renewed.getSerialNumber().toString(16) + ","), history::toString);
                assertEquals(1, history.stream().filter(c -> c.startsWith(AcmeWorld.KEY_NAME + ": ")).count(), history::toString);
            }
        }
    }

    @Test
    void theCalDavServerServesAPebbleCertificateObtainedThroughDnsAndAfterARestartAtOnce() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        Path store = Files.createDirectories(dir.resolve("caldav"));
        try (AcmeWorld world = AcmeWorld.start(dir, DNS, Duration.ofDays(90), "cal A " + CALDAV)) {
            String[] caldav = {"run", "caldav", "--listen", CALDAV, "--https-port", Integer.toString(HTTPS_PORT), "--kv", "dir:" + store,
                    "--certify-server", DNS + ":" + AcmeWorld.DNS_PORT, "--certify-key", world.certifyKey(), "--certify-hostname", CALDAV_NAME};
            BigInteger serial;
            try (ChildLauncher first = new ChildLauncher(caldav)) {
                Ran verified = awaitVerified(CALDAV, HTTPS_PORT, CALDAV_NAME, world, first);
                assertTrue(servedFor(verified, CALDAV_NAME), verified.out());
                try (HttpsPage https = HttpsPage.open(CALDAV, HTTPS_PORT, CALDAV_NAME, world.root)) {
                    assertEquals(401, https.get("/calendars/"), "CalDAV itself answers over it (asking for a login)");
                    serial = https.leaf().getSerialNumber();
                }
                assertEquals(0, first.terminate(), first.output());
            }
            List<String> history = world.history();
            // a restart serves the kept certificate from its first connection, and asks for nothing again
            try (ChildLauncher second = new ChildLauncher(caldav)) {
                second.awaitLine("serving the kept certificate CN=" + CALDAV_NAME + " serial " + serial.toString(16));
                second.awaitLine("https " + HTTPS_PORT);
                Ran verified = sClient(CALDAV, HTTPS_PORT, CALDAV_NAME, world.root);
                assertTrue(verified.out().contains("Verify return code: 0 (ok)"), verified.out());
                try (HttpsPage https = HttpsPage.open(CALDAV, HTTPS_PORT, CALDAV_NAME, world.root)) {
                    assertEquals(serial, https.leaf().getSerialNumber());
                }
                Thread.sleep(2500); // the first look at the records, 2 s after boot, finds the certificate current
                assertEquals(history, world.history(), "no new CSR, order or certificate:\n" + second.output());
                assertFalse(second.output().contains("published the CSR"), second.output());
            }
        }
    }

    /**
     * btc-pinata in test mode, its page over HTTPS only, its certificate through DNS for
     * {@value #PINATA_NAME} from the server at {@code dns}; {@code where}: its target parameters.
     */
    static String[] pinata(AcmeWorld world, String dns, String... where) {
        List<String> args = new ArrayList<>(List.of("run", "btc-pinata"));
        args.addAll(List.of(where));
        args.addAll(List.of("--test", "--kv", "mem", "--http-port", "0", "--https-port", Integer.toString(HTTPS_PORT),
                "--certify-server", dns + ":" + AcmeWorld.DNS_PORT, "--certify-key", world.certifyKey(),
                "--certify-hostname", PINATA_NAME));
        return args.toArray(String[]::new);
    }

    /** openssl s_client verifying the certificate at {@code address:port} for {@code name} against pebble's root. */
    static Ran sClient(String address, int port, String name, Path root) {
        return Command.of("openssl", "s_client", "-connect", address + ":" + port, "-servername", name, "-verify_hostname", name,
                "-CAfile", root.toString(), "-verify_return_error").stdin("").timeout(Duration.ofSeconds(10)).run();
    }

    /** The pinata's page, once openssl verifies it: {@link #awaitVerified(String, int, String, AcmeWorld, ChildLauncher)}. */
    static Ran awaitVerified(String address, AcmeWorld world, ChildLauncher unikernel) throws InterruptedException {
        return awaitVerified(address, HTTPS_PORT, PINATA_NAME, world, unikernel);
    }

    /**
     * Tries openssl until it verifies the certificate for {@code name} (the unikernel's own, until
     * then, does not), {@link #WITHIN} at most.
     */
    static Ran awaitVerified(String address, int port, String name, AcmeWorld world, ChildLauncher unikernel)
            throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        List<String> tries = new ArrayList<>();
        while (true) {
            Ran ran = sClient(address, port, name, world.root);
            if (ran.exit() == 0 && ran.out().contains("Verify return code: 0 (ok)")) {
                return ran;
            }
            tries.add(ran.err().lines().filter(l -> l.contains("verify") || l.contains("error")).findFirst().orElse(ran.describe()));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("openssl did not verify " + name + " at " + address + ":" + port + " within "
                        + WITHIN.toSeconds() + " s: " + tries + "\nunikernel:\n" + unikernel.output() + "\n" + world.output());
            }
            Thread.sleep(500);
        }
    }

    /** Whether openssl saw a certificate whose subject is CN={@code name}. */
    static boolean servedFor(Ran sClient, String name) {
        return sClient.out().matches("(?s).*subject=\\s*CN\\s*=\\s*" + name.replace(".", "\\.") + "\\b.*");
    }

    static int indexOf(List<String> history, String prefix) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no commit '" + prefix + "...' in " + history);
    }
}
