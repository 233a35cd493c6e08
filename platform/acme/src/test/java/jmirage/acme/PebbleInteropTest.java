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
import jmirage.core.RecordingLog;
import jmirage.core.Result;
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
 * {@link StackTransport}) against a real pebble, whose DNS-01 lookups go to pebble-challtestsrv, which
 * is also the test's {@link Dns01} ({@link ChallTestSrv}). Pebble rejects nonces at random, so
 * badNonce retries happen for real.
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
    private ChallTestSrv challtestsrv;
    private Pebble pebble;
    private Path folder;

    @AfterEach
    void stop() throws Exception {
        if (pebble != null) {
            pebble.stop();
        }
        if (challtestsrv != null) {
            challtestsrv.close();
        }
        scheduler.shutdown(Duration.ofSeconds(5));
        if (folder != null) {
            Sh.quietly("rm", "-rf", folder.toString());
        }
    }

    @Test
    void issuesACertificateForTwoNamesThatChainsToPebblesRoot() throws Exception {
        // pebble refuses 30% of good nonces: the client's badNonce retries carry the run
        start(options -> options.withEnv("PEBBLE_WFE_NONCEREJECT", "30"));
        KeyPair accountKey = KeyPair.generate(KeyType.EC_P256, random);
        AcmeClient client = client(pebble.directoryUrl(), Optional.empty(), accountKey);
        List<Certificate> chain = issue(client, challtestsrv);

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
            assertEquals("", challtestsrv.txt("_acme-challenge." + name), "the challenge TXT of " + name + " is gone");
        }
        assertEquals(NAMES.size(), challtestsrv.cleared, "each published TXT cleared");
        assertTrue(records.stream().anyMatch(r -> r.message().contains("ACME certificate")), records.toString());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("badNonce, retrying")), records.toString());

        // RFC 8555 7.3.1: the same key again finds its account
        URI account = OnLoop.await(scheduler, () -> client.account(Optional.empty())).orElseThrow();
        AcmeClient again = client(pebble.directoryUrl(), Optional.empty(), accountKey);
        assertEquals(account, OnLoop.await(scheduler, () -> again.account(Optional.empty())).orElseThrow());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("ACME account " + account + " found")), records.toString());
    }

    @Test
    void reachesPebbleByNameThroughTheResolver() throws Exception {
        start(options -> options);
        // challtestsrv answers every A query with its default address, pebble's
        Endpoint resolver = new Endpoint(InetAddress.ofLiteral(DNS_IP), 8053);
        List<Certificate> chain = issue(client(pebble.directoryUrl(PEBBLE_NAME), Optional.of(resolver),
                KeyPair.generate(KeyType.EC_P256, random)), challtestsrv);
        assertTrue(chain.size() >= 2, chain.toString());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("ACME order https://" + PEBBLE_NAME + ":")),
                "pebble's URLs carry the name the client used: " + records);
    }

    @Test
    void aNameWithoutAResolverIsATransportErrorThatSaysSo() throws Exception {
        start(options -> options);
        AcmeClient client = client(pebble.directoryUrl(PEBBLE_NAME), Optional.empty(), KeyPair.generate(KeyType.EC_P256, random));
        Result<URI, AcmeError> account = OnLoop.await(scheduler, () -> client.account(Optional.empty()));
        assertTrue(account instanceof Result.Err<URI, AcmeError>(AcmeError.Transport(String reason))
                && reason.contains("no resolver is configured"), account.toString());
    }

    private void start(java.util.function.UnaryOperator<Pebble.Options> options) throws Exception {
        Sh.requireCommand("openssl", "openssl");
        folder = Files.createTempDirectory("acme-interop");
        // every A query answered with pebble's address, for the client that reaches it by name
        challtestsrv = ChallTestSrv.start(DNS_IP, PEBBLE_IP, Optional.empty(), scheduler);
        pebble = Pebble.start(options.apply(Pebble.Options.of(PEBBLE_IP, challtestsrv.dnsServer()).withPorts(14200, 15200)
                .withHostNames(List.of(PEBBLE_NAME))));
    }

    private AcmeClient client(URI directory, Optional<Endpoint> resolver, KeyPair accountKey) {
        Certificate anchor = Pem.readCertificates(pebble.tlsCertificatePem()).orElseThrow().getFirst();
        HostStack stack = new HostStack(scheduler, InetAddress.ofLiteral("127.17.1.1"));
        StackTransport transport = new StackTransport(stack, scheduler, clock, random, List.of(anchor), resolver,
                Duration.ofSeconds(10));
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

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.resolve(name), text);
    }
}
