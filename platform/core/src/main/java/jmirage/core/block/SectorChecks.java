package jmirage.core.block;

import java.util.Optional;
import jmirage.core.Bytes;

/**
 * What every {@link Block} backend checks about a request before it touches its medium, in one
 * place: that the sectors lie on the device and that a write holds whole sectors.
 */
public final class SectorChecks {

    private SectorChecks() {}

    /** Why reading {@code count} sectors from {@code sector} cannot be done on this geometry; empty when it can. */
    public static Optional<BlockError> read(long sector, int count, int sectorSize, long sectorCount) {
        long length = (long) count * sectorSize;
        if (count < 0 || length > Integer.MAX_VALUE || outOfRange(sector, count, sectorCount)) {
            return Optional.of(new BlockError.OutOfRange(sector, count, sectorCount));
        }
        return Optional.empty();
    }

    /** Why writing {@code data} from {@code sector} cannot be done on this geometry; empty when it can. */
    public static Optional<BlockError> write(long sector, Bytes data, int sectorSize, long sectorCount) {
        if (data.size() % sectorSize != 0) {
            return Optional.of(new BlockError.Misaligned(data.size(), sectorSize));
        }
        long count = data.size() / sectorSize;
        if (outOfRange(sector, count, sectorCount)) {
            return Optional.of(new BlockError.OutOfRange(sector, count, sectorCount));
        }
        return Optional.empty();
    }

    private static boolean outOfRange(long sector, long count, long sectorCount) {
        return sector < 0 || sector > sectorCount || count > sectorCount - sector;
    }
}
