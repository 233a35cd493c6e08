package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import jmirage.caldav.store.Layout;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.KvError;
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
 * The git store end to end, with a bare repository as the remote and the git command line as the
 * person who edits it (issue 15, "Storage"): a client's PUT is one commit by that user on the
 * remote; a person's push is served after the server's next pull and reported to a client's
 * sync-collection from its earlier token; an event edited on both sides before the pull exists
 * twice afterwards (the .gitattributes keep-both rule the first boot seeds), nothing lost.
 */
@Tag("peer")
class GitRemoteTest {

    private static final String CALENDAR = "/calendars/" + ServerUnderTest.USER + "/work/";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private Path remote;
    private OurServer server;
    private GitKv kv;
    private final List<LogRecord> kvLog = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bareRemote() {
        Sh.requireCommand("git", "git");
        remote = folder.resolve("remote.git");
        Sh.ok("git", "init", "-q", "--bare", "-b", "main", remote.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Our server on a git store cloned from the remote; it pulls every {@code pullSeconds} (0: only when a push is refused). */
    private Dav boot(int pullSeconds) throws Exception {
        InetAddress address = ServerUnderTest.uniqueLoopback();
        server = OurServer.boot(address, loop -> new HostStack(loop, address), (loop, clock) -> {
            Result<GitKv, KvError> opened = OnLoop.await(loop, () -> GitKv.open(new GitKv.Options(folder.resolve("server.git"), "main",
                    Optional.of(remote.toString()), Duration.ofHours(1)), loop, clock, new RecordingLog("kv", LogLevel.INFO, clock, kvLog::add)));
            kv = opened.orElseThrow();
            return kv;
        }, "--pull-interval", Integer.toString(pullSeconds));
        return Dav.of(server);
    }

    /** git in {@code dir} as a person would run it. */
    private static String git(Path dir, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=Person",
                "-c", "user.email=person@example.org"));
        argv.addAll(List.of(args));
        return Command.of(argv).run().ok().out();
    }

    private Path cloneRemote() {
        Path person = folder.resolve("person");
        Sh.ok("git", "clone", "-q", "-b", "main", remote.toString(), person.toString());
        return person;
    }

    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The remote's version of {@code path} on main, or empty. */
    private Optional<String> onRemote(String path) {
        var shown = Command.of("git", "--git-dir", remote.toString(), "show", "main:" + path).run();
        return shown.succeeded() ? Optional.of(shown.out()) : Optional.empty();
    }

    private static Reply sync(Dav dav, String token) throws Exception {
        return dav.report(CALENDAR, "0", "<?xml version=\"1.0\" encoding=\"utf-8\"?><sync-collection xmlns=\"DAV:\"><sync-token>"
                + token + "</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>");
    }

    /** Each member a sync-collection names: 200 when changed or new, 404 when gone. */
    private static Map<String, Integer> changes(Multistatus ms) {
        Map<String, Integer> members = new TreeMap<>();
        for (Multistatus.Response r : ms.responses()) {
            String name = r.path().substring(r.path().lastIndexOf('/') + 1);
            members.put(name, r.status().orElse(r.ok(Multistatus.dav("getetag")).isPresent() ? 200 : 0));
        }
        return members;
    }

    private static String event(String uid, String summary) {
        return Ics.event(uid, summary, "20260310T100000Z", "20260310T110000Z");
    }

    private static String path(String name) {
        return "calendars/" + ServerUnderTest.USER + "/work/" + name;
    }

    @Test
    void putsAreCommitsOnTheRemoteAndAPersonsPushIsServedAndSynced() throws Exception {
        Dav dav = boot(1);
        eventually("the first boot's .gitattributes on the remote",
                () -> onRemote(".gitattributes").equals(Optional.of(Layout.GIT_ATTRIBUTES_CONTENT.toUtf8())));
        dav.mkcalendar(CALENDAR, "").expect(201);
        for (String name : List.of("a", "b", "c")) {
            dav.put(CALENDAR + name + ".ics", event(name, name.toUpperCase())).expect(201);
        }
        eventually("c.ics pushed", () -> onRemote(path("c.ics")).isPresent());
        // (a) one commit per request, by the user, saying what the request was
        String log = Sh.ok("git", "--git-dir", remote.toString(), "log", "--format=%an|%s", "main", "--", path("a.ics"));
        assertEquals("alice|alice via caldav: PUT " + CALENDAR + "a.ics\n", log);
        assertEquals(Optional.of(event("a", "A")), onRemote(path("a.ics")), "the bytes the client sent");
        String token = sync(dav, "").multistatus().syncToken().orElseThrow();

        // (b) a person edits b, deletes c, adds d, and pushes
        Path person = cloneRemote();
        Files.writeString(person.resolve(path("b.ics")), event("b", "B, edited in git"));
        Files.delete(person.resolve(path("c.ics")));
        Files.writeString(person.resolve(path("d.ics")), event("d", "D"));
        git(person, "add", "-A");
        git(person, "commit", "-q", "-m", "edited by hand");
        git(person, "push", "-q", "origin", "main");

        eventually("d.ics served after a pull", () -> dav.get(CALENDAR + "d.ics").status() == 200);
        assertEquals(Optional.of("B, edited in git"), Ics.summary(dav.get(CALENDAR + "b.ics").expect(200).body()));
        dav.get(CALENDAR + "c.ics").expect(404);
        Reply since = sync(dav, token);
        assertEquals(Map.of("b.ics", 200, "c.ics", 404, "d.ics", 200), changes(since.multistatus()), since::toString);
    }

    @Test
    void anEventEditedOnBothSidesIsKeptTwice() throws Exception {
        Dav dav = boot(0);
        dav.mkcalendar(CALENDAR, "").expect(201);
        String etag = dav.put(CALENDAR + "x.ics", event("x", "Original")).expect(201).header("ETag").orElseThrow();
        eventually("x.ics pushed", () -> onRemote(path("x.ics")).isPresent());
        String token = sync(dav, "").multistatus().syncToken().orElseThrow();

        Path person = cloneRemote();
        Files.writeString(person.resolve(path("x.ics")), event("x", "Edited in git"));
        git(person, "commit", "-q", "-a", "-m", "moved by hand");
        git(person, "push", "-q", "origin", "main");
        // the client edits the same event before the server pulled: its push is refused, it pulls and merges
        dav.put(CALENDAR + "x.ics", event("x", "Edited by the client"), "If-Match", etag).expect(204);

        eventually("both versions served", () -> sync(dav, "").multistatus().responses().size() == 2);
        Map<String, String> summaries = new TreeMap<>();
        for (Multistatus.Response r : sync(dav, "").multistatus().responses()) {
            summaries.put(r.path().substring(r.path().lastIndexOf('/') + 1), Ics.summary(dav.get(r.path()).expect(200).body()).orElseThrow());
        }
        assertEquals("Edited in git", summaries.remove("x.ics"), "the remote's version at its name: " + summaries);
        assertEquals(1, summaries.size(), summaries::toString);
        String kept = summaries.keySet().iterator().next();
        assertTrue(kept.matches("x-conflict-[0-9a-f]{8}\\.ics"), kept);
        assertEquals("Edited by the client", summaries.get(kept), "the client's version beside it");
        assertEquals(Map.of("x.ics", 200, kept, 200), changes(sync(dav, token).multistatus()), "a client's sync sees both");
        eventually("the merge pushed", () -> onRemote(path(kept)).isPresent());
        assertTrue(kvLog.stream().anyMatch(r -> r.message().contains("ours kept as '" + path(kept) + "'")), kvLog::toString);
    }
}
