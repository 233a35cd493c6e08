package jmirage.kv;

import java.time.Duration;
import jmirage.testkit.Started;

/**
 * Reads the standard output of a crash-test writer process (it prints "ready", then "committed i"
 * after each batch it was answered for). Only whole lines count: the kill may cut the last one.
 */
public final class WriterOutput {

    private WriterOutput() {}

    /** Waits until the writer is ready and has reported {@code n} batches (0: only ready). */
    public static boolean awaitCommitted(Started writer, int n, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String out = writer.out();
            if (out.contains("ready\n") && lastCommitted(out) >= n - 1) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The last batch the writer reported in {@code stdout}, or -1. */
    public static int lastCommitted(String stdout) {
        int last = -1;
        String[] lines = stdout.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) { // the part after the last newline is cut
            if (lines[i].startsWith("committed ")) {
                last = Integer.parseInt(lines[i].substring("committed ".length()));
            }
        }
        return last;
    }
}
