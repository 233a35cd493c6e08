package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** {@code DirectStack.sendUdpTo}: a datagram framed to the given MAC, with no ARP exchange and no cache entry. */
class SendUdpToTest {

    @Test
    void framesTheDatagramToTheMacWithoutArp() {
        SimNet net = new SimNet(5, VirtualSwitch.Conditions.PERFECT);
        DirectStack server = net.stack(1);
        List<String> seen = new ArrayList<>();
        net.network.observe(frame -> {
            EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
            if (eth.etherType() == EthernetFrame.ARP) {
                seen.add("arp");
                return;
            }
            if (eth.etherType() == EthernetFrame.IPV6) {
                return; // the stack's IPv6 address detection and router solicitations: not what this test watches
            }
            Ipv4Packet ip = Ipv4Packet.parse(eth.payload()).orElseThrow();
            UdpPacket udp = UdpPacket.parse(ip.payload(), ip.source(), ip.destination()).orElseThrow();
            seen.add(eth.destination() + " " + ip.source().getHostAddress() + ":" + udp.sourcePort() + " > "
                    + ip.destination().getHostAddress() + ":" + udp.destinationPort() + " " + udp.payload().toUtf8());
        });
        net.network.port(SimNet.mac(50)).receive(f -> { });
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        seen.clear(); // the stack's gratuitous ARP at boot

        Result<?, ?> sent = server.sendUdpTo(SimNet.mac(50), 67, new Endpoint(SimNet.ip("10.0.0.50"), 68), Bytes.utf8("offer"));
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        assertInstanceOf(Result.Ok.class, sent);
        assertEquals(List.of(SimNet.mac(50) + " 10.0.0.1:67 > 10.0.0.50:68 offer"), seen);
        assertEquals(0, server.arp().cacheSize(), "nothing learned");
        assertInstanceOf(Result.Err.class, server.sendUdpTo(EthernetFrame.BROADCAST, 67, new Endpoint(SimNet.ip("10.0.0.50"), 68),
                Bytes.utf8("x")), "a multicast MAC is refused");
    }
}
