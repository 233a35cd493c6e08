package jmirage.kv.block;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.block.Block;
import jmirage.core.block.BlockError;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.kv.BatchRules;
import jmirage.kv.Digests;
import jmirage.kv.block.BlockFormat.Header;
import jmirage.kv.block.BlockFormat.Superblock;

/**
 * A {@link Kv} on a {@link Block} device, in the block format of platform/kv/README.md: a log of
 * checksummed records, one per batch, in one of two regions; when the live region is full, the
 * live values are copied into the other region and the superblock flips to it (compaction). The
 * index in memory holds where each value lies, not the value.
 *
 * <p>Each operation starts once the previous one has finished, so answers come in the order of
 * the calls and at most one record is ever in flight. A commit answers once its record is flushed.
 */
public final class BlockKv implements Kv {

    /** A snapshot record is closed once its payload reaches this size. */
    static final int SNAPSHOT_CHUNK_BYTES = 1 << 20;

    private final Block block;
    private final Clock clock;
    private final int ss;
    private Superblock sb;
    private BlockIndex index;
    private long head;
    private long nextSequence;
    private int chain;
    private Promise<Unit> tail = Promise.done();
    private boolean closed;
    private long compactions;

    private BlockKv(Block block, Clock clock, LogScan.Mounted m) {
        this.block = block;
        this.clock = clock;
        this.ss = block.sectorSize();
        this.sb = m.superblock();
        this.index = m.index();
        this.head = m.head();
        this.nextSequence = m.nextSequence();
        this.chain = m.chain();
    }

    /**
     * Writes an empty store over the whole device, whatever it held: both superblocks are replaced,
     * so an older store on it is gone. The new store's id differs from the old one's, so none of its
     * records can be mistaken for the new store's.
     */
    public static Promise<Result<Unit, KvError>> format(Block block, Clock clock) {
        if (block.readOnly()) {
            return Promise.resolved(Result.err(new KvError.Storage("the device is read-only")));
        }
        if (block.sectorSize() < BlockFormat.MIN_SECTOR_SIZE || block.sectorCount() < BlockFormat.SUPERBLOCK_SECTORS + 2) {
            return Promise.resolved(Result.err(new KvError.Storage("the device is too small for a block store: "
                    + block.sectorCount() + " sectors of " + block.sectorSize() + " bytes")));
        }
        return LogScan.superblock(block).flatMap(old -> {
            long now = nanos(clock.now());
            long id = old instanceof Result.Ok<Superblock, KvError>(Superblock s) && s.storeId() >= now ? s.storeId() + 1 : now;
            Superblock fresh = new Superblock(block.sectorSize(), block.sectorCount(), id, 1, 0, 0,
                    BlockFormat.seed(id, 1));
            Bytes sectors = Bytes.adopt(new byte[block.sectorSize()]).concat(fresh.encode());
            return block.write(0, sectors)
                    .flatMap(w -> w.isOk() ? block.flush() : Promise.resolved(w))
                    .map(r -> r.mapError(e -> storage("format the device", e)));
        });
    }

    /** Mounts the store on {@code block}, recovering from a crash: the log is read up to its last whole record. */
    public static Promise<Result<BlockKv, KvError>> open(Block block, Clock clock) {
        return LogScan.mount(block).map(r -> r.map(m -> new BlockKv(block, clock, m)));
    }

    /** Checks the store on {@code block} without changing it (see {@link Fsck}). */
    public static Promise<Result<Fsck.Report, KvError>> fsck(Block block) {
        return Fsck.check(block);
    }

    /** Read access over a store mounted elsewhere (fsck), without a clock: it never commits. */
    static BlockKv reader(Block block, LogScan.Mounted mounted) {
        return new BlockKv(block, null, mounted);
    }

    /** How many values the index holds. */
    public int size() {
        return index.tree().valueCount();
    }

    /** How many times space has been reclaimed since the store was opened. */
    public long compactions() {
        return compactions;
    }

    @Override
    public Promise<Result<Bytes, KvError>> get(Key key) {
        return issue(() -> {
            BlockIndex.Location at = index.tree().value(key);
            if (at == null) {
                return Promise.resolved(Result.err(index.tree().dictionaryTime(key) != null
                        ? new KvError.NotAValue(key) : new KvError.NotFound(key)));
            }
            return readValue(key, at);
        });
    }

