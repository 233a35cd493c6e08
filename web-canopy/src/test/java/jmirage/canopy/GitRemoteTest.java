package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.canopy.render.LargeSiteTest;
import jmirage.canopy.shell.Webhook;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.git.GitKv;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's acceptance on the host target: a content repository of 1,000 generated articles on a
 * git remote (a bare repository made with {@code git}), canopy booted on a git store with that
 * remote (what {@code --kv git:PATH?remote=file://...} opens), a person's push followed by the
 * signed webhook, and the new article served within a second of the webhook; a wrong signature
 * changes nothing; a remote that goes away leaves the last content served.
 */
@Tag("peer")
class GitRemoteTest {

    static final String SECRET = "a secret only the forge and the site know";
    static final Duration LIVE_WITHIN = Duration.ofSeconds(1);

    private final HostScheduler loop = HostScheduler.start("canopy-git-test");
    private final HostClock clock = new HostClock();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final InetAddress address = InetAddress.ofLiteral("127.22." + (1 + ThreadLocalRandom.current().nextInt(250)) + "."
            + (1 + ThreadLocalRandom.current().nextInt(250)));
    private final int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GitKv kv;
    private HostStack stack;
    private Unikernel.Running running;
    private Path person;
    private Path remote;

    @TempDir
    Path folder;

    @BeforeEach
    void boot() throws Exception {
        Sh.requireCommand("git", "git");
        remote = folder.resolve("remote.git");
        Sh.ok("git", "init", "-q", "--bare", "-b", "main", remote.toString());
        person = folder.resolve("person");
        Sh.ok("git", "init", "-q", "-b", "main", person.toString());
        for (Map.Entry<Key, Bytes> file : LargeSiteTest.thousandArticles().files().entrySet()) {
            Path path = person.resolve(file.getKey().toString());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue().toArray());
        }
        Files.writeString(person.resolve(".config/webhook_secret"), SECRET + "\n");
        git("add", "-A");
        // a day before the push under test: git dates have one-second resolution, and an article
        // committed in the same second as the thousand would tie with them for the index's first page
        String dayBefore = Instant.now().minus(Duration.ofDays(1)).getEpochSecond() + " +0000";
        gitDated(dayBefore, "commit", "-q", "-m", "a thousand articles");
        git("push", "-q", remote.toUri().toString(), "main");

        RecordingLog log = new RecordingLog("canopy", LogLevel.DEBUG, clock, records::add);
        kv = OnLoop.await(loop, () -> GitKv.open(new GitKv.Options(folder.resolve("site.git"), "main",
                Optional.of(remote.toUri().toString()), Duration.ofHours(1)), loop, clock, log.named("kv"))).orElseThrow();
        stack = new HostStack(loop, address);
        Canopy canopy = new Canopy();
        Canopy.Parameters p = canopy.parameters();
        p.httpPort = port;
        p.refreshEvery = "0";
        Canopy.Devices devices = new Canopy.Devices(stack, kv, Optional.of(kv), Optional.of(kv), log, clock, loop, new HostRandom(),
                new Metrics(), Optional.empty());
        running = OnLoop.await(loop, () -> canopy.start(devices, p)).orElseThrow(e -> new IllegalStateException("boot failed: " + e));
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            OnLoop.await(loop, running::stop);
        }
        if (stack != null) {
            OnLoop.await(loop, stack::close);
        }
        if (kv != null) {
            OnLoop.await(loop, kv::close);
        }
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aPushFollowedByTheWebhookIsLiveWithinASecond() throws Exception {
        HttpResponse<String> article = get("/posts/article-10");
        assertEquals(200, article.statusCode());
        assertTrue(article.body().contains("Article 10 &lt;of 1000&gt;"), article.body());
        String indexTag = get("/").headers().firstValue("ETag").orElseThrow();

        publish("posts/fresh.md", "---\ntitle: Fresh from the press\n---\nJust pushed.\n");
        assertEquals(404, get("/posts/fresh").statusCode(), "not before the webhook");

        // wrong, missing, other secret: 403 and nothing changes
        String body = "{\"ref\":\"refs/heads/main\"}";
        assertEquals(403, webhook(body, "X-Hub-Signature-256", "sha256=" + "00".repeat(32)).statusCode());
        assertEquals(403, webhook(body, "X-Gitea-Signature", hex(Bytes.utf8("guessed"), body)).statusCode());
        assertEquals(403, webhook(body).statusCode());
        Thread.sleep(1500);
        assertEquals(404, get("/posts/fresh").statusCode(), "a refused webhook changed nothing");
        assertEquals(indexTag, get("/").headers().firstValue("ETag").orElseThrow());

        long sent = System.nanoTime();
        assertEquals(202, webhook(body, "X-Hub-Signature-256", Webhook.gitHubSignature(Bytes.utf8(SECRET), Bytes.utf8(body)))
                .statusCode());
        Duration live = until200("/posts/fresh");
        System.out.println("canopy: 1,000 articles, push then webhook: the new article served " + live.toMillis()
                + " ms after the webhook was sent (" + records.stream().map(LogRecord::message)
                .filter(m -> m.startsWith("site rebuilt")).findFirst().orElse("no rebuild logged") + ")");
        assertTrue(live.compareTo(LIVE_WITHIN) < 0, "live after " + live.toMillis() + " ms");
        assertTrue(get("/posts/fresh").body().contains("Fresh from the press"));
        assertTrue(!indexTag.equals(get("/").headers().firstValue("ETag").orElseThrow()), "the index lists it");
        assertTrue(System.nanoTime() - sent < Duration.ofSeconds(30).toNanos());
    }

    @Test
    void aRemoteThatGoesAwayLeavesTheLastContentServed() throws Exception {
        String indexTag = get("/").headers().firstValue("ETag").orElseThrow();
        Files.move(remote, folder.resolve("moved-away.git"));
        String body = "{}";
        assertEquals(202, webhook(body, "X-Gitea-Signature", hex(Bytes.utf8(SECRET), body)).statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.stream().noneMatch(r -> r.message().startsWith("git pull after the webhook failed, serving the last good site"))) {
            assertTrue(System.nanoTime() < deadline, "the failed pull is logged");
            Thread.sleep(20);
        }
        assertEquals(200, get("/posts/article-10").statusCode());
        assertEquals(indexTag, get("/").headers().firstValue("ETag").orElseThrow(), "the same site");
    }

    private void publish(String path, String text) throws Exception {
        Path file = person.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        git("add", "-A");
        git("commit", "-q", "-m", "publish " + path);
        git("push", "-q", remote.toUri().toString(), "main");
    }

    private Duration until200(String path) throws Exception {
        long start = System.nanoTime();
        while (get(path).statusCode() != 200) {
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), path + " never served");
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private String git(String... args) {
        return command(args).run().ok().out();
    }

    private String gitDated(String date, String... args) {
        return command(args).env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date).run().ok().out();
    }

    private Command command(String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", person.toString(), "-c", "user.name=Person",
                "-c", "user.email=person@example.org"));
        argv.addAll(List.of(args));
        return Command.of(argv);
    }

    private static String hex(Bytes secret, String body) {
        return java.util.HexFormat.of().formatHex(Webhook.hmac(secret, Bytes.utf8(body)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://" + address.getHostAddress() + ":" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> webhook(String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address.getHostAddress() + ":" + port + Webhook.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
