package jmirage.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.block.Block;
import jmirage.core.block.BlockError;
import jmirage.core.block.SectorChecks;

/**
 * A {@link Block} in memory that models what a disk keeps across a power cut. Reads see every write;
 * a write is durable only once a {@link #flush} follows it. {@link #crash} gives the image a reboot
 * would find: the durable content, plus any subset of the writes made since the last flush, one of
 * which may be torn (a sector half new, half old). Faults are seeded, so a failing run replays.
 *
 * <p>Fault injection: {@link #powerOffAfterWrites} cuts the power at the n-th sector write (that
 * write reaches the unflushed cache, every operation after it fails); {@link #failReads} makes reads
 * of chosen sectors fail; {@link #readErrorRate} makes any read fail with a seeded probability.
 * Every operation answers at once, with an already-settled promise.
 */
public final class MemoryBlock implements Block {

    private record PendingWrite(long sector, byte[] data) {}

    private final int sectorSize;
    private final long sectorCount;
    private final byte[] current;
    private final byte[] durable;
    private final List<PendingWrite> pending = new ArrayList<>();
    private final Set<Long> badSectors = new HashSet<>();
    private double readErrorRate;
    private SplittableRandom readErrors;
    private long sectorWrites;
    private long powerOffAt = Long.MAX_VALUE;
    private boolean poweredOff;
    private boolean closed;
    private long flushes;

    /** A blank device (all zeros) of {@code sectorCount} sectors. */
    public MemoryBlock(int sectorSize, long sectorCount) {
        this(sectorSize, new byte[Math.toIntExact(sectorSize * sectorCount)]);
    }

    /** A device holding {@code image} (copied), for example what {@link #crash} returned. */
    public MemoryBlock(int sectorSize, byte[] image) {
        if (sectorSize <= 0 || image.length == 0 || image.length % sectorSize != 0) {
            throw new IllegalArgumentException("an image of " + image.length + " bytes is not whole sectors of " + sectorSize);
        }
        this.sectorSize = sectorSize;
        this.sectorCount = image.length / sectorSize;
        this.current = image.clone();
        this.durable = image.clone();
    }

    /** Cuts the power when the {@code n}-th sector write from now (1 for the next) has reached the cache. */
    public void powerOffAfterWrites(long n) {
        powerOffAt = sectorWrites + n;
    }

    public boolean poweredOff() {
        return poweredOff;
    }

    /** Sector writes so far (a write of k sectors counts k). */
    public long sectorWrites() {
        return sectorWrites;
    }

    public long flushes() {
        return flushes;
    }

    /** Reads that touch {@code sector} fail with an I/O error from now on. */
    public void failReads(long sector) {
        badSectors.add(sector);
    }

    /** Each read fails with probability {@code rate}, drawn from {@code seed}. */
    public void readErrorRate(double rate, long seed) {
        this.readErrorRate = rate;
        this.readErrors = new SplittableRandom(seed);
    }

    /** What the device holds now, as reads see it (a copy). */
    public byte[] image() {
        return current.clone();
    }

    /**
     * The image a reboot would find if the power went now: the durable content, with each write
     * since the last flush kept or lost at random and, with probability one half, one of them torn
     * at a random byte. Does not change this device.
     */
    public byte[] crash(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] image = durable.clone();
        int torn = !pending.isEmpty() && random.nextBoolean() ? random.nextInt(pending.size()) : -1;
        for (int i = 0; i < pending.size(); i++) {
            PendingWrite w = pending.get(i);
            int at = Math.toIntExact(w.sector() * sectorSize);
            if (i == torn) {
                int cut = 1 + random.nextInt(sectorSize - 1);
                System.arraycopy(w.data(), 0, image, at, cut);
            } else if (random.nextBoolean()) {
                System.arraycopy(w.data(), 0, image, at, sectorSize);
            }
        }
        return image;
    }

    /** Unflushed sector writes: what a crash may lose. */
    public int unflushed() {
        return pending.size();
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public long sectorCount() {
        return sectorCount;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public Promise<Result<Bytes, BlockError>> read(long sector, int count) {
        Optional<BlockError> invalid = refused().or(() -> SectorChecks.read(sector, count, sectorSize, sectorCount));
        if (invalid.isPresent()) {
            return Promise.resolved(Result.err(invalid.get()));
        }
        for (long s = sector; s < sector + count; s++) {
            if (badSectors.contains(s)) {
                return Promise.resolved(Result.err(new BlockError.Io("read error at sector " + s)));
            }
        }
        if (readErrors != null && readErrors.nextDouble() < readErrorRate) {
            return Promise.resolved(Result.err(new BlockError.Io("injected read error at sector " + sector)));
        }
        int from = Math.toIntExact(sector * sectorSize);
        return Promise.resolved(Result.ok(Bytes.adopt(Arrays.copyOfRange(current, from, from + count * sectorSize))));
    }

    @Override
    public Promise<Result<Unit, BlockError>> write(long sector, Bytes data) {
        Optional<BlockError> invalid = refused().or(() -> SectorChecks.write(sector, data, sectorSize, sectorCount));
        if (invalid.isPresent()) {
            return Promise.resolved(Result.err(invalid.get()));
        }
        int count = data.size() / sectorSize;
        for (int i = 0; i < count; i++) {
            byte[] one = new byte[sectorSize];
            data.copyTo(i * sectorSize, one, 0, sectorSize);
            System.arraycopy(one, 0, current, Math.toIntExact((sector + i) * sectorSize), sectorSize);
            pending.add(new PendingWrite(sector + i, one));
            if (++sectorWrites >= powerOffAt) {
                poweredOff = true;
                return Promise.resolved(Result.err(new BlockError.Io("power cut during the write")));
            }
        }
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Result<Unit, BlockError>> flush() {
        Optional<BlockError> refused = refused();
        if (refused.isPresent()) {
            return Promise.resolved(Result.err(refused.get()));
        }
        for (PendingWrite w : pending) {
            System.arraycopy(w.data(), 0, durable, Math.toIntExact(w.sector() * sectorSize), sectorSize);
        }
        pending.clear();
        flushes++;
        return Promise.resolved(Result.ok());
    }

    @Override
    public Promise<Unit> close() {
        closed = true;
        return Promise.done();
    }

    /** Why the device takes no request now: closed, or the power is cut. */
    private Optional<BlockError> refused() {
        if (closed) {
            return Optional.of(new BlockError.Closed());
        }
        return poweredOff ? Optional.of(new BlockError.Io("the device has no power")) : Optional.empty();
    }
}
