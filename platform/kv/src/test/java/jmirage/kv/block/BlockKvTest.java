package jmirage.kv.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.kv.KvConformance;
import jmirage.kv.KvDump;
import jmirage.kv.MemKv;
import jmirage.sim.MemoryBlock;
import jmirage.sim.SimScheduler;
import jmirage.testkit.ByteSearch;
import org.junit.jupiter.api.Test;

class BlockKvTest extends KvConformance {

    /** 24 MB: two regions of 12 MB, room for the conformance suite's two 5 MB values without compaction. */
    private MemoryBlock device;

    @Override
    protected Kv open(SimScheduler scheduler) {
        device = new MemoryBlock(4096, 6144);
        assertEquals(Result.ok(), scheduler.runUntil(BlockKv.format(device, scheduler.clock())).value());
        return mount(device, scheduler);
    }

    @Override
    protected Optional<Kv> reopen(Kv kv, SimScheduler scheduler) {
        await(kv.close());
        return Optional.of(mount(new MemoryBlock(device.sectorSize(), device.crash(1)), scheduler));
    }

    private static BlockKv mount(MemoryBlock block, SimScheduler scheduler) {
        return scheduler.runUntil(BlockKv.open(block, scheduler.clock())).value().orElseThrow();
    }

    private Fsck.Report fsck(MemoryBlock block) {
        return ok(BlockKv.fsck(block));
    }

    @Test
    void anUnformattedDeviceIsRefusedWithAHint() {
        KvError e = err(BlockKv.open(new MemoryBlock(512, 64), scheduler.clock()));
        assertTrue(e.describe().contains("format"), e.describe());
        assertFalse(fsck(new MemoryBlock(512, 64)).clean());
    }

    @Test
    void spaceIsReclaimedWhileServingAndSurvivesARemount() {
        MemoryBlock small = new MemoryBlock(512, 2 + 2 * 64); // two regions of 32 KB
        ok(BlockKv.format(small, scheduler.clock()));
        BlockKv store = mount(small, scheduler);
        MemKv model = new MemKv(scheduler.clock());
        for (int i = 0; i < 500; i++) {
            Key k = Key.of("k/" + i % 10);
            Bytes v = Bytes.utf8(("value " + i + " ").repeat(1 + i % 50));
            ok(store.set(k, v));
            ok(model.set(k, v));
            if (i % 7 == 0) {
                ok(store.remove(Key.of("k/" + (i + 3) % 10)));
                ok(model.remove(Key.of("k/" + (i + 3) % 10)));
            }
        }
        assertTrue(store.compactions() >= 5, "compactions: " + store.compactions());
        TreeMap<Key, Bytes> expected = KvDump.readAll(model, scheduler);
        assertEquals(expected, KvDump.readAll(store, scheduler));
        assertEquals(ok(model.digest(Key.ROOT)), ok(store.digest(Key.ROOT)), "digests equal MemKv's");
        BlockKv again = mount(new MemoryBlock(512, small.crash(7)), scheduler);
        assertEquals(expected, KvDump.readAll(again, scheduler));
        assertEquals(ok(store.lastModified(Key.of("k/1"))), ok(again.lastModified(Key.of("k/1"))), "times survive compaction");
        assertTrue(fsck(small).clean(), fsck(small).damage().toString());
    }

    @Test
    void aStoreThatIsFullSaysSoAndKeepsItsData() {
        MemoryBlock small = new MemoryBlock(512, 2 + 2 * 16); // two regions of 8 KB
        ok(BlockKv.format(small, scheduler.clock()));
        BlockKv store = mount(small, scheduler);
        Bytes kb = Bytes.of(new byte[1024]);
        int stored = 0;
        KvError full = null;
        for (int i = 0; i < 20 && full == null; i++) {
            Result<jmirage.core.Unit, KvError> r = await(store.set(Key.of("v" + i), kb));
            if (r instanceof Result.Err<jmirage.core.Unit, KvError>(KvError e)) {
                full = e;
            } else {
                stored++;
            }
        }
        assertInstanceOf(KvError.Storage.class, full);
        assertTrue(full.describe().contains("full"), full.describe());
        assertEquals(stored, KvDump.readAll(store, scheduler).size());
        assertEquals(stored, KvDump.readAll(mount(new MemoryBlock(512, small.image()), scheduler), scheduler).size());
    }

    @Test
    void aReadErrorIsAStorageErrorNotAWrongValue() {
        set("a", "1");
        set("b", "2");
        device.readErrorRate(1.0, 3);
        assertInstanceOf(KvError.Storage.class, err(kv.get(key("a"))));
        device.readErrorRate(0.0, 3);
        assertEquals(text("2"), ok(kv.get(key("b"))));
    }

    @Test
    void aFlippedBitInAValueIsCaughtByItsChecksum() {
        set("a", "hello, block");
        byte[] image = device.image();
        int at = ByteSearch.indexOf(image, "hello, block".getBytes());
        assertTrue(at >= 0, "the value is in the image");
        image[at + 3] ^= 1;
        MemoryBlock damaged = new MemoryBlock(device.sectorSize(), image);
        // the record's CRC fails: the log ends before it, and fsck finds nothing past the end
        // (it was the last record); a later record makes the cut-off visible
        Kv mounted = mount(damaged, scheduler);
        assertEquals(new KvError.NotFound(key("a")), err(mounted.get(key("a"))));
    }

    @Test
    void fsckFindsRecordsCutOffByDamage() {
        set("a", "first value");
        set("b", "second");
        set("c", "third");
        assertTrue(fsck(device).clean());
        byte[] image = device.image();
        int at = ByteSearch.indexOf(image, "first value".getBytes());
        assertTrue(at >= 0, "the value is in the image");
        image[at] ^= 0x40;
        Fsck.Report report = fsck(new MemoryBlock(device.sectorSize(), image));
        assertFalse(report.clean());
        assertTrue(report.damage().getFirst().contains("past the end"), report.damage().toString());
    }

    @Test
    void aTornSuperblockFallsBackToTheOtherCopy() {
        MemoryBlock small = new MemoryBlock(512, 2 + 2 * 32);
        ok(BlockKv.format(small, scheduler.clock()));
        BlockKv store = mount(small, scheduler);
        for (int i = 0; i < 100; i++) {
            ok(store.set(Key.of("k" + i % 3), Bytes.of(new byte[900])));
        }
        assertTrue(store.compactions() >= 2);
        ok(store.set(Key.of("last"), text("x")));
        for (int slot = 0; slot < 2; slot++) {
            byte[] image = small.image();
            image[slot * 512 + 20] ^= 1;
            Kv kv = mount(new MemoryBlock(512, image), scheduler);
            // one copy is older: its region may be stale, but what it names must still be a committed state
            assertTrue(ok(kv.list(Key.ROOT)).size() >= 1);
        }
    }

    @Test
    void commitsAreFlushedBeforeTheyAnswer() {
        set("a", "1");
        assertEquals(0, device.unflushed());
        scheduler.runFor(Duration.ofSeconds(1));
        ok(kv.commit(new Batch("t", "m", List.of(new Change.Set(key("b"), text("2")), new Change.Remove(key("a"))))));
        assertEquals(0, device.unflushed());
    }

}
