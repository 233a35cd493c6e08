package jmirage.net.nat;

import static jmirage.net.TestPackets.ip;
import static jmirage.net.TestPackets.tcp;
import static jmirage.net.TestPackets.udp;
import static jmirage.net.TestPackets.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.SplittableRandom;
import jmirage.core.Bytes;
import jmirage.net.TestPackets.Verified;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.wire.Wire;
import org.junit.jupiter.api.Test;

/**
 * A flood of new flows from random private sources (a compromised client VM, a port scan) against a
 * small table: the table stays at its capacity, evicts the flood's own provisional mappings, and
 * the established connections, busy or idle, keep their mappings and their public ports.
 */
class NatFloodTest {

    static final Inet4Address PUBLIC = ip("203.0.113.1");
    static final Inet4Address SERVER = ip("198.51.100.7");
    static final long MILLI = 1_000_000L;
    static final int CAPACITY = 1024;
    static final int FLOOD = 300_000;
    static final int ESTABLISHED = 16;

    @Test
    void establishedFlowsSurviveAFloodOfNewFlowsInABoundedTable() {
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, 1).withCapacity(CAPACITY));
        int[] ports = new int[ESTABLISHED];
        for (int i = 0; i < ESTABLISHED; i++) {
            ports[i] = NatTableTest.establish(nat, 0, ip("10.0.0." + (i + 1)), 40000);
        }
        SplittableRandom random = new SplittableRandom(7);
        Bytes[] flood = new Bytes[FLOOD];
        for (int i = 0; i < FLOOD; i++) {
            Inet4Address source = Wire.ipv4(0x0a000000 | random.nextInt(1 << 24)); // anywhere in 10/8
            Inet4Address target = Wire.ipv4(0xc6336400 | random.nextInt(256)); // 198.51.100.0/24
            int port = 1024 + random.nextInt(64000);
            flood[i] = i % 2 == 0
                    ? udp(source, port, target, 53, Bytes.EMPTY)
                    : tcp(source, port, target, 80, TcpSegment.SYN, i, Bytes.EMPTY);
        }
        long started = System.nanoTime();
        long now = MILLI;
        int maxSize = 0;
        for (int i = 0; i < FLOOD; i++) {
            now += 10_000; // 100,000 new flows a second: three seconds of flood
            assertInstanceOf(NatVerdict.Translated.class, nat.outbound(now, flood[i]));
            maxSize = Math.max(maxSize, nat.size());
            if (i % 10_000 == 0) {
                // half the established connections are busy: a segment each way now and then; the other half idle
                for (int c = 0; c < ESTABLISHED / 2; c++) {
                    nat.outbound(now, tcp(ip("10.0.0." + (c + 1)), 40000, SERVER, 443, TcpSegment.ACK, 2, Bytes.EMPTY));
                }
            }
        }
        long elapsed = System.nanoTime() - started;

        assertEquals(CAPACITY, maxSize, "never beyond the capacity");
        assertEquals(CAPACITY, nat.size());
        assertTrue(nat.evictions() >= FLOOD - CAPACITY, nat.evictions() + " evictions");
        assertEquals(0, nat.expirations(), "three seconds expire nothing: it was all eviction");
        for (int i = 0; i < ESTABLISHED; i++) {
            Verified back = verified(assertInstanceOf(NatVerdict.Translated.class,
                    nat.inbound(now, tcp(SERVER, 443, PUBLIC, ports[i], TcpSegment.ACK, 3, Bytes.utf8("still here")))).packet());
            assertEquals(ip("10.0.0." + (i + 1)), back.ip().destination(), "established flow " + i + " kept its mapping");
            assertEquals(40000, back.tcp().destinationPort());
        }
        long established = nat.mappings().stream().filter(m -> m.flowClass() == FlowClass.TCP_ESTABLISHED).count();
        assertEquals(ESTABLISHED, established);
        assertTrue(elapsed < 10_000_000_000L, "the flood took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void aFloodOfEstablishedConnectionsEvictsTheLeastRecentlyUsedFirst() {
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, 2).withCapacity(64));
        int busy = NatTableTest.establish(nat, 0, ip("10.0.0.1"), 40000);
        for (int i = 0; i < 10_000; i++) {
            long now = (i + 1) * MILLI;
            NatTableTest.establish(nat, now, Wire.ipv4(0x0a010000 + i), 1000 + i % 60000);
            if (i % 10 == 0) {
                nat.inbound(now, tcp(SERVER, 443, PUBLIC, busy, TcpSegment.ACK, 1, Bytes.EMPTY));
            }
            assertTrue(nat.size() <= 64);
        }
        assertTrue(nat.mappings().stream().anyMatch(m -> m.publicSide().port() == busy), "a connection in use within the last 63 new ones survives");
        assertEquals(10_001 - 64, nat.evictions());
    }
}
