package jmirage.kv.block;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.host.FileBlock;
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
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; ; i++) {
            scheduler.runUntil(kv.commit(batch(i))).value().orElseThrow();
            System.out.println("committed " + i);
            System.out.flush();
        }
    }

    /** Batch {@code i}: values of a few bytes to 100 KB, nested keys, a subtree removed, a key that flips between value and dictionary. */
    static Batch batch(int i) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Key.of("counter"), Bytes.utf8(Integer.toString(i))));
        changes.add(new Change.Set(Key.of("n/" + i % 7 + "/v" + i % 5), value(i, 100 + (i * 7919) % 12_000)));
        changes.add(new Change.Remove(Key.of("n/" + (i + 3) % 7)));
        if (i % 10 == 9) {
            changes.add(new Change.Set(Key.of("big"), value(i, 100_000)));
        }
        changes.add(new Change.Remove(Key.of("flip")));
        changes.add(new Change.Set(Key.of(i % 2 == 0 ? "flip" : "flip/" + i % 3), value(i, 5)));
        return new Batch("crash-writer", "batch " + i, changes);
    }

    private static Bytes value(int i, int size) {
        byte[] prefix = ("batch " + i + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[Math.max(size, prefix.length)];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        for (int j = prefix.length; j < bytes.length; j++) {
            bytes[j] = (byte) (i * 31 + j);
        }
        return Bytes.adopt(bytes);
    }
}
