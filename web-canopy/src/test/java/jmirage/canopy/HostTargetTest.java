package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.canopy.render.SampleBlog;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample blog on the host target with TLS on, curl as the client: HTTPS answers with HSTS,
 * validators, 304, gzip and HEAD; plain HTTP answers 301 to HTTPS; the webhook is off without a
 * secret; a crawler over HTTPS finds no 404 inside the site; the broken article is logged and shown
 * on /status while the rest serves.
 */
@Tag("peer")
class HostTargetTest {

    private static final HostScheduler loop = HostScheduler.start("canopy-host-test");
    private static final HostClock clock = new HostClock();
    private static final MemKv kv = new MemKv(clock);
    private static final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private static final InetAddress address = InetAddress.ofLiteral("127.22." + (1 + ThreadLocalRandom.current().nextInt(250)) + "."
            + (1 + ThreadLocalRandom.current().nextInt(250)));
    private static final int httpPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
    private static final int httpsPort = httpPort + 1;
    private static HostStack stack;
    private static Unikernel.Running running;
    private static Curl https;
    private static Curl http;
    private static Pair first;

    /** The certificate and key the store held at boot. */
    record Pair(Bytes certificate, Bytes key) {}

    @TempDir
    static Path folder;

    @BeforeAll
    static void boot() throws Exception {
        Sh.requireCommand("curl", "curl");
        HostRandom random = new HostRandom();
        RecordingLog log = new RecordingLog("canopy", LogLevel.DEBUG, clock, records::add);
        for (Map.Entry<Key, Bytes> file : SampleBlog.repository().snapshot().files().entrySet()) {
            OnLoop.await(loop, () -> kv.set(file.getKey(), file.getValue())).orElseThrow();
        }
        OnLoop.await(loop, () -> SelfSigned.loadOrCreate(kv, "test", random, clock.now(), List.of(), log)).orElseThrow();
        first = new Pair(OnLoop.await(loop, () -> kv.get(SelfSigned.CERTIFICATE)).orElseThrow(),
                OnLoop.await(loop, () -> kv.get(SelfSigned.KEY)).orElseThrow());
        Path ca = folder.resolve("server.pem");
        Files.write(ca, OnLoop.await(loop, () -> kv.get(SelfSigned.CERTIFICATE)).orElseThrow().toArray());

        stack = new HostStack(loop, address);
        Canopy canopy = new Canopy();
        Canopy.Parameters p = canopy.parameters();
        p.httpPort = httpPort;
        p.httpsPort = httpsPort;
        p.refreshEvery = "0";
        Canopy.Devices devices = new Canopy.Devices(stack, kv, Optional.empty(), Optional.empty(), log, clock, loop, random,
                new Metrics(), Optional.empty());
        running = OnLoop.await(loop, () -> canopy.start(devices, p)).orElseThrow(e -> new IllegalStateException("boot failed: " + e));
        https = new Curl(argv -> Command.of(argv).run(), List.of("--cacert", ca.toString(), "--resolve",
                "localhost:" + httpsPort + ":" + address.getHostAddress()), "https://localhost:" + httpsPort, "https://blog.example");
        http = new Curl(argv -> Command.of(argv).run(), List.of(), "http://" + address.getHostAddress() + ":" + httpPort,
                "https://blog.example");
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            OnLoop.await(loop, running::stop);
        }
        if (stack != null) {
            OnLoop.await(loop, stack::close);
        }
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void httpsWithHstsValidatorsAnd304() {
        Curl.Answer page = https.fetch("/posts/unikernels-in-java");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Unikernels in &lt;Java&gt;"), page.body());
        assertEquals("max-age=31536000", page.headers().get("strict-transport-security"));
        assertEquals("public, max-age=60", page.headers().get("cache-control"));
        String etag = page.headers().get("etag");
        Curl.Answer again = https.fetch("/posts/unikernels-in-java", "-H", "If-None-Match: " + etag);
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(etag, again.headers().get("etag"));
        assertEquals("public, max-age=3600", https.fetch("/static/style.css").headers().get("cache-control"));
        assertEquals(404, https.fetch("/tls/server.key").status(), "the key is in the store, never on the site");
    }

