package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Pebble;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client on the host target (HostStack, the platform's TLS and HTTP client, through
 * {@link StackTransport}) against a real pebble, whose DNS-01 lookups go to pebble-challtestsrv; the
 * test's {@link Dns01} sets and clears the TXT through challtestsrv's management API. Pebble rejects
 * 5% of nonces, so badNonce retries happen for real.
 */
@Tag("peer")
class PebbleInteropTest {

    private static final String PEBBLE_IP = "127.17.1.20";
    private static final String DNS_IP = "127.17.1.21";
    private static final String PEBBLE_NAME = "pebble.acme.test";
    private static final List<String> NAMES = List.of("a.acme.test", "b.acme.test");

    private final HostScheduler scheduler = HostScheduler.start("acme-interop");
    private final HostClock clock = new HostClock();
    private final HostRandom random = new HostRandom();
    private final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Started challtestsrv;
    private Pebble pebble;
    private Path folder;

    @AfterEach
    void stop() throws Exception {
        if (pebble != null) {
            pebble.stop();
        }
        if (challtestsrv != null) {
            challtestsrv.stop();
        }
        scheduler.shutdown(Duration.ofSeconds(5));
        if (folder != null) {
            Sh.quietly("rm", "-rf", folder.toString());
        }
    }

    @Test
    void issuesACertificateForTwoNamesThatChainsToPebblesRoot() throws Exception {
        start();
        ChallengeServer dns01 = new ChallengeServer();
        List<Certificate> chain = issue(client(pebble.directoryUrl(), Optional.empty()), dns01);

        Path leaf = write("leaf.pem", Pem.certificates(List.of(chain.getFirst())));
        Path root = write("root.pem", pebble.rootPem());
        Path intermediate = write("intermediate.pem", pebble.intermediatePem());
        Ran verified = Command.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(),
                leaf.toString()).run();
        assertTrue(verified.succeeded() && verified.out().contains(": OK"), verified.describe());
        String sans = Command.of("openssl", "x509", "-in", leaf.toString(), "-noout", "-ext", "subjectAltName").run().ok().out();
        assertTrue(sans.contains("DNS:a.acme.test") && sans.contains("DNS:b.acme.test"), sans);
        assertTrue(chain.size() >= 2, "the chain holds the intermediate: " + chain.size());

        for (String name : NAMES) {
            String left = Command.of("dig", "@" + DNS_IP, "-p", "8053", "+short", "TXT", "_acme-challenge." + name).run().ok().out();
            assertEquals("", left.strip(), "the challenge TXT of " + name + " is gone");
        }
        assertEquals(NAMES.size(), dns01.cleared, "each published TXT cleared");
        assertTrue(records.stream().anyMatch(r -> r.message().contains("ACME certificate")), records.toString());
    }

    @Test
    void reachesPebbleByNameThroughTheResolver() throws Exception {
        start();
        // challtestsrv answers every A query with its default address, pebble's
        Endpoint resolver = new Endpoint(InetAddress.ofLiteral(DNS_IP), 8053);
        List<Certificate> chain = issue(client(pebble.directoryUrl(PEBBLE_NAME), Optional.of(resolver)), new ChallengeServer());
        assertTrue(chain.size() >= 2, chain.toString());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("ACME order https://" + PEBBLE_NAME + ":")),
                "pebble's URLs carry the name the client used: " + records);
    }

    @Test
    void aNameWithoutAResolverIsATransportErrorThatSaysSo() throws Exception {
        start();
        AcmeClient client = client(pebble.directoryUrl(PEBBLE_NAME), Optional.empty());
        Result<URI, AcmeError> account = OnLoop.await(scheduler, () -> client.account(Optional.empty()));
        assertTrue(account instanceof Result.Err<URI, AcmeError>(AcmeError.Transport(String reason))
                && reason.contains("no resolver is configured"), account.toString());
    }

    private void start() throws Exception {
        Sh.requireCommand("pebble-challtestsrv", "pebble");
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("dig", "dnsutils");
        folder = Files.createTempDirectory("acme-interop");
        challtestsrv = Command.of("pebble-challtestsrv", "-dns01", DNS_IP + ":8053", "-management", DNS_IP + ":8055",
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", "").start();
        awaitManagement();
        pebble = Pebble.start(Pebble.Options.of(PEBBLE_IP, DNS_IP + ":8053").withPorts(14200, 15200)
                .withHostNames(List.of(PEBBLE_NAME)));
    }

    private AcmeClient client(URI directory, Optional<Endpoint> resolver) {
        Certificate anchor = Pem.readCertificates(pebble.tlsCertificatePem()).orElseThrow().getFirst();
        HostStack stack = new HostStack(scheduler, InetAddress.ofLiteral("127.17.1.1"));
        StackTransport transport = new StackTransport(stack, scheduler, clock, random, List.of(anchor), resolver,
                Duration.ofSeconds(10));
        KeyPair accountKey = KeyPair.generate(KeyType.EC_P256, random);
        RecordingLog log = new RecordingLog("acme", LogLevel.INFO, clock, records::add);
        return AcmeClient.create(transport, directory, accountKey, scheduler, clock, log,
                new AcmeClient.Limits(Duration.ofSeconds(10), 10, Duration.ofMillis(200), Duration.ofSeconds(5), 100,
                        Duration.ofSeconds(60)));
    }

    private List<Certificate> issue(AcmeClient client, Dns01 dns01) throws Exception {
        KeyPair serviceKey = KeyPair.generate(KeyType.EC_P256, random);
        Csr csr = X509.csr(NAMES.getFirst(), NAMES, serviceKey, random);
        Result<List<Certificate>, AcmeError> issued = OnLoop.await(scheduler, () -> client.issue(csr, NAMES, dns01),
                Duration.ofSeconds(90));
        if (issued instanceof Result.Err<List<Certificate>, AcmeError>(AcmeError e)) {
            throw new AssertionError(e.describe() + "\nlog: " + records + "\npebble: " + pebble.output());
        }
        return issued.orElseThrow();
    }

    /** Waits until challtestsrv's management interface answers, setting its answer to every A query: pebble's address. */
    private void awaitManagement() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (management("/set-default-ipv4", "{\"ip\":\"" + PEBBLE_IP + "\"}").succeeded()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pebble-challtestsrv did not answer: " + challtestsrv.out() + challtestsrv.err());
    }

    private static Ran management(String path, String json) {
        return Command.of("curl", "-sS", "--fail", "--max-time", "5", "-d", json, "http://" + DNS_IP + ":8055" + path).run();
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.resolve(name), text);
    }

    /** The test's DNS-01 answer: challtestsrv's /set-txt and /clear-txt, run off the loop. */
    private final class ChallengeServer implements Dns01 {
        int cleared;

        @Override
        public Promise<Result<Unit, String>> publish(String identifier, String value) {
            return call("/set-txt", "{\"host\":\"_acme-challenge." + identifier + ".\",\"value\":\"" + value + "\"}");
        }

        @Override
        public Promise<Result<Unit, String>> remove(String identifier, String value) {
            return call("/clear-txt", "{\"host\":\"_acme-challenge." + identifier + ".\"}").map(r -> {
                if (r.isOk()) {
                    cleared++;
                }
                return r;
            });
        }

        private Promise<Result<Unit, String>> call(String path, String json) {
            return scheduler.detach(() -> management(path, json)).map(ran -> ran.succeeded()
                    ? Result.<Unit, String>ok(Unit.UNIT)
                    : Result.<Unit, String>err(ran.describe()));
        }
    }
}
