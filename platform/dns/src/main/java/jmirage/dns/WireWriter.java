package jmirage.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;

/** Writes DNS wire data into a growing array, with name compression (RFC 1035 4.1.4). */
final class WireWriter {

    /** Compression matches names exactly (case included) so decoding gives back the same case. */
    private record Key(Name name) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.name.equalsExact(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    private byte[] buf;
    private int pos;
    private final Map<Key, Integer> offsets = new HashMap<>();
    private final List<Key> added = new ArrayList<>();

    WireWriter(int initial) {
        buf = new byte[initial];
    }

    int position() {
        return pos;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u48(long v) {
        u16((int) (v >>> 32));
        u32(v & 0xffffffffL);
    }

    void put16At(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    void bytes(Bytes b) {
        ensure(b.size());
        b.copyTo(0, buf, pos, b.size());
        pos += b.size();
    }

    void charString(Bytes b) {
        u8(b.size());
        bytes(b);
    }

    /** Writes {@code name}, reusing an earlier suffix if {@code compress}; lower-cased if {@code lower}. */
    void name(Name name, boolean compress, boolean lower) {
        if (lower) {
            name = name.toLowerCase();
        }
        int n = name.labelCount();
        for (int i = 0; i < n; i++) {
            Name suffix = i == 0 ? name : name.parent(i);
            if (compress) {
                Integer at = offsets.get(new Key(suffix));
                if (at != null) {
                    u16(0xc000 | at);
                    return;
                }
            }
            if (pos < 0x4000) {
                Key k = new Key(suffix);
                if (offsets.putIfAbsent(k, pos) == null) {
                    added.add(k);
                }
            }
            byte[] label = name.rawLabel(i);
            u8(label.length);
            raw(label);
        }
        u8(0);
    }

    /** Forgets everything written after {@code mark}, compression targets included. */
    void rollback(int mark) {
        pos = mark;
        for (int i = added.size() - 1; i >= 0; i--) {
            Key k = added.get(i);
            Integer at = offsets.get(k);
            if (at != null && at >= mark) {
                offsets.remove(k);
                added.remove(i);
            } else if (at != null && at < mark) {
                break;
            }
        }
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, pos);
    }
}
