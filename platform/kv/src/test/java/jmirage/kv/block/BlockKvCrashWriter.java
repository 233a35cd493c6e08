package jmirage.kv.block;

import static jmirage.kv.CrashWriter.value;

import java.nio.file.Path;
import java.util.List;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.host.FileBlock;
import jmirage.kv.CrashWriter;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;

/**
 * The child process of {@link BlockKvKillTest}: mounts the block store in the file image given as
 * argument (a {@link FileBlock}, flush = fsync) and commits {@link #batch} 0, 1, 2... until it is
 * killed, printing {@code committed i} once batch i has been answered.
 */
public final class BlockKvCrashWriter {

    static final int SECTOR = 512;

    public static void main(String[] args) {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        FileBlock block = FileBlock.open(Path.of(args[0]), SECTOR, false, scheduler).orElseThrow();
        BlockKv kv = scheduler.runUntil(BlockKv.open(block, scheduler.clock())).value().orElseThrow();
        CrashWriter.commitUntilKilled(scheduler, kv, BlockKvCrashWriter::batch);
    }

    /** Batch {@code i}: values of a few bytes to 100 KB, nested keys, a subtree removed, a key that flips between value and dictionary. */
    static Batch batch(int i) {
        List<Change> changes = CrashWriter.firstChanges(i, 12_000, 100_000);
        changes.add(new Change.Remove(Key.of("flip")));
        changes.add(new Change.Set(Key.of(i % 2 == 0 ? "flip" : "flip/" + i % 3), value(i, 5)));
        return new Batch("crash-writer", "batch " + i, changes);
    }
}
