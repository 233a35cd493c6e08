package jmirage.kv.dir;

import static jmirage.kv.CrashWriter.value;

import java.nio.file.Path;
import java.util.List;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.kv.CrashWriter;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * The child process of {@link DirKvCrashTest}: commits {@link #batch} 0, 1, 2... to a DirKv in the
 * folder given as argument until it is killed, printing {@code committed i} once batch i has been
 * answered. The simulation scheduler runs the detached file work on this thread.
 */
public final class DirKvCrashWriter {

    public static void main(String[] args) {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        Kv kv = scheduler.runUntil(DirKv.open(Path.of(args[0]), scheduler)).value().orElseThrow();
        CrashWriter.commitUntilKilled(scheduler, kv, DirKvCrashWriter::batch);
    }

    /**
     * Batch {@code i}: values that encode i, of sizes from a few bytes to 300 KB, nested keys, a
     * subtree removed, and keys that turn from value to dictionary and back within the batch, so
     * that redoing it over its own half-applied state must replace one by the other.
     */
    static Batch batch(int i) {
        List<Change> changes = CrashWriter.firstChanges(i, 20_000, 300_000);
        changes.add(new Change.Set(Key.of("deep/a/b/c" + i % 4), value(i, 10)));
        changes.add(new Change.Remove(Key.of("flip")));
        changes.add(new Change.Set(Key.of("flip"), value(i, 5)));
        changes.add(new Change.Remove(Key.of("flip")));
        changes.add(new Change.Set(Key.of("flip/" + i % 3), value(i, 5)));
        if (i % 2 == 1) {
            changes.add(new Change.Remove(Key.of("flip")));
            changes.add(new Change.Set(Key.of("flip"), value(i, 7)));
        }
        changes.add(new Change.Set(Key.of("flat" + i % 3), value(i, 1000)));
        // the previous batch removed this key, and this one leaves a folder there: redoing the
        // batch over its own result makes the set at its start replace that folder by a value
        String swap = "swap" + i % 2;
        changes.add(new Change.Set(Key.of(swap), value(i, 3)));
        changes.add(new Change.Remove(Key.of(swap)));
        changes.add(new Change.Set(Key.of(swap + "/q"), value(i, 3)));
        changes.add(new Change.Remove(Key.of("swap" + (i + 1) % 2)));
        return new Batch("crash-writer", "batch " + i, changes);
    }
}
