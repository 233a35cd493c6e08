package jmirage.kv.block;

import jmirage.kv.WriterOutput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.kv.Key;
import jmirage.host.FileBlock;
import jmirage.kv.KvDump;
import jmirage.kv.KvModel;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real writer process ({@link BlockKvCrashWriter}) on a file image, killed with SIGKILL at a
 * random moment, 100 times on the same image: each time the image must mount to exactly the state
 * after the batches the writer reported, or one more, and fsck must call it clean. The next writer
 * carries on from what the last one left, so recovery is followed by more writing every time.
 */
class BlockKvKillTest {

    private static final int RUNS = 100;
    private static final long SEED = 20261128L;
    /** 2 MB: two regions of 1 MB; the writer's live data is about half that, so it compacts often. */
    private static final long IMAGE_BYTES = 2L << 20;

    @TempDir
    Path folder;

    @Test
    void aKilledWriterLeavesExactlyAPrefixOfItsBatches() throws Exception {
        int batches = lane(folder.resolve("store.img"), RUNS, SEED);
        assertTrue(batches > RUNS, "the writers got little done: " + batches + " batches in all");
    }

    /** Kills {@code runs} writers in turn on one image; returns how many batches the image holds at the end. */
    private int lane(Path image, int runs, long seed) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES);
        }
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        FileBlock formatting = FileBlock.open(image, BlockKvCrashWriter.SECTOR, false, scheduler).orElseThrow();
        scheduler.runUntil(BlockKv.format(formatting, scheduler.clock())).value().orElseThrow();
        scheduler.runUntil(formatting.close());

        Random random = new Random(seed);
        List<Integer> history = new ArrayList<>(); // the batch numbers in force, in order, across writers
        Set<Long> generations = new HashSet<>();
        for (int run = 0; run < runs; run++) {
            // after a number of batches, not of milliseconds, so the writers get as far on a loaded machine
            int after = random.nextInt(30);
            long delayMillis = random.nextInt(15);
            int reported = runAndKill(image, after, delayMillis);
            String context = image.getFileName() + " run " + run + " (seed " + seed + ", kill " + delayMillis + " ms after batch "
                    + after + ", " + reported + " batches reported)";
            FileBlock block = FileBlock.open(image, BlockKvCrashWriter.SECTOR, false, scheduler).orElseThrow();
            BlockKv kv = scheduler.runUntil(BlockKv.open(block, scheduler.clock())).value()
                    .orElseThrow(e -> new IllegalStateException(context + ": mount failed: " + e.describe()));
            TreeMap<Key, Bytes> found = KvDump.readAll(kv, scheduler);
            int before = history.size();
            if (found.equals(state(history, reported).values())) {
                addBatches(history, reported);
            } else if (found.equals(state(history, reported + 1).values())) {
                addBatches(history, reported + 1);
            } else {
                fail(context + ": the image holds neither the state after the reported batches nor one more; keys " + found.keySet());
            }
            assertTrue(history.size() >= before, context);
            Fsck.Report report = scheduler.runUntil(BlockKv.fsck(block)).value().orElseThrow();
            assertTrue(report.clean(), context + ": fsck: " + report.damage());
            generations.add(report.generation());
            scheduler.runUntil(block.close());
        }
        assertTrue(generations.size() > 3, "the writers compacted too rarely: generations " + generations);
        return history.size();
    }

    /** Each writer starts at batch 0 again; its batches are numbered by what it reported. */
    private static void addBatches(List<Integer> history, int count) {
        for (int i = 0; i < count; i++) {
            history.add(i);
        }
    }

    private static KvModel state(List<Integer> history, int more) {
        KvModel m = new KvModel();
        List<Integer> all = new ArrayList<>(history);
        for (int i = 0; i < more; i++) {
            all.add(i);
        }
        for (int i : all) {
            KvModel.Result r = m.apply(BlockKvCrashWriter.batch(i));
            assertEquals(Optional.empty(), r.error());
            m = r.model();
        }
        return m;
    }

    private static int runAndKill(Path image, int afterBatch, long delayMillis) throws Exception {
        Started child = Command.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
                BlockKvCrashWriter.class.getName(), image.toString()).start();
        if (!WriterOutput.awaitCommitted(child, afterBatch, Duration.ofSeconds(30))) {
            fail("the writer did not get to batch " + afterBatch + ": " + child.kill().describe());
        }
        Thread.sleep(delayMillis);
        if (!child.isAlive()) {
            fail("the writer died on its own: " + child.kill().describe());
        }
        Ran killed = child.kill(); // SIGKILL
        assertFalse(child.isAlive());
        return WriterOutput.lastCommitted(killed.out()) + 1;
    }
}
