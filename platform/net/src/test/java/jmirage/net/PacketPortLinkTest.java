package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * What a router that knows its neighbours' bindings needs of a link (decision 25): the source MAC of
 * each datagram, sending to a MAC without ARP, and ARP restricted to the senders it accepts.
 */
class PacketPortLinkTest {

    final SimNet net = new SimNet(11, VirtualSwitch.Conditions.PERFECT);
    final DirectStack router = net.stack(1);
    final VirtualSwitch.Port neighbour = net.network.port(SimNet.mac(50));
    final List<EthernetFrame> atNeighbour = new ArrayList<>();

    PacketPortLinkTest() {
        neighbour.receive(frame -> {
            EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
            if (eth.etherType() != EthernetFrame.IPV6) {
                atNeighbour.add(eth);
            }
        });
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        atNeighbour.clear(); // the gratuitous ARP at boot
    }

    @Test
    void aReceiverWithSourceSeesTheFramesSourceMac() {
        List<String> seen = new ArrayList<>();
        router.receiveWithSource((datagram, broadcast, source) -> seen.add(source.map(MacAddress::toString).orElse("none") + " " + broadcast));
        Bytes datagram = TestPackets.udp(SimNet.ip("10.0.0.50"), 1000, SimNet.ip("10.0.0.9"), 53, Bytes.utf8("x"));
        neighbour.send(new EthernetFrame(SimNet.mac(1), SimNet.mac(50), EthernetFrame.IPV4, datagram).encode());
        net.sim.scheduler().runFor(Duration.ofMillis(10));
        assertEquals(List.of(SimNet.mac(50) + " false"), seen);
    }

    @Test
    void aReceiverWithoutSourceStillWorks() {
        List<Boolean> seen = new ArrayList<>();
        router.receive((datagram, broadcast) -> seen.add(broadcast));
        Bytes datagram = TestPackets.udp(SimNet.ip("10.0.0.50"), 1000, SimNet.ip("10.0.0.9"), 53, Bytes.utf8("x"));
        neighbour.send(new EthernetFrame(EthernetFrame.BROADCAST, SimNet.mac(50), EthernetFrame.IPV4, datagram).encode());
        net.sim.scheduler().runFor(Duration.ofMillis(10));
        assertEquals(List.of(true), seen);
    }

    @Test
    void sendDatagramToFramesItToTheMacWithoutArp() {
        Bytes datagram = TestPackets.udp(SimNet.ip("10.0.0.1"), 53, SimNet.ip("10.0.0.50"), 1000, Bytes.utf8("answer"));
        assertInstanceOf(Result.Ok.class, router.sendDatagramTo(SimNet.mac(50), datagram));
        net.sim.scheduler().runFor(Duration.ofMillis(10));
        assertEquals(1, atNeighbour.size());
        assertEquals(EthernetFrame.IPV4, atNeighbour.getFirst().etherType());
        assertEquals(SimNet.mac(50), atNeighbour.getFirst().destination());
        assertEquals(datagram, atNeighbour.getFirst().payload());
        assertEquals(0, router.arp().cacheSize(), "nothing learned");
        assertInstanceOf(Result.Err.class, router.sendDatagramTo(SimNet.mac(50), Bytes.adopt(new byte[router.mtu() + 1])));
    }

    @Test
    void restrictedArpAnswersOnlyTheAcceptedSenderAndLearnsNothingFromOthers() {
        Inet4Address bound = SimNet.ip("10.0.0.50");
        router.restrictArp((mac, ip) -> mac.equals(SimNet.mac(50)) && ip.equals(bound));
        ask(SimNet.ip("10.0.0.60")); // a neighbour claiming another address
        assertTrue(atNeighbour.isEmpty(), "not answered");
        assertEquals(Optional.empty(), router.arp().lookup(net.sim.clock().monotonicNanos(), SimNet.ip("10.0.0.60")));
        ask(bound);
        assertEquals(1, atNeighbour.size(), "answered");
        ArpPacket reply = ArpPacket.parse(atNeighbour.getFirst().payload()).orElseThrow();
        assertEquals(ArpPacket.Operation.REPLY, reply.operation());
        assertEquals(SimNet.mac(1), reply.senderMac());
    }

    private void ask(Inet4Address as) {
        ArpPacket request = new ArpPacket(ArpPacket.Operation.REQUEST, SimNet.mac(50), as, new MacAddress(0), SimNet.ip("10.0.0.1"));
        neighbour.send(new EthernetFrame(EthernetFrame.BROADCAST, SimNet.mac(50), EthernetFrame.ARP, request.encode()).encode());
        net.sim.scheduler().runFor(Duration.ofMillis(10));
    }
}
