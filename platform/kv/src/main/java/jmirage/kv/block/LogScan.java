package jmirage.kv.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.block.Block;
import jmirage.core.block.BlockError;
import jmirage.core.kv.KvError;
import jmirage.kv.block.BlockFormat.Header;
import jmirage.kv.block.BlockFormat.Superblock;

/**
 * Recovery at mount: reads the superblocks, then the live region's chain of records from its
 * start, rebuilding the index, and stops at the first record that is missing, torn or does not
 * chain (a crash cut it off: that batch was never acknowledged). A damaged snapshot record is
 * damage, not a crash: the snapshot was flushed before the superblock that names it.
 */
final class LogScan {

    static final int READ_AHEAD_BYTES = 1 << 20;

    /** The state recovered: the superblock in force, the index, and where the next record goes. */
    record Mounted(Superblock superblock, BlockIndex index, long head, long nextSequence, int chain, long records) {}

    private final Block block;
    private final Superblock sb;
    private final int ss;
    private final long regionEnd;
    private final Window window;
    private final BlockIndex index;
    private long position;
    private long sequence;
    private int chain;
    private final Promise<Result<Mounted, KvError>> done = Promise.pending();

    private LogScan(Block block, Superblock sb) {
        this.block = block;
        this.sb = sb;
        this.ss = block.sectorSize();
        this.position = sb.regionStart(sb.region());
        this.regionEnd = position + sb.regionSectors();
        this.window = new Window(block, regionEnd, READ_AHEAD_BYTES);
        // a region without a snapshot is a fresh store: its root dates from the format (the store id
        // is the format time in nanoseconds); otherwise the snapshot restores the root's time
        this.index = new BlockIndex(sb.snapshotRecords() == 0 ? sb.storeId() : 0);
        this.chain = BlockFormat.seed(sb.storeId(), sb.generation());
    }

    /** The superblock in force: the valid copy with the highest generation. */
    static Promise<Result<Superblock, KvError>> superblock(Block block) {
        if (block.sectorSize() < BlockFormat.MIN_SECTOR_SIZE || block.sectorCount() < BlockFormat.SUPERBLOCK_SECTORS) {
            return Promise.resolved(Result.err(new KvError.Storage("the device is too small for a block store: "
                    + block.sectorCount() + " sectors of " + block.sectorSize() + " bytes")));
        }
        return block.read(0, BlockFormat.SUPERBLOCK_SECTORS).map(r -> switch (r) {
            case Result.Err<Bytes, BlockError>(BlockError e) -> Result.err(BlockKv.storage("read the superblocks", e));
            case Result.Ok<Bytes, BlockError>(Bytes both) -> {
                int ss = block.sectorSize();
                Optional<Superblock> a = Superblock.decode(both.slice(0, ss));
                Optional<Superblock> b = Superblock.decode(both.slice(ss, 2 * ss));
                Optional<Superblock> best = a.isEmpty() ? b
                        : b.isEmpty() ? a
                        : Optional.of(a.get().generation() >= b.get().generation() ? a.get() : b.get());
                if (best.isEmpty()) {
                    yield Result.err(new KvError.Storage("no block store on this device, or both superblocks are "
                            + "damaged (format it with `unikernel store format IMAGE`)"));
                }
                Superblock s = best.get();
                if (s.sectorSize() != ss || s.sectorCount() > block.sectorCount() || s.regionSectors() < 1) {
                    yield Result.err(new KvError.Storage("the store was formatted for " + s.sectorCount() + " sectors of "
                            + s.sectorSize() + " bytes; this device has " + block.sectorCount() + " of " + ss));
                }
                yield Result.ok(s);
            }
        });
    }

    static Promise<Result<Mounted, KvError>> mount(Block block) {
        return superblock(block).flatMap(r -> switch (r) {
            case Result.Err<Superblock, KvError> e -> Promise.resolved(Result.err(e.error()));
            case Result.Ok<Superblock, KvError>(Superblock s) -> {
                LogScan scan = new LogScan(block, s);
                scan.step();
                yield scan.done;
            }
        });
    }

    /** Reads records while the window holds them; goes back to the device when it does not. */
    private void step() {
        while (true) {
            if (position >= regionEnd) {
                finish();
                return;
            }
            Bytes first = window.cached(position, 1);
            if (first == null) {
                fetch(position, 1);
                return;
            }
            boolean snapshot = sequence < sb.snapshotRecords();
            Optional<Header> header = Header.decode(first, 0).filter(h -> h.storeId() == sb.storeId()
                    && h.generation() == sb.generation() && h.sequence() == sequence && h.previousCrc() == chain
                    && h.type() == (snapshot ? BlockFormat.SNAPSHOT : BlockFormat.BATCH)
                    && h.sectors(ss) <= regionEnd - position);
            if (header.isEmpty()) {
                endOfLog();
                return;
            }
            Header h = header.get();
            long sectors = h.sectors(ss);
            Bytes record = window.cached(position, sectors);
            if (record == null) {
                fetch(position, sectors);
                return;
            }
            Optional<Integer> crc = BlockFormat.checkRecord(record, 0, h);
            Optional<Payload.Decoded> payload = crc.flatMap(c -> Payload.decode(h.type(), record, 0, h.payloadLength()));
            if (payload.isEmpty()) {
                endOfLog();
                return;
            }
            apply(h, payload.get(), position * ss);
            chain = crc.get();
            sequence++;
            position += sectors;
        }
    }

