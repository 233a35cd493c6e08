package jmirage.net.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.net.IpAddresses;
import org.junit.jupiter.api.Test;

class ReassemblyTest {

    static final Inet4Address A = (Inet4Address) IpAddresses.parse("192.0.2.1").orElseThrow();
    static final Inet4Address B = (Inet4Address) IpAddresses.parse("192.0.2.2").orElseThrow();

    static List<Ipv4Packet> fragments(int id, int size) {
        return Fragmenter.fragment(new Ipv4Packet(0, id, false, false, 0, 64, 17, A, B, Bytes.adopt(new byte[size])), 100);
    }

    @Test
    void incompleteDatagramsExpireAndGiveTheirMemoryBack() {
        Reassembly r = new Reassembly(new Reassembly.Config(64, 1 << 20, 64, Duration.ofSeconds(30)));
        r.input(0, fragments(1, 1000).get(0));
        assertEquals(80, r.bytesHeld());
        r.expire(Duration.ofSeconds(29).toNanos());
        assertEquals(1, r.datagramsPending());
        r.expire(Duration.ofSeconds(30).toNanos());
        assertEquals(0, r.datagramsPending());
        assertEquals(0, r.bytesHeld());
    }

    @Test
    void totalMemoryAndDatagramCountStayBounded() {
        Reassembly r = new Reassembly(new Reassembly.Config(64, 4000, 8, Duration.ofSeconds(30)));
        for (int id = 0; id < 1000; id++) {
            List<Ipv4Packet> f = fragments(id, 2000);
            for (int i = 0; i < f.size() - 1; i++) { // never the last: nothing completes
                r.input(id, f.get(i));
                assertTrue(r.bytesHeld() <= 4000, "held " + r.bytesHeld());
                assertTrue(r.datagramsPending() <= 8);
            }
        }
    }

    @Test
    void tooManyFragmentsDropTheDatagram() {
        Reassembly r = new Reassembly(new Reassembly.Config(4, 1 << 20, 8, Duration.ofSeconds(30)));
        List<Ipv4Packet> f = fragments(1, 1000);
        for (Ipv4Packet p : f) {
            assertTrue(r.input(0, p).isEmpty());
        }
        assertTrue(r.dropped() >= 1);
    }

    @Test
    void unfragmentedPacketsPassStraightThroughAndDontFragmentTooBigIsDropped() {
        Reassembly r = new Reassembly(Reassembly.Config.DEFAULT);
        Ipv4Packet p = new Ipv4Packet(0, 1, true, false, 0, 64, 17, A, B, Bytes.adopt(new byte[10]));
        assertEquals(p, r.input(0, p).orElseThrow());
        assertEquals(List.of(), Fragmenter.fragment(new Ipv4Packet(0, 1, true, false, 0, 64, 17, A, B, Bytes.adopt(new byte[2000])), 1500));
    }

    @Test
    void headerWithOptionsIsParsedAndOptionsSkipped() {
        Ipv4Packet p = new Ipv4Packet(0, 1, false, false, 0, 64, 17, A, B, Bytes.utf8("data"));
        byte[] plain = p.encode().toArray();
        byte[] withOptions = new byte[plain.length + 4];
        System.arraycopy(plain, 0, withOptions, 0, 20);
        withOptions[0] = 0x46; // IHL 6
        withOptions[20] = 1; // NOP
        withOptions[21] = 1;
        withOptions[22] = 1;
        withOptions[23] = 0; // end of options
        System.arraycopy(plain, 20, withOptions, 24, plain.length - 20);
        jmirage.net.wire.Wire.putU16(withOptions, 2, withOptions.length);
        withOptions[10] = 0;
        withOptions[11] = 0;
        jmirage.net.wire.Wire.putU16(withOptions, 10, jmirage.net.wire.Checksum.of(withOptions, 0, 24));
        assertEquals(p, Ipv4Packet.parse(Bytes.of(withOptions)).orElseThrow());
        withOptions[8] = 1; // corrupt TTL: checksum fails
        assertTrue(!Ipv4Packet.parse(Bytes.of(withOptions)).isOk());
    }
}
