package jmirage.kv;

import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import jmirage.core.Bytes;
import jmirage.core.kv.Batch;
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
