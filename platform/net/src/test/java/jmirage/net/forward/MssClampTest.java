package jmirage.net.forward;

import static jmirage.net.TestPackets.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.net.TestPackets;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MssClampTest {

    static final Inet4Address A = ip("10.0.0.2");
    static final Inet4Address B = ip("198.51.100.7");

    /** A SYN whose options are {@code nops} NOPs, then MSS {@code mss}, then END padding to a 32-bit boundary. */
    static Bytes syn(int nops, int mss, int flags) {
        int options = (nops + 4 + 3) / 4 * 4;
        byte[] t = new byte[20 + options + 3]; // three bytes of payload: an odd total length
        Wire.putU16(t, 0, 40000);
        Wire.putU16(t, 2, 443);
        Wire.putU32(t, 4, 12345);
        t[12] = (byte) (((20 + options) / 4) << 4);
        t[13] = (byte) flags;
        Wire.putU16(t, 14, 64240);
        for (int i = 0; i < nops; i++) {
            t[20 + i] = 1;
        }
        t[20 + nops] = 2;
        t[21 + nops] = 4;
        Wire.putU16(t, 22 + nops, mss);
        t[t.length - 1] = 'x';
        Wire.putU16(t, 16, Checksum.finish(Checksum.sum(t, 0, t.length, Checksum.pseudoHeader(A, B, Ipv4Packet.TCP, t.length))));
        return TestPackets.ipv4(A, B, Ipv4Packet.TCP, Bytes.adopt(t));
    }

    static TcpSegment segment(Bytes datagram) {
        Ipv4Packet ip = Ipv4Packet.parse(datagram).orElseThrow();
        return TcpSegment.parse(ip.payload(), ip.source(), ip.destination()).orElseThrow(); // checks the checksum
    }

    @Property
    void theMssBecomesAtMostTheLimitAndTheChecksumStaysRightWhereverTheOptionSits(
            @ForAll @IntRange(max = 3) int nops, @ForAll @IntRange(min = 1, max = 65535) int mss,
            @ForAll @IntRange(min = 88, max = 9000) int limit, @ForAll boolean alsoAck) {
        Bytes before = syn(nops, mss, TcpSegment.SYN | (alsoAck ? TcpSegment.ACK : 0));
        Bytes after = MssClamp.clamp(before, limit);
        assertEquals(Math.min(mss, limit), segment(after).mss());
        assertEquals(before.size(), after.size());
        if (mss <= limit) {
            assertSame(before, after);
        }
    }

    @Test
    void onlySynsAreTouched() {
        Bytes ack = syn(0, 1460, TcpSegment.ACK);
        assertSame(ack, MssClamp.clamp(ack, 1200));
        Bytes udp = TestPackets.udp(A, 5000, B, 53, Bytes.utf8("q"));
        assertSame(udp, MssClamp.clamp(udp, 1200));
        Bytes noOption = TestPackets.tcp(A, 1, B, 2, TcpSegment.ACK, 0, Bytes.utf8("x"));
        assertSame(noOption, MssClamp.clamp(noOption, 100));
    }

    @Test
    void aFragmentOrATruncatedHeaderIsLeftAlone() {
        Bytes syn = syn(0, 1460, TcpSegment.SYN);
        byte[] fragment = syn.toArray();
        fragment[6] = 0x20; // MF
        Bytes first = Bytes.adopt(fragment);
        assertSame(first, MssClamp.clamp(first, 1200));
        Bytes cut = syn.slice(0, 30);
        assertSame(cut, MssClamp.clamp(cut, 1200));
    }

    @Test
    void theMssForALinkIsItsMtuLessFortyBytes() {
        assertEquals(1360, MssClamp.forMtu(1400));
        assertEquals(536, MssClamp.forMtu(576));
    }
}
