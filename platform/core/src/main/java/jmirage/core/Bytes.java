package jmirage.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes. Values handed between devices and cores are {@code Bytes}, so
 * nobody can change a packet or a stored value after giving it away.
 */
public final class Bytes implements Comparable<Bytes> {

    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte... data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** A copy of {@code length} bytes of {@code data} from {@code offset}. */
    public static Bytes of(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(data, offset, offset + length));
    }

    /** The remaining bytes of {@code buffer}, copied; the buffer's position is not moved. */
    public static Bytes of(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return adopt(copy);
    }

    /**
     * Wraps {@code data} without copying. The caller gives the array away and must never touch it
     * again; use it only on hot paths where the array was just filled.
     */
    public static Bytes adopt(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data);
    }

    public static Bytes utf8(String text) {
        return adopt(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Bytes fromHex(String hex) {
        return adopt(HexFormat.of().parseHex(hex));
    }

    public int size() {
        return data.length;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    public byte get(int index) {
        return data[index];
    }

    public int getUnsigned(int index) {
        return data[index] & 0xff;
    }

    public byte[] toArray() {
        return data.clone();
    }

    public void copyTo(int from, byte[] destination, int destinationOffset, int length) {
        System.arraycopy(data, from, destination, destinationOffset, length);
    }

    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    public Bytes slice(int from, int to) {
        Objects.checkFromToIndex(from, to, data.length);
        if (from == 0 && to == data.length) {
            return this;
        }
        return adopt(Arrays.copyOfRange(data, from, to));
    }

    public Bytes concat(Bytes other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        byte[] joined = Arrays.copyOf(data, data.length + other.data.length);
        System.arraycopy(other.data, 0, joined, data.length, other.data.length);
        return adopt(joined);
    }

    public boolean startsWith(Bytes prefix) {
        return prefix.data.length <= data.length
                && Arrays.equals(data, 0, prefix.data.length, prefix.data, 0, prefix.data.length);
    }

    /** Whether the bytes from {@code from} to the end are exactly {@code other}: no copy, one vectorised compare. */
    public boolean regionEquals(int from, byte[] other) {
        Objects.checkIndex(from, data.length + 1);
        return data.length - from == other.length && Arrays.equals(data, from, data.length, other, 0, other.length);
    }

    /** {@link Fnv1a} over the bytes from {@code from} to the end, starting from {@code basis}. */
    public int fnv1a(int from, int basis) {
        Objects.checkIndex(from, data.length + 1);
        return Fnv1a.hash(data, from, data.length, basis);
    }

    public String toUtf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    public String hex() {
        return HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** Unsigned lexicographic order. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(data, other.data);
    }

    @Override
    public String toString() {
        return data.length <= 32
                ? "Bytes[" + hex() + "]"
                : "Bytes[" + data.length + " bytes: " + HexFormat.of().formatHex(data, 0, 32) + "...]";
    }
}
