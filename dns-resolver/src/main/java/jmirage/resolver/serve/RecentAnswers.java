package jmirage.resolver.serve;

import java.util.Arrays;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Fnv1a;
import jmirage.dns.Header;
import jmirage.dns.Record;
import jmirage.resolver.core.Resolution;

/**
 * The UDP responses sent in the current second from the answer cache, by the exact bytes of the
 * query they answered but for its ID: the same bytes in the same second get the same response
 * (the cache counts TTLs down in whole seconds of the clock, so within a second a hit gives the same
 * resolution, and {@link Rendered} the same bytes from it), which the shell then sends with the
 * new ID before decoding anything ({@link QueryHandler#answer}). Everything else a response depends
 * on is in those bytes: the question as spelled, RD, CD, AD, the EDNS buffer size and DO. A name
 * that would read the ID (a compression pointer into the header) does not decode (platform/dns
 * refuses it, {@code DecodeError.PointerIntoHeader}), so no such query is ever answered, or kept.
 *
 * <p>A flat open-addressing table (linear probing, at most {@link #MAX_PROBES} slots looked at) of
 * byte arrays, so a hit is one hash over the query and one compare of contiguous memory. A slot
 * whose second is not the current one is empty: nothing is ever cleared or removed, the table
 * simply starts over each second, and holds at most {@code maxEntries} responses in one second.
 * The hash is seeded per table, so nobody outside can aim queries at one chain; the probe bound
 * caps what a collision costs anyway. Owned by the loop, no locks.
 */
final class RecentAnswers {

    /** The default: as many responses as {@link Rendered#MAX_RESOLUTIONS} in a second. */
    static final int MAX_ENTRIES = 16_384;
    /** Longer queries are not kept (a question is at most 255 bytes of name, plus an OPT record). */
    static final int MAX_QUERY = 512;
    static final int MAX_PROBES = 8;
    private static final long NANOS = 1_000_000_000L;
    private static final int ID = 2;

    private final int maxEntries;
    private final int mask;
    private final int seed;
    private final long[] seconds;
    private final int[] hashes;
    /** Each kept query without its ID: bytes 2 to the end. */
    private final byte[][] queries;
    private final byte[][] responses;
    private final Resolution[] resolutions;
    private long second = Long.MIN_VALUE;
    private int entries;

    RecentAnswers(int maxEntries, int seed) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        int slots = Integer.highestOneBit(maxEntries) << 2; // at most half full
        this.mask = slots - 1;
        this.seed = seed;
        this.seconds = new long[slots];
        Arrays.fill(seconds, Long.MIN_VALUE);
        this.hashes = new int[slots];
        this.queries = new byte[slots][];
        this.responses = new byte[slots][];
        this.resolutions = new Resolution[slots];
    }

    /**
     * Whether {@code resolution}, answered from the cache, may be given again from its bytes for the
     * rest of the second: a positive or negative answer, not stale, every TTL at least one second
     * (a record with TTL 0 must not be reused at all, RFC 1035 3.2.1).
     */
    static boolean mayKeep(Resolution resolution) {
        int rcode = resolution.rcode();
        return (rcode == Header.NOERROR || rcode == Header.NXDOMAIN) && !resolution.stale()
                && positiveTtls(resolution.answer()) && positiveTtls(resolution.authority())
                && positiveTtls(resolution.additional());
    }

    private static boolean positiveTtls(List<Record> records) {
        for (Record r : records) {
            if (r.ttl() < 1) {
                return false;
            }
        }
        return true;
    }

    /** The slot of the response kept in this second for {@code query}'s bytes after its ID, or -1. */
    int find(Bytes query, long nowNanos) {
        int size = query.size();
        if (size <= ID || size > MAX_QUERY || Math.floorDiv(nowNanos, NANOS) != second) {
            return -1;
        }
        int hash = hash(query);
        for (int probe = 0, slot = hash & mask; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
            if (seconds[slot] != second) {
                return -1;
            }
            if (hashes[slot] == hash && query.regionEquals(ID, queries[slot])) {
                return slot;
            }
        }
        return -1;
    }

    /** The response in {@code slot}, with the ID of {@code query} (RFC 1035 4.1.1: its first two bytes). */
    Bytes response(int slot, Bytes query) {
        byte[] copy = responses[slot].clone();
        copy[0] = query.get(0);
        copy[1] = query.get(1);
        return Bytes.adopt(copy);
    }

    /** The resolution the response in {@code slot} was made from. */
    Resolution resolution(int slot) {
        return resolutions[slot];
    }

    /** Keeps {@code response} for {@code query}'s bytes for the rest of this second, when there is room. */
    void keep(Bytes query, Bytes response, Resolution resolution, long nowNanos) {
        int size = query.size();
        if (size <= ID || size > MAX_QUERY) {
            return;
        }
        long now = Math.floorDiv(nowNanos, NANOS);
        if (now != second) {
            second = now;
            entries = 0;
        }
        if (entries >= maxEntries) {
            return;
        }
        int hash = hash(query);
        for (int probe = 0, slot = hash & mask; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
            boolean empty = seconds[slot] != second;
            if (empty || hashes[slot] == hash && query.regionEquals(ID, queries[slot])) {
                seconds[slot] = second;
                hashes[slot] = hash;
                byte[] kept = new byte[size - ID];
                query.copyTo(ID, kept, 0, kept.length);
                queries[slot] = kept;
                responses[slot] = response.toArray();
                resolutions[slot] = resolution;
                if (empty) {
                    entries++;
                }
                return;
            }
        }
    }

    /** Forgets every response kept: the next second starts now, as far as this table knows. */
    void forget() {
        Arrays.fill(seconds, Long.MIN_VALUE);
        Arrays.fill(queries, null);
        Arrays.fill(responses, null);
        Arrays.fill(resolutions, null);
        entries = 0;
    }

    /** {@link Fnv1a} over the bytes after the ID from a per-table basis, then a final mix of the bits. */
    private int hash(Bytes query) {
        int h = query.fnv1a(ID, seed);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ h >>> 13;
    }
}
