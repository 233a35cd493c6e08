package jmirage.kv.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitKv against a real bare repository, with the {@code git} command (Debian package git) on the
 * other side: what we commit shows in {@code git log}, what git pushes we see after a pull, a
 * remote that goes away and comes back loses nothing, and two stores on two clones converge.
 */
@Tag("peer")
class GitRemoteInteropTest {

    @TempDir
    Path dir;

    private final SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
    private final List<LogRecord> logged = new ArrayList<>();
    private Path remote;

    @BeforeEach
    void bareRepository() throws Exception {
        remote = dir.resolve("remote.git");
        git(dir, "init", "--bare", "-q", "-b", "main", remote.toString());
    }

    private GitKv open(String name) {
        RecordingLog log = new RecordingLog(name, LogLevel.DEBUG, scheduler.clock(), logged::add);
        GitKv.Options options = new GitKv.Options(dir.resolve(name), "main", Optional.of(remote.toString()), Duration.ofMinutes(1));
        return scheduler.runUntil(GitKv.open(options, scheduler, scheduler.clock(), log)).value().orElseThrow();
    }

    /** The store in local.git with its remote, after one commit ({@code a} = 1, by svc) pushed. */
    private GitKv openWithAPushedCommit(String message) {
        GitKv kv = open("local.git");
        ok(kv.commit(batch("svc", message, set("a", "1"))));
        ok(kv.push());
        return kv;
    }

    private <T> T ok(Promise<Result<T, KvError>> p) {
        return scheduler.runUntil(p).value().orElseThrow();
    }

    private static Batch batch(String author, String message, Change... changes) {
        return new Batch(author, message, List.of(changes));
    }

    private static Change set(String key, String value) {
        return new Change.Set(Key.of(key), Bytes.utf8(value));
    }

    @Test
    void ourCommitsShowInGitLogWithAuthorAndMessage() throws Exception {
        GitKv kv = open("local.git");
        ok(kv.commit(batch("alice via caldav", "PUT /calendars/alice/home/x.ics", set("calendars/alice/x.ics", "BEGIN:VCALENDAR"))));
        ok(kv.commit(batch("bob via dns", "nsupdate example.org", set("zones/example.org", "zone"))));
        ok(kv.push());
        assertEquals(List.of("bob via dns|nsupdate example.org", "alice via caldav|PUT /calendars/alice/home/x.ics"),
                lines(git(dir, "--git-dir", remote.toString(), "log", "--format=%an|%s", "main")));
        assertEquals("BEGIN:VCALENDAR", git(dir, "--git-dir", remote.toString(), "show", "main:calendars/alice/x.ics"));
        scheduler.runUntil(kv.close());
    }

    @Test
    void anEmptyRemoteIsReachableAndGetsTheBranchFromOurFirstPush() throws Exception {
        // the remote of @BeforeEach is what a forge makes: a bare repository without a commit
        GitKv kv = open("local.git");
        assertTrue(logged.stream().noneMatch(r -> r.level().compareTo(LogLevel.WARN) >= 0), logged::toString);
        ok(kv.pull());
        ok(kv.commit(batch("svc", "first", set("a", "1"))));
        ok(kv.push());
        assertEquals("first", git(dir, "--git-dir", remote.toString(), "log", "--format=%s", "main"));
        scheduler.runUntil(kv.close());
    }

    @Test
    void aRemoteThatIsNotThereIsUnreachableNotEmpty() throws Exception {
        remote = dir.resolve("nothing-here.git");
        GitKv kv = open("local.git");
        assertTrue(logged.stream().anyMatch(r -> r.level() == LogLevel.WARN && r.message().contains("not reachable at boot")), logged::toString);
        assertTrue(scheduler.runUntil(kv.pull()).value() instanceof Result.Err<Unit, KvError>);
        scheduler.runUntil(kv.close());
    }

    @Test
    void aPushFromOutsideIsVisibleAfterAPull() throws Exception {
        GitKv kv = openWithAPushedCommit("first");
        pushInto(dir, remote, "work", "zones/example.com", "operator's zone\n");
        assertEquals(new KvError.NotFound(Key.of("zones/example.com")), scheduler.runUntil(kv.get(Key.of("zones/example.com"))).value()
                instanceof Result.Err<Bytes, KvError>(KvError e) ? e : null);
        ok(kv.pull());
        assertEquals("operator's zone\n", ok(kv.get(Key.of("zones/example.com"))).toUtf8());
        assertEquals("1", ok(kv.get(Key.of("a"))).toUtf8());
        assertEquals("Operator", ok(kv.history(Key.of("zones"), 5)).getFirst().author());
        scheduler.runUntil(kv.close());
    }

