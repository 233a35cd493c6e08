package jmirage.kv.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.kv.KvConformance;
import jmirage.sim.SimScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitKvTest extends KvConformance {

    @TempDir
    Path root;

    final List<LogRecord> logged = new ArrayList<>();

    @Override
    protected Kv open(SimScheduler scheduler) {
        return openAt(root.resolve("repo.git"), scheduler);
    }

    @Override
    protected Optional<Kv> reopen(Kv kv, SimScheduler scheduler) {
        await(kv.close());
        return Optional.of(openAt(root.resolve("repo.git"), scheduler));
    }

    private GitKv openAt(Path path, SimScheduler scheduler) {
        RecordingLog log = new RecordingLog("kv", LogLevel.DEBUG, scheduler.clock(), logged::add);
        return scheduler.runUntil(GitKv.open(GitKv.Options.local(path), scheduler, scheduler.clock(), log)).value().orElseThrow();
    }

    @Test
    void digestIsTheGitBlobId() {
        set("a", "hello\n");
        // `printf 'hello\n' | git hash-object --stdin`
        assertEquals(Bytes.fromHex("ce013625030ba8dba906f756967f9e9ca394464a"), ok(kv.digest(key("a"))));
        // the empty tree's well-known id
        ok(kv.remove(key("a")));
        assertEquals(Bytes.fromHex("4b825dc642cb6eb9a060e54bf8d69288fbee4904"), ok(kv.digest(Key.ROOT)));
    }

    @Test
    void eachBatchIsACommitAndTheHistoryOfAKeyIsReadable() throws InterruptedException {
        ok(kv.commit(new jmirage.core.kv.Batch("alice via caldav", "PUT /calendars/alice/home/x.ics",
                List.of(new jmirage.core.kv.Change.Set(key("calendars/alice/x.ics"), text("v1"))))));
        letTimePass(scheduler);
        set("other", "o");
        ok(kv.commit(new jmirage.core.kv.Batch("bob via caldav", "PUT again",
                List.of(new jmirage.core.kv.Change.Set(key("calendars/alice/x.ics"), text("v2"))))));
        List<GitKv.Revision> history = ok(((GitKv) kv).history(key("calendars/alice/x.ics"), 10));
        assertEquals(List.of("bob via caldav", "alice via caldav"), history.stream().map(GitKv.Revision::author).toList());
        assertEquals("PUT /calendars/alice/home/x.ics\n", history.get(1).message());
        assertEquals(3, ok(((GitKv) kv).history(Key.ROOT, 10)).size());
        assertTrue(history.get(0).time().isAfter(history.get(1).time()));
    }

    @Test
    void oneWalkDatesEveryValueByItsFirstAndLastCommit() throws InterruptedException {
        ok(kv.commit(new jmirage.core.kv.Batch("a", "first", List.of(new jmirage.core.kv.Change.Set(key("posts/a.md"), text("a1")),
                new jmirage.core.kv.Change.Set(key("posts/b.md"), text("b1"))))));
        java.time.Instant first = ok(((GitKv) kv).history(key("posts/a.md"), 1)).getFirst().time();
        letTimePass(scheduler);
        set("posts/a.md", "a2");
        java.time.Instant second = ok(((GitKv) kv).history(key("posts/a.md"), 1)).getFirst().time();
        letTimePass(scheduler);
        set("posts/c.md", "c1");
        set("gone.md", "x");
        ok(kv.remove(key("gone.md")));
        java.time.Instant third = ok(((GitKv) kv).history(key("posts/c.md"), 1)).getFirst().time();
        assertTrue(first.isBefore(second) && second.isBefore(third));

        java.util.Map<Key, jmirage.core.kv.KvHistory.Dates> dates = ok(((GitKv) kv).datesOfEveryValue());
        assertEquals(java.util.Map.of(
                key("posts/a.md"), new jmirage.core.kv.KvHistory.Dates(first, second),
                key("posts/b.md"), new jmirage.core.kv.KvHistory.Dates(first, first),
                key("posts/c.md"), new jmirage.core.kv.KvHistory.Dates(third, third)), dates);
        // the same as a walk per key gives
        for (var e : dates.entrySet()) {
            List<GitKv.Revision> revisions = ok(((GitKv) kv).history(e.getKey(), 100));
            assertEquals(new jmirage.core.kv.KvHistory.Dates(revisions.getLast().time(), revisions.getFirst().time()), e.getValue());
        }
    }

    @Test
    void aStoreWithoutCommitsHasNoDates() {
        assertEquals(java.util.Map.of(), ok(((GitKv) kv).datesOfEveryValue()));
    }
}
