package jmirage.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.block.BlockError;
import org.junit.jupiter.api.Test;

class MemoryBlockTest {

    private static Bytes filled(int sectors, int value) {
        byte[] b = new byte[sectors * 64];
        Arrays.fill(b, (byte) value);
        return Bytes.adopt(b);
    }

    @Test
    void readsSeeWritesAndFlushedWritesSurviveACrash() {
        MemoryBlock block = new MemoryBlock(64, 8);
        assertEquals(Result.ok(), block.write(2, filled(2, 7)).value());
        assertEquals(filled(2, 7), block.read(2, 2).value().orElseThrow());
        block.flush().value().orElseThrow();
        assertEquals(0, block.unflushed());
        for (long seed = 0; seed < 20; seed++) {
            assertArrayEquals(block.image(), block.crash(seed));
        }
    }

    @Test
    void unflushedWritesAreKeptLostOrTornBySeed() {
        MemoryBlock block = new MemoryBlock(64, 4);
        block.write(0, filled(4, 9)).value().orElseThrow();
        Set<String> outcomes = new HashSet<>();
        boolean torn = false;
        for (long seed = 0; seed < 200; seed++) {
            byte[] image = block.crash(seed);
            assertArrayEquals(image, block.crash(seed), "a seed replays");
            StringBuilder shape = new StringBuilder();
            for (int s = 0; s < 4; s++) {
                int nines = 0;
                for (int i = 0; i < 64; i++) {
                    nines += image[s * 64 + i] == 9 ? 1 : 0;
                }
                shape.append(nines == 64 ? 'N' : nines == 0 ? 'O' : 'T');
                if (nines > 0 && nines < 64) {
                    torn = true;
                    for (int i = 0; i < 64; i++) { // torn: a prefix new, the rest old
                        assertEquals(i < nines ? 9 : 0, image[s * 64 + i]);
                    }
                }
            }
            outcomes.add(shape.toString());
        }
        assertTrue(torn, "some crash tears a sector");
        assertTrue(outcomes.contains("OOOO") && outcomes.contains("NNNN") && outcomes.size() > 8, outcomes.toString());
    }

    @Test
    void thePowerGoesAtTheChosenWrite() {
        MemoryBlock block = new MemoryBlock(64, 8);
        block.powerOffAfterWrites(3);
        assertTrue(block.write(0, filled(2, 1)).value().isOk());
        assertInstanceOf(Result.Err.class, block.write(2, filled(2, 2)).value());
        assertTrue(block.poweredOff());
        assertEquals(3, block.sectorWrites());
        assertInstanceOf(Result.Err.class, block.flush().value());
        assertInstanceOf(Result.Err.class, block.read(0, 1).value());
        assertEquals(3, block.unflushed(), "the third write reached the cache, the fourth never started");
    }

    @Test
    void readErrorsAreInjected() {
        MemoryBlock block = new MemoryBlock(64, 8);
        block.failReads(5);
        assertTrue(block.read(0, 5).value().isOk());
        assertEquals(new Result.Err<Bytes, BlockError>(new BlockError.Io("read error at sector 5")), block.read(4, 2).value());
        MemoryBlock flaky = new MemoryBlock(64, 8);
        flaky.readErrorRate(0.5, 11);
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            failed += flaky.read(0, 1).value().isOk() ? 0 : 1;
        }
        assertTrue(failed > 20 && failed < 80, "failed " + failed);
        assertInstanceOf(BlockError.OutOfRange.class,
                ((Result.Err<Bytes, BlockError>) block.read(7, 2).value()).error());
    }
}