    @Test
    void aMergeDoesNotRedateWhatEachSideBrought() throws Exception {
        GitKv kv = openWithAPushedCommit("first");
        pushInto(dir, remote, "work", "b", "2");
        ok(kv.commit(batch("svc", "ours", set("c", "3"))));
        ok(kv.pull());
        List<GitKv.Revision> merge = ok(kv.history(Key.ROOT, 1));
        assertTrue(merge.getFirst().message().startsWith("Merge"), merge.toString());
        java.time.Instant operators = java.time.Instant.ofEpochSecond(Long.parseLong(
                git(dir, "--git-dir", remote.toString(), "log", "-1", "--format=%ct", "main", "--", "b").strip()));
        java.time.Instant ours = ok(kv.history(Key.of("c"), 1)).getFirst().time();
        java.util.Map<Key, jmirage.core.kv.KvHistory.Dates> dates = ok(kv.datesOfEveryValue());
        assertEquals(new jmirage.core.kv.KvHistory.Dates(operators, operators), dates.get(Key.of("b")), "the operator's commit, not the merge");
        assertEquals(new jmirage.core.kv.KvHistory.Dates(ours, ours), dates.get(Key.of("c")));
        assertEquals(java.util.Set.of(Key.of("a"), Key.of("b"), Key.of("c")), dates.keySet());
        scheduler.runUntil(kv.close());
    }

    @Test
    void theTimerPullsChangesPushedFromElsewhere() throws Exception {
        GitKv kv = openWithAPushedCommit("first");
        pushInto(dir, remote, "work", "b", "2");
        scheduler.runFor(Duration.ofSeconds(61));
        assertEquals("2", ok(kv.get(Key.of("b"))).toUtf8());
        scheduler.runUntil(kv.close());
    }

    @Test
    void aRemoteAwayForHoursLosesNothing() throws Exception {
        GitKv kv = openWithAPushedCommit("before");
        Path away = dir.resolve("remote.away");
        Files.move(remote, away);
        for (int i = 0; i < 5; i++) {
            ok(kv.commit(batch("svc", "offline " + i, set("offline/" + i, "v" + i))));
        }
        assertInstanceOf(Result.Err.class, scheduler.runUntil(kv.push()).value(), "the remote is gone");
        scheduler.runFor(Duration.ofHours(3)); // retries and timed pulls fail quietly
        assertTrue(kv.unpushed());
        long warnings = logged.stream().filter(r -> r.level() == LogLevel.WARN).count();
        assertTrue(warnings >= 1 && warnings < 20, "a warning when it goes, not one per retry: " + warnings);
        Files.move(away, remote);
        scheduler.runFor(Duration.ofMinutes(2));
        assertFalse(kv.unpushed());
        List<String> log = lines(git(dir, "--git-dir", remote.toString(), "log", "--format=%s", "main"));
        assertEquals(List.of("offline 4", "offline 3", "offline 2", "offline 1", "offline 0", "before"), log);
        assertEquals("v3", git(dir, "--git-dir", remote.toString(), "show", "main:offline/3"));
        scheduler.runUntil(kv.close());
    }