    private void fetch(long sector, long count) {
        window.read(sector, count).onComplete((r, failure) -> {
            if (failure != null) {
                done.reject(failure);
            } else if (r instanceof Result.Err<Bytes, BlockError>(BlockError e)) {
                done.resolve(Result.err(BlockKv.storage("read the log at sector " + sector, e)));
            } else {
                step();
            }
        });
    }

    private void endOfLog() {
        if (sequence < sb.snapshotRecords()) {
            done.resolve(Result.err(new KvError.Storage("snapshot record " + sequence + " of generation "
                    + sb.generation() + " at sector " + position + " is damaged; run `unikernel store fsck`")));
            return;
        }
        finish();
    }

    private void finish() {
        if (sb.snapshotRecords() > 0 && sequence == sb.snapshotRecords() && chain != sb.chainSeed()) {
            // only reachable if the last snapshot record itself was replaced: damage
            done.resolve(Result.err(new KvError.Storage("the snapshot does not match its superblock")));
            return;
        }
        done.resolve(Result.ok(new Mounted(sb, index, position, sequence, chain, sequence)));
    }

    private void apply(Header h, Payload.Decoded payload, long recordByte) {
        for (Payload.Item item : payload.items()) {
            switch (item) {
                case Payload.Item.Set(var key, int offset, int length, int crc) ->
                        index.set(key, new BlockIndex.Location(recordByte + offset, length, crc, payload.time()));
                case Payload.Item.Remove(var key) -> index.remove(key, payload.time());
                case Payload.Item.Value(var key, long time, int offset, int length, int crc) ->
                        index.tree().restoreValue(key, new BlockIndex.Location(recordByte + offset, length, crc, time));
                case Payload.Item.Dictionary(var key, long time) -> index.tree().restoreDictionary(key, time);
            }
        }
    }

    /**
     * For fsck: complete, chained-looking batch records of this generation that lie past the end of
     * the log. With one record in flight at a time, a crash leaves none there; finding one means a
     * record before it was damaged and the batches after it are cut off.
     */
    static Promise<Result<List<String>, KvError>> recordsPastTheEnd(Block block, Mounted m) {
        Superblock sb = m.superblock();
        long end = sb.regionStart(sb.region()) + sb.regionSectors();
        Window w = new Window(block, end, READ_AHEAD_BYTES);
        List<String> found = new ArrayList<>();
        Promise<Result<List<String>, KvError>> result = Promise.pending();
        new Object() {
            long sector = m.head() + 1;

            void step() {
                int ss = block.sectorSize();
                while (sector < end) {
                    Bytes one = w.cached(sector, 1);
                    if (one == null) {
                        w.read(sector, 1).onComplete((r, failure) -> {
                            if (failure != null) {
                                result.reject(failure);
                            } else if (r instanceof Result.Err<Bytes, BlockError>(BlockError e)) {
                                result.resolve(Result.err(BlockKv.storage("read sector " + sector, e)));
                            } else {
                                step();
                            }
                        });
                        return;
                    }
                    Optional<Header> h = Header.decode(one, 0).filter(x -> x.type() == BlockFormat.BATCH
                            && x.storeId() == sb.storeId() && x.generation() == sb.generation()
                            && x.sequence() >= m.nextSequence() && x.sectors(ss) <= end - sector);
                    if (h.isPresent()) {
                        Bytes record = w.cached(sector, h.get().sectors(ss));
                        if (record == null) {
                            long at = sector;
                            w.read(at, h.get().sectors(ss)).onComplete((r, failure) -> {
                                if (failure != null) {
                                    result.reject(failure);
                                } else if (r instanceof Result.Err<Bytes, BlockError>(BlockError e)) {
                                    result.resolve(Result.err(BlockKv.storage("read sector " + at, e)));
                                } else {
                                    step();
                                }
                            });
                            return;
                        }
                        if (BlockFormat.checkRecord(record, 0, h.get()).isPresent()) {
                            found.add("batch record " + h.get().sequence() + " at sector " + sector
                                    + " lies past the end of the log (sector " + m.head() + "): a record before it is damaged");
                            sector += h.get().sectors(ss);
                            continue;
                        }
                    }
                    sector++;
                }
                result.resolve(Result.ok(found));
            }
        }.step();
        return result;
    }
}