    @Test
    void gzipForClientsThatAskAndHeadWithoutBody() {
        Curl.Answer plain = https.fetch("/");
        Curl.Answer gzip = https.fetch("/", "--compressed");
        assertEquals("gzip", gzip.headers().get("content-encoding"));
        assertEquals("Accept-Encoding", gzip.headers().get("vary"));
        assertEquals(plain.body(), gzip.body(), "curl decodes it back to the same page");
        assertFalse(plain.headers().containsKey("content-encoding"));
        Curl.Answer head = https.fetch("/", "-I");
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(plain.headers().get("content-length"), head.headers().get("content-length"));
        assertEquals(plain.headers().get("etag"), head.headers().get("etag"));
    }

    @Test
    void otherMethods405AndTheWebhookOffWithoutSecret() {
        Curl.Answer post = https.fetch("/posts/unikernels-in-java", "-X", "POST", "--data", "x");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("allow"));
        assertEquals(404, https.fetch("/.canopy/refresh", "-X", "POST", "--data", "{}", "-H", "X-Gitea-Signature: " + "00".repeat(32))
                .status());
        assertTrue(records.stream().anyMatch(r -> r.message().contains("so the webhook is off")));
    }

    @Test
    void plainHttpRedirectsToHttpsButTheWebhookStays() {
        Curl.Answer r = http.fetch("/posts/first-boot?x=1");
        assertEquals(301, r.status());
        assertEquals("https://" + address.getHostAddress() + ":" + httpsPort + "/posts/first-boot?x=1", r.headers().get("location"));
        assertFalse(r.headers().containsKey("strict-transport-security"));
        assertEquals(404, http.fetch("/.canopy/refresh", "-X", "POST", "--data", "{}").status(), "not redirected: no secret, off");
    }

    @Test
    void aCrawlerOverHttpsFindsNoBrokenLinkAndStatusShowsTheBrokenArticle() {
        Curl.Crawl crawl = https.crawl();
        assertEquals(List.of(), crawl.broken());
        assertTrue(crawl.reached().size() >= 15, crawl.reached().toString());
        assertTrue(crawl.reached().containsAll(List.of("/atom", "/sitemap.xml", "/tags", "/posts/first-boot", "/static/img/logo.png")),
                crawl.reached().toString());
        assertTrue(https.fetch("/status").body().contains("posts/broken.md"));
        assertTrue(records.stream().anyMatch(r -> r.level() == LogLevel.WARN && r.message().startsWith("content problem: posts/broken.md")));
    }

    @Test
    void aNewCertificateInTheStoreServesAfterARefresh() throws Exception {
        Credentials renewed = SelfSigned.make(new HostRandom(), clock.now(), List.of("renewed.example"));
        Path ca = folder.resolve("renewed.pem");
        Files.writeString(ca, Pem.certificates(renewed.chain()));
        Curl trustingRenewed = new Curl(argv -> Command.of(argv).run(), List.of("--cacert", ca.toString(), "--resolve",
                "renewed.example:" + httpsPort + ":" + address.getHostAddress()), "https://renewed.example:" + httpsPort, "https://blog.example");
        assertEquals(60, Command.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(), "--resolve",
                "renewed.example:" + httpsPort + ":" + address.getHostAddress(), "https://renewed.example:" + httpsPort + "/").run().exit(),
                "curl refuses the old certificate for the new name");
        OnLoop.await(loop, () -> kv.commit(new Batch("test", "renew", List.of(
                new Change.Set(SelfSigned.CERTIFICATE, Bytes.utf8(Pem.certificates(renewed.chain()))),
                new Change.Set(SelfSigned.KEY, Bytes.utf8(Pem.privateKey(renewed.key()))))))).orElseThrow();
        assertTrue(OnLoop.await(loop, running::reload).isOk());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.stream().noneMatch(r -> r.message().startsWith("HTTPS presents the new certificate"))) {
            assertTrue(System.nanoTime() < deadline, "the new pair is read");
            Thread.sleep(20);
        }
        assertEquals(200, trustingRenewed.fetch("/").status());
        // the other tests' client trusts the first certificate: give it back
        OnLoop.await(loop, () -> kv.commit(new Batch("test", "back", List.of(
                new Change.Set(SelfSigned.CERTIFICATE, first.certificate()), new Change.Set(SelfSigned.KEY, first.key()))))).orElseThrow();
        int before = (int) records.stream().filter(r -> r.message().startsWith("HTTPS presents the new certificate")).count();
        assertTrue(OnLoop.await(loop, running::reload).isOk());
        while (records.stream().filter(r -> r.message().startsWith("HTTPS presents the new certificate")).count() == before) {
            assertTrue(System.nanoTime() < deadline + Duration.ofSeconds(20).toNanos(), "the first pair is read again");
            Thread.sleep(20);
        }
    }
}