    @Override
    public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
        return issue(() -> Promise.resolved(Result.ok(index.tree().kind(key))));
    }

    @Override
    public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
        return issue(() -> Promise.resolved(switch (index.tree().kind(dictionary).orElse(null)) {
            case DICTIONARY -> Result.ok(index.tree().children(dictionary));
            case VALUE -> Result.err(new KvError.NotADictionary(dictionary));
            case null -> Result.err(new KvError.NotFound(dictionary));
        }));
    }

    @Override
    public Promise<Result<Instant, KvError>> lastModified(Key key) {
        return issue(() -> {
            BlockIndex.Location at = index.tree().value(key);
            Long time = at != null ? Long.valueOf(at.time()) : index.tree().dictionaryTime(key);
            return Promise.resolved(time != null ? Result.ok(instant(time)) : Result.err(new KvError.NotFound(key)));
        });
    }

    @Override
    public Promise<Result<Bytes, KvError>> digest(Key key) {
        return issue(() -> index.tree().kind(key).isPresent()
                ? digestOf(key)
                : Promise.resolved(Result.err(new KvError.NotFound(key))));
    }

    @Override
    public Promise<Result<Unit, KvError>> commit(Batch batch) {
        return issue(() -> {
            Result<Unit, KvError> verdict = BatchRules.check(batch, index.tree());
            if (!verdict.isOk() || batch.changes().isEmpty()) {
                return Promise.resolved(verdict);
            }
            return append(batch);
        });
    }

    /** Waits for what was issued; every commit was flushed when it answered. */
    @Override
    public Promise<Unit> close() {
        closed = true;
        return tail;
    }

    private <T> Promise<Result<T, KvError>> issue(Supplier<Promise<Result<T, KvError>>> operation) {
        if (closed) {
            return Promise.resolved(Result.err(new KvError.Closed()));
        }
        Promise<Result<T, KvError>> answer = tail.flatMap(ignored -> operation.get());
        tail = answer.map(ignored -> Unit.UNIT).recover(ignored -> Unit.UNIT);
        return answer;
    }

    private Promise<Result<Bytes, KvError>> readValue(Key key, BlockIndex.Location at) {
        if (at.length() == 0) {
            return Promise.resolved(Result.ok(Bytes.EMPTY));
        }
        long first = at.position() / ss;
        long last = (at.position() + at.length() - 1) / ss;
        return block.read(first, Math.toIntExact(last - first + 1)).map(r -> switch (r) {
            case Result.Err<Bytes, BlockError>(BlockError e) -> Result.err(storage("read '" + key + "'", e));
            case Result.Ok<Bytes, BlockError>(Bytes sectors) -> {
                int from = (int) (at.position() - first * ss);
                Bytes value = sectors.slice(from, from + at.length());
                yield BlockFormat.crc(value) == at.crc()
                        ? Result.ok(value)
                        : Result.err(new KvError.Storage("the value of '" + key + "' at byte " + at.position()
                                + " fails its checksum: the device is damaged"));
            }
        });
    }

    private Promise<Result<Bytes, KvError>> digestOf(Key key) {
        BlockIndex.Location at = index.tree().value(key);
        if (at != null) {
            return readValue(key, at).map(r -> r.map(Digests::ofValue));
        }
        List<Entry> children = index.tree().children(key);
        List<Promise<Result<Bytes, KvError>>> parts = new ArrayList<>();
        for (Entry e : children) {
            parts.add(digestOf(e.key()));
        }
        return Promise.all(parts).map(digests -> {
            List<Digests.Child> list = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                switch (digests.get(i)) {
                    case Result.Err<Bytes, KvError>(KvError e) -> {
                        return Result.err(e);
                    }
                    case Result.Ok<Bytes, KvError>(Bytes d) ->
                            list.add(new Digests.Child(children.get(i).key().name(), children.get(i).kind(), d));
                }
            }
            return Result.ok(Digests.ofDictionary(list));
        });
    }

    /** Encodes the batch as one record, makes room for it, writes and flushes it, then updates the index. */
    private Promise<Result<Unit, KvError>> append(Batch batch) {
        long time = nanos(clock.now());
        Payload.Writer w = new Payload.Writer();
        w.putLong(time);
        int countAt = w.size();
        w.putInt(0);
        int[] offsets = new int[batch.changes().size()];
        int[] crcs = new int[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            Change change = batch.changes().get(i);
            w.countItem();
            w.putByte(change instanceof Change.Set ? BlockFormat.SET : BlockFormat.REMOVE);
            w.putKey(change.key());
            if (change instanceof Change.Set(Key ignored, Bytes value)) {
                crcs[i] = BlockFormat.crc(value);
                offsets[i] = w.putValue(value, crcs[i]);
            }
        }
        w.patchCount(countAt);
        long sectors = new Header(BlockFormat.BATCH, 0, 0, 0, 0, w.size()).sectors(ss);
        if (sectors > sb.regionSectors()) {
            return Promise.resolved(Result.err(new KvError.Storage("a batch of " + w.size()
                    + " bytes does not fit in a region of this device (" + sb.regionSectors() * ss + " bytes)")));
        }
        return room(sectors).flatMap(ready -> {
            if (!ready.isOk()) {
                return Promise.resolved(ready);
            }
            Header h = new Header(BlockFormat.BATCH, sb.storeId(), sb.generation(), nextSequence, chain, w.size());
            byte[] record = BlockFormat.encodeRecord(h, w.array(), w.size(), ss);
            int crc = BlockFormat.crc(record, 0, BlockFormat.HEADER_BYTES + w.size());
            long at = head;
            return writeAndFlush(at, record, "write batch '" + batch.message() + "'").map(written -> {
                if (written.isOk()) {
                    long base = at * ss;
                    for (int i = 0; i < offsets.length; i++) {
                        switch (batch.changes().get(i)) {
                            case Change.Set(Key key, Bytes value) ->
                                    index.set(key, new BlockIndex.Location(base + offsets[i], value.size(), crcs[i], time));
                            case Change.Remove(Key key) -> index.remove(key, time);
                        }
                    }
                    head = at + sectors;
                    nextSequence++;
                    chain = crc;
                }
                return written;
            });
        });
    }

    private Promise<Result<Unit, KvError>> writeAndFlush(long sector, byte[] bytes, String what) {
        return block.write(sector, Bytes.adopt(bytes))
                .flatMap(w -> w.isOk() ? block.flush() : Promise.resolved(w))
                .map(r -> r.mapError(e -> storage(what, e)));
    }

    /** Compacts if the live region cannot take {@code sectors} more. */
    private Promise<Result<Unit, KvError>> room(long sectors) {
        long end = sb.regionStart(sb.region()) + sb.regionSectors();
        if (head + sectors <= end) {
            return Promise.resolved(Result.ok());
        }
        return compact().map(r -> r.flatMap(ignored -> {
            long newEnd = sb.regionStart(sb.region()) + sb.regionSectors();
            return head + sectors <= newEnd ? Result.ok()
                    : Result.err(new KvError.Storage("the store is full: " + (newEnd - head) * ss
                            + " bytes free after reclaiming space, the batch needs " + sectors * ss));
        }));
    }

    /** Reclaims space now (it otherwise happens when the live region fills up). */
    public Promise<Result<Unit, KvError>> compactNow() {
        return issue(this::compact);
    }

    /**
     * Copies every live value and dictionary into the other region as snapshot records, flushes,
     * then flips the superblock to it and flushes again: a crash before the flip leaves the old
     * region in force, after it the new one; both hold the same state.
     */
    private Promise<Result<Unit, KvError>> compact() {
        return new Compaction().run();
    }

    private final class Compaction {
        final int target = 1 - sb.region();
        final long generation = sb.generation() + 1;
        final long start = sb.regionStart(target);
        final long limit = start + sb.regionSectors();
        final Window oldRegion = new Window(block, sb.regionStart(sb.region()) + sb.regionSectors(), LogScan.READ_AHEAD_BYTES);
        final List<Map.Entry<Key, BlockIndex.Location>> values = index.tree().values().entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getValue().position())).toList();
        final BlockIndex fresh = new BlockIndex(0);
        long position = start;
        long sequence;
        int link = BlockFormat.seed(sb.storeId(), generation);
        Payload.Writer chunk;
        int countAt;
        /** Values in the chunk being built: key, offset in the record, location before. */
        final List<Object[]> pending = new ArrayList<>();
        int next;
        final Promise<Result<Unit, KvError>> done = Promise.pending();

        Promise<Result<Unit, KvError>> run() {
            newChunk();
            for (Map.Entry<Key, Long> d : index.tree().dictionaries().entrySet()) {
                chunk.countItem();
                chunk.putByte(BlockFormat.DICTIONARY);
                chunk.putKey(d.getKey());
                chunk.putLong(d.getValue());
                fresh.tree().restoreDictionary(d.getKey(), d.getValue());
            }
            step();
            return done;
        }

        void newChunk() {
            chunk = new Payload.Writer();
            countAt = chunk.size();
            chunk.putInt(0);
            pending.clear();
        }

        void step() {
            while (next < values.size()) {
                if (chunk.size() >= SNAPSHOT_CHUNK_BYTES) {
                    writeChunk(this::step);
                    return;
                }
                Map.Entry<Key, BlockIndex.Location> e = values.get(next);
                BlockIndex.Location at = e.getValue();
                if (at.length() == 0) {
                    add(e.getKey(), Bytes.EMPTY, at);
                    continue;
                }
                long first = at.position() / ss;
                long count = (at.position() + at.length() - 1) / ss - first + 1;
                Bytes cached = oldRegion.cached(first, count);
                if (cached == null) {
                    oldRegion.read(first, count).onComplete((r, failure) -> {
                        if (failure != null) {
                            done.reject(failure);
                        } else if (r instanceof Result.Err<Bytes, BlockError>(BlockError err)) {
                            done.resolve(Result.err(storage("read '" + e.getKey() + "' to reclaim space", err)));
                        } else {
                            step();
                        }
                    });
                    return;
                }
                int from = (int) (at.position() - first * ss);
                Bytes value = cached.slice(from, from + at.length());
                if (BlockFormat.crc(value) != at.crc()) {
                    done.resolve(Result.err(new KvError.Storage("the value of '" + e.getKey()
                            + "' fails its checksum while reclaiming space: the device is damaged")));
                    return;
                }
                add(e.getKey(), value, at);
            }
            if (chunk.count() > 0 || sequence == 0) {
                writeChunk(this::flip);
            } else {
                flip();
            }
        }

        void add(Key key, Bytes value, BlockIndex.Location at) {
            chunk.countItem();
            chunk.putByte(BlockFormat.VALUE);
            chunk.putKey(key);
            chunk.putLong(at.time());
            int offset = chunk.putValue(value, at.crc());
            pending.add(new Object[] {key, offset, at});
            next++;
        }

        void writeChunk(Runnable then) {
            chunk.patchCount(countAt);
            Header h = new Header(BlockFormat.SNAPSHOT, sb.storeId(), generation, sequence, link, chunk.size());
            long sectors = h.sectors(ss);
            if (position + sectors > limit) {
                done.resolve(Result.err(new KvError.Storage("the store is full: its live data does not fit in "
                        + sb.regionSectors() * ss + " bytes")));
                return;
            }
            byte[] record = BlockFormat.encodeRecord(h, chunk.array(), chunk.size(), ss);
            long base = position * ss;
            for (Object[] p : pending) {
                BlockIndex.Location was = (BlockIndex.Location) p[2];
                fresh.tree().restoreValue((Key) p[0], new BlockIndex.Location(base + (int) p[1], was.length(), was.crc(), was.time()));
            }
            link = BlockFormat.crc(record, 0, BlockFormat.HEADER_BYTES + chunk.size());
            position += sectors;
            sequence++;
            newChunk();
            block.write(position - sectors, Bytes.adopt(record)).onComplete((r, failure) -> {
                if (failure != null) {
                    done.reject(failure);
                } else if (r instanceof Result.Err<Unit, BlockError>(BlockError e)) {
                    done.resolve(Result.err(storage("write a snapshot record", e)));
                } else {
                    then.run();
                }
            });
        }

        void flip() {
            Superblock next = new Superblock(ss, sb.sectorCount(), sb.storeId(), generation, target, (int) sequence, link);
            block.flush()
                    .flatMap(f -> f.isOk() ? block.write(next.slot(), next.encode()) : Promise.resolved(f))
                    .flatMap(w -> w.isOk() ? block.flush() : Promise.resolved(w))
                    .onComplete((r, failure) -> {
                        if (failure != null) {
                            done.reject(failure);
                            return;
                        }
                        if (r instanceof Result.Err<Unit, BlockError>(BlockError e)) {
                            done.resolve(Result.err(storage("switch to the compacted region", e)));
                            return;
                        }
                        sb = next;
                        index = fresh;
                        head = position;
                        nextSequence = sequence;
                        chain = link;
                        compactions++;
                        done.resolve(Result.ok());
                    });
        }
    }

    static KvError storage(String what, BlockError e) {
        String detail = switch (e) {
            case BlockError.Io(String d) -> d;
            case BlockError.OutOfRange(long s, long c, long n) -> "sectors " + s + "+" + c + " outside the device's " + n;
            case BlockError.Misaligned(int length, int size) -> length + " bytes is not whole sectors of " + size;
            case BlockError.ReadOnly() -> "the device is read-only";
            case BlockError.Closed() -> "the device is closed";
        };
        return new KvError.Storage("cannot " + what + ": " + detail);
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
