package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.authoritative.store.SampleZone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.git.GitKv;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Pebble;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's acceptance, end to end on loopback (host target): the server with the certify role,
 * zones in git, pebble as the ACME server validating DNS-01 against our server; a CSR made by
 * {@code openssl req} and published by {@code nsupdate} becomes, within seconds, a certificate at the
 * same name that chains to pebble's root ({@code openssl verify}), covers the CSR's names and key;
 * the challenge TXT is gone; git shows each step. Refusals: a name outside the zones, a key without
 * the right, a CSR whose signature does not verify; pebble down (retried with backoff, then issued).
 */
@Tag("peer")
class PebbleEndToEndTest {

    static final String DNS = "127.17.2.1";
    static final int PORT = 25353;
    static final String PEBBLE = "127.17.2.10";
    static final String UPDATE_KEY = "hmac-sha256:test._update.example.test:" + SampleZone.TEST_SECRET;
    static final String OTHER_SECRET = "b3RoZXIgem9uZSBrZXkgZm9yIHRoZSBjZXJ0aWZ5IHRlc3Q=";
    static final String OTHER_ZONE = """
            $ORIGIN other.test.
            @ 3600 SOA ns hostmaster 1 3600 900 604800 300
            @ 3600 NS ns
            ns 3600 A 192.0.2.2
            """;

    /** The unikernel on 127.17.2.1, its zones in a git repository. */
    static final class Server implements AutoCloseable {
        final HostScheduler scheduler = HostScheduler.start("certify-e2e");
        final List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        final HostStack stack;
        final GitKv kv;
        final Unikernel.Running running;

        Server(Path repo, Map<String, String> files, AuthoritativeDns.Parameters p) throws Exception {
            HostClock clock = new HostClock();
            RecordingLog console = jmirage.host.ConsoleLog.create("certify-e2e", LogLevel.INFO, clock);
            RecordingLog log = new RecordingLog("dns-authoritative", LogLevel.INFO, clock, r -> {
                records.add(r);
                console.log(r.level(), r.source() + ": " + r.message());
            });
            InetAddress address = InetAddress.getByName(DNS);
            stack = OnLoop.await(scheduler, () -> jmirage.core.Promise.resolved(new HostStack(scheduler, address)));
            kv = OnLoop.await(scheduler, () -> GitKv.open(GitKv.Options.local(repo), scheduler, clock, log.named("git"))).orElseThrow();
            List<Change> changes = new ArrayList<>();
            files.forEach((k, v) -> changes.add(new Change.Set(Key.of(k), Bytes.utf8(v))));
            OnLoop.await(scheduler, () -> kv.commit(new Batch("test", "setup", changes))).orElseThrow();
            AuthoritativeDns.Devices devices = new AuthoritativeDns.Devices(stack, scheduler, clock, log, kv, Optional.empty(),
                    new HostRandom(), new jmirage.core.metrics.Metrics());
            running = OnLoop.await(scheduler, () -> new AuthoritativeDns().start(devices, p)).orElseThrow(IllegalStateException::new);
        }

        boolean logged(String fragment) {
            synchronized (records) {
                return records.stream().anyMatch(r -> r.message().contains(fragment));
            }
        }

        @Override
        public void close() throws Exception {
            OnLoop.await(scheduler, running::stop);
            OnLoop.await(scheduler, kv::close);
            OnLoop.await(scheduler, stack::close);
            scheduler.shutdown(Duration.ofSeconds(10));
        }
    }

    static AuthoritativeDns.Parameters parameters(String directory) {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT;
        p.rrlPerSecond = 0;
        p.certify.directory = directory;
        p.certify.ca = "_acme/ca.pem";
        p.certify.email = "hostmaster@example.test";
        return p;
    }

    static Map<String, String> files(Pebble pebble) {
        String keys = SampleZone.KEYS + "web._update.other.test. DNSKEY 0 3 163 " + OTHER_SECRET + "\n";
        return Map.of("example.test", SampleZone.ZONE, "other.test", OTHER_ZONE, "_keys", keys,
                "_acme/ca.pem", pebble.tlsCertificatePem());
    }

