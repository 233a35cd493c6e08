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
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Network;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.forward.Route;
import jmirage.net.forward.Router;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The router's shell on the sim target (decision 20): a NAT router with two networks by role, each a
 * {@link DirectNetwork} on a switch of its own, between a private host (10.0.0.2, default route
 * through 10.0.0.1) and a server on the uplink (192.0.2.1, which is also the router's gateway). The
 * launcher's {@code NetworksOnSimTargetTest} boots such a router as a unikernel on the sim target.
 */
class RouterOnSimTest {

    static final MacAddress ROUTER_PRIVATE = SimNet.mac(0x11);
    static final MacAddress ROUTER_UPLINK = SimNet.mac(0x12);
    static final Inet4Address PUBLIC = SimNet.ip("192.0.2.10");
    static final Inet4Address SERVER = SimNet.ip("192.0.2.1");
    static final Inet4Address HOST = SimNet.ip("10.0.0.2");

    final Simulation sim = new Simulation(7);
    final VirtualSwitch inside = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final VirtualSwitch uplink = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    DirectStack host;
    DirectStack server;
    Router router;

    /** The router between the two switches, NAT to the uplink's address, the server its gateway. */
    void boot() {
        boot(Router.Filter.NONE);
    }

    void boot(Router.Filter filter) {
        host = stack(inside, SimNet.mac(2), "10.0.0.2/24", Optional.of(SimNet.ip("10.0.0.1")));
        server = stack(uplink, SimNet.mac(1), "192.0.2.1/24", Optional.empty());
        Network up = network("uplink", uplink, ROUTER_UPLINK, "192.0.2.10/24", Optional.of(SERVER));
        Network in = network("private", inside, ROUTER_PRIVATE, "10.0.0.1/24", Optional.empty());
        router = Router.start(List.of(Router.Attachment.of(up), Router.Attachment.of(in)), List.of(Route.defaultVia("uplink", SERVER)),
                Optional.of(new Router.Nat("uplink", new NatTable(NatConfig.of(PUBLIC, 7)))), filter, TokenBucket.perSecond(50, 100),
                sim.clock(), sim.scheduler(), sim.log("router", LogLevel.INFO)).orElseThrow();
    }

    DirectStack stack(VirtualSwitch on, MacAddress mac, String address, Optional<Inet4Address> gateway) {
        Promise<Result<DirectStack, StartError>> started = DirectStack.start(on.port(mac),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway), TcpConfig.DEFAULT,
                sim.clock(), sim.scheduler(), sim.random(), sim.log(address, LogLevel.INFO));
        return sim.await(started).orElseThrow();
    }

    Network network(String name, VirtualSwitch on, MacAddress mac, String address, Optional<Inet4Address> gateway) {
        var started = DirectNetwork.start(name, DirectStack.start(on.port(mac),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway), sim.clock(), sim.scheduler(),
                sim.random(), sim.log("router." + name, LogLevel.INFO)));
        return sim.await(started).orElseThrow();
    }

    @Test
    void aPrivateHostsDatagramReachesTheServerFromThePublicAddressAndTheAnswerComesBack() {
        boot();
        List<Datagram> atServer = new ArrayList<>();
        var serverSocket = sim.await(server.bindUdp(53, atServer::add)).orElseThrow();
        List<Datagram> atHost = new ArrayList<>();
        var hostSocket = sim.await(host.bindUdp(5000, atHost::add)).orElseThrow();
        sim.await(hostSocket.send(new Endpoint(SERVER, 53), Bytes.utf8("query"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(1, atServer.size());
        Endpoint seen = atServer.getFirst().source();
        assertEquals(PUBLIC, seen.address(), "translated");
        sim.await(serverSocket.send(seen, Bytes.utf8("answer"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of(Bytes.utf8("answer")), atHost.stream().map(Datagram::payload).toList());
        assertEquals(new Endpoint(SERVER, 53), atHost.getFirst().source());
        assertEquals(1, router.natTable().orElseThrow().size());
    }

    @Test
    void theFilterSeesWholeDatagramsWithTheirIngressBeforeTheNatAndDropsWithItsReason() {
        List<String> seen = new ArrayList<>();
        boot((ingress, datagram) -> {
            seen.add(ingress + " " + datagram.size());
            return datagram.size() > 1000 ? Optional.of("too big for this test") : Optional.empty();
        });
        List<Datagram> atServer = new ArrayList<>();
        sim.await(server.bindUdp(53, atServer::add)).orElseThrow();
        var hostSocket = sim.await(host.bindUdp(5000, d -> { })).orElseThrow();
        sim.await(hostSocket.send(new Endpoint(SERVER, 53), Bytes.utf8("small"))).orElseThrow();
        sim.await(hostSocket.send(new Endpoint(SERVER, 53), TcpTransfer.data(3, 4000))).orElseThrow(); // 3 fragments
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of("private 33", "private 4028"), seen, "each whole datagram once, fragments reassembled first");
        assertEquals(1, atServer.size());
        assertEquals(1L, router.counters().dropped().get("too big for this test"));
        assertEquals(0, router.natTable().orElseThrow().size() - 1, "the dropped one made no mapping");
    }

    @Test
    void aPrivateHostPingsThroughTheNatAndEachInterfaceAnswersPingOnItsOwnLink() {
        boot();
        assertInstanceOf(Result.Ok.class, sim.await(host.ping(SERVER, Duration.ofSeconds(2))));
        assertInstanceOf(Result.Ok.class, sim.await(host.ping(SimNet.ip("10.0.0.1"), Duration.ofSeconds(2))), "its own side");
        assertInstanceOf(Result.Ok.class, sim.await(server.ping(PUBLIC, Duration.ofSeconds(2))), "the uplink's address, from outside");
        assertTrue(router.counters().forwarded() >= 2);
        // RFC 1122 3.3.4.2, strong end system model: the uplink's stack would answer by the uplink
        assertInstanceOf(Result.Err.class, sim.await(host.ping(PUBLIC, Duration.ofSeconds(2))), "the uplink's address, from inside");
        assertEquals(1L, router.counters().dropped().get("for another interface"));
    }

    @Test
    void aMegabyteOverTcpThroughTheNatWithLossAndReorderingOnTheUplink() {
        boot();
        uplink.setConditions(VirtualSwitch.Conditions.PERFECT.withLoss(0.05).withReorder(0.05));
        Bytes data = TcpTransfer.data(9, 1 << 20);
        Promise<Result<String, FlowError>> received = Promise.pending();
        List<Endpoint> clients = new ArrayList<>();
        server.listenTcp(8080, flow -> {
            clients.add(flow.remote());
            TcpTransfer.receive(flow).onSuccess(r -> {
                flow.close();
                received.resolve(r);
            });
        });
        Flow flow = sim.await(host.connectTcp(new Endpoint(SERVER, 8080))).orElseThrow();
        TcpTransfer.send(flow, data, 64 * 1024).onSuccess(w -> flow.close());
        assertEquals(Result.ok(TcpTransfer.sha256(data) + "/" + data.size()), sim.await(received));
        assertEquals(PUBLIC, clients.getFirst().address());
    }

    @Test
    void aDatagramLargerThanBothLinksIsReassembledTranslatedAndCutAgainForANarrowerUplink() {
        uplink.setConditions(VirtualSwitch.Conditions.PERFECT.withMtu(576));
        boot();
        List<Datagram> atServer = new ArrayList<>();
        sim.await(server.bindUdp(53, atServer::add)).orElseThrow();
        var hostSocket = sim.await(host.bindUdp(5000, d -> { })).orElseThrow();
        Bytes big = TcpTransfer.data(3, 4000);
        sim.await(hostSocket.send(new Endpoint(SERVER, 53), big)).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(1, atServer.size(), "3 fragments in, 8 out, one datagram at the server");
        assertEquals(big, atServer.getFirst().payload());
        assertEquals(PUBLIC, atServer.getFirst().source().address());
    }

    @Test
    void theSynsOfAConnectionAcrossANarrowUplinkCarryTheNarrowerMssEitherWay() {
        uplink.setConditions(VirtualSwitch.Conditions.PERFECT.withMtu(576));
        boot();
        List<Integer> uplinkMss = new ArrayList<>();
        List<Integer> insideMss = new ArrayList<>();
        uplink.observe(frame -> synMss(frame).ifPresent(uplinkMss::add));
        inside.observe(frame -> synMss(frame).ifPresent(insideMss::add));
        server.listenTcp(8080, Flow::close);
        Flow flow = sim.await(host.connectTcp(new Endpoint(SERVER, 8080))).orElseThrow();
        flow.close();
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of(536, 536), uplinkMss, "the host's SYN, clamped; the server's SYN-ACK, already 536");
        assertEquals(List.of(1460, 536), insideMss, "the host's SYN as sent; the server's SYN-ACK, clamped on its way in");
    }

    /** The MSS option of a TCP SYN in {@code frame}, if it is one. */
    static Optional<Integer> synMss(Bytes frame) {
        EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
        if (eth.etherType() != EthernetFrame.IPV4) {
            return Optional.empty();
        }
        var ip = jmirage.net.ipv4.Ipv4Packet.parse(eth.payload()).orElseThrow();
        if (ip.protocol() != jmirage.net.ipv4.Ipv4Packet.TCP) {
            return Optional.empty();
        }
        var tcp = jmirage.net.tcp.TcpSegment.parse(ip.payload(), ip.source(), ip.destination()).orElseThrow();
        return tcp.has(jmirage.net.tcp.TcpSegment.SYN) ? Optional.of(tcp.mss()) : Optional.empty();
    }

    @Test
    void fromTheUplinkOnlyWhatAMappingLetsInReachesThePrivateSide() {
        boot();
        List<Bytes> atHost = new ArrayList<>();
        VirtualSwitch.Port spy = inside.port(SimNet.mac(0x99));
        spy.receive(atHost::add);
        VirtualSwitch.Port attacker = uplink.port(SimNet.mac(0x66));
        // A datagram for the private host, sent straight to the router's uplink MAC, as if the
        // attacker had routed 10.0.0.0/24 through it.
        Bytes datagram = TestPackets.udp(SERVER, 53, HOST, 5000, Bytes.utf8("unasked"));
        attacker.send(new EthernetFrame(ROUTER_UPLINK, SimNet.mac(0x66), EthernetFrame.IPV4, datagram).encode());
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of(), atHost, "nothing crossed, not even ARP for the host");
        assertEquals(1L, router.counters().dropped().get("not translated"));
    }
}
