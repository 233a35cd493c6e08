package jmirage.kv.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.kv.KvDump;
import jmirage.kv.KvModel;
import jmirage.sim.MemoryBlock;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The power goes at a chosen sector write (that write and every unflushed one before it kept, lost
 * or torn at random, by seed); the device is mounted again. The store must hold exactly the state
 * after the batches acknowledged before the cut, or after one more (cut between its last write and
 * its answer), fsck must call it clean, and it must keep working: batches committed after the
 * recovery are there after another remount, with nothing stale resurrected.
 */
class BlockKvCrashPropertyTest {

    private static final int SECTOR = 512;
    /** Two regions of 16 KB: the workload compacts every few dozen batches. */
    private static final int REGION_SECTORS = 32;
    private static final int BATCHES = 80;

    @Test
    void everyCrashPointOfAWorkloadRecoversToAPrefix() {
        int runs = 0;
        int[] outcomes = new int[2];
        for (long workload = 1; workload <= 10; workload++) {
            List<Batch> batches = workload(workload, BATCHES);
            long writes = referenceWrites(batches);
            assertTrue(writes > 100, "the workload writes " + writes + " sectors");
            for (long k = 1; k <= writes; k++) {
                outcomes[check(batches, k, workload * 1_000_003 + k)]++;
                runs++;
            }
        }
        assertTrue(runs >= 1000, "crash points: " + runs);
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100,
                "crashes recovering the acknowledged batches / one more: " + outcomes[0] + " / " + outcomes[1]);
    }

    @Property(tries = 1500)
    void aRandomCrashRecoversToAPrefix(@ForAll @LongRange(min = 1, max = 1_000_000) long workload,
                                       @ForAll @IntRange(min = 1, max = 2000) int crashAt,
                                       @ForAll long crashSeed) {
        List<Batch> batches = workload(workload, 30);
        check(batches, crashAt, crashSeed);
    }

    /** How many sector writes the workload makes without a crash. */
    private static long referenceWrites(List<Batch> batches) {
        SimScheduler scheduler = scheduler();
        MemoryBlock device = formatted(scheduler);
        long before = device.sectorWrites();
        BlockKv kv = scheduler.runUntil(BlockKv.open(device, scheduler.clock())).value().orElseThrow();
        for (Batch b : batches) {
            scheduler.runUntil(kv.commit(b)).value().orElseThrow();
        }
        assertTrue(kv.compactions() >= 2, "the workload must compact: " + kv.compactions());
        return device.sectorWrites() - before;
    }

    /** Returns 1 if the batch in flight at the cut was recovered, 0 if not. */
    private static int check(List<Batch> batches, long crashAt, long crashSeed) {
        SimScheduler scheduler = scheduler();
        MemoryBlock device = formatted(scheduler);
        BlockKv kv = scheduler.runUntil(BlockKv.open(device, scheduler.clock())).value().orElseThrow();
        device.powerOffAfterWrites(crashAt);
        int acknowledged = 0;
        for (Batch b : batches) {
            Result<Unit, KvError> r = scheduler.runUntil(kv.commit(b)).value();
            if (!r.isOk()) {
                assertTrue(device.poweredOff(), "only the power cut fails a commit: " + r);
                break;
            }
            acknowledged++;
        }
        String context = "crash at sector write " + crashAt + ", seed " + crashSeed + ", " + acknowledged + " batches acknowledged";
        MemoryBlock rebooted = new MemoryBlock(SECTOR, device.crash(crashSeed));
        BlockKv recovered = switch (scheduler.runUntil(BlockKv.open(rebooted, scheduler.clock())).value()) {
            case Result.Ok<BlockKv, KvError>(BlockKv ok) -> ok;
            case Result.Err<BlockKv, KvError>(KvError e) -> fail(context + ": mount failed: " + e.describe());
        };
        TreeMap<Key, Bytes> found = KvDump.readAll(recovered, scheduler);
        KvModel state = model(batches, acknowledged);
        int recoveredBatches;
        if (found.equals(state.values())) {
            recoveredBatches = acknowledged;
        } else if (acknowledged < batches.size() && found.equals(model(batches, acknowledged + 1).values())) {
            recoveredBatches = acknowledged + 1;
        } else {
            return fail(context + ": the store holds neither the state after batch " + acknowledged + " nor the next: " + found.keySet());
        }
        Fsck.Report report = scheduler.runUntil(BlockKv.fsck(rebooted)).value().orElseThrow();
        assertTrue(report.clean(), context + ": fsck: " + report.damage());

        // the store keeps working, and a second remount sees exactly the new batches on top
        List<Batch> more = workload(crashSeed ^ 0x5DEECE66DL, 5);
        KvModel expected = model(batches, recoveredBatches);
        for (Batch b : more) {
            KvModel.Result next = expected.apply(b);
            Result<Unit, KvError> r = scheduler.runUntil(recovered.commit(b)).value();
            assertEquals(next.error().isEmpty(), r.isOk(), context + ": after recovery, " + r);
            expected = next.model();
        }
        MemoryBlock again = new MemoryBlock(SECTOR, rebooted.crash(crashSeed + 1));
        BlockKv remounted = scheduler.runUntil(BlockKv.open(again, scheduler.clock())).value().orElseThrow();
        assertEquals(expected.values(), KvDump.readAll(remounted, scheduler), context + ": after a second remount");
        return recoveredBatches - acknowledged;
    }

    private static KvModel model(List<Batch> batches, int n) {
        KvModel m = new KvModel();
        for (int i = 0; i < n; i++) {
            KvModel.Result r = m.apply(batches.get(i));
            assertEquals(Optional.empty(), r.error(), "workload batches are valid");
            m = r.model();
        }
        return m;
    }

    private static SimScheduler scheduler() {
        return new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
    }

    private static MemoryBlock formatted(SimScheduler scheduler) {
        MemoryBlock device = new MemoryBlock(SECTOR, 2 + 2 * REGION_SECTORS);
        scheduler.runUntil(BlockKv.format(device, scheduler.clock())).value().orElseThrow();
        return device;
    }

    /**
     * {@code n} valid batches over a small tree (a, b, c two levels deep), of one to four changes,
     * values up to 700 bytes, some spanning several sectors; removals of values and subtrees.
     */
    static List<Batch> workload(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] names = {"a", "b", "c"};
        List<Batch> batches = new ArrayList<>();
        KvModel model = new KvModel();
        while (batches.size() < n) {
            List<Change> changes = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                String path = names[random.nextInt(3)] + (random.nextBoolean() ? "/" + names[random.nextInt(3)] : "");
                if (random.nextInt(4) == 0) {
                    changes.add(new Change.Remove(Key.of(path)));
                } else {
                    byte[] value = new byte[random.nextInt(700)];
                    random.nextBytes(value);
                    changes.add(new Change.Set(Key.of(path), Bytes.adopt(value)));
                }
            }
            Batch b = new Batch("crash-test", "batch " + batches.size(), changes);
            KvModel.Result r = model.apply(b);
            if (r.error().isEmpty()) {
                batches.add(b);
                model = r.model();
            }
        }
        return batches;
    }
}