    @Test
    void twoWritersOnDifferentClonesConverge() throws Exception {
        GitKv a = open("a.git");
        GitKv b = open("b.git");
        ok(a.commit(batch("writer a", "a1", set("shared/x", "from a"), set("only-a", "1"))));
        ok(b.commit(batch("writer b", "b1", set("shared/y", "from b"), set("only-b", "2"))));
        // the same key changed on both sides: the README's rule, the remote (the first to push) wins
        ok(a.commit(batch("writer a", "a2", set("conflict", "a's"))));
        ok(b.commit(batch("writer b", "b2", set("conflict", "b's"))));
        ok(a.push());
        ok(b.push()); // rejected first, merges a's commits, then pushes the merge
        ok(a.pull());
        assertEquals(ok(a.digest(Key.ROOT)), ok(b.digest(Key.ROOT)), "both stores hold the same tree");
        assertEquals("a's", ok(b.get(Key.of("conflict"))).toUtf8());
        assertEquals("from b", ok(a.get(Key.of("shared/y"))).toUtf8());
        assertEquals("2", ok(a.get(Key.of("only-b"))).toUtf8());
        assertTrue(logged.stream().anyMatch(r -> r.level() == LogLevel.WARN && r.message().contains("'conflict'")), "the conflict is logged");
        // the losing side stays in history
        String losing = git(dir, "--git-dir", remote.toString(), "log", "--format=%s", "main");
        assertTrue(losing.contains("b2"), losing);
        assertEquals(ok(a.digest(Key.ROOT)), Bytes.fromHex(git(dir, "--git-dir", remote.toString(), "rev-parse", "main^{tree}")));
        scheduler.runUntil(a.close());
        scheduler.runUntil(b.close());
    }

    @Test
    void aValueAgainstADictionaryKeepsTheRemotesShape() throws Exception {
        GitKv a = open("a.git");
        GitKv b = open("b.git");
        ok(a.commit(batch("writer a", "x is a value", set("x", "a's value"))));
        ok(b.commit(batch("writer b", "x is a dictionary", set("x/y", "b's value"), set("z", "kept"))));
        ok(a.push());
        ok(b.push());
        assertEquals("a's value", ok(b.get(Key.of("x"))).toUtf8());
        assertEquals("kept", ok(b.get(Key.of("z"))).toUtf8());
        assertEquals(Optional.empty(), ok(b.exists(Key.of("x/y"))));
        assertEquals("b's value", git(dir, "--git-dir", remote.toString(), "show", "main^1:x/y"), "the losing side stays in history");
        git(dir, "--git-dir", remote.toString(), "fsck", "--strict");
        scheduler.runUntil(a.close());
        scheduler.runUntil(b.close());
    }

    private GitKv openLocal(String name) {
        RecordingLog log = new RecordingLog(name, LogLevel.DEBUG, scheduler.clock(), logged::add);
        return scheduler.runUntil(GitKv.open(GitKv.Options.local(dir.resolve(name)), scheduler, scheduler.clock(), log))
                .value().orElseThrow();
    }

    /**
     * A clone of {@code repository} (in {@code workspace}, made or brought up to date) in which the operator commits
     * {@code file} and pushes it back.
     */
    static void pushInto(Path workspace, Path repository, String clone, String file, String content) throws Exception {
        Path work = workspace.resolve(clone);
        if (!Files.exists(work)) {
            git(workspace, "clone", "-q", repository.toString(), work.toString());
        } else {
            git(work, "pull", "-q", "--no-rebase", "origin", "main");
        }
        Path path = work.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        git(work, "add", file);
        git(work, "-c", "user.name=Operator", "-c", "user.email=op@example.org", "commit", "-q", "-m", "operator: " + file);
        git(work, "push", "-q", "origin", "main");
    }

    @Test
    void aPushIntoTheStoresRepositoryIsLoadedAndListenersHear() throws Exception {
        GitKv kv = openLocal("store.git");
        List<String> heard = new ArrayList<>();
        // a listener reads the new content through the Kv, as a service does: without blocking the loop
        kv.onExternalChange(() -> kv.get(Key.of("zones/example.com")).onSuccess(r -> heard.add(r.map(Bytes::toUtf8).orElse("missing"))));
        ok(kv.commit(batch("svc", "first", set("a", "1"))));
        assertEquals(List.of(), heard, "our own commit is no external change");
        pushInto(dir, dir.resolve("store.git"), "work", "zones/example.com", "operator's zone\n");
        scheduler.runFor(GitKv.WATCH_EVERY.plusSeconds(1));
        assertEquals(List.of("operator's zone\n"), heard, "told once, with the new content readable");
        assertEquals("1", ok(kv.get(Key.of("a"))).toUtf8());
        assertEquals("Operator", ok(kv.history(Key.ROOT, 1)).getFirst().author());
        scheduler.runFor(GitKv.WATCH_EVERY.multipliedBy(3));
        assertEquals(1, heard.size(), "nothing new, nothing told");
        pushInto(dir, dir.resolve("store.git"), "work", "zones/example.net", "second\n");
        scheduler.runFor(GitKv.WATCH_EVERY.plusSeconds(1));
        assertEquals(2, heard.size());
        assertEquals("second\n", ok(kv.get(Key.of("zones/example.net"))).toUtf8());
        scheduler.runUntil(kv.close());
    }

