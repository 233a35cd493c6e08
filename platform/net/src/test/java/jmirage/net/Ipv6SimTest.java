package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.FlowError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.NetError;
import jmirage.core.net.UdpSocket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv6.Autoconfig;
import jmirage.net.ipv6.Icmpv6Message;
import jmirage.net.ipv6.Ipv6Addresses;
import jmirage.net.ipv6.Ipv6Packet;
import jmirage.net.ipv6.NdMessage;
import jmirage.net.tcp.TcpConfig;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** Two direct stacks speak IPv6 on the virtual switch: ND, ping6, UDP and TCP, SLAAC from a router written here. */
class Ipv6SimTest {

    static Inet6Address ip6(String s) {
        return (Inet6Address) IpAddresses.parse(s).orElseThrow();
    }

    /** fd00:24:SUBNET::HOST/64, the subnet bits drawn from the test's seed. */
    static IpPrefix ula(long seed, int host) {
        int subnet = new java.util.Random(seed).nextInt(65536);
        return IpPrefix.parse(String.format("fd00:24:%x::%x/64", subnet, host)).orElseThrow();
    }

    static Ipv6Config.Static fixed(long seed, int host) {
        return new Ipv6Config.Static(ula(seed, host), Optional.empty());
    }

    @Test
    void linkLocalAddressesPassDetectionThenAnswerPing() {
        SimNet net = new SimNet(11, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        Inet6Address aLinkLocal = Ipv6Addresses.linkLocal(SimNet.mac(1));
        assertEquals(Autoconfig.AddressState.TENTATIVE, a.ipv6Addresses().get(0).state(), "tentative until detection is done");
        assertFalse(a.addresses().contains(aLinkLocal));
        net.sim.scheduler().runFor(Duration.ofMillis(2100)); // start delay (up to 1 s) and 1 s of silence
        assertTrue(a.addresses().contains(aLinkLocal), "fe80:: from the MAC by EUI-64: " + a.addresses());
        assertEquals("fe80:0:0:0:0:ff:fe00:1", aLinkLocal.getHostAddress());
        // A neighbor solicitation and advertisement, then the echo: 4 hops of 1 ms.
        assertEquals(Result.ok(Duration.ofMillis(4)), net.await(b.ping(aLinkLocal, Duration.ofSeconds(2))));
        assertEquals(Result.ok(Duration.ofMillis(2)), net.await(b.ping(aLinkLocal, Duration.ofSeconds(2))));
        assertTrue(b.neighborDiscovery().orElseThrow().cache().lookup(aLinkLocal).isPresent());
    }

    @Test
    void udpAndTcpOverStaticAddressesOnALossyReorderingWire() {
        long seed = 12;
        VirtualSwitch.Conditions lossy = VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withDuplicate(0.01).withReorder(0.02)
                .withDelay(Duration.ofMillis(5), Duration.ofMillis(1));
        SimNet net = new SimNet(seed, lossy);
        DirectStack a = net.stack(1, fixed(seed, 1), TcpConfig.DEFAULT);
        DirectStack b = net.stack(2, fixed(seed, 2), TcpConfig.DEFAULT);
        net.sim.scheduler().runFor(Duration.ofSeconds(3));
        Inet6Address aAddress = (Inet6Address) ula(seed, 1).address();
        assertTrue(a.addresses().contains(aAddress), a.addresses().toString());

        UdpSocket[] server = new UdpSocket[1];
        server[0] = net.await(a.bindUdp(7, d -> server[0].send(d.source(), d.payload()))).orElseThrow();
        List<Datagram> replies = new ArrayList<>();
        UdpSocket client = net.await(b.bindUdp(0, replies::add)).orElseThrow();
        Endpoint echo = new Endpoint(aAddress, 7);
        Bytes big = TcpTransfer.data(seed, 4000); // three fragments at MTU 1500, reassembled
        for (int i = 0; i < 20; i++) {
            net.await(client.send(echo, i % 2 == 0 ? Bytes.utf8("hello " + i) : big));
            net.sim.scheduler().runFor(Duration.ofMillis(50));
        }
        net.sim.scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(replies.size() >= 10, "most of 20 echoes come back over a 2% lossy wire: " + replies.size());
        assertTrue(replies.stream().anyMatch(d -> d.payload().equals(big)), "a fragmented datagram came back whole");
        assertEquals(echo, replies.get(0).source());

        Bytes data = TcpTransfer.data(seed, 1024 * 1024);
        Result<String, FlowError> received = net.await(transfer(a, b, aAddress, data));
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + data.size()), received);
        net.sim.scheduler().runFor(Duration.ofMinutes(3));
        assertEquals(0, a.tcp().connectionCount());
        assertEquals(0, b.tcp().connectionCount());
    }

    /** TcpTransfer.run, to an IPv6 address of the server. */
    static jmirage.core.Promise<Result<String, FlowError>> transfer(DirectStack server, DirectStack client, Inet6Address to, Bytes data) {
        jmirage.core.Promise<Result<String, FlowError>> received = jmirage.core.Promise.pending();
        server.listenTcp(5001, flow -> TcpTransfer.receive(flow).onSuccess(r -> {
            flow.close();
            received.resolve(r);
        }));
        client.connectTcp(new Endpoint(to, 5001)).onSuccess(c -> {
            var flow = c.orElseThrow();
            assertEquals(to, flow.remote().address());
            TcpTransfer.send(flow, data, 64 * 1024).onSuccess(w -> flow.close());
        });
        return received;
    }

    /** A router on a raw port: answers solicitations for its link-local address and router solicitations with an advertisement. */
    static final class TestRouter {
        static final MacAddress MAC = SimNet.mac(99);
        static final Inet6Address LINK_LOCAL = Ipv6Addresses.linkLocal(MAC);
        final VirtualSwitch.Port port;
        final List<Ipv6Packet> forwarded = new ArrayList<>();
        int solicitations;

        TestRouter(SimNet net, NdMessage.RouterAdvertisement ra) {
            port = net.network.port(MAC);
            port.receive(frame -> {
                EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
                if (eth.etherType() != EthernetFrame.IPV6) {
                    return;
                }
                Ipv6Packet p = Ipv6Packet.parse(eth.payload()).orElseThrow();
                if (p.nextHeader() == Ipv6Packet.ICMPV6
                        && Frames.transport(p).orElseThrow() instanceof Frames.Nd(Icmpv6Message m, NdMessage nd)) {
                    switch (nd) {
                        case NdMessage.RouterSolicitation rs -> {
                            solicitations++;
                            send(eth.source(), LINK_LOCAL, p.source().equals(Ipv6Addresses.UNSPECIFIED) ? Ipv6Addresses.ALL_NODES : p.source(), ra);
                        }
                        case NdMessage.NeighborSolicitation ns when ns.target().equals(LINK_LOCAL) -> send(eth.source(), LINK_LOCAL,
                                p.source(), new NdMessage.NeighborAdvertisement(true, true, true, LINK_LOCAL,
                                        List.of(new NdMessage.TargetLinkLayer(MAC))));
                        default -> { }
                    }
                } else if (eth.destination().equals(MAC)) {
                    forwarded.add(p);
                }
            });
        }

        void send(MacAddress to, Inet6Address source, Inet6Address destination, NdMessage m) {
            Ipv6Packet p = Ipv6Packet.of(Ipv6Packet.ICMPV6, 255, source, destination, m.toIcmp().encode(source, destination));
            port.send(new EthernetFrame(to, MAC, EthernetFrame.IPV6, p.encode()).encode());
        }
    }

    static NdMessage.RouterAdvertisement advertisement(IpPrefix prefix, long valid, long preferred, int mtu) {
        return new NdMessage.RouterAdvertisement(64, false, false, 1800, 0, 0, List.of(
                new NdMessage.SourceLinkLayer(TestRouter.MAC),
                new NdMessage.PrefixInformation(prefix, true, true, valid, preferred),
                new NdMessage.Mtu(mtu)));
    }

    @Test
    void slaacTakesTheAdvertisedPrefixAndRoutesOffLinkThroughTheRouter() {
        long seed = 13;
        SimNet net = new SimNet(seed, VirtualSwitch.Conditions.PERFECT);
        IpPrefix prefix = Ipv6Addresses.network(ula(seed, 0).address(), 64);
        TestRouter router = new TestRouter(net, advertisement(prefix, 86400, 14400, 1400));
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        net.sim.scheduler().runFor(Duration.ofSeconds(4));
        Inet6Address aGlobal = Ipv6Addresses.withInterfaceId(prefix.address(), SimNet.mac(1));
        Inet6Address bGlobal = Ipv6Addresses.withInterfaceId(prefix.address(), SimNet.mac(2));
        assertTrue(a.addresses().contains(aGlobal), "SLAAC address from the advertised prefix: " + a.addresses());
        assertEquals(2, router.solicitations, "one solicitation from each stack, none after the advertisement");
        Autoconfig autoconfig = a.neighborDiscovery().orElseThrow().autoconfig();
        assertEquals(1400, autoconfig.linkMtu(), "the advertised MTU");
        assertEquals(List.of(TestRouter.LINK_LOCAL), autoconfig.routers().stream().map(Autoconfig.Router::address).toList());
        assertEquals(Optional.of(aGlobal), autoconfig.sourceFor(bGlobal), "a global source for a global destination");

        // On-link (the prefix has L): straight to the neighbor; TCP between the global addresses.
        assertTrue(net.await(b.ping(aGlobal, Duration.ofSeconds(2))).isOk());
        Bytes data = TcpTransfer.data(seed, 200_000);
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + data.size()), net.await(transfer(a, b, aGlobal, data)));
        assertTrue(router.forwarded.isEmpty(), "on-link traffic does not pass the router");

        // Off-link: to the default router's MAC, fragmented at the advertised MTU.
        UdpSocket s = net.await(b.bindUdp(0, d -> { })).orElseThrow();
        Inet6Address far = ip6("2001:db8::9");
        assertEquals(Result.ok(), net.await(s.send(new Endpoint(far, 53), TcpTransfer.data(1, 2000))));
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(2, router.forwarded.size(), "2000 bytes in two fragments at MTU 1400");
        assertTrue(router.forwarded.stream().allMatch(p -> p.destination().equals(far) && p.source().equals(bGlobal)
                && Ipv6Packet.HEADER + Ipv6Packet.FRAGMENT_HEADER + p.payload().size() <= 1400));
    }

    @Test
    void withoutARouterAnOffLinkDestinationIsUnreachable() {
        SimNet net = new SimNet(14, VirtualSwitch.Conditions.PERFECT);
        DirectStack b = net.stack(2);
        net.sim.scheduler().runFor(Duration.ofSeconds(3));
        UdpSocket s = net.await(b.bindUdp(0, d -> { })).orElseThrow();
        Endpoint far = new Endpoint(ip6("2001:db8::9"), 53);
        assertInstanceOf(NetError.Unreachable.class, ((Result.Err<?, NetError>) net.await(s.send(far, Bytes.utf8("x")))).error());
        assertInstanceOf(NetError.Unreachable.class,
                ((Result.Err<?, NetError>) net.await(b.connectTcp(new Endpoint(ip6("2001:db8::9"), 80)))).error());
    }

    @Test
    void anAddressSomeoneAnswersForIsGivenUp() {
        long seed = 15;
        SimNet net = new SimNet(seed, VirtualSwitch.Conditions.PERFECT);
        Inet6Address taken = (Inet6Address) ula(seed, 1).address();
        VirtualSwitch.Port squatter = net.network.port(SimNet.mac(98));
        squatter.receive(frame -> {
            EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
            if (eth.etherType() == EthernetFrame.IPV6 && Frames.parse(frame).orElseThrow() instanceof Frames.Ipv6(var e, var p,
                    Frames.Nd(var m, NdMessage.NeighborSolicitation ns)) && ns.target().equals(taken)) {
                NdMessage na = new NdMessage.NeighborAdvertisement(false, false, true, taken, List.of(new NdMessage.TargetLinkLayer(SimNet.mac(98))));
                Ipv6Packet reply = Ipv6Packet.of(Ipv6Packet.ICMPV6, 255, taken, Ipv6Addresses.ALL_NODES,
                        na.toIcmp().encode(taken, Ipv6Addresses.ALL_NODES));
                squatter.send(new EthernetFrame(Ipv6Addresses.multicastMac(Ipv6Addresses.ALL_NODES), SimNet.mac(98), EthernetFrame.IPV6,
                        reply.encode()).encode());
            }
        });
        DirectStack a = net.stack(1, fixed(seed, 1), TcpConfig.DEFAULT);
        net.sim.scheduler().runFor(Duration.ofSeconds(3));
        assertFalse(a.addresses().contains(taken), a.addresses().toString());
        assertTrue(a.addresses().contains(Ipv6Addresses.linkLocal(SimNet.mac(1))), "the link-local address is not disputed");
    }

    @Test
    void closedPortGetsRateLimitedPortUnreachableAndSolicitationsOnlyForOwnAddresses() {
        long seed = 16;
        SimNet net = new SimNet(seed, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1, fixed(seed, 1), TcpConfig.DEFAULT);
        net.sim.scheduler().runFor(Duration.ofSeconds(3));
        Inet6Address aAddress = (Inet6Address) ula(seed, 1).address();
        Inet6Address raw6 = (Inet6Address) ula(seed, 99).address();
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(99));
        List<Frames.Frame> got = new ArrayList<>();
        raw.receive(f -> {
            Frames.Frame frame = Frames.parse(f).orElseThrow();
            if (frame instanceof Frames.Ipv6(var e, var p, Frames.Nd(var m, NdMessage.NeighborSolicitation ns)) && ns.target().equals(raw6)) {
                NdMessage na = new NdMessage.NeighborAdvertisement(false, true, true, raw6, List.of(new NdMessage.TargetLinkLayer(SimNet.mac(99))));
                raw.send(new EthernetFrame(e.source(), SimNet.mac(99), EthernetFrame.IPV6, Ipv6Packet.of(Ipv6Packet.ICMPV6, 255, raw6,
                        p.source(), na.toIcmp().encode(raw6, p.source())).encode()).encode());
            } else {
                got.add(frame);
            }
        });
        for (Inet6Address target : List.of(aAddress, ip6("fd00:24::77"))) {
            NdMessage ns = new NdMessage.NeighborSolicitation(target, List.of(new NdMessage.SourceLinkLayer(SimNet.mac(99))));
            Inet6Address group = Ipv6Addresses.solicitedNode(target);
            raw.send(new EthernetFrame(Ipv6Addresses.multicastMac(group), SimNet.mac(99), EthernetFrame.IPV6,
                    Ipv6Packet.of(Ipv6Packet.ICMPV6, 255, raw6, group, ns.toIcmp().encode(raw6, group)).encode()).encode());
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(1, got.size(), "one advertisement, for the stack's own address");
        NdMessage.NeighborAdvertisement na = (NdMessage.NeighborAdvertisement) ((Frames.Nd) ((Frames.Ipv6) got.get(0)).transport()).nd();
        assertEquals(new NdMessage.NeighborAdvertisement(false, true, true, aAddress, List.of(new NdMessage.TargetLinkLayer(SimNet.mac(1)))), na);
        got.clear();

        Bytes udp = UdpPacket.encode(5000, 9, Bytes.utf8("x"), raw6, aAddress);
        Bytes packet = Ipv6Packet.of(Ipv6Packet.UDP, 64, raw6, aAddress, udp).encode();
        for (int i = 0; i < 200; i++) {
            raw.send(new EthernetFrame(SimNet.mac(1), SimNet.mac(99), EthernetFrame.IPV6, packet).encode());
        }
        net.sim.scheduler().runFor(Duration.ofMillis(100));
        assertTrue(!got.isEmpty() && got.size() <= 60, "rate-limited: " + got.size());
        Icmpv6Message m = ((Frames.Icmpv6) ((Frames.Ipv6) got.get(0)).transport()).message();
        assertEquals(Icmpv6Message.DESTINATION_UNREACHABLE, m.type());
        assertEquals(Icmpv6Message.PORT_UNREACHABLE, m.code());
        assertEquals(packet, m.body(), "the whole offending packet, as it fits in 1280 bytes");
    }

    @Test
    void ipv6DisabledDropsEveryIpv6Frame() {
        SimNet net = new SimNet(17, VirtualSwitch.Conditions.PERFECT);
        DirectStack a = net.stack(1, new Ipv6Config.Disabled(), TcpConfig.DEFAULT);
        List<Bytes> heard = new ArrayList<>();
        net.network.port(SimNet.mac(99)).receive(heard::add);
        net.sim.scheduler().runFor(Duration.ofSeconds(5));
        assertTrue(heard.isEmpty(), "no solicitation, no detection probe");
        assertEquals(List.of(SimNet.ip("10.0.0.1")), a.addresses());
        assertTrue(a.neighborDiscovery().isEmpty());
    }
}
