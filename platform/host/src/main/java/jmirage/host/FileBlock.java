package jmirage.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.block.Block;
import jmirage.core.block.BlockError;
import jmirage.core.block.SectorChecks;

/**
 * A {@link Block} over a file of whole sectors. The file I/O is detached to the scheduler's workers
 * one operation at a time, in the order issued, so a read sees every write issued before it. Call
 * its methods on the loop.
 */
public final class FileBlock implements Block {

    private final FileChannel channel;
    private final int sectorSize;
    private final long sectorCount;
    private final boolean readOnly;
    private final Scheduler scheduler;
    /** Settles when the operation issued last is done: the next one starts after it. */
    private Promise<?> last = Promise.done();
    private Promise<Unit> closing;

    private FileBlock(FileChannel channel, int sectorSize, long sectorCount, boolean readOnly, Scheduler scheduler) {
        this.channel = channel;
        this.sectorSize = sectorSize;
        this.sectorCount = sectorCount;
        this.readOnly = readOnly;
        this.scheduler = scheduler;
    }

    /**
     * Opens an existing file whose size is a positive multiple of {@code sectorSize}; the error says
     * what is wrong with it, for the operator. Blocks: call it at boot, before the loop serves.
     */
    public static Result<FileBlock, OpenError> open(Path path, int sectorSize, boolean readOnly, Scheduler scheduler) {
        if (sectorSize <= 0) {
            throw new IllegalArgumentException("sector size must be positive: " + sectorSize);
        }
        FileChannel channel;
        long size;
        try {
            channel = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = channel.size();
        } catch (NoSuchFileException e) {
            return Result.err(new OpenError.NoSuchFile(path));
        } catch (AccessDeniedException e) {
            return Result.err(new OpenError.PermissionDenied(path));
        } catch (IOException e) {
            return Result.err(new OpenError.Unusable(path, String.valueOf(e.getMessage())));
        }
        if (size == 0 || size % sectorSize != 0) {
            closeQuietly(channel);
            return Result.err(new OpenError.BadImageSize(path, size, sectorSize));
        }
        return Result.ok(new FileBlock(channel, sectorSize, size / sectorSize, readOnly, scheduler));
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
        return readOnly;
    }

    @Override
    public Promise<Result<Bytes, BlockError>> read(long sector, int count) {
        Optional<BlockError> invalid = SectorChecks.read(sector, count, sectorSize, sectorCount);
        if (invalid.isPresent()) {
            return Promise.resolved(Result.err(invalid.get()));
        }
        return inOrder(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(count * sectorSize);
            long position = sector * sectorSize;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    return Result.err(new BlockError.Io("the file ended before sector " + sectorCount
                            + "; did something else truncate it?"));
                }
            }
            return Result.ok(Bytes.adopt(buffer.array()));
        });
    }

    @Override
    public Promise<Result<Unit, BlockError>> write(long sector, Bytes data) {
        Optional<BlockError> invalid = readOnly
                ? Optional.of(new BlockError.ReadOnly())
                : SectorChecks.write(sector, data, sectorSize, sectorCount);
        if (invalid.isPresent()) {
            return Promise.resolved(Result.err(invalid.get()));
        }
        return inOrder(() -> {
            ByteBuffer buffer = data.asReadOnlyBuffer();
            long position = sector * sectorSize;
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position());
            }
            return Result.ok();
        });
    }

    @Override
    public Promise<Result<Unit, BlockError>> flush() {
        return inOrder(() -> {
            channel.force(true);
            return Result.ok();
        });
    }

    /**
     * Closes the file after the operations already issued; later ones fail with Closed. The promise
     * is rejected if the file system reports a fault on close.
     */
    @Override
    public Promise<Unit> close() {
        if (closing == null) {
            Promise<Unit> closed = Promise.pending();
            last.onComplete((v, e) -> scheduler.detach(() -> {
                channel.close();
                return Unit.UNIT;
            }).forward(closed));
            last = closed;
            closing = closed;
        }
        return closing;
    }

    /** Runs {@code io} on a worker once every operation issued before it is done; I/O faults become Io errors. */
    private <T> Promise<Result<T, BlockError>> inOrder(Callable<Result<T, BlockError>> io) {
        if (closing != null) {
            return Promise.resolved(Result.err(new BlockError.Closed()));
        }
        Promise<Result<T, BlockError>> done = Promise.pending();
        last.onComplete((v, e) -> scheduler.detach(() -> {
            try {
                return io.call();
            } catch (IOException failure) {
                return Result.<T, BlockError>err(new BlockError.Io(failure.toString()));
            }
        }).forward(done));
        last = done;
        return done;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it; the open error is what the operator needs to see.
        }
    }
}
