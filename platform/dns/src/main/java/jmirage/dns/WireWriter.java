package jmirage.dns;

import java.util.Arrays;
import jmirage.core.Bytes;

/** Writes DNS wire data into a growing array, with name compression (RFC 1035 4.1.4). */
final class WireWriter {

    /**
     * The suffixes written so far, as compression targets (RFC 1035 4.1.4): entry k is the name
     * {@code names[k]} from its label {@code firsts[k]} on, written at {@code offsets[k]}, in the
     * order written (so offsets grow). Compression matches names exactly (case included) so that
     * decoding gives back the same case. Looked up through an open-addressing table of entry
     * numbers by a hash of the suffix's exact bytes: no object per suffix, which a map keyed by
     * names would need on every name written.
     */
    private byte[] buf;
    private int pos;

    private Name[] names = new Name[0];
    private int[] firsts = new int[0];
    private int[] offsets = new int[0];
    private int[] hashes = new int[0];
    private int count;
    private int[] table = new int[0]; // entry number + 1, 0 for free; length a power of two or 0

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
        int[] suffixHashes = suffixHashes(name);
        for (int i = 0; i < n; i++) {
            int found = find(name, i, suffixHashes[i]);
            if (compress && found >= 0) {
                u16(0xc000 | offsets[found]);
                return;
            }
            if (pos < 0x4000 && found < 0) {
                add(name, i, suffixHashes[i], pos);
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
        int kept = count;
        while (kept > 0 && offsets[kept - 1] >= mark) {
            kept--;
        }
        if (kept != count) {
            Arrays.fill(names, kept, count, null);
            count = kept;
            rehash(table.length);
        }
    }

    /** The hash of the exact bytes of each suffix of {@code name} (from label i on), root excluded. */
    private static int[] suffixHashes(Name name) {
        int n = name.labelCount();
        int[] h = new int[n];
        int acc = 0;
        for (int i = n - 1; i >= 0; i--) {
            acc = acc * 31 + Arrays.hashCode(name.rawLabel(i));
            h[i] = acc;
        }
        return h;
    }

    /** The entry holding exactly the suffix of {@code name} from label {@code first}, or -1. */
    private int find(Name name, int first, int hash) {
        if (count == 0) {
            return -1;
        }
        int mask = table.length - 1;
        for (int slot = spread(hash) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            int k = table[slot] - 1;
            if (hashes[k] == hash && sameSuffix(names[k], firsts[k], name, first)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean sameSuffix(Name a, int fromA, Name b, int fromB) {
        int n = a.labelCount() - fromA;
        if (n != b.labelCount() - fromB) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!Arrays.equals(a.rawLabel(fromA + i), b.rawLabel(fromB + i))) {
                return false;
            }
        }
        return true;
    }

    private void add(Name name, int first, int hash, int offset) {
        if (count == names.length) {
            int size = Math.max(8, count * 2);
            names = Arrays.copyOf(names, size);
            firsts = Arrays.copyOf(firsts, size);
            offsets = Arrays.copyOf(offsets, size);
            hashes = Arrays.copyOf(hashes, size);
        }
        names[count] = name;
        firsts[count] = first;
        offsets[count] = offset;
        hashes[count] = hash;
        count++;
        if (count * 2 > table.length) {
            rehash(Math.max(16, table.length * 2));
        } else {
            place(count - 1);
        }
    }

    private void rehash(int size) {
        table = new int[size];
        for (int k = 0; k < count; k++) {
            place(k);
        }
    }

    private void place(int k) {
        int mask = table.length - 1;
        int slot = spread(hashes[k]) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = k + 1;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, pos);
    }
}
