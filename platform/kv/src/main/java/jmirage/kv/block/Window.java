package jmirage.kv.block;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.block.Block;
import jmirage.core.block.BlockError;

/**
 * Read-ahead over a run of sectors, so a scan of many small records reads the device in large
 * pieces. Holds at most {@code maxSectors} sectors (or one record, if larger).
 */
final class Window {

    private final Block block;
    private final long limit;
    private final int maxSectors;
    private long start;
    private Bytes data = Bytes.EMPTY;

    /** Reads never go at or past sector {@code limit}. */
    Window(Block block, long limit, int maxBytes) {
        this.block = block;
        this.limit = limit;
        this.maxSectors = Math.max(1, maxBytes / block.sectorSize());
    }

    /** The sectors if the window holds them, else null. */
    Bytes cached(long sector, long count) {
        int ss = block.sectorSize();
        long end = start + data.size() / ss;
        if (sector >= start && sector + count <= end) {
            return data.slice((int) ((sector - start) * ss), (int) ((sector - start + count) * ss));
        }
        return null;
    }

    /** Reads {@code count} sectors from {@code sector} (and as many after as fit), then answers them. */
    Promise<Result<Bytes, BlockError>> read(long sector, long count) {
        Bytes hit = cached(sector, count);
        if (hit != null) {
            return Promise.resolved(Result.ok(hit));
        }
        long n = Math.min(Math.max(count, maxSectors), limit - sector);
        if (n < count || n > Integer.MAX_VALUE / block.sectorSize()) {
            return Promise.resolved(Result.err(new BlockError.OutOfRange(sector, count, limit)));
        }
        return block.read(sector, (int) n).map(r -> r.map(bytes -> {
            start = sector;
            data = bytes;
            return bytes.slice(0, (int) (count * block.sectorSize()));
        }));
    }
}
