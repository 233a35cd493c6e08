package jmirage.core.block;

import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;

/**
 * A block device: fixed-size sectors read and written whole. A write is durable only after a
 * {@link #flush} that followed it has resolved.
 */
public interface Block {

    int sectorSize();

    long sectorCount();

    boolean readOnly();

    /** Reads {@code count} sectors from {@code sector}. */
    Promise<Result<Bytes, BlockError>> read(long sector, int count);

    /** Writes whole sectors from {@code sector}; {@code data} is a multiple of the sector size. */
    Promise<Result<Unit, BlockError>> write(long sector, Bytes data);

    /** Makes every completed write durable. */
    Promise<Result<Unit, BlockError>> flush();

    Promise<Unit> close();
}
