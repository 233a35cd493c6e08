package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.canopy.render.SampleBlog;
import jmirage.canopy.shell.Webhook;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sample blog on the tap target: platform/net's DirectStack on a TAP device with its own MAC
 * and address, curl in a network namespace on the Linux end: pages, 304, gzip, a crawl with no 404,
 * and a signed webhook that makes an article added to the store live. As root.
 */
@Tag("peer")
@Tag("root")
class TapTargetTest {

    private static final TapLink LINK = TapLink.random("cnp", "cnpns", "10.122");
    private static final int PORT = 8080;
    private static final String SECRET = "tap secret";

    private static final HostScheduler loop = HostScheduler.start("canopy-tap-test");
    private static final HostClock clock = new HostClock();
    private static final MemKv kv = new MemKv(clock);
    private static TapDevice tap;
    private static DirectStack stack;
    private static Unikernel.Running running;
    private static Curl curl;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        Sh.requireRootNetworking();
        LINK.create();
        HostRandom random = new HostRandom();
        RecordingLog log = new RecordingLog("canopy", LogLevel.INFO, clock, r -> {});
        for (Map.Entry<Key, Bytes> file : SampleBlog.repository().snapshot().files().entrySet()) {
            OnLoop.await(loop, () -> kv.set(file.getKey(), file.getValue())).orElseThrow();
        }
        OnLoop.await(loop, () -> kv.set(Webhook.SECRET, Bytes.utf8(SECRET))).orElseThrow();
        tap = TapDevice.open(LINK.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
        LINK.adoptTap();
        stack = OnLoop.await(loop, () -> DirectStack.start(tap, new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty()), clock, loop,
                random, log)).orElseThrow();
        Canopy canopy = new Canopy();
        Canopy.Parameters p = canopy.parameters();
        p.httpPort = PORT;
        p.refreshEvery = "0";
        Canopy.Devices devices = new Canopy.Devices(stack, kv, Optional.empty(), Optional.empty(), log, clock, loop, random, new Metrics(),
                Optional.empty());
        running = OnLoop.await(loop, () -> canopy.start(devices, p)).orElseThrow(e -> new IllegalStateException("boot failed: " + e));
        curl = new Curl(argv -> Command.of(LINK.exec(argv)).timeout(Duration.ofSeconds(30)).run(), List.of(),
                "http://" + LINK.ourIp() + ":" + PORT, "https://blog.example");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (running != null) {
                OnLoop.await(loop, running::stop);
            }
            if (stack != null) {
                OnLoop.await(loop, stack::close);
            }
            if (tap != null) {
                OnLoop.await(loop, tap::close);
            }
            loop.shutdown(Duration.ofSeconds(5));
        } finally {
            LINK.delete();
        }
    }

    @Test
    void pagesValidatorsAndGzipFromTheNamespace() {
        Curl.Answer page = curl.fetch("/posts/unikernels-in-java");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Unikernels in &lt;Java&gt;"));
        assertEquals(304, curl.fetch("/posts/unikernels-in-java", "-H", "If-None-Match: " + page.headers().get("etag")).status());
        Curl.Answer gzip = curl.fetch("/", "--compressed");
        assertEquals("gzip", gzip.headers().get("content-encoding"));
        assertEquals(curl.fetch("/").body(), gzip.body());
    }

    @Test
    void aCrawlFindsNoBrokenLink() {
        Curl.Crawl crawl = curl.crawl();
        assertEquals(List.of(), crawl.broken());
        assertTrue(crawl.reached().size() >= 15, crawl.reached().toString());
    }

    @Test
    void aSignedWebhookMakesANewArticleLive() throws Exception {
        OnLoop.await(loop, () -> kv.set(Key.of("notes/tap.md"), Bytes.utf8("---\ntitle: Over the TAP\n---\nHello.\n"))).orElseThrow();
        assertEquals(404, curl.fetch("/notes/tap").status());
        String body = "{\"ref\":\"refs/heads/main\"}";
        assertEquals(403, curl.fetch(Webhook.PATH, "--data", body, "-H", "X-Forgejo-Signature: " + "11".repeat(32)).status());
        String signature = java.util.HexFormat.of().formatHex(Webhook.hmac(Bytes.utf8(SECRET), Bytes.utf8(body)));
        assertEquals(202, curl.fetch(Webhook.PATH, "--data", body, "-H", "X-Forgejo-Signature: " + signature).status());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (curl.fetch("/notes/tap").status() != 200) {
            assertTrue(System.nanoTime() < deadline, "the article added to the store is served after the webhook");
            Thread.sleep(50);
        }
        assertTrue(curl.fetch("/notes/tap").body().contains("Over the TAP"));
    }
}