    @Test
    void ourCommitRacingOnePushedInEndsWithBothMerged() throws Exception {
        GitKv kv = openLocal("store.git");
        List<String> heard = new ArrayList<>();
        kv.onExternalChange(() -> heard.add("changed"));
        ok(kv.commit(batch("svc", "first", set("a", "1"), set("x", "base"))));
        // the operator pushes before the store has looked at its ref again: our next commit finds it moved
        pushInto(dir, dir.resolve("store.git"), "work", "b", "2");
        ok(kv.commit(batch("svc", "second", set("c", "3"))));
        assertEquals("2", ok(kv.get(Key.of("b"))).toUtf8());
        assertEquals("3", ok(kv.get(Key.of("c"))).toUtf8());
        assertEquals("1", ok(kv.get(Key.of("a"))).toUtf8());
        assertEquals(List.of("changed"), heard);
        Path store = dir.resolve("store.git");
        assertEquals(ok(kv.digest(Key.ROOT)), Bytes.fromHex(git(dir, "--git-dir", store.toString(), "rev-parse", "main^{tree}")),
                "the branch holds what the store serves");
        assertEquals(List.of("second", "operator: b"), List.of(
                        git(dir, "--git-dir", store.toString(), "log", "--format=%s", "-1", "main^1"),
                        git(dir, "--git-dir", store.toString(), "log", "--format=%s", "-1", "main^2")),
                "the merge has our commit and the pushed one as parents");
        git(dir, "--git-dir", store.toString(), "fsck", "--strict");

        // both change the same key: the pushed version wins, as the remote's does on a pull, and is logged
        pushInto(dir, store, "work", "x", "theirs");
        ok(kv.commit(batch("svc", "ours", set("x", "ours"))));
        assertEquals("theirs", ok(kv.get(Key.of("x"))).toUtf8());
        assertTrue(logged.stream().anyMatch(r -> r.level() == LogLevel.WARN && r.message().contains("'x'")), "the conflict is logged");
        assertEquals("ours", git(dir, "--git-dir", store.toString(), "show", "main^1:x"), "ours stays in history");
        assertEquals(2, heard.size());
        scheduler.runUntil(kv.close());
    }

    @Test
    void commitsPushedIntoAStoreWithARemoteGoOnToTheRemote() throws Exception {
        GitKv kv = openWithAPushedCommit("first");
        pushInto(dir, dir.resolve("local.git"), "work", "b", "2");
        scheduler.runFor(GitKv.WATCH_EVERY.plusSeconds(1)); // well before the next timed pull
        assertEquals("2", git(dir, "--git-dir", remote.toString(), "show", "main:b"), "pushed on without being asked");
        assertFalse(kv.unpushed());
        scheduler.runUntil(kv.close());
    }

    @Test
    void aRefLockedByAnotherProgramFailsTheCommitAndDoesNotWedgeTheStore() throws Exception {
        GitKv kv = openLocal("store.git");
        ok(kv.commit(batch("svc", "first", set("a", "1"))));
        Path lock = dir.resolve("store.git/refs/heads/main.lock");
        Files.writeString(lock, "");
        Result<Unit, KvError> refused = scheduler.runUntil(kv.commit(batch("svc", "blocked", set("a", "2")))).value();
        assertInstanceOf(KvError.Storage.class, ((Result.Err<Unit, KvError>) refused).error());
        assertEquals("1", ok(kv.get(Key.of("a"))).toUtf8(), "nothing changed");
        Files.delete(lock);
        ok(kv.commit(batch("svc", "after", set("a", "3"))));
        assertEquals("3", ok(kv.get(Key.of("a"))).toUtf8());
        assertEquals(List.of("after", "first"), lines(git(dir, "--git-dir", dir.resolve("store.git").toString(), "log", "--format=%s", "main")));
        scheduler.runUntil(kv.close());
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** Runs git and returns its standard output without the final newline; fails with its error output. */
    static String git(Path in, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        String s = Command.of(command).in(in).timeout(Duration.ofSeconds(60)).run().ok().out();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
