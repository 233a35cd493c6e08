package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.kv.git.GitKv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on two clones of one bare remote edit the same events: after they both pull and push,
 * each event's two versions are there (theirs at its name, ours beside it as NAME-conflict-ID.ics),
 * an event edited on one side and deleted on the other is kept edited, and both clones agree.
 */
class GitConflictTest {

    @TempDir
    Path dir;

    private final SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
    private final List<LogRecord> logged = new ArrayList<>();

    private GitKv open(String name, Optional<String> remote) {
        RecordingLog log = new RecordingLog(name, LogLevel.DEBUG, scheduler.clock(), logged::add);
        GitKv.Options options = new GitKv.Options(dir.resolve(name), "main", remote, Duration.ofMinutes(1));
        return scheduler.runUntil(GitKv.open(options, scheduler, scheduler.clock(), log)).value().orElseThrow();
    }

    private <T> T ok(Promise<Result<T, KvError>> p) {
        return scheduler.runUntil(p).value().orElseThrow();
    }

    private void commit(GitKv kv, Change... changes) {
        ok(kv.commit(new Batch("test", "test", List.of(changes))));
    }

    private static Key event(String name) {
        return Layout.resource("alice", "work", name);
    }

    private Map<String, Bytes> calendar(GitKv kv) {
        Store store = scheduler.runUntil(Layout.open(kv, scheduler.clock().now(), LayoutConformance.STAND_IN)).value().orElseThrow().store();
        TreeMap<String, Bytes> members = new TreeMap<>();
        store.calendar("alice", "work").orElseThrow().members().forEach((n, r) -> members.put(n, r.data()));
        return members;
    }

    @Test
    void aConflictNeverLosesAnEvent() {
        Path remote = dir.resolve("remote.git");
        scheduler.runUntil(open("remote.git", Optional.empty()).close());
        GitKv a = open("a.git", Optional.of(remote.toString()));
        commit(a, new Change.Set(Layout.GIT_ATTRIBUTES, Layout.GIT_ATTRIBUTES_CONTENT),
                new Change.Set(event("x.ics"), LayoutConformance.event("x", 1)),
                new Change.Set(event("y.ics"), LayoutConformance.event("y", 1)),
                new Change.Set(event("z.ics"), LayoutConformance.event("z", 1)));
        ok(a.push());
        GitKv b = open("b.git", Optional.of(remote.toString()));
        assertEquals(Set.of("x.ics", "y.ics", "z.ics"), calendar(b).keySet(), "b cloned at boot");

        // a: x edited, y deleted; pushed first
        commit(a, new Change.Set(event("x.ics"), LayoutConformance.event("x", 2)), new Change.Remove(event("y.ics")));
        ok(a.push());
        // b: x edited otherwise, y edited, z edited alike on neither side
        commit(b, new Change.Set(event("x.ics"), LayoutConformance.event("x", 3)),
                new Change.Set(event("y.ics"), LayoutConformance.event("y", 3)));
        ok(b.pull());
        ok(b.push());
        ok(a.pull());

        Map<String, Bytes> onB = calendar(b);
        assertEquals(LayoutConformance.event("x", 2), onB.get("x.ics"), "theirs (a, pushed first) at its name");
        List<String> conflicts = onB.keySet().stream().filter(n -> n.startsWith("x-conflict-")).toList();
        assertEquals(1, conflicts.size(), onB.keySet().toString());
        assertEquals(LayoutConformance.event("x", 3), onB.get(conflicts.get(0)), "ours beside it, unchanged");
        assertEquals(LayoutConformance.event("y", 3), onB.get("y.ics"), "edited here, deleted there: kept edited");
        assertEquals(LayoutConformance.event("z", 1), onB.get("z.ics"));
        assertEquals(onB, calendar(a), "both clones agree");
        assertTrue(logged.stream().anyMatch(r -> r.message().contains("ours kept as 'calendars/alice/work/" + conflicts.get(0) + "'")),
                logged.toString());
        scheduler.runUntil(a.close());
        scheduler.runUntil(b.close());
    }
}
