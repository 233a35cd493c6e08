package jmirage.net.tcp;

import jmirage.core.Bytes;

/**
 * A bounded FIFO of bytes for the send and receive buffers: grows on demand up to {@code max}, so
 * a half-open connection costs nothing and a full one costs exactly its bound.
 */
final class ByteRing {

    private static final byte[] NONE = new byte[0];

    private final int max;
    private byte[] buffer = NONE;
    private int head;
    private int size;

    ByteRing(int max) {
        this.max = max;
    }

    int size() {
        return size;
    }

    int free() {
        return max - size;
    }

    int capacity() {
        return max;
    }

    /** Bytes of memory held now. */
    int allocated() {
        return buffer.length;
    }

    /** Appends up to {@code length} bytes of {@code source} from {@code from}; returns how many fit. */
    int write(Bytes source, int from, int length) {
        int n = Math.min(length, free());
        if (n <= 0) {
            return 0;
        }
        ensure(size + n);
        int tail = (head + size) % buffer.length;
        int first = Math.min(n, buffer.length - tail);
        source.copyTo(from, buffer, tail, first);
        if (n > first) {
            source.copyTo(from + first, buffer, 0, n - first);
        }
        size += n;
        return n;
    }

    /** A copy of {@code length} bytes starting {@code offset} bytes after the head. */
    Bytes peek(int offset, int length) {
        byte[] out = new byte[length];
        int start = (head + offset) % Math.max(1, buffer.length);
        int first = Math.min(length, buffer.length - start);
        System.arraycopy(buffer, start, out, 0, first);
        if (length > first) {
            System.arraycopy(buffer, 0, out, first, length - first);
        }
        return Bytes.adopt(out);
    }

    void drop(int n) {
        if (n > size) {
            throw new IllegalArgumentException("drop " + n + " of " + size);
        }
        size -= n;
        head = size == 0 ? 0 : (head + n) % buffer.length;
        if (size == 0 && buffer.length > 65536) {
            buffer = NONE; // give an idle connection's memory back
        }
    }

    Bytes take(int n) {
        Bytes b = peek(0, n);
        drop(n);
        return b;
    }

    private void ensure(int needed) {
        if (needed <= buffer.length) {
            return;
        }
        int capacity = Math.max(4096, buffer.length);
        while (capacity < needed) {
            capacity *= 2;
        }
        capacity = Math.min(capacity, Math.max(max, needed));
        byte[] grown = new byte[capacity];
        if (size > 0) {
            int first = Math.min(size, buffer.length - head);
            System.arraycopy(buffer, head, grown, 0, first);
            System.arraycopy(buffer, 0, grown, first, size - first);
        }
        buffer = grown;
        head = 0;
    }
}
