package jmirage.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import jmirage.core.Bytes;
import jmirage.net.wire.FragmentBuffer.AfterDiscard;
import jmirage.net.wire.FragmentBuffer.Whole;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The shared reassembly core over random fragmentations of random payloads: shuffled, with pieces missing, with a
 * duplicate or an overlapping piece, over several datagrams at once under small limits. The fragment kept as
 * the datagram's first is tagged with its offset.
 */
class FragmentBufferPropertiesTest {

    record Limits(int maxFragmentsPerDatagram, int maxBytesTotal, int maxDatagrams, Duration timeout)
            implements FragmentBuffer.Limits {}

    static final Limits GENEROUS = new Limits(1000, 1 << 20, 16, Duration.ofSeconds(30));
    static final long TIMEOUT = GENEROUS.timeout().toNanos();

    record Piece(int offset, Bytes data, boolean more) {
        int end() {
            return offset + data.size();
        }
    }

    /**
     * Cuts the payload into pieces of 8-byte blocks, the last one of any size, sometimes followed by an empty
     * last piece; more than one piece when the payload is over 8 bytes.
     */
    static List<Piece> tiling(Bytes payload, Random random) {
        int n = payload.size();
        List<Piece> pieces = new ArrayList<>();
        int at = 0;
        while (true) {
            int blocks = 1 + random.nextInt(at == 0 && n > 8 ? Math.min(40, (n - 1) / 8) : 40);
            int end = at + 8 * blocks;
            if (end == n && random.nextInt(4) == 0) {
                pieces.add(new Piece(at, payload.slice(at, end), true));
                pieces.add(new Piece(n, Bytes.EMPTY, false));
                return pieces;
            }
            if (end >= n) {
                pieces.add(new Piece(at, payload.slice(at, n), false));
                return pieces;
            }
            pieces.add(new Piece(at, payload.slice(at, end), true));
            at = end;
        }
    }

    /** A duplicate of a non-empty piece of the tiling, or another well-formed slice that overlaps it, never the whole. */
    static Piece overlapping(Bytes payload, List<Piece> tiling, Random random) {
        List<Piece> nonEmpty = tiling.stream().filter(p -> p.data().size() > 0).toList();
        Piece q = nonEmpty.get(random.nextInt(nonEmpty.size()));
        int n = payload.size();
        int a = 8 * random.nextInt((q.end() + 7) / 8);
        int above = (Math.max(a, q.offset()) / 8 + 1) * 8;
        int b = above < n && random.nextBoolean() ? above + 8 * random.nextInt((n - 1 - above) / 8 + 1) : n;
        if (random.nextBoolean() || (a == 0 && b == n)) {
            return q;
        }
        return new Piece(a, payload.slice(a, b), b < n);
    }

    static boolean conflicts(Piece extra, Piece p) {
        boolean overlap = extra.offset() < p.end() && p.offset() < extra.end();
        return overlap || (!extra.more() && !p.more());
    }

    static Optional<Whole<Integer>> feed(FragmentBuffer<Integer, Integer> buffer, long now, int key, Piece p) {
        return buffer.input(now, key, p.offset(), p.more(), p.data(), p.offset());
    }

    static void assertWhole(Bytes payload, Whole<Integer> whole) {
        assertEquals(payload, whole.payload());
        assertEquals(0, whole.first(), "the fragment at offset 0 is the one kept");
    }

    @Property(tries = 500)
    void aTilingInAnyOrderReassemblesExactlyThePayloadAndAMissingPieceNeverDoes(@ForAll @Size(max = 5000) byte[] bytes,
            @ForAll long seed, @ForAll @IntRange(max = 3) int missing, @ForAll AfterDiscard afterDiscard) {
        Bytes payload = Bytes.of(bytes);
        Random random = new Random(seed);
        List<Piece> pieces = new ArrayList<>(tiling(payload, random));
        Collections.shuffle(pieces, random);
        int absent = Math.min(missing, pieces.size() - 1);
        pieces.subList(0, absent).clear();
        FragmentBuffer<Integer, Integer> buffer = new FragmentBuffer<>(GENEROUS, 65535, afterDiscard);
        List<Whole<Integer>> out = new ArrayList<>();
        int held = 0;
        for (Piece p : pieces) {
            assertTrue(out.isEmpty(), "nothing comes out before the last missing piece");
            feed(buffer, 0, 7, p).ifPresent(out::add);
            held += p.data().size();
        }
        if (absent == 0) {
            assertEquals(1, out.size());
            assertWhole(payload, out.get(0));
            assertEquals(0, buffer.bytesHeld());
            assertEquals(0, buffer.datagramsPending());
            assertEquals(0, buffer.dropped());
        } else {
            assertEquals(List.of(), out);
            assertEquals(held, buffer.bytesHeld());
            assertEquals(1, buffer.datagramsPending());
            buffer.expire(TIMEOUT - 1);
            assertEquals(1, buffer.datagramsPending());
            buffer.expire(TIMEOUT);
            assertEquals(0, buffer.bytesHeld());
            assertEquals(0, buffer.datagramsPending());
            assertEquals(1, buffer.dropped());
        }
    }

