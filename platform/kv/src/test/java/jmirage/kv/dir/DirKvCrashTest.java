package jmirage.kv.dir;

import jmirage.kv.KvDump;
import jmirage.kv.WriterOutput;

import jmirage.kv.KvModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
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
import jmirage.core.kv.Kv;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches are all or nothing whenever the process dies: a child JVM ({@link DirKvCrashWriter})
 * commits batch after batch and is killed with SIGKILL at a random moment; the folder, once
 * reopened, must hold exactly the state after the last batch it reported, or after the next one
 * (killed between the commit point and the report).
 */
class DirKvCrashTest {

    private static final int RUNS = 60;
    private static final long SEED = 20261128L;

    @TempDir
    Path folder;

    private final List<KvModel> states = new ArrayList<>(List.of(new KvModel()));

    @Test
    void aKilledWriterLeavesExactlyACommittedState() throws Exception {
        Random random = new Random(SEED);
        Set<Integer> recoveredBatches = new HashSet<>();
        int killedMidBatch = 0;
        for (int run = 0; run < RUNS; run++) {
            Path root = folder.resolve("run-" + run);
            // a few kills land during start-up and open; the rest while batches are being written
            boolean early = run % 10 == 0;
            // after a number of reported batches, not of milliseconds, so a loaded machine gets as far
            int afterBatch = early ? 0 : random.nextInt(12);
            long delayMillis = early ? random.nextInt(30) : random.nextInt(20);
            Killed killed = runAndKill(root, early, afterBatch, delayMillis);

            boolean journalLeft = Files.exists(root.resolve(".kv-journal"));
            TreeMap<Key, Bytes> recovered = readAll(root);
            int reported = killed.lastCommitted() + 1; // batches answered before the kill
            String context = "run " + run + " (seed " + SEED + ", kill " + delayMillis + " ms after batch " + afterBatch + ", "
                    + reported + " batches reported)";
            if (recovered.equals(state(reported).values())) {
                recoveredBatches.add(reported);
            } else if (recovered.equals(state(reported + 1).values())) {
                recoveredBatches.add(reported + 1);
                killedMidBatch++;
            } else {
                fail(context + ": the folder holds neither the state after batch " + reported
                        + " nor after " + (reported + 1) + "; keys that differ from each: "
                        + differences(recovered, state(reported).values()) + " / "
                        + differences(recovered, state(reported + 1).values()));
            }
            if (journalLeft) {
                killedMidBatch++;
            }
            assertFalse(Files.exists(root.resolve(".kv-journal")), context + ": recovery leaves no journal");
            try (var leftovers = Files.list(root.resolve(".kv-tmp"))) {
                assertEquals(0, leftovers.count(), context + ": recovery empties .kv-tmp");
            }
        }
        assertTrue(recoveredBatches.size() >= 10, "kills landed at too few points: " + recoveredBatches);
        assertTrue(killedMidBatch > 0, "no kill landed between a commit point and its report");
    }

    private record Killed(int lastCommitted) {}

    private static Killed runAndKill(Path root, boolean early, int afterBatch, long delayMillis) throws Exception {
        Started child = Command.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                DirKvCrashWriter.class.getName(), root.toString()).start();
        if (!early && !WriterOutput.awaitCommitted(child, afterBatch, Duration.ofSeconds(30))) {
            fail("the writer did not open the store: " + child.kill().describe());
        }
        Thread.sleep(delayMillis);
        if (!child.isAlive()) {
            fail("the writer died on its own: " + child.kill().describe());
        }
        // SIGKILL: no shutdown hook, no flush, as a power cut to the process. Lines still in the
        // pipe ("committed i") drain after it and count.
        Ran killed = child.kill();
        assertFalse(child.isAlive());
        return new Killed(WriterOutput.lastCommitted(killed.out()));
    }

    /** The keys whose values differ (or that only one side holds), with where each value came from. */
    private static String differences(TreeMap<Key, Bytes> actual, TreeMap<Key, Bytes> expected) {
        java.util.TreeSet<Key> keys = new java.util.TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        return keys.stream()
                .filter(k -> !java.util.Objects.equals(actual.get(k), expected.get(k)))
                .map(k -> k + "=" + origin(actual.get(k)) + " (expected " + origin(expected.get(k)) + ")")
                .toList().toString();
    }

    private static String origin(Bytes value) {
        if (value == null) {
            return "absent";
        }
        String text = value.slice(0, Math.min(12, value.size())).toUtf8();
        return text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
    }

    /** The state after {@code n} batches, computed by the model. */
    private KvModel state(int n) {
        while (states.size() <= n) {
            KvModel.Result next = states.getLast().apply(DirKvCrashWriter.batch(states.size() - 1));
            assertEquals(Optional.empty(), next.error(), "the writer's batches are valid");
            states.add(next.model());
        }
        return states.get(n);
    }

    /** Opens the folder (which recovers it) and reads every value; no dictionary may be empty. */
    private static TreeMap<Key, Bytes> readAll(Path root) {
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        Kv kv = scheduler.runUntil(DirKv.open(root, scheduler)).value().orElseThrow();
        TreeMap<Key, Bytes> values = KvDump.readAll(kv, scheduler);
        scheduler.runUntil(kv.close());
        return values;
    }
}
