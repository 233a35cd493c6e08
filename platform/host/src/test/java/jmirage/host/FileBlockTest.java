package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.block.BlockError;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockTest {

    private static final int SECTOR = 512;

    @TempDir
    Path directory;

    private final HostScheduler scheduler = HostScheduler.start("block-test");

    @AfterEach
    void stop() throws InterruptedException {
        assertTrue(scheduler.shutdown(Duration.ofSeconds(10)));
    }

    private Path disk(int sectors) throws Exception {
        Path file = directory.resolve("disk.img");
        Files.write(file, new byte[sectors * SECTOR]);
        return file;
    }

    private static Bytes sectors(int count, int fill) {
        byte[] data = new byte[count * SECTOR];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (fill + i);
        }
        return Bytes.adopt(data);
    }

    @Test
    void aReadIssuedRightAfterAWriteSeesIt() throws Exception {
        FileBlock block = FileBlock.open(disk(8), SECTOR, false, scheduler).orElseThrow();
        assertEquals(8, block.sectorCount());
        Bytes data = sectors(2, 7);

        Result<Bytes, BlockError> read = OnLoop.await(scheduler, () -> {
            block.write(3, data);
            return block.read(3, 2);
        });

        assertEquals(Result.ok(data), read);
        assertEquals(Result.ok(Bytes.adopt(new byte[SECTOR])), OnLoop.await(scheduler, () -> block.read(2, 1)));
    }

    @Test
    void flushedWritesSurviveAReopen() throws Exception {
        Path file = disk(4);
        FileBlock block = FileBlock.open(file, SECTOR, false, scheduler).orElseThrow();
        Bytes data = sectors(1, 42);
        assertEquals(Result.ok(), OnLoop.await(scheduler, () -> block.write(3, data).flatMap(w -> block.flush())));
        OnLoop.await(scheduler, block::close);

        FileBlock reopened = FileBlock.open(file, SECTOR, true, scheduler).orElseThrow();

        assertEquals(Result.ok(data), OnLoop.await(scheduler, () -> reopened.read(3, 1)));
    }

    @Test
    void rangeAlignmentAndModeAreChecked() throws Exception {
        Path file = disk(4);
        FileBlock block = FileBlock.open(file, SECTOR, false, scheduler).orElseThrow();
        FileBlock readOnly = FileBlock.open(file, SECTOR, true, scheduler).orElseThrow();

        assertEquals(Result.err(new BlockError.OutOfRange(3, 2, 4)), OnLoop.await(scheduler, () -> block.read(3, 2)));
        assertEquals(Result.err(new BlockError.OutOfRange(-1, 1, 4)), OnLoop.await(scheduler, () -> block.read(-1, 1)));
        assertEquals(Result.err(new BlockError.OutOfRange(4, 1, 4)), OnLoop.await(scheduler, () -> block.write(4, sectors(1, 0))));
        assertEquals(Result.err(new BlockError.Misaligned(100, SECTOR)), OnLoop.await(scheduler, () -> block.write(0, Bytes.adopt(new byte[100]))));
        assertEquals(Result.err(new BlockError.ReadOnly()), OnLoop.await(scheduler, () -> readOnly.write(0, sectors(1, 0))));
        assertEquals(Result.ok(Bytes.adopt(new byte[4 * SECTOR])), OnLoop.await(scheduler, () -> readOnly.read(0, 4)));
    }

    @Test
    void aClosedBlockRefusesWork() throws Exception {
        FileBlock block = FileBlock.open(disk(1), SECTOR, false, scheduler).orElseThrow();

        Result<Bytes, BlockError> read = OnLoop.await(scheduler, () -> block.close().flatMap(closed -> block.read(0, 1)));

        assertEquals(Result.err(new BlockError.Closed()), read);
    }

    @Test
    void aMissingFileIsAClearError() {
        Result<FileBlock, OpenError> opened = FileBlock.open(directory.resolve("absent.img"), SECTOR, false, scheduler);

        assertEquals(Result.err(new OpenError.NoSuchFile(directory.resolve("absent.img"))), opened);
        assertTrue(((Result.Err<FileBlock, OpenError>) opened).error().describe().contains("no such file"));
    }

    @Test
    void aFileOfPartialSectorsIsAClearError() throws Exception {
        Path file = directory.resolve("odd.img");
        Files.write(file, new byte[SECTOR + 1]);

        Result<FileBlock, OpenError> opened = FileBlock.open(file, SECTOR, false, scheduler);

        assertEquals(Result.err(new OpenError.BadImageSize(file, SECTOR + 1, SECTOR)), opened);
        assertTrue(((Result.Err<FileBlock, OpenError>) opened).error().describe().contains("513 bytes"));
    }

    @Test
    void writesLandInIssueOrder() throws Exception {
        FileBlock block = FileBlock.open(disk(1), SECTOR, false, scheduler).orElseThrow();

        Result<Bytes, BlockError> read = OnLoop.await(scheduler, () -> {
            for (int i = 0; i < 50; i++) {
                block.write(0, sectors(1, i));
            }
            return block.read(0, 1);
        });

        assertEquals(Result.ok(sectors(1, 49)), read);
    }

}
