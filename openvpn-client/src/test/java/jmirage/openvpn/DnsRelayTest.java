package jmirage.openvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.VirtualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The relay's bookkeeping: each answer goes back to its asker once, and nothing else gets through. */
class DnsRelayTest {

    static final Inet4Address LOCAL = (Inet4Address) InetAddress.ofLiteral("10.36.8.2");
    static final Inet4Address SERVER = (Inet4Address) InetAddress.ofLiteral("10.36.1.2");
    static final Endpoint PRIVATE = new Endpoint(InetAddress.ofLiteral("10.37.0.1"), 53);

    record Sent(Endpoint to, Bytes payload) {}

    static final class Recorder implements UdpSocket {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public Endpoint local() {
            return PRIVATE;
        }

        @Override
        public Promise<Result<Unit, NetError>> send(Endpoint destination, Bytes payload) {
            sent.add(new Sent(destination, payload));
            return Promise.resolved(Result.ok());
        }

        @Override
        public Promise<Unit> close() {
            return Promise.done();
        }
    }

    /** The server's answer to a relayed datagram: the same UDP payload, ports and addresses swapped. */
    static Bytes answerTo(Bytes relayed, Bytes payload) {
        Ipv4Packet ip = Ipv4Packet.parse(relayed).orElseThrow();
        UdpPacket udp = UdpPacket.parse(ip.payload(), ip.source(), ip.destination()).orElseThrow();
        Bytes back = UdpPacket.encode(DnsRelay.DNS, udp.sourcePort(), payload, SERVER, LOCAL);
        return new Ipv4Packet(0, 1, false, false, 0, 60, Ipv4Packet.UDP, SERVER, LOCAL, back).encode();
    }

    @Property(tries = 100)
    void everyAnswerGoesBackToItsAskerOnceAndStrangersAreIgnored(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1024, max = 65535) Integer> askerPorts,
            @ForAll long shuffle) {
        List<Bytes> tunnel = new ArrayList<>();
        DnsRelay relay = new DnsRelay(new VirtualClock(java.time.Instant.EPOCH), tunnel::add);
        Recorder socket = new Recorder();
        relay.use(LOCAL, SERVER);
        relay.listenOn(socket);
        for (int i = 0; i < askerPorts.size(); i++) {
            relay.query(new Datagram(new Endpoint(InetAddress.ofLiteral("10.37.0.2"), askerPorts.get(i)), PRIVATE, Bytes.utf8("query " + i)));
        }
        assertEquals(askerPorts.size(), tunnel.size());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tunnel.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(shuffle));
        for (int i : order) {
            assertTrue(relay.answer(answerTo(tunnel.get(i), Bytes.utf8("answer " + i))));
            assertFalse(relay.answer(answerTo(tunnel.get(i), Bytes.utf8("again " + i))), "a second answer is not relayed");
        }
        assertEquals(askerPorts.size(), socket.sent.size());
        for (Sent s : socket.sent) {
            int i = Integer.parseInt(new String(s.payload().toArray()).substring("answer ".length()));
            assertEquals(askerPorts.get(i), s.to().port());
        }
        Bytes fromElsewhere = UdpPacket.encode(DnsRelay.DNS, DnsRelay.FIRST_PORT, Bytes.utf8("x"), LOCAL, LOCAL);
        assertFalse(relay.answer(new Ipv4Packet(0, 1, false, false, 0, 60, Ipv4Packet.UDP, LOCAL, LOCAL, fromElsewhere).encode()));
    }
}
