package jmirage.resolver.policy;

import java.util.Arrays;
import jmirage.core.Fnv1a;
import jmirage.dns.Name;

/**
 * Domain names mapped to small non-negative ints, built once and read on every query: a blocklist
 * of 100,000s of names. Names are kept as their lower-case wire form (RFC 4343: case does not
 * count) concatenated in one byte array, found through an open-addressing table of ints, so a
 * name costs its wire length plus about 16 bytes (a {@code HashSet<Name>} costs ten times that)
 * and a lookup allocates one array for the query name, whatever the number of suffixes tried.
 */
public final class NameTable {

    public static final NameTable EMPTY = new Builder().build();

    private final byte[] data;
    private final int[] starts; // entry i is data[starts[i] .. starts[i + 1])
    private final int[] values;
    private final int[] slots; // 0 empty, else entry + 1; length a power of two
    private final int size;

    private NameTable(byte[] data, int[] starts, int[] values, int[] slots, int size) {
        this.data = data;
        this.starts = starts;
        this.values = values;
        this.slots = slots;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Bytes held by the table's arrays (for the memory test and a log line at load). */
    public long bytes() {
        return data.length + 4L * (starts.length + values.length + slots.length);
    }

    /** The value for exactly {@code name}, or -1. */
    public int get(Name name) {
        return get(QueryName.of(name), 0);
    }

    /** The value for the suffix of {@code query} starting at its label {@code label}, or -1. */
    int get(QueryName query, int label) {
        if (size == 0) {
            return -1;
        }
        int from = query.offset(label);
        byte[] wire = query.wire();
        int mask = slots.length - 1;
        for (int i = hash(wire, from, wire.length) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            int e = slot - 1;
            if (Arrays.equals(data, starts[e], starts[e + 1], wire, from, wire.length)) {
                return values[e];
            }
        }
    }

    static int hash(byte[] b, int from, int to) {
        int h = Fnv1a.hash(b, from, to, Fnv1a.BASIS);
        return h ^ (h >>> 15);
    }

    /** A query name's lower-case wire form and where each of its labels starts: every suffix at no cost. */
    record QueryName(byte[] wire, int[] offsets) {

        static QueryName of(Name name) {
            byte[] wire = name.toWire();
            int[] offsets = new int[name.labelCount() + 1];
            int p = 0;
            for (int l = 0; l <= name.labelCount(); l++) {
                offsets[l] = p;
                int len = wire[p] & 0xff;
                for (int i = p + 1; i <= p + len; i++) {
                    if (wire[i] >= 'A' && wire[i] <= 'Z') {
                        wire[i] += 32;
                    }
                }
                p += len + 1;
            }
            return new QueryName(wire, offsets);
        }

        int labels() {
            return offsets.length - 1;
        }

        int offset(int label) {
            return offsets[label];
        }
    }

    /** Collects names; the first value given for a name is kept. Not for concurrent use. */
    public static final class Builder {
        private byte[] data = new byte[1024];
        private int used;
        private int[] starts = new int[64];
        private int[] values = new int[64];
        private int[] slots = new int[128];
        private int size;

        /** Adds {@code name} with {@code value} (0 or more); false if the name was there already. */
        public boolean put(Name name, int value) {
            if (value < 0) {
                throw new IllegalArgumentException("values are 0 or more");
            }
            byte[] wire = QueryName.of(name).wire();
            int mask = slots.length - 1;
            int i = hash(wire, 0, wire.length) & mask;
            for (; slots[i] != 0; i = (i + 1) & mask) {
                int e = slots[i] - 1;
                if (Arrays.equals(data, starts[e], starts[e + 1], wire, 0, wire.length)) {
                    return false;
                }
            }
            if (used + wire.length > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, used + wire.length));
            }
            System.arraycopy(wire, 0, data, used, wire.length);
            if (size + 2 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                values = Arrays.copyOf(values, values.length * 2);
            }
            starts[size] = used;
            values[size] = value;
            used += wire.length;
            starts[size + 1] = used;
            slots[i] = ++size;
            if (size * 2 > slots.length) {
                rehash(slots.length * 2);
            }
            return true;
        }

        private void rehash(int capacity) {
            int[] fresh = new int[capacity];
            int mask = capacity - 1;
            for (int e = 0; e < size; e++) {
                int i = hash(data, starts[e], starts[e + 1]) & mask;
                while (fresh[i] != 0) {
                    i = (i + 1) & mask;
                }
                fresh[i] = e + 1;
            }
            slots = fresh;
        }

        /** The table; at most half full, so a miss ends after a few probes. */
        public NameTable build() {
            return new NameTable(Arrays.copyOf(data, used), Arrays.copyOf(starts, size + 1), Arrays.copyOf(values, size),
                    slots.clone(), size);
        }
    }
}