    /** A CSR made by openssl: its DER in hex. */
    static String opensslCsr(Path dir, String name, String subject, String... sans) throws Exception {
        Path der = dir.resolve(name + ".der");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-subj", "/CN=" + subject, "-outform", "DER",
                "-out", der.toString()));
        if (sans.length > 0) {
            cmd.addAll(List.of("-addext", "subjectAltName=" + String.join(",", List.of(sans).stream().map(s -> "DNS:" + s).toList())));
        }
        Command.of(cmd).run().ok();
        return HexFormat.of().formatHex(Files.readAllBytes(der));
    }

    static Ran nsupdate(String key, String zone, String script) {
        return Command.of("nsupdate", "-t", "5", "-y", key)
                .stdin("server " + DNS + " " + PORT + "\nzone " + zone + "\n" + script + "\nsend\n").run();
    }

    static String dig(String name, String type) {
        return Command.of("dig", "@" + DNS, "-p", String.valueOf(PORT), "+short", "+norec", name, type).run().out().trim();
    }

    /** The TLSA records at {@code name} with this usage and selector: their data in hex. */
    static List<String> tlsa(String name, String usageSelector) {
        List<String> out = new ArrayList<>();
        for (String line : dig(name, "TLSA").lines().toList()) {
            if (line.startsWith(usageSelector + " ")) {
                out.add(line.substring(usageSelector.length() + 1).replace(" ", "").toLowerCase());
            }
        }
        return out;
    }

    static List<String> gitLog(Path repo) {
        return Command.of("git", "-C", repo.toString(), "log", "--format=%an|%s", "main").run().ok().out().lines().toList();
    }

    static void await(String what, Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    static Path pem(Path dir, String name, String derHex) throws Exception {
        Path der = dir.resolve(name + ".der");
        Files.write(der, HexFormat.of().parseHex(derHex));
        Path pem = dir.resolve(name + ".pem");
        Command.of("openssl", "x509", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).run().ok();
        return pem;
    }

    static void requirePeers() {
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("openssl", "openssl");
        Sh.requireCommand("git", "git");
    }

    @Test
    void aCsrPublishedWithNsupdateBecomesACertificateThatChainsToPebblesRoot(@TempDir Path dir) throws Exception {
        requirePeers();
        Path repo = dir.resolve("zones.git");
        try (Pebble pebble = Pebble.start(Pebble.Options.of(PEBBLE, DNS + ":" + PORT).withPorts(14000, 15000));
                Server server = new Server(repo, files(pebble), parameters(pebble.directoryUrl().toString()))) {
            String owner = "_letsencrypt._tcp.host.example.test.";
            String csr = opensslCsr(dir, "host", "host.example.test", "host.example.test", "mail.example.test");
            Ran published = nsupdate(UPDATE_KEY, "example.test", "update add " + owner + " 300 TLSA 3 255 0 " + csr);
            assertEquals(0, published.exit(), published.output());
            await("a certificate at " + owner, Duration.ofSeconds(30), () -> !tlsa(owner, "3 0 0").isEmpty());

            Path leaf = pem(dir, "leaf", tlsa(owner, "3 0 0").getFirst());
            List<String> chain = tlsa(owner, "0 0 0");
            assertEquals(1, chain.size(), "pebble's intermediate");
            Path intermediate = pem(dir, "intermediate", chain.getFirst());
            Path root = dir.resolve("root.pem");
            Files.writeString(root, pebble.rootPem());
            Command.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(), leaf.toString()).run().ok();
            String sans = Command.of("openssl", "x509", "-in", leaf.toString(), "-noout", "-ext", "subjectAltName").run().ok().out();
            assertTrue(sans.contains("DNS:host.example.test") && sans.contains("DNS:mail.example.test"), sans);
            String certKey = Command.of("openssl", "x509", "-in", leaf.toString(), "-noout", "-pubkey").run().ok().out();
            String csrKey = Command.of("openssl", "pkey", "-in", dir.resolve("host.key").toString(), "-pubout").run().ok().out();
            assertEquals(csrKey, certKey, "the certificate carries the CSR's key");
            assertEquals(List.of(csr), tlsa(owner, "3 255 0"), "the CSR stays");
            assertEquals("", dig("_acme-challenge.host.example.test", "TXT"), "the challenge is gone");
            assertEquals("", dig("_acme-challenge.mail.example.test", "TXT"), "the challenge is gone");

            List<String> log = gitLog(repo);
            assertTrue(log.contains("certify|certify: ACME account key"), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("test._update.example.test|changed by test._update.example.test from ")),
                    log.toString());
            assertTrue(log.getFirst().startsWith("certify|certify: certificate for host.example.test, serial "), log.toString());
            // pebble reuses a valid authorization half the time (PEBBLE_AUTHZREUSE): a challenge per fresh authorization
            long challenges = log.stream().filter(l -> l.startsWith("certify|certify: challenge for ") && !l.endsWith("removed")).count();
            long removed = log.stream().filter(l -> l.startsWith("certify|certify: challenge for ") && l.endsWith("removed")).count();
            assertEquals(2, challenges, log.toString());
            assertEquals(challenges, removed, log.toString());

            // refusals, each REFUSED and nothing committed
            int commits = gitLog(repo).size();
            Ran outside = nsupdate(UPDATE_KEY, "example.test", "update add _letsencrypt._tcp.x.example.test. 300 TLSA 3 255 0 "
                    + opensslCsr(dir, "outside", "x.example.test", "x.example.test", "x.elsewhere.test"));
            assertNotEquals(0, outside.exit());
            assertTrue(outside.output().contains("REFUSED"), outside.output());
            Ran wrongKey = nsupdate("hmac-sha256:web._update.other.test:" + OTHER_SECRET, "other.test",
                    "update add _letsencrypt._tcp.www.other.test. 300 TLSA 3 255 0 "
                            + opensslCsr(dir, "wrongkey", "www.other.test", "www.other.test", "www.example.test"));
            assertTrue(wrongKey.output().contains("REFUSED"), wrongKey.output());
            byte[] bad = HexFormat.of().parseHex(opensslCsr(dir, "bad", "y.example.test", "y.example.test"));
            bad[bad.length - 5] ^= 1;
            Ran badSignature = nsupdate(UPDATE_KEY, "example.test", "update add _letsencrypt._tcp.y.example.test. 300 TLSA 3 255 0 "
                    + HexFormat.of().formatHex(bad));
            assertTrue(badSignature.output().contains("REFUSED"), badSignature.output());
            assertEquals(commits, gitLog(repo).size(), "refused updates commit nothing");
            assertTrue(server.logged("x.elsewhere.test. is in no zone of this server"));
            assertTrue(server.logged("key web._update.other.test. may not update example.test., the zone of www.example.test."));
            assertTrue(server.logged("refused: CSR at _letsencrypt._tcp.y.example.test.: CSR signature does not verify"));
        }
    }

    @Test
    void whilePebbleIsDownTheOrderIsRetriedWithBackoffAndNothingIsLost(@TempDir Path dir) throws Exception {
        requirePeers();
        Path repo = dir.resolve("zones.git");
        // pebble behind a forwarder on its own address (its certificate names the IP, its URLs the Host asked for)
        try (Pebble pebble = Pebble.start(Pebble.Options.of(PEBBLE, DNS + ":" + PORT).withPorts(14011, 15010));
                Forwarder forwarder = new Forwarder(new InetSocketAddress(PEBBLE, 14010), new InetSocketAddress(PEBBLE, 14011));
                Server server = new Server(repo, files(pebble), parameters("https://" + PEBBLE + ":14010/dir"))) {
            String owner = "_letsencrypt._tcp.host.example.test.";
            Ran published = nsupdate(UPDATE_KEY, "example.test", "update add " + owner + " 300 TLSA 3 255 0 "
                    + opensslCsr(dir, "host", "host.example.test", "host.example.test"));
            assertEquals(0, published.exit(), published.output());
            await("a failed order", Duration.ofSeconds(30), () -> server.logged("not obtained: no response from the ACME server"));
            assertTrue(server.logged("retrying at "));
            assertEquals(List.of(), tlsa(owner, "3 0 0"));
            forwarder.up();
            await("the retry a minute later", Duration.ofSeconds(100), () -> !tlsa(owner, "3 0 0").isEmpty());
            assertTrue(gitLog(repo).getFirst().startsWith("certify|certify: certificate for host.example.test, serial "));
            assertEquals("", dig("_acme-challenge.host.example.test", "TXT"));
        }
    }

    @Test
    void aShortLivedCertificateIsRenewedBeforeItExpiresAndNotInALoop(@TempDir Path dir) throws Exception {
        requirePeers();
        Path repo = dir.resolve("zones.git");
        try (Pebble pebble = Pebble.start(Pebble.Options.of(PEBBLE, DNS + ":" + PORT).withPorts(14020, 15020)
                        .withCertificateValidity(Duration.ofSeconds(45)));
                Server server = new Server(repo, files(pebble), parameters(pebble.directoryUrl().toString()))) {
            String owner = "_letsencrypt._tcp.host.example.test.";
            Ran published = nsupdate(UPDATE_KEY, "example.test", "update add " + owner + " 300 TLSA 3 255 0 "
                    + opensslCsr(dir, "host", "host.example.test", "host.example.test"));
            assertEquals(0, published.exit(), published.output());
            await("a certificate", Duration.ofSeconds(30), () -> !tlsa(owner, "3 0 0").isEmpty());
            String first = tlsa(owner, "3 0 0").getFirst();
            String firstEnd = Command.of("openssl", "x509", "-in", pem(dir, "first", first).toString(), "-noout", "-enddate").run().ok().out();
            await("the renewal", Duration.ofSeconds(45), () -> !tlsa(owner, "3 0 0").equals(List.of(first)));
            assertEquals(1, tlsa(owner, "3 0 0").size(), "replaced, not added");
            String second = tlsa(owner, "3 0 0").getFirst();
            String secondEnd = Command.of("openssl", "x509", "-in", pem(dir, "second", second).toString(), "-noout", "-enddate").run().ok().out();
            assertNotEquals(firstEnd, secondEnd, "a later certificate");
            long orders;
            synchronized (server.records) {
                orders = server.records.stream().filter(r -> r.message().startsWith("ordering a certificate for host.example.test")).count();
            }
            assertEquals(2, orders, "one order, one renewal");
        }
    }
}
