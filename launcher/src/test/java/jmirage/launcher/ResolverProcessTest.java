package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.dnssec.Dnssec;
import jmirage.dns.dnssec.Signer;
import jmirage.dns.dnssec.SigningKey;
import jmirage.dns.zone.MasterFile;
import jmirage.host.HostRandom;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 through the launcher, in child JVMs, on loopback only: our authoritative server serves a
 * signed root zone on 127.53.0.1 port 53 (root: a port below 1024), the resolver boots with a hints
 * file naming that server and the zone's DS as its trust anchor, and {@code dig} gets a validated
 * answer (AD) through it; the statistics endpoint counts the query, the upstream queries and the
 * secure resolution; SIGHUP reloads; SIGTERM exits 0. No packet leaves loopback: the hints name
 * only 127.53.0.1.
 */
@Tag("peer")
@Tag("root")
class ResolverProcessTest {

    static final String AUTHORITY = "127.53.0.1";

    @TempDir
    Path dir;

    @Test
    void digResolvesThroughTheResolverFromLoopbackHints() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Instant now = Instant.now();
        String zone = """
                . 3600 IN SOA a.root.test. hostmaster.root.test. 1 3600 600 86400 300
                . 3600 IN NS a.root.test.
                a.root.test. 3600 IN A %s
                www.retreat.test. 300 IN A 192.0.2.80
                """.formatted(AUTHORITY);
        List<Record> records = MasterFile.parse(zone, Name.ROOT, MasterFile.IncludeResolver.NONE).orElseThrow();
        SigningKey key = SigningKey.generate(Dnssec.ED25519, SigningKey.KSK, new HostRandom()).orElseThrow();
        Signer.Signed signed = Signer.sign(Name.ROOT, records, List.of(key),
                new Signer.Validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7))), Signer.Denial.NSEC).orElseThrow();
        Path authority = Files.createDirectories(dir.resolve("authority"));
        Files.writeString(authority.resolve("_root"), lines(signed.records()));
        Path store = Files.createDirectories(dir.resolve("resolver"));
        Files.writeString(store.resolve("root.hints"), ". 3600000 NS a.root.test.\na.root.test. 3600000 A " + AUTHORITY + "\n");
        Files.writeString(store.resolve("anchor"), lines(signed.ds()));
        int port = HostRunnerProcessTest.freePortBase() + 53;
        int metricsPort = port + 1;
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";

        try (ChildLauncher root = new ChildLauncher("run", "dns-authoritative", "--listen", AUTHORITY, "--port", "53",
                "--kv", "dir:" + authority, "--rrl", "0");
             ChildLauncher resolver = new ChildLauncher("run", "dns-resolver", "--port", Integer.toString(port),
                     "--kv", "dir:" + store, "--root-hints", "root.hints", "--trust-anchor", "anchor",
                     "--metrics", "127.0.0.1:" + metricsPort)) {
            root.awaitLine("on port 53");
            resolver.awaitLine("resolving for");

            Ran answer = dig(port, "+dnssec", "www.retreat.test", "A");
            assertTrue(answer.out().contains("status: NOERROR"), answer.out() + resolver.output());
            assertTrue(answer.out().matches("(?s).*flags: [a-z ]*\\bad\\b.*"), "validated from the hints' root: " + answer.out());
            assertTrue(answer.out().matches("(?s).*www\\.retreat\\.test\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"), answer.out());
            Ran nx = dig(port, "nope.retreat.test", "A");
            assertTrue(nx.out().contains("status: NXDOMAIN"), nx.out());

            PrometheusParser.Parsed scrape = PrometheusParser.scrape(metrics);
            assertTrue(scrape.value("jmirage_resolver_queries_total", Map.of("transport", "udp", "rcode", "NOERROR")) >= 1);
            assertTrue(scrape.value("jmirage_resolver_queries_total", Map.of("transport", "udp", "rcode", "NXDOMAIN")) >= 1);
            assertTrue(scrape.value("jmirage_resolver_resolutions_total", Map.of("security", "secure")) >= 2);
            assertTrue(scrape.value("jmirage_resolver_upstream_queries_total", Map.of("transport", "udp")) >= 2);
            assertEquals(0, scrape.value("jmirage_resolver_upstream_dropped_total", Map.of("reason", "wrong_id")));

            resolver.signal("HUP");
            resolver.awaitLine("reloaded configuration");
            assertTrue(dig(port, "www.retreat.test", "A").out().contains("192.0.2.80"), "it resolves after the reload");
            resolver.signal("TERM");
            assertEquals(0, resolver.exitStatus(), resolver.output());
            root.signal("TERM");
            assertEquals(0, root.exitStatus(), root.output());
        }
    }

    static String lines(List<Record> records) {
        return records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    static Ran dig(int port, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=5", "+tries=1"));
        command.addAll(List.of(args));
        return Command.of(command).timeout(Duration.ofSeconds(20)).run();
    }
}
