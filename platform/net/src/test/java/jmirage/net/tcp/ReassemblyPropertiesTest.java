package jmirage.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import jmirage.core.Bytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Out-of-order reassembly: whatever the order, duplication and re-segmentation of the segments
 * (as retransmissions with other boundaries make), the receiver reads the original bytes.
 */
class ReassemblyPropertiesTest {

    /** A segment of the stream: {@code from} is the offset of its first byte after the initial sequence number. */
    record Slice(int from, int to, boolean fin) {}

    /**
     * Two independent segmentations of the same bytes (the second as a retransmission with other
     * boundaries would give), some slices duplicated, all shuffled; the last slice of the first
     * segmentation carries the FIN.
     */
    static List<Slice> scrambled(int size, long seed, int maxSegment, int duplicates) {
        Random random = new Random(seed);
        List<Slice> slices = new ArrayList<>();
        for (int cut = 0; cut < 2; cut++) {
            int at = 0;
            while (at < size) {
                int to = Math.min(size, at + 1 + random.nextInt(maxSegment));
                slices.add(new Slice(at, to, cut == 0 && to == size));
                at = to;
            }
        }
        for (int i = 0; i < duplicates; i++) {
            slices.add(slices.get(random.nextInt(slices.size())));
        }
        Collections.shuffle(slices, random);
        return slices;
    }

    @Property(tries = 300)
    void theQueueDeliversAnyScrambleOfTheStreamInOrder(@ForAll @Size(min = 1, max = 3000) byte[] stream,
            @ForAll @IntRange(min = 1, max = 400) int maxSegment, @ForAll @IntRange(min = 0, max = 20) int duplicates,
            @ForAll long seed, @ForAll int isn) {
        Bytes data = Bytes.of(stream);
        SeqNum start = SeqNum.of(isn);
        OutOfOrderQueue queue = new OutOfOrderQueue(4 * stream.length + 20 * 400);
        // The receiver as TcpConnection.processData is, without windows: RCV.NXT, what was read, the FIN.
        SeqNum[] rcvNxt = {start};
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean[] fin = {false};
        for (Slice s : scrambled(stream.length, seed, maxSegment, duplicates)) {
            SeqNum seq = start.plus(s.from());
            Bytes payload = data.slice(s.from(), s.to());
            if (seq.gt(rcvNxt[0])) {
                queue.store(seq, payload, s.fin());
                continue;
            }
            take(new OutOfOrderQueue.Piece(seq, payload, s.fin()), rcvNxt, received, fin);
            for (Optional<OutOfOrderQueue.Piece> p = queue.takeReachable(rcvNxt[0]); p.isPresent();
                    p = queue.takeReachable(rcvNxt[0])) {
                take(p.get(), rcvNxt, received, fin);
            }
            assertTrue(queue.bytes() <= 4 * stream.length + 20 * 400);
        }
        assertEquals(data, Bytes.of(received.toByteArray()));
        assertTrue(fin[0], "the FIN came after the last byte");
        assertEquals(start.plus(stream.length), rcvNxt[0]);
    }

    private static void take(OutOfOrderQueue.Piece piece, SeqNum[] rcvNxt, ByteArrayOutputStream received, boolean[] fin) {
        int beyond = piece.end().minus(rcvNxt[0]);
        if (beyond > 0) {
            Bytes fresh = piece.data().slice(rcvNxt[0].minus(piece.seq()), piece.data().size());
            received.writeBytes(fresh.toArray());
            rcvNxt[0] = rcvNxt[0].plus(fresh.size());
        }
        if (piece.fin() && beyond >= 0) {
            fin[0] = true;
        }
    }

    @Property(tries = 200)
    void aConnectionReadsAnyScrambleOfItsPeersSegments(@ForAll @Size(min = 1, max = 20_000) byte[] stream,
            @ForAll @IntRange(min = 1, max = 1460) int maxSegment, @ForAll @IntRange(min = 0, max = 20) int duplicates,
            @ForAll long seed) {
        TcpConnectionTest.Pair p = new TcpConnectionTest.Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        Bytes data = Bytes.of(stream);
        SeqNum start = SeqNum.of(0xfffffff0L).plus(1); // the client's ISS + 1: the stream crosses the wrap
        SeqNum ack = SeqNum.of(1000).plus(1); // the server's ISS + 1
        for (Slice s : scrambled(stream.length, seed, maxSegment, duplicates)) {
            p.now += TcpConnectionTest.MS;
            p.server.input(p.now, new TcpSegment(40000, 80, start.plus(s.from()), ack,
                    TcpSegment.ACK | (s.fin() ? TcpSegment.FIN : 0), 65535, -1, -1, data.slice(s.from(), s.to())));
        }
        assertEquals(data, p.server.read(p.now, stream.length + 1));
        assertTrue(p.server.atEof());
        assertEquals(TcpConnection.State.CLOSE_WAIT, p.server.state());
    }
}
