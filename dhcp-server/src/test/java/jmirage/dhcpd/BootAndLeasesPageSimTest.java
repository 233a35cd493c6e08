package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.StartError;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** Booting: a clear refusal without or with a broken dhcpd.conf; the leases page over HTTP. */
class BootAndLeasesPageSimTest {

    final Simulation sim = new Simulation(7);
    final VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final MemKv kv = new MemKv(sim.clock());
    final DirectStack serverStack = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_01L)),
            new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.60.0.1/24").orElseThrow(), Optional.empty()), sim.clock(), sim.scheduler(),
            sim.random(), sim.log("server-stack", LogLevel.WARN))).value().orElseThrow();

    Result<Unikernel.Running, String> boot() {
        return sim.boot(new DhcpServer(), new DhcpServer.Parameters(), s -> kv, s -> serverStack);
    }

    static String error(Result<Unikernel.Running, String> r) {
        return r instanceof Result.Err<Unikernel.Running, String>(String e) ? e : "booted";
    }

    @Test
    void withoutAConfigurationItSaysWhereToPutOne() {
        String e = error(boot());
        assertTrue(e.startsWith("dhcpd.conf: no DHCP configuration: the store has nothing at 'dhcpd.conf'"), e);
        assertTrue(e.contains("var/dhcp-server/dhcpd.conf") && e.contains("store put"), e);
    }

    @Test
    void aBrokenConfigurationNamesTheLine() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8("subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10;\n  option rooters 10.60.0.1;\n}\n")));
        assertEquals("dhcpd.conf:3: unknown option 'rooters'", error(boot()));
    }

    @Test
    void theLeasesPageListsABoundClient() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(
                "subnet 10.60.0.0 netmask 255.255.255.0 {\n  option routers 10.60.0.1;\n  range 10.60.0.10 10.60.0.20;\n}\n")));
        Unikernel.Running server = boot().orElseThrow();
        MacAddress mac = new MacAddress(0x02_00_00_00_00_99L);
        List<String> repliesToClient = new ArrayList<>();
        network.observe(frame -> {
            EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
            if (eth.etherType() == EthernetFrame.IPV4 && Ipv4Packet.parse(eth.payload()) instanceof Result.Ok<Ipv4Packet, ?>(Ipv4Packet ip)
                    && ip.protocol() == Ipv4Packet.UDP && UdpPacket.parse(ip.payload(), ip.source(), ip.destination())
                            instanceof Result.Ok<UdpPacket, ?>(UdpPacket udp) && udp.destinationPort() == 68) {
                repliesToClient.add(eth.destination() + " " + ip.destination().getHostAddress());
            }
        });
        DirectStack client = sim.scheduler().runUntil(sim.scheduler().withTimeout(DirectStack.start(network.port(mac), new Ipv4Config.Dhcp(),
                sim.clock(), sim.scheduler(), sim.random(), sim.log("client", LogLevel.WARN)), Duration.ofSeconds(60),
                Result.err(new StartError.TimedOut(new Ipv4Config.Dhcp(), Duration.ofSeconds(60))))).value().orElseThrow();
        String address = client.ipv4().orElseThrow().address().getHostAddress();
        assertEquals("10.60.0.10", address);
        assertEquals("10.60.0.1", client.gateway().orElseThrow().getHostAddress());
        // platform/net's client sets the broadcast bit (RFC 2131 4.1), so OFFER and ACK were broadcast.
        assertEquals(List.of("ff:ff:ff:ff:ff:ff 255.255.255.255", "ff:ff:ff:ff:ff:ff 255.255.255.255"), repliesToClient);

        // A client without the bit (as dhclient, udhcpc, dhcpcd) gets its OFFER unicast to yiaddr at its MAC, without ARP.
        repliesToClient.clear();
        MacAddress raw = new MacAddress(0x02_00_00_00_00_98L);
        VirtualSwitch.Port port = network.port(raw);
        port.receive(frame -> { });
        Bytes discover = Msg.discover(raw, 77).encode();
        Bytes udp = UdpPacket.encode(68, 67, discover, Msg.ZERO, Msg.ip("255.255.255.255"));
        Ipv4Packet ip = new Ipv4Packet(0, 1, false, false, 0, 64, Ipv4Packet.UDP, Msg.ZERO, Msg.ip("255.255.255.255"), udp);
        port.send(new EthernetFrame(EthernetFrame.BROADCAST, raw, EthernetFrame.IPV4, ip.encode()).encode());
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(List.of(raw + " 10.60.0.11"), repliesToClient);

        String json = get(client, "/leases.json");
        assertTrue(json.contains("{\"address\":\"10.60.0.10\",\"hardware\":\"" + mac + "\",\"state\":\"BOUND\""), json);
        String text = get(client, "/");
        assertTrue(text.contains("10.60.0.10") && text.contains("OFFERED") && text.contains("2 live leases"), text);
        sim.scheduler().runUntil(server.stop());
    }

    private String get(DirectStack client, String path) {
        Flow flow = sim.scheduler().runUntil(client.connectTcp(new Endpoint(serverStack.ipv4().orElseThrow().address(), 8067)))
                .value().orElseThrow();
        HttpResponse r = sim.scheduler().runUntil(HttpClientConnection.once(flow, sim.scheduler(), ClientConfig.defaults(),
                HttpRequest.get(path))).value().orElseThrow();
        assertEquals(200, r.status());
        return r.bytes().toUtf8();
    }

    @Test
    void malformedMessagesAreDroppedWithOneLogLinePerTenSeconds() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(
                "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10 10.60.0.20;\n}\n")));
        Unikernel.Running server = boot().orElseThrow();
        DirectStack peer = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_77L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.60.0.77/24").orElseThrow(), Optional.empty()), sim.clock(), sim.scheduler(),
                sim.random(), sim.log("peer", LogLevel.WARN))).value().orElseThrow();
        var socket = sim.scheduler().runUntil(peer.bindUdp(68, d -> { })).value().orElseThrow();
        Endpoint server67 = new Endpoint(serverStack.ipv4().orElseThrow().address(), 67);
        socket.send(server67, Bytes.utf8("not dhcp 0"));
        sim.scheduler().runFor(Duration.ofSeconds(1)); // ARP resolved: the next ones are not queued behind it
        for (int i = 1; i < 100; i++) {
            socket.send(server67, Bytes.utf8("not dhcp " + i));
        }
        sim.scheduler().runFor(Duration.ofSeconds(11));
        byte[] noCookie = new byte[300];
        noCookie[1] = 1;
        noCookie[2] = 6;
        socket.send(server67, Bytes.adopt(noCookie)); // Ethernet, long enough, no cookie
        sim.scheduler().runFor(Duration.ofSeconds(1));
        var lines = sim.records().stream().filter(r -> r.source().equals("dhcp-server") && r.message().contains("malformed")).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).message().startsWith("dropped a malformed DHCP message from 10.60.0.77:68: message of 10 bytes is too short"),
                lines.get(0).message());
        assertTrue(lines.get(1).message().endsWith("no magic cookie (99 more since the last such line)"), lines.get(1).message());
        sim.scheduler().runUntil(server.stop());
    }
}
