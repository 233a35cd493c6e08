package jmirage.core.block;

/** The expected ways a {@link Block} operation fails. */
public sealed interface BlockError {

    record OutOfRange(long sector, long count, long sectorCount) implements BlockError {}

    record Misaligned(int length, int sectorSize) implements BlockError {}

    record ReadOnly() implements BlockError {}

    record Closed() implements BlockError {}

    record Io(String detail) implements BlockError {}
}
