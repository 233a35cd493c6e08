package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

class ArpPingUdpTest {

    @Test
    void twoStacksAnswerArpAndPingEachOther() {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        Result<Duration, NetError> rtt = net.await(b.ping(SimNet.ip("10.0.0.1"), Duration.ofSeconds(2)));
        // one ARP exchange then the echo: 4 hops of 1 ms each
        assertEquals(Result.ok(Duration.ofMillis(4)), rtt);
        assertEquals(SimNet.mac(1), b.arp().lookup(net.sim.clock().monotonicNanos(), SimNet.ip("10.0.0.1")).orElseThrow());
        // A learnt B from B's request, since A was its target (RFC 826)
        assertTrue(a.arp().lookup(net.sim.clock().monotonicNanos(), SimNet.ip("10.0.0.2")).isPresent());
        Result<Duration, NetError> again = net.await(b.ping(SimNet.ip("10.0.0.1"), Duration.ofSeconds(2)));
        assertEquals(Result.ok(Duration.ofMillis(2)), again);
    }

    @Test
    void pingToAnAbsentHostTimesOut() {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack b = net.stack(2);
        Result<Duration, NetError> r = net.await(b.ping(SimNet.ip("10.0.0.9"), Duration.ofSeconds(5)));
        assertInstanceOf(NetError.TimedOut.class, ((Result.Err<Duration, NetError>) r).error());
        assertEquals(0, b.arp().queued(), "the queue is emptied after the retries");
    }

    @Test
    void rawArpRequestGetsAReplyOnlyForOwnAddress() {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        net.stack(1);
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(99));
        List<Bytes> got = new ArrayList<>();
        raw.receive(got::add);
        for (String target : List.of("10.0.0.1", "10.0.0.7")) {
            ArpPacket req = new ArpPacket(ArpPacket.Operation.REQUEST, SimNet.mac(99), SimNet.ip("10.0.0.99"),
                    new jmirage.core.net.MacAddress(0), SimNet.ip(target));
            raw.send(new EthernetFrame(EthernetFrame.BROADCAST, SimNet.mac(99), EthernetFrame.ARP, req.encode()).encode());
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(1, got.size());
        ArpPacket reply = ArpPacket.parse(EthernetFrame.parse(got.get(0)).orElseThrow().payload()).orElseThrow();
        assertEquals(new ArpPacket(ArpPacket.Operation.REPLY, SimNet.mac(1), SimNet.ip("10.0.0.1"), SimNet.mac(99),
                SimNet.ip("10.0.0.99")), reply);
    }

    @Test
    void udpEchoBetweenStacks() {
        SimNet net = new SimNet(3, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        UdpSocket[] server = new UdpSocket[1];
        server[0] = net.await(a.bindUdp(7, d -> server[0].send(d.source(), d.payload()))).orElseThrow();
        List<Datagram> replies = new ArrayList<>();
        UdpSocket client = net.await(b.bindUdp(0, replies::add)).orElseThrow();
        Endpoint echo = new Endpoint(SimNet.ip("10.0.0.1"), 7);
        Bytes big = Bytes.adopt(new byte[4000]); // fragmented at MTU 1500 and reassembled
        for (Bytes payload : List.of(Bytes.utf8("hello"), Bytes.EMPTY, big)) {
            assertEquals(Result.ok(), net.await(client.send(echo, payload)));
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of(Bytes.utf8("hello"), Bytes.EMPTY, big), replies.stream().map(Datagram::payload).toList());
        assertEquals(echo, replies.get(0).source());
        assertEquals(client.local(), replies.get(0).destination());
    }

    @Test
    void closedUdpPortGetsPortUnreachable() {
        SimNet net = new SimNet(4, VirtualSwitch.Conditions.PERFECT);
        net.stack(1);
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(99));
        List<Bytes> got = new ArrayList<>();
        raw.receive(f -> {
            if (!SimNet.answerArp(raw, SimNet.ip("10.0.0.99"), f)) {
                got.add(f);
            }
        });
        Bytes udp = UdpPacket.encode(5000, 9, Bytes.utf8("x"), SimNet.ip("10.0.0.99"), SimNet.ip("10.0.0.1"));
        Ipv4Packet ip = new Ipv4Packet(0, 1, false, false, 0, 64, Ipv4Packet.UDP, SimNet.ip("10.0.0.99"), SimNet.ip("10.0.0.1"), udp);
        for (int i = 0; i < 200; i++) {
            raw.send(new EthernetFrame(SimNet.mac(1), SimNet.mac(99), EthernetFrame.IPV4, ip.encode()).encode());
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertTrue(!got.isEmpty() && got.size() <= 60, "rate-limited: " + got.size());
        Frames.Frame f = Frames.parse(got.get(0)).orElseThrow();
        IcmpMessage m = ((Frames.Icmp) ((Frames.Ipv4) f).transport()).message();
        assertEquals(IcmpMessage.DESTINATION_UNREACHABLE, m.type());
        assertEquals(IcmpMessage.PORT_UNREACHABLE, m.code());
        assertEquals(ip.encode().slice(0, 28), m.data());
    }

    /** RFC 1122 3.2.1.3: only a single host may be a source; 0.0.0.0 only for UDP (a DHCP client). */
    @Test
    void datagramsFromSourcesThatAreNoSingleHostAreDropped() {
        SimNet net = new SimNet(5, VirtualSwitch.Conditions.PERFECT);
        DirectStack stack = net.stack(1);
        List<String> heard = new ArrayList<>();
        ok(stack.bindUdp(7, d -> heard.add(d.source().address().getHostAddress())));
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(99));
        for (String source : List.of("224.0.0.5", "127.0.0.1", "10.0.0.255", "240.0.0.1", "255.255.255.255",
                "0.1.2.3", "0.0.0.0", "10.0.0.99")) {
            Bytes udp = UdpPacket.encode(5000, 7, Bytes.utf8("x"), SimNet.ip(source), SimNet.ip("10.0.0.1"));
            Ipv4Packet ip = new Ipv4Packet(0, 1, false, false, 0, 64, Ipv4Packet.UDP, SimNet.ip(source), SimNet.ip("10.0.0.1"), udp);
            raw.send(new EthernetFrame(SimNet.mac(1), SimNet.mac(99), EthernetFrame.IPV4, ip.encode()).encode());
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of("0.0.0.0", "10.0.0.99"), heard);
    }

    static <T> T ok(Promise<Result<T, NetError>> p) {
        return p.value().orElseThrow();
    }
}
