package jmirage.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import jmirage.core.Bytes;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;

/**
 * What the child writers of the crash tests share: the protocol with the killing parent (print {@code ready}, then
 * {@code committed i} once batch i has been answered) and values that say which batch wrote them.
 */
public final class CrashWriter {

    private CrashWriter() {}

    /** Prints {@code ready}, then commits {@code batch} 0, 1, 2... to {@code kv} until the process is killed. */
    public static void commitUntilKilled(SimScheduler scheduler, Kv kv, IntFunction<Batch> batch) {
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; ; i++) {
            scheduler.runUntil(kv.commit(batch.apply(i))).value().orElseThrow();
            System.out.println("committed " + i);
            System.out.flush();
        }
    }

    /**
     * The changes every batch {@code i} begins with: the counter, a nested value of 100 bytes to
     * {@code 100 + valueSpread}, a subtree removed, and every tenth batch a value of {@code bigSize} bytes.
     */
    public static List<Change> firstChanges(int i, int valueSpread, int bigSize) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Key.of("counter"), Bytes.utf8(Integer.toString(i))));
        changes.add(new Change.Set(Key.of("n/" + i % 7 + "/v" + i % 5), value(i, 100 + (i * 7919) % valueSpread)));
        changes.add(new Change.Remove(Key.of("n/" + (i + 3) % 7)));
        if (i % 10 == 9) {
            changes.add(new Change.Set(Key.of("big"), value(i, bigSize)));
        }
        return changes;
    }

    /** {@code size} bytes (at least the prefix) written by batch {@code i}: {@code "batch i:"}, then bytes from i. */
    public static Bytes value(int i, int size) {
        byte[] prefix = ("batch " + i + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[Math.max(size, prefix.length)];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        for (int j = prefix.length; j < bytes.length; j++) {
            bytes[j] = (byte) (i * 31 + j);
        }
        return Bytes.adopt(bytes);
    }
}
