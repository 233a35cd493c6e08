package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ipv4.Fragmenter;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.tcp.SeqNum;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws of the pure cores, over random inputs. */
class CorePropertiesTest {

    static final Inet4Address A = SimNet.ip("192.0.2.1");
    static final Inet4Address B = SimNet.ip("192.0.2.2");

    @Property(tries = 300)
    void anyFragmentationInAnyOrderReassemblesTheDatagram(@ForAll @Size(min = 1, max = 6000) byte[] payload,
            @ForAll @IntRange(min = 68, max = 1500) int mtu, @ForAll long shuffleSeed) {
        Ipv4Packet whole = new Ipv4Packet(0, 4242, false, false, 0, 64, 17, A, B, Bytes.of(payload));
        List<Ipv4Packet> fragments = new ArrayList<>(Fragmenter.fragment(whole, mtu));
        Collections.shuffle(fragments, new java.util.Random(shuffleSeed));
        Reassembly r = new Reassembly(new Reassembly.Config(1000, 1 << 20, 16, java.time.Duration.ofSeconds(30)));
        List<Ipv4Packet> out = new ArrayList<>();
        for (Ipv4Packet f : fragments) {
            assertTrue(f.payload().size() + Ipv4Packet.HEADER <= mtu);
            r.input(0, f).ifPresent(out::add);
        }
        assertEquals(1, out.size());
        assertEquals(Bytes.of(payload), out.get(0).payload());
        assertEquals(0, r.bytesHeld());
        assertEquals(0, r.datagramsPending());
    }

    @Property(tries = 200)
    void aDuplicatedFragmentDropsTheDatagram(@ForAll @Size(min = 200, max = 3000) byte[] payload,
            @ForAll @IntRange(min = 0, max = 100) int pick) {
        Ipv4Packet whole = new Ipv4Packet(0, 1, false, false, 0, 64, 17, A, B, Bytes.of(payload));
        List<Ipv4Packet> fragments = Fragmenter.fragment(whole, 100);
        Reassembly r = new Reassembly(Reassembly.Config.DEFAULT);
        Ipv4Packet dup = fragments.get(pick % fragments.size());
        assertTrue(r.input(0, dup).isEmpty());
        assertTrue(r.input(0, dup).isEmpty()); // the overlap drops everything held for the datagram
        assertEquals(0, r.bytesHeld());
        assertEquals(1, r.dropped());
        // the rest, without `dup`, can never complete it
        for (Ipv4Packet f : fragments) {
            if (f != dup) {
                assertTrue(r.input(0, f).isEmpty());
            }
        }
    }

    @Property
    void sequenceNumbersCompareModularly(@ForAll int a, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int d) {
        SeqNum x = new SeqNum(a);
        SeqNum y = x.plus(d);
        assertTrue(x.lt(y));
        assertTrue(y.gt(x));
        assertFalse(y.lt(x));
        assertTrue(x.leq(x) && x.geq(x) && !x.lt(x));
        assertEquals(d, y.minus(x));
        assertEquals(x, y.plus(-d));
        assertTrue(x.inWindow(x, y) && !y.inWindow(x, y));
    }

    @Property
    void sequenceOrderIsTransitiveWithinHalfTheSpace(@ForAll int a, @ForAll @IntRange(min = 1, max = 1 << 29) int d1,
            @ForAll @IntRange(min = 1, max = 1 << 29) int d2) {
        SeqNum x = new SeqNum(a);
        SeqNum y = x.plus(d1);
        SeqNum z = y.plus(d2);
        assertTrue(x.lt(y) && y.lt(z) && x.lt(z));
    }

    @Property
    void checksumOfDataWithItsChecksumIsZeroAndMatchesTheNaiveSum(@ForAll @Size(max = 2000) byte[] data) {
        int c = Checksum.of(data, 0, data.length);
        long naive = 0;
        for (int i = 0; i < data.length; i += 2) {
            int word = (data[i] & 0xff) << 8 | (i + 1 < data.length ? data[i + 1] & 0xff : 0);
            naive += word;
            naive = (naive & 0xffff) + (naive >>> 16);
        }
        assertEquals((int) (~naive & 0xffff), c);
        byte[] withSum = new byte[data.length + (data.length % 2) + 2];
        System.arraycopy(data, 0, withSum, 0, data.length);
        Wire.putU16(withSum, withSum.length - 2, c);
        assertEquals(0, Checksum.of(withSum, 0, withSum.length));
    }

    @Property
    void tcpSegmentsRoundTrip(@ForAll int seq, @ForAll int ack, @ForAll @IntRange(max = 0x3f) int flags,
            @ForAll @IntRange(max = 65535) int window, @ForAll @IntRange(min = -1, max = 65535) int mss,
            @ForAll @IntRange(min = -1, max = 14) int scale, @ForAll @Size(max = 1500) byte[] payload) {
        TcpSegment s = new TcpSegment(1234, 80, new SeqNum(seq), new SeqNum(ack), flags, window, mss, scale, Bytes.of(payload));
        assertEquals(s, TcpSegment.parse(s.encode(A, B), A, B).orElseThrow());
        assertFalse(TcpSegment.parse(s.encode(A, B), B, SimNet.ip("192.0.2.3")).isOk(), "the pseudo-header is checked");
    }

    @Property
    void udpIpv4AndArpRoundTrip(@ForAll @Size(max = 1400) byte[] payload, @ForAll @IntRange(max = 65535) int id,
            @ForAll @IntRange(max = 255) int ttl, @ForAll long mac) {
        Bytes udp = UdpPacket.encode(53, 4000, Bytes.of(payload), A, B);
        UdpPacket u = UdpPacket.parse(udp, A, B).orElseThrow();
        assertEquals(Bytes.of(payload), u.payload());
        Ipv4Packet ip = new Ipv4Packet(0, id, true, false, 0, ttl, 17, A, B, udp);
        assertEquals(ip, Ipv4Packet.parse(ip.encode()).orElseThrow());
        ArpPacket arp = new ArpPacket(ArpPacket.Operation.REPLY, new MacAddress(mac >>> 16), A, new MacAddress(0), B);
        assertEquals(arp, ArpPacket.parse(arp.encode()).orElseThrow());
    }
}
