package jmirage.kv.block;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;
import jmirage.core.Bytes;

/**
 * The block backend's on-disk format, version 1, as bytes (platform/kv/README.md, "The block
 * backend"). Pure: no I/O. All integers are big-endian.
 *
 * <p>Sectors 0 and 1 hold two copies of the superblock, written alternately (generation g goes to
 * sector g mod 2), so a torn superblock write leaves the other copy. The rest of the device is two
 * equal regions; the superblock names the live one. A region holds a chain of records, each
 * starting on a sector boundary: a header, a payload, and a CRC32C of both.
 */
final class BlockFormat {

    static final int VERSION = 1;
    /** "JMKVBLK1". */
    static final long SUPER_MAGIC = 0x4A4D4B56424C4B31L;
    /** "JKVR". */
    static final int RECORD_MAGIC = 0x4A4B5652;
    static final int SUPERBLOCK_BYTES = 64;
    static final int SUPERBLOCK_SECTORS = 2;
    /** magic 4, type 1, pad 3, store id 8, generation 8, sequence 8, previous crc 4, payload length 4. */
    static final int HEADER_BYTES = 40;
    static final int TRAILER_BYTES = 4;
    static final int MIN_SECTOR_SIZE = 64;

    static final byte BATCH = 1;
    static final byte SNAPSHOT = 2;

    /** Change tags in a batch payload. */
    static final byte SET = 1;
    static final byte REMOVE = 2;
    /** Entry tags in a snapshot payload. */
    static final byte VALUE = 3;
    static final byte DICTIONARY = 4;

    private BlockFormat() {}

    /**
     * What the superblock says: the device geometry it was formatted for, the store's identity, the
     * generation (one more at each compaction), the live region, how many snapshot records open it,
     * and the CRC the first record of the region chains from.
     */
    record Superblock(int sectorSize, long sectorCount, long storeId, long generation, int region,
                      int snapshotRecords, int chainSeed) {

        long regionSectors() {
            return (sectorCount - SUPERBLOCK_SECTORS) / 2;
        }

        long regionStart(int r) {
            return SUPERBLOCK_SECTORS + r * regionSectors();
        }

        long slot() {
            return generation % 2;
        }

        Bytes encode() {
            ByteBuffer b = ByteBuffer.allocate(sectorSize);
            b.putLong(SUPER_MAGIC).putInt(VERSION).putInt(sectorSize).putLong(sectorCount).putLong(storeId)
                    .putLong(generation).putInt(region).putInt(snapshotRecords).putInt(chainSeed);
            b.putInt(crc(b.array(), 0, b.position()));
            return Bytes.adopt(b.array());
        }

        /** The superblock in {@code sector}, or empty if it is torn, blank or not ours. */
        static Optional<Superblock> decode(Bytes sector) {
            if (sector.size() < SUPERBLOCK_BYTES) {
                return Optional.empty();
            }
            ByteBuffer b = sector.asReadOnlyBuffer();
            if (b.getLong() != SUPER_MAGIC || b.getInt() != VERSION) {
                return Optional.empty();
            }
            Superblock s = new Superblock(b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getInt());
            byte[] raw = new byte[b.position()];
            sector.copyTo(0, raw, 0, raw.length);
            if (b.getInt() != crc(raw, 0, raw.length) || (s.region != 0 && s.region != 1) || s.snapshotRecords < 0) {
                return Optional.empty();
            }
            return Optional.of(s);
        }
    }

    /** A record header; {@code previousCrc} links each record to the one before it. */
    record Header(byte type, long storeId, long generation, long sequence, int previousCrc, int payloadLength) {

        /** Sectors the whole record takes. */
        long sectors(int sectorSize) {
            return (HEADER_BYTES + (long) payloadLength + TRAILER_BYTES + sectorSize - 1) / sectorSize;
        }

        /** The header at the start of {@code bytes}, or empty if there is none. */
        static Optional<Header> decode(Bytes bytes, int offset) {
            if (bytes.size() - offset < HEADER_BYTES) {
                return Optional.empty();
            }
            ByteBuffer b = bytes.asReadOnlyBuffer();
            b.position(offset);
            if (b.getInt() != RECORD_MAGIC) {
                return Optional.empty();
            }
            byte type = b.get();
            b.position(b.position() + 3);
            Header h = new Header(type, b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getInt());
            if ((type != BATCH && type != SNAPSHOT) || h.payloadLength < 0) {
                return Optional.empty();
            }
            return Optional.of(h);
        }
    }

    /** The record, padded with zeros to whole sectors. */
    static byte[] encodeRecord(Header h, byte[] payload, int payloadLength, int sectorSize) {
        byte[] record = new byte[Math.toIntExact(h.sectors(sectorSize) * sectorSize)];
        ByteBuffer b = ByteBuffer.wrap(record);
        b.putInt(RECORD_MAGIC).put(h.type()).put((byte) 0).put((byte) 0).put((byte) 0)
                .putLong(h.storeId()).putLong(h.generation()).putLong(h.sequence())
                .putInt(h.previousCrc()).putInt(payloadLength);
        b.put(payload, 0, payloadLength);
        b.putInt(crc(record, 0, HEADER_BYTES + payloadLength));
        return record;
    }

    /** The CRC of the whole record starting at {@code offset}, if it checks; empty if torn or damaged. */
    static Optional<Integer> checkRecord(Bytes bytes, int offset, Header h) {
        int end = offset + HEADER_BYTES + h.payloadLength();
        if (end + TRAILER_BYTES > bytes.size()) {
            return Optional.empty();
        }
        int crc = crc(bytes, offset, end);
        int stored = (bytes.getUnsigned(end) << 24) | (bytes.getUnsigned(end + 1) << 16)
                | (bytes.getUnsigned(end + 2) << 8) | bytes.getUnsigned(end + 3);
        return crc == stored ? Optional.of(crc) : Optional.empty();
    }

    static int crc(byte[] bytes, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(bytes, from, to - from);
        return (int) c.getValue();
    }

    static int crc(Bytes bytes, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(bytes.asReadOnlyBuffer().position(from).limit(to));
        return (int) c.getValue();
    }

    static int crc(Bytes value) {
        CRC32C c = new CRC32C();
        c.update(value.asReadOnlyBuffer());
        return (int) c.getValue();
    }

    /** The chain seed of a region that starts with no snapshot: ties its first record to the store and generation. */
    static int seed(long storeId, long generation) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(storeId).putLong(generation);
        return crc(b.array(), 0, 16);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
