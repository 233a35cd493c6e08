package jmirage.dns;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;

/**
 * Reads DNS wire data from an array. Failures throw {@link Failure}, which the public entry points
 * turn into a {@link DecodeError} value; it carries no stack trace.
 */
final class WireReader {

    static final class Failure extends RuntimeException {
        final DecodeError error;

        Failure(DecodeError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    final byte[] data;
    int pos;
    int limit;
    /** The lowest offset a compression pointer may name: the end of the header in a message, 0 elsewhere. */
    private final int firstNameOffset;

    WireReader(byte[] data, int pos, int limit) {
        this(data, pos, limit, 0);
    }

    WireReader(byte[] data, int pos, int limit, int firstNameOffset) {
        this.data = data;
        this.pos = pos;
        this.limit = limit;
        this.firstNameOffset = firstNameOffset;
    }

    void need(int n) {
        if (n < 0 || limit - pos < n) {
            throw new Failure(new DecodeError.Truncated(pos, n, limit - pos));
        }
    }

    int remaining() {
        return limit - pos;
    }

    int u8() {
        need(1);
        return data[pos++] & 0xff;
    }

    int u16() {
        need(2);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32() {
        need(4);
        long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long u48() {
        return ((long) u16() << 32) | u32();
    }

    byte[] raw(int n) {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    Bytes bytes(int n) {
        return Bytes.adopt(raw(n));
    }

    Bytes charString() {
        return bytes(u8());
    }

    Bytes rest() {
        return bytes(remaining());
    }

    /**
     * A possibly compressed name (RFC 1035 4.1.4). Loop protection: every pointer must point
     * strictly before the place the previous jump started, so the walk always moves backwards and
     * ends; the total stays within 255 bytes. A pointer into a message's header is refused: no name
     * is written there, and a name read from the ID would differ between queries that differ only
     * in their ID (answers remembered by a query's bytes after its ID rely on that; Knot refuses
     * them too).
     */
    Name name() {
        List<byte[]> labels = new ArrayList<>(6);
        int p = pos;
        int wire = 1;
        int lowest = p; // pointers must target below this
        boolean jumped = false;
        while (true) {
            int end = jumped ? data.length : limit;
            if (p >= end) {
                throw new Failure(new DecodeError.Truncated(Math.min(p, end), 1, 0));
            }
            int len = data[p] & 0xff;
            if (len == 0) {
                p++;
                if (!jumped) {
                    pos = p;
                }
                break;
            }
            int kind = len & 0xc0;
            if (kind == 0xc0) {
                if (p + 1 >= end) {
                    throw new Failure(new DecodeError.Truncated(p, 2, end - p));
                }
                int target = ((len & 0x3f) << 8) | (data[p + 1] & 0xff);
                if (target < firstNameOffset) {
                    throw new Failure(new DecodeError.PointerIntoHeader(p, target));
                }
                if (target >= lowest) {
                    throw new Failure(new DecodeError.PointerNotBackwards(p, target));
                }
                if (!jumped) {
                    pos = p + 2;
                    jumped = true;
                }
                lowest = target;
                p = target;
                continue;
            }
            if (kind != 0) {
                throw new Failure(new DecodeError.UnknownLabelType(p, len));
            }
            wire += len + 1;
            if (wire > Name.MAX_WIRE) {
                throw new Failure(new DecodeError.NameTooLong(p));
            }
            if (p + 1 + len > end) {
                throw new Failure(new DecodeError.Truncated(p, 1 + len, end - p));
            }
            byte[] label = new byte[len];
            System.arraycopy(data, p + 1, label, 0, len);
            labels.add(label);
            p += len + 1;
        }
        return Name.trusted(labels.toArray(new byte[0][]));
    }
}
