package jmirage.openvpn.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.UdpSocket;
import jmirage.kv.MemKv;
import jmirage.net.DirectNetwork;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.openvpn.OpenVpnClient;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.KeyDirection;
import jmirage.openvpn.wire.StaticKey;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.Test;

/**
 * The unikernel on the sim target: its two networks are our own stack ({@link DirectNetwork}) on
 * two virtual switches that lose 5 % of the frames and reorder 10 %, the server is
 * {@link TestServer} on a third stack of the uplink, answering each UDP datagram out of the tunnel
 * with one from the address it was sent to. A host on the private switch sends datagrams to an
 * address beyond the VPN; the answers come back through the NAT.
 */
class TunnelOnSimTargetTest {

    final Simulation sim = new Simulation(26, Instant.now());
    final VirtualSwitch uplink = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.05).withReorder(0.1));
    final VirtualSwitch inside = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.05).withReorder(0.1));

    DirectStack stack(VirtualSwitch on, long mac, String address, String gateway) {
        return sim.await(DirectStack.start(on.port(new MacAddress(0x02_00_00_00_00_00L | mac)), new Ipv4Config.Static(
                IpPrefix.parseIpv4WithLength(address).orElseThrow(), Optional.ofNullable(gateway).map(TunnelOnSimTargetTest::ip)),
                sim.clock(), sim.scheduler(), sim.random(), sim.log(address, LogLevel.WARN))).orElseThrow();
    }

    static Inet4Address ip(String text) {
        return (Inet4Address) InetAddress.ofLiteral(text);
    }

    /** The UDP datagram back from where {@code datagram} went, with its payload in capitals. */
    static Bytes answer(Bytes datagram) {
        Ipv4Packet in = Ipv4Packet.parse(datagram).orElseThrow();
        UdpPacket udp = UdpPacket.parse(in.payload(), in.source(), in.destination()).orElseThrow();
        Bytes payload = Bytes.utf8(new String(udp.payload().toArray()).toUpperCase(java.util.Locale.ROOT));
        return new Ipv4Packet(0, 1, false, false, 0, 60, Ipv4Packet.UDP, in.destination(), in.source(),
                UdpPacket.encode(udp.destinationPort(), udp.sourcePort(), payload, in.destination(), in.source())).encode();
    }

    @Test
    void aPrivateHostsDatagramsAreAnsweredThroughTheTunnelDespiteLossAndReordering() {
        StaticKey key = new StaticKey(sim.random().bytes(StaticKey.SIZE));
        Credentials credentials = SelfSigned.make(sim.random(), sim.clock().now(), List.of("server.test"));
        DirectStack serverStack = stack(uplink, 1, "192.0.2.1/24", null);
        List<Endpoint> client = new ArrayList<>();
        List<UdpSocket> serverSocket = new ArrayList<>();
        List<TestServer> server = new ArrayList<>();
        server.add(new TestServer(ControlWrap.TlsCrypt.of(key, KeyDirection.NORMAL),
                TlsServerConfig.of(credentials).withHandshakeTimeout(Duration.ofSeconds(60)),
                new TlsDevices(sim.scheduler(), sim.clock(), sim.random()),
                packet -> serverSocket.getFirst().send(client.getFirst(), packet), TunnelOnSimTargetTest::answer));
        serverSocket.add(sim.await(serverStack.bindUdp(1194, d -> {
            if (client.isEmpty()) {
                client.add(d.source());
            }
            server.getFirst().input(d.payload());
        })).orElseThrow());
        sim.scheduler().every(Duration.ofSeconds(1), () -> server.getFirst().tick());

        MemKv kv = new MemKv(sim.clock());
        String conf = "client\ndev tun\nproto udp\nremote 192.0.2.1 1194\nauth-user-pass\n<ca>\n" + Pem.certificates(List.of(credentials.leaf()))
                + "</ca>\n<tls-crypt>\n" + key.format() + "</tls-crypt>\n";
        sim.await(kv.set(OpenVpnClient.CONFIG, Bytes.utf8(conf))).orElseThrow();
        sim.await(kv.set(OpenVpnClient.CREDENTIALS, Bytes.utf8("user\npassword\n"))).orElseThrow();
        DirectNetwork up = sim.await(DirectNetwork.start("uplink", DirectStack.start(uplink.port(new MacAddress(0x02_00_00_00_00_12L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(), Optional.of(ip("192.0.2.1"))),
                sim.clock(), sim.scheduler(), sim.random(), sim.log("uplink", LogLevel.WARN)))).orElseThrow();
        DirectNetwork in = sim.await(DirectNetwork.start("private", DirectStack.start(inside.port(new MacAddress(0x02_00_00_00_00_11L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(), Optional.empty()),
                sim.clock(), sim.scheduler(), sim.random(), sim.log("private", LogLevel.WARN)))).orElseThrow();
        Metrics metrics = new Metrics();
        OpenVpnClient unikernel = new OpenVpnClient();
        Result<Unikernel.Running, String> started = sim.await(unikernel.start(new OpenVpnClient.Devices(sim.clock(), sim.scheduler(),
                sim.random(), sim.log("openvpn-client", LogLevel.INFO), kv, metrics, up, in), unikernel.parameters()));
        assertTrue(started.isOk(), String.valueOf(started));

        DirectStack host = stack(inside, 2, "10.0.0.2/24", "10.0.0.1");
        List<String> answers = new ArrayList<>();
        UdpSocket socket = sim.await(host.bindUdp(0, (Datagram d) -> answers.add(new String(d.payload().toArray())))).orElseThrow();
        Endpoint beyond = new Endpoint(InetAddress.ofLiteral("198.51.100.7"), 7);
        for (int waited = 0; waited < 120 && answers.isEmpty(); waited++) {
            socket.send(beyond, Bytes.utf8("probe"));
            sim.scheduler().runFor(Duration.ofSeconds(1));
        }
        assertTrue(!answers.isEmpty(), "no answer through the tunnel in 120 s; log: " + sim.records());
        answers.clear();
        for (int i = 0; i < 40; i++) {
            socket.send(beyond, Bytes.utf8("datagram " + i));
            sim.scheduler().runFor(Duration.ofMillis(100));
        }
        sim.scheduler().runFor(Duration.ofSeconds(2));
        // Each crosses both lossy switches twice: 0.95^4 = 81 % expected back.
        assertTrue(answers.size() >= 24 && answers.stream().allMatch(a -> a.startsWith("DATAGRAM ")), answers.size() + " " + answers);
        assertEquals(1.0, metric(metrics, "jmirage_openvpn_up"));
        assertTrue(metric(metrics, "jmirage_router_datagrams_total") >= 2 * answers.size(), "forwarded both ways");
        assertTrue(metric(metrics, "jmirage_nat_mappings") >= 1);
        sim.await(started.orElseThrow().stop());
    }

    /** The sum of a family's samples. */
    static double metric(Metrics metrics, String name) {
        return metrics.collect().stream().filter(f -> f.name().equals(name)).flatMap(f -> f.samples().stream())
                .mapToDouble(jmirage.core.metrics.Sample::value).sum();
    }
}
