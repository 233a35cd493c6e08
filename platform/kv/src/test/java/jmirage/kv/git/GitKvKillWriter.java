package jmirage.kv.git;

import java.nio.file.Path;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * The child process of {@link GitKvKillTest}: opens the git store at {@code args[0]} and commits
 * batch {@code args[1]}, the next, and so on until it is killed, printing {@code committed i} once
 * batch i has been answered (and so is durable).
 */
public final class GitKvKillWriter {

    public static void main(String[] args) {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        RecordingLog log = new RecordingLog("kv", LogLevel.WARN, scheduler.clock(), r -> System.err.println(r.message()));
        GitKv kv = scheduler.runUntil(GitKv.open(GitKv.Options.local(Path.of(args[0])), scheduler, scheduler.clock(), log))
                .value().orElseThrow();
        System.out.println("ready");
        System.out.flush();
        for (int i = Integer.parseInt(args[1]); ; i++) {
            scheduler.runUntil(kv.commit(batch(i))).value().orElseThrow();
            System.out.println("committed " + i);
            System.out.flush();
        }
    }

    /** Batch {@code i}: a key of its own, a shared key rewritten each time, and one removed now and then. */
    static Batch batch(int i) {
        return new Batch("writer", "batch " + i, List.of(
                new Change.Set(key(i), Bytes.utf8("value " + i)),
                new Change.Set(Key.of("last"), Bytes.utf8(Integer.toString(i))),
                new Change.Remove(Key.of("scratch/" + (i + 1) % 3)),
                new Change.Set(Key.of("scratch/" + i % 3), Bytes.utf8("scratch " + i))));
    }

    static Key key(int i) {
        return Key.of("batches/" + i % 10 + "/" + i);
    }
}
