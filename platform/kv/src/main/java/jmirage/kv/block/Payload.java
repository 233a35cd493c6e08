package jmirage.kv.block;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;

/**
 * Record payloads of the block format, version 1. A batch payload: commit time (8, nanoseconds
 * since the epoch), change count (4), then per change a tag (1 set, 2 remove), key length (4), key
 * in UTF-8, and for a set the value length (4), the value's CRC32C (4) and the value. A snapshot
 * payload: entry count (4), then per entry a tag (3 value, 4 dictionary), key length and key, time
 * (8), and for a value its length, CRC32C and bytes. Offsets in {@link Item} count from the start of
 * the record, so a value's place on the device is the record's byte position plus its offset.
 */
final class Payload {

    private Payload() {}

    /** A decoded part of a payload: the value itself stays on the device, only where it is is kept. */
    sealed interface Item {
        Key key();

        record Set(Key key, int offset, int length, int crc) implements Item {}

        record Remove(Key key) implements Item {}

        record Value(Key key, long time, int offset, int length, int crc) implements Item {}

        record Dictionary(Key key, long time) implements Item {}
    }

    record Decoded(long time, List<Item> items) {}

    /** A growable byte array that knows where each value lands. */
    static final class Writer {
        private byte[] bytes = new byte[256];
        private int size;
        private int count;

        int size() {
            return size;
        }

        byte[] array() {
            return bytes;
        }

        int count() {
            return count;
        }

        void countItem() {
            count++;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void putByte(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        void putInt(int v) {
            room(4);
            ByteBuffer.wrap(bytes, size, 4).putInt(v);
            size += 4;
        }

        void putLong(long v) {
            room(8);
            ByteBuffer.wrap(bytes, size, 8).putLong(v);
            size += 8;
        }

        void putKey(Key key) {
            byte[] k = key.toString().getBytes(StandardCharsets.UTF_8);
            putInt(k.length);
            room(k.length);
            System.arraycopy(k, 0, bytes, size, k.length);
            size += k.length;
        }

        /** Writes length, CRC and value; returns the value's offset from the start of the record. */
        int putValue(Bytes value, int crc) {
            putInt(value.size());
            putInt(crc);
            room(value.size());
            int at = size;
            value.copyTo(0, bytes, size, value.size());
            size += value.size();
            return BlockFormat.HEADER_BYTES + at;
        }

        /** Sets the count in the 4 bytes at {@code at}, reserved when the payload began. */
        void patchCount(int at) {
            ByteBuffer.wrap(bytes, at, 4).putInt(count);
        }
    }

    /** Bytes a snapshot entry takes, to know when a snapshot record is full. */
    static int entrySize(Key key, int valueLength) {
        return 1 + 4 + key.toString().getBytes(StandardCharsets.UTF_8).length + 8 + 8 + valueLength;
    }

    /** The items of a record's payload, or empty if it does not decode exactly (damage the CRC missed, or a bug). */
    static Optional<Decoded> decode(byte type, Bytes record, int recordOffset, int payloadLength) {
        ByteBuffer in = record.asReadOnlyBuffer();
        int start = recordOffset + BlockFormat.HEADER_BYTES;
        in.position(start).limit(start + payloadLength);
        try {
            long time = type == BlockFormat.BATCH ? in.getLong() : 0;
            int count = in.getInt();
            if (count < 0) {
                return Optional.empty();
            }
            List<Item> items = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                byte tag = in.get();
                Optional<Key> key = key(in);
                if (key.isEmpty()) {
                    return Optional.empty();
                }
                Item item;
                if (type == BlockFormat.BATCH) {
                    item = switch (tag) {
                        case BlockFormat.SET -> {
                            int length = in.getInt();
                            int crc = in.getInt();
                            int offset = in.position() - recordOffset;
                            skip(in, length);
                            yield new Item.Set(key.get(), offset, length, crc);
                        }
                        case BlockFormat.REMOVE -> new Item.Remove(key.get());
                        default -> null;
                    };
                } else {
                    long entryTime = in.getLong();
                    item = switch (tag) {
                        case BlockFormat.VALUE -> {
                            int length = in.getInt();
                            int crc = in.getInt();
                            int offset = in.position() - recordOffset;
                            skip(in, length);
                            yield new Item.Value(key.get(), entryTime, offset, length, crc);
                        }
                        case BlockFormat.DICTIONARY -> new Item.Dictionary(key.get(), entryTime);
                        default -> null;
                    };
                }
                if (item == null) {
                    return Optional.empty();
                }
                items.add(item);
            }
            return in.hasRemaining() ? Optional.empty() : Optional.of(new Decoded(time, items));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void skip(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        in.position(in.position() + length);
    }

    private static Optional<Key> key(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] k = new byte[length];
        in.get(k);
        String path = new String(k, StandardCharsets.UTF_8);
        if (Key.parse(path) instanceof Result.Ok<Key, ?>(Key key) && key.toString().equals(path)) {
            return Optional.of(key);
        }
        return Optional.empty();
    }
}