    /**
     * A tiling with one duplicated or overlapping piece among it. The datagram comes out once if the pieces that
     * came before any overlap tile it (the extra one may stand in for the pieces it covers), and what came after
     * is a new datagram; otherwise the overlap discards it, and what is held afterwards depends on the rule
     * (RFC 5722 for IPv6: nothing, the later fragments dropped). After the timeout everything is given back and
     * the same datagram, sent again, reassembles.
     */
    @Property(tries = 1000)
    void aDatagramNeverReassemblesAcrossAnOverlap(@ForAll @Size(min = 9, max = 5000) byte[] bytes,
            @ForAll long seed, @ForAll AfterDiscard afterDiscard) {
        Bytes payload = Bytes.of(bytes);
        Random random = new Random(seed);
        List<Piece> tiling = tiling(payload, random);
        Piece extra = overlapping(payload, tiling, random);
        List<Piece> pieces = new ArrayList<>(tiling);
        Collections.shuffle(pieces, random);
        int extraAt = random.nextInt(pieces.size() + 1);
        pieces.add(extraAt, extra);
        int firstConflict = pieces.size();
        for (int i = 0; i < pieces.size(); i++) {
            if (i != extraAt && conflicts(extra, pieces.get(i))) {
                firstConflict = Math.min(firstConflict, i);
            }
        }
        int discardAt = Math.max(extraAt, firstConflict);
        int completeAt = -1;
        int sum = 0;
        boolean lastSeen = false;
        for (int i = 0; i < discardAt && completeAt < 0; i++) { // no overlap yet: complete once the pieces tile
            sum += pieces.get(i).data().size();
            lastSeen |= !pieces.get(i).more();
            completeAt = lastSeen && sum == payload.size() ? i : -1;
        }
        FragmentBuffer<Integer, Integer> buffer = new FragmentBuffer<>(GENEROUS, 65535, afterDiscard);
        List<Whole<Integer>> out = new ArrayList<>();
        for (Piece p : pieces) {
            feed(buffer, 0, 7, p).ifPresent(out::add);
        }
        if (completeAt >= 0) {
            assertEquals(1, out.size());
            assertWhole(payload, out.get(0));
            List<Piece> after = pieces.subList(completeAt + 1, pieces.size()); // a new datagram, never complete
            assertEquals(after.stream().mapToInt(p -> p.data().size()).sum(), buffer.bytesHeld());
            assertEquals(after.isEmpty() ? 0 : 1, buffer.datagramsPending());
            assertEquals(0, buffer.dropped());
        } else {
            assertEquals(List.of(), out, "never reassembled across an overlap");
            List<Piece> after = pieces.subList(discardAt + 1, pieces.size());
            switch (afterDiscard) {
                case FORGET -> {
                    assertEquals(after.stream().mapToInt(p -> p.data().size()).sum(), buffer.bytesHeld());
                    assertEquals(after.isEmpty() ? 0 : 1, buffer.datagramsPending());
                    assertEquals(1, buffer.dropped());
                }
                case REFUSE_UNTIL_TIMEOUT -> {
                    assertEquals(0, buffer.bytesHeld());
                    assertEquals(1, buffer.datagramsPending());
                    assertEquals(1 + after.size(), buffer.dropped());
                }
            }
        }
        buffer.expire(TIMEOUT);
        assertEquals(0, buffer.bytesHeld());
        assertEquals(0, buffer.datagramsPending());
        List<Piece> again = new ArrayList<>(tiling);
        Collections.shuffle(again, random);
        List<Whole<Integer>> wholes = new ArrayList<>();
        for (Piece p : again) {
            feed(buffer, TIMEOUT, 7, p).ifPresent(wholes::add);
        }
        assertEquals(1, wholes.size());
        assertWhole(payload, wholes.get(0));
        assertEquals(0, buffer.bytesHeld());
    }

    /**
     * Several datagrams at once under small limits, their pieces (overlapping ones among them) interleaved at
     * random times: whatever comes out is exactly one of the payloads, the limits hold at every step, and once
     * the last timeout passes nothing is held.
     */
    @Property(tries = 300)
    void underSmallLimitsTheCountersStayConsistent(@ForAll long seed, @ForAll AfterDiscard afterDiscard,
            @ForAll @IntRange(min = 1, max = 8) int maxFragments, @ForAll @IntRange(min = 8, max = 3000) int maxBytes,
            @ForAll @IntRange(min = 1, max = 4) int maxDatagrams, @ForAll @IntRange(min = 1, max = 300) int steps) {
        Random random = new Random(seed);
        int keys = 1 + random.nextInt(5);
        List<Bytes> payloads = new ArrayList<>();
        List<List<Piece>> tilings = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            byte[] b = new byte[9 + random.nextInt(1500)];
            random.nextBytes(b);
            payloads.add(Bytes.of(b));
            tilings.add(tiling(payloads.get(k), random));
        }
        Limits limits = new Limits(maxFragments, maxBytes, maxDatagrams, Duration.ofSeconds(30));
        FragmentBuffer<Integer, Integer> buffer = new FragmentBuffer<>(limits, 65535, afterDiscard);
        long now = 0;
        long dropped = 0;
        for (int i = 0; i < steps; i++) {
            now += random.nextInt(4) == 0 ? random.nextLong(limits.timeout().toNanos() / 2) : 0;
            int k = random.nextInt(keys);
            List<Piece> tiling = tilings.get(k);
            Piece p = random.nextInt(5) == 0 ? overlapping(payloads.get(k), tiling, random) : tiling.get(random.nextInt(tiling.size()));
            Optional<Whole<Integer>> whole = feed(buffer, now, k, p);
            whole.ifPresent(w -> assertWhole(payloads.get(k), w));
            assertTrue(buffer.bytesHeld() >= 0 && buffer.bytesHeld() <= maxBytes, "held " + buffer.bytesHeld());
            assertTrue(buffer.datagramsPending() <= maxDatagrams);
            assertTrue(buffer.dropped() >= dropped);
            dropped = buffer.dropped();
        }
        buffer.expire(now + limits.timeout().toNanos());
        assertEquals(0, buffer.bytesHeld());
        assertEquals(0, buffer.datagramsPending());
    }
}
