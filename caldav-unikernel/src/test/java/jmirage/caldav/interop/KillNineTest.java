package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in a child JVM, killed with SIGKILL while a client streams PUTs (new events, and
 * changes to the one before); a second server on the same store (dir: or git:) has every PUT that
 * was answered 201 or 204, with the ETag that answer gave (decision 9: a write is answered once
 * committed). Only the request in flight at the kill may have gone either way.
 */
class KillNineTest {

    /** How many resources the client has been answered for before the kill comes. */
    static final int STREAMED_BEFORE_KILL = 40;

    @TempDir
    Path folder;

    final List<Started> children = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        children.forEach(Started::kill);
    }

    /** What the client was told: href to the ETag of the last answered PUT; and the one request it got no answer to. */
    record Told(Map<String, String> etags, Optional<String> unanswered) {}

    @ParameterizedTest
    @ValueSource(strings = {"dir", "git"})
    void everyAnsweredPutSurvivesKillNine(String store) throws Exception {
        InetAddress address = ServerUnderTest.uniqueLoopback();
        Path path = folder.resolve("store-" + store);
        Started first = serve(store, path, address);
        Dav dav = new Dav(java.net.URI.create("http://" + address.getHostAddress() + ":" + OurServer.HTTP_PORT + "/"),
                ServerUnderTest.USER, ServerUnderTest.PASSWORD);
        String calendar = "/calendars/" + ServerUnderTest.USER + "/stream/";
        dav.mkcalendar(calendar, "").expect(201);
        String tokenBefore = sync(dav, calendar, "").multistatus().syncToken().orElseThrow();

        Map<String, String> etags = new ConcurrentHashMap<>();
        String[] inFlight = new String[1];
        Thread client = Thread.ofPlatform().start(() -> stream(dav, calendar, etags, inFlight));
        // past the first requests (class loading, JIT), then at a random moment of the stream
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (etags.size() < STREAMED_BEFORE_KILL && client.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(200));
        Ran killed = first.kill();
        client.join(Duration.ofSeconds(30).toMillis());
        assertEquals(137, killed.exit(), "killed by SIGKILL");
        Told told = new Told(Map.copyOf(etags), Optional.ofNullable(inFlight[0]));
        assertTrue(told.etags().size() >= STREAMED_BEFORE_KILL, () -> "the stream got going before the kill: " + told + "\n" + killed.output());

        serve(store, path, address);
        for (Map.Entry<String, String> put : told.etags().entrySet()) {
            if (told.unanswered().filter(put.getKey()::equals).isPresent()) {
                continue; // its last change may or may not have been committed
            }
            Reply got = dav.get(put.getKey()).expect(200);
            assertEquals(put.getValue(), got.header("ETag").orElse(""), () -> "after the restart\n" + got);
        }

        // a client that synced before the crash comes back with its token: it is told every change since, or to start
        // again (403 DAV:valid-sync-token, RFC 6578 3.2), never a partial list
        Reply resumed = sync(dav, calendar, tokenBefore);
        if (resumed.status() == 403) {
            assertTrue(resumed.body().contains("valid-sync-token"), resumed::toString);
        } else {
            java.util.Set<String> reported = new java.util.HashSet<>(resumed.multistatus().paths());
            assertTrue(reported.containsAll(told.etags().keySet()), () -> "changes missing from the sync after the restart\n" + resumed);
        }
    }

    private static Reply sync(Dav dav, String calendar, String token) throws Exception {
        return dav.report(calendar, "0", "<?xml version=\"1.0\" encoding=\"utf-8\"?><sync-collection xmlns=\"DAV:\"><sync-token>" + token
                + "</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>");
    }

    /** PUTs until the server goes away: event N, and every third time a change to event N-1. */
    private static void stream(Dav dav, String calendar, Map<String, String> etags, String[] inFlight) {
        try {
            for (int n = 0; ; n++) {
                String href = calendar + "e" + n + ".ics";
                inFlight[0] = href;
                Reply created = dav.put(href, Ics.event("e" + n + "@kill", "Event " + n, "20260401T090000Z", "20260401T100000Z"),
                        "If-None-Match", "*");
                created.expect(201);
                etags.put(href, created.header("ETag").orElseThrow(() -> new AssertionError(created.toString())));
                if (n % 3 == 2) {
                    String previous = calendar + "e" + (n - 1) + ".ics";
                    inFlight[0] = previous;
                    Reply changed = dav.put(previous, Ics.event("e" + (n - 1) + "@kill", "Event " + (n - 1) + ", changed",
                            "20260401T110000Z", "20260401T120000Z"), "If-Match", etags.get(previous));
                    changed.expect(204, 200);
                    etags.put(previous, changed.header("ETag").orElseThrow(() -> new AssertionError(changed.toString())));
                }
                inFlight[0] = null;
            }
        } catch (java.io.IOException | InterruptedException serverGone) {
            // the kill: the request in flight stays in inFlight
        } catch (Exception unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    private Started serve(String store, Path path, InetAddress address) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ChildServer.class.getName(),
                store, path.toString(), address.getHostAddress()));
        Started started = Command.of(command).start();
        children.add(started);
        started.awaitOutput("READY", Duration.ofSeconds(60));
        return started;
    }
}
