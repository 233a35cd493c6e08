package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.net.dhcp.DhcpClient;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Wire;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** The DHCP client against a small DHCP server written here, on a raw switch port. */
class DhcpClientTest {

    static final Inet4Address SERVER = SimNet.ip("10.0.0.254");
    static final Inet4Address OFFERED = SimNet.ip("10.0.0.50");

    /** A one-lease DHCP server (RFC 2131 4.3): OFFER for DISCOVER, ACK for REQUEST, counting what it saw. */
    static final class TinyServer {
        final VirtualSwitch.Port port;
        final List<String> seen = new ArrayList<>();
        boolean nakNext;
        boolean silent;
        Inet4Address offer = OFFERED;

        TinyServer(VirtualSwitch.Port port) {
            this.port = port;
            port.receive(this::frame);
        }

        void frame(Bytes f) {
            if (SimNet.answerArp(port, SERVER, f)) {
                return;
            }
            EthernetFrame eth = EthernetFrame.parse(f).orElseThrow();
            if (silent || eth.etherType() != EthernetFrame.IPV4) {
                return;
            }
            Ipv4Packet ip = Ipv4Packet.parse(eth.payload()).orElseThrow();
            if (ip.protocol() != Ipv4Packet.UDP) {
                return;
            }
            UdpPacket udp = UdpPacket.parse(ip.payload(), ip.source(), ip.destination()).orElseThrow();
            if (udp.destinationPort() != 67) {
                return;
            }
            DhcpMessage m = DhcpMessage.parse(udp.payload()).orElseThrow();
            int type = m.messageType().orElseThrow();
            boolean unicast = !Wire.ipv4(-1).equals(ip.destination());
            String name = switch (type) {
                case DhcpMessage.DISCOVER -> "DISCOVER";
                case DhcpMessage.REQUEST -> "REQUEST";
                case DhcpMessage.RELEASE -> "RELEASE";
                case DhcpMessage.DECLINE -> "DECLINE " + m.address(DhcpMessage.OPT_REQUESTED_IP).orElseThrow().getHostAddress();
                default -> "type " + type;
            };
            seen.add(name + (unicast ? " unicast" : " broadcast") + " from " + ip.source().getHostAddress());
            if (type == DhcpMessage.RELEASE) {
                return;
            }
            if (type == DhcpMessage.DECLINE) {
                offer = SimNet.ip("10.0.0.51"); // RFC 2131 4.3.3: mark it in use, offer another
                return;
            }
            int answer = type == DhcpMessage.DISCOVER ? DhcpMessage.OFFER : nakNext ? DhcpMessage.NAK : DhcpMessage.ACK;
            Map<Integer, Bytes> o = new LinkedHashMap<>();
            o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) answer));
            o.put(DhcpMessage.OPT_SERVER_ID, Bytes.of(SERVER.getAddress()));
            if (answer != DhcpMessage.NAK) {
                o.put(DhcpMessage.OPT_SUBNET_MASK, Bytes.of((byte) 255, (byte) 255, (byte) 255, (byte) 0));
                o.put(DhcpMessage.OPT_ROUTER, Bytes.of(SERVER.getAddress()));
                o.put(DhcpMessage.OPT_LEASE_TIME, Bytes.of((byte) 0, (byte) 0, (byte) 0x0e, (byte) 0x10)); // 3600 s
            }
            Inet4Address zero = Wire.ipv4(0);
            DhcpMessage reply = new DhcpMessage(DhcpMessage.BOOTREPLY, m.xid(), m.flags(), zero,
                    answer == DhcpMessage.NAK ? zero : offer, SERVER, m.chaddr(), o);
            Inet4Address to = unicast ? ip.source() : Wire.ipv4(-1);
            Bytes u = UdpPacket.encode(67, 68, reply.encode(), SERVER, to);
            Ipv4Packet out = new Ipv4Packet(0, 1, false, false, 0, 64, Ipv4Packet.UDP, SERVER, to, u);
            port.send(new EthernetFrame(unicast ? eth.source() : EthernetFrame.BROADCAST, port.mac(), EthernetFrame.IPV4, out.encode()).encode());
        }
    }

    @Test
    void getsALeaseThenRenewsWithTheServerAndRebindsWhenItIsSilent() {
        SimNet net = new SimNet(5, VirtualSwitch.Conditions.PERFECT);
        TinyServer server = new TinyServer(net.network.port(SimNet.mac(254)));
        Promise<Result<DirectStack, StartError>> started = DirectStack.start(net.network.port(SimNet.mac(3)), new Ipv4Config.Dhcp(),
                net.sim.clock(), net.sim.scheduler(), net.sim.random(), net.sim.log("dhcp", LogLevel.INFO));
        DirectStack stack = net.await(started).orElseThrow();
        assertEquals(Optional.of(IpPrefix.parseIpv4WithLength("10.0.0.50/24").orElseThrow()), stack.ipv4());
        assertEquals(Optional.of(SERVER), stack.gateway());
        assertEquals(List.of("DISCOVER broadcast from 0.0.0.0", "REQUEST broadcast from 0.0.0.0"), server.seen);
        // the bound stack answers ping from the server's side
        DirectStack peer = net.stack(9);
        assertTrue(net.await(peer.ping(OFFERED, Duration.ofSeconds(1))).isOk());

        // T1 = 1800 s: a unicast REQUEST renews the lease (RFC 2131 4.4.5)
        net.sim.scheduler().runFor(Duration.ofSeconds(1801));
        assertEquals("REQUEST unicast from 10.0.0.50", server.seen.get(2));
        assertEquals(3, server.seen.size());

        // The server goes quiet: renewing retries, then at T2 (7/8 of the lease) the client broadcasts.
        server.silent = true;
        net.sim.scheduler().runFor(Duration.ofSeconds(3200));
        server.silent = false;
        net.sim.scheduler().runFor(Duration.ofSeconds(200));
        assertTrue(server.seen.stream().anyMatch(s -> s.equals("REQUEST broadcast from 10.0.0.50")), server.seen.toString());
        assertEquals(Optional.of(IpPrefix.parseIpv4WithLength("10.0.0.50/24").orElseThrow()), stack.ipv4());

        // RFC 2131 4.4.6: closing the stack gives the lease back
        stack.close();
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals("RELEASE unicast from 10.0.0.50", server.seen.get(server.seen.size() - 1));
    }

    @Test
    void anOfferedAddressThatAnswersTheArpProbeIsDeclined() {
        SimNet net = new SimNet(6, VirtualSwitch.Conditions.PERFECT);
        TinyServer server = new TinyServer(net.network.port(SimNet.mac(254)));
        // a host that already uses 10.0.0.50 and answers ARP for it
        VirtualSwitch.Port squatter = net.network.port(SimNet.mac(77));
        squatter.receive(f -> SimNet.answerArp(squatter, OFFERED, f));
        Promise<Result<DirectStack, StartError>> started = DirectStack.start(net.network.port(SimNet.mac(3)), new Ipv4Config.Dhcp(),
                net.sim.clock(), net.sim.scheduler(), net.sim.random(), net.sim.log("dhcp", LogLevel.INFO));
        DirectStack stack = net.await(started).orElseThrow();
        assertEquals(Optional.of(IpPrefix.parseIpv4WithLength("10.0.0.51/24").orElseThrow()), stack.ipv4());
        assertEquals(List.of("DISCOVER broadcast from 0.0.0.0", "REQUEST broadcast from 0.0.0.0", "DECLINE 10.0.0.50 broadcast from 0.0.0.0",
                "DISCOVER broadcast from 0.0.0.0", "REQUEST broadcast from 0.0.0.0"), server.seen);
        assertTrue(net.sim.clock().monotonicNanos() >= Duration.ofSeconds(11).toNanos(), "ten seconds before restarting");
    }

    @Test
    void aNakSendsTheClientBackToDiscover() {
        DhcpClient client = new DhcpClient(SimNet.mac(3), 77);
        List<DhcpClient.Action> a = client.start(0);
        DhcpMessage discover = DhcpMessage.parse(((DhcpClient.Action.Send) a.get(0)).payload()).orElseThrow();
        assertEquals(Optional.of(DhcpMessage.DISCOVER), discover.messageType());
        assertEquals(DhcpClient.State.SELECTING, client.state());
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.OFFER));
        o.put(DhcpMessage.OPT_SERVER_ID, Bytes.of(SERVER.getAddress()));
        Inet4Address zero = Wire.ipv4(0);
        client.input(1, new DhcpMessage(2, discover.xid(), 0, zero, OFFERED, SERVER, SimNet.mac(3), o).encode());
        assertEquals(DhcpClient.State.REQUESTING, client.state());
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.NAK));
        // a reply for another transaction is ignored
        client.input(2, new DhcpMessage(2, discover.xid() + 5, 0, zero, zero, SERVER, SimNet.mac(3), o).encode());
        assertEquals(DhcpClient.State.REQUESTING, client.state());
        List<DhcpClient.Action> after = client.input(3, new DhcpMessage(2, discover.xid(), 0, zero, zero, SERVER, SimNet.mac(3), o).encode());
        assertEquals(DhcpClient.State.SELECTING, client.state());
        assertEquals(Optional.of(DhcpMessage.DISCOVER),
                DhcpMessage.parse(((DhcpClient.Action.Send) after.get(0)).payload()).orElseThrow().messageType());
    }
}
