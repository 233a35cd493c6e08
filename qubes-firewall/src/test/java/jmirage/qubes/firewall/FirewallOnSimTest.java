package jmirage.qubes.firewall;

import static jmirage.qubes.firewall.Packets.CLIENT_A;
import static jmirage.qubes.firewall.Packets.CLIENT_B;
import static jmirage.qubes.firewall.Packets.DNS;
import static jmirage.qubes.firewall.Packets.GATEWAY;
import static jmirage.qubes.firewall.Packets.MAC_A;
import static jmirage.qubes.firewall.Packets.MAC_B;
import static jmirage.qubes.firewall.Packets.SERVER;
import static jmirage.qubes.firewall.Packets.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Network;
import jmirage.core.net.ReadResult;
import jmirage.core.net.UdpSocket;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.kv.MemKv;
import jmirage.net.DirectNetwork;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole unikernel on the sim target: two clients (A with the anchor's rules, B accepting
 * everything) on the switch {@code clients}, on isolated ports, each with a /32 and the firewall as its
 * gateway (as Qubes configures its VMs, so that everything goes through the firewall), a server (the firewall's gateway) and a DNS server on
 * the uplink, the feed in a mem store; the anchor's cases, anti-spoofing, ARP, and a rule changed
 * while a TCP connection is open.
 */
class FirewallOnSimTest {

    static final Inet4Address UPLINK = ip("10.34.0.1");

    final Simulation sim = new Simulation(21);
    final VirtualSwitch clients = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final VirtualSwitch uplink = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final MemKv kv = new MemKv(sim.clock());
    final QubesFirewall unikernel = new QubesFirewall();
    DirectStack a;
    DirectStack b;
    DirectStack server;
    DirectStack dns;
    FirewallService firewall;

    final List<VirtualSwitch.Port> clientPorts = new ArrayList<>();

    DirectStack stack(VirtualSwitch on, MacAddress mac, String address, Optional<Inet4Address> gateway) {
        VirtualSwitch.Port port = on.port(mac);
        if (on == clients) {
            clientPorts.add(port);
        }
        return sim.await(DirectStack.start(port, new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(),
                gateway), sim.clock(), sim.scheduler(), sim.random(), sim.log(address, LogLevel.INFO))).orElseThrow();
    }

    Function<Simulation, Network> network(String name, VirtualSwitch on, long mac, String address, Optional<Inet4Address> gateway) {
        return s -> s.await(DirectNetwork.start(name, DirectStack.start(on.port(new MacAddress(0x02_00_00_00_01_00L | mac)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway), s.clock(), s.scheduler(),
                s.random(), s.log("firewall." + name, LogLevel.INFO)))).orElseThrow();
    }

    void feed(Map<String, String> entries) {
        entries.forEach((key, value) -> sim.await(kv.set(Key.of(key), Bytes.utf8(value))).orElseThrow());
    }

    @BeforeEach
    void boot() {
        feed(Packets.feed());
        a = stack(clients, MAC_A, "10.33.0.2/32", Optional.of(GATEWAY));
        b = stack(clients, MAC_B, "10.33.0.3/32", Optional.of(GATEWAY));
        clients.isolate(clientPorts); // the bridge's client ports: isolated on (decision 25)
        server = stack(uplink, new MacAddress(0x02_00_00_00_02_05L), "10.34.0.5/16", Optional.empty());
        dns = stack(uplink, new MacAddress(0x02_00_00_00_02_53L), "10.34.0.53/16", Optional.empty());
        QubesFirewall.Parameters p = unikernel.parameters();
        p.dns.add(DNS.getHostAddress());
        Result<?, String> booted = sim.boot(unikernel, p, s -> kv, null, Map.of(), Map.of(
                "uplink", network("uplink", uplink, 1, "10.34.0.1/16", Optional.of(SERVER)),
                "clients", network("clients", clients, 2, "10.33.0.1/24", Optional.empty())));
        firewall = (FirewallService) booted.orElseThrow();
    }

    /** Whether a UDP datagram from {@code from} reaches {@code to}'s port, and from which address. */
    Optional<Inet4Address> udp(DirectStack from, DirectStack to, int port) {
        List<Datagram> seen = new ArrayList<>();
        var socket = sim.await(to.bindUdp(port, seen::add)).orElseThrow();
        var sender = sim.await(from.bindUdp(0, d -> { })).orElseThrow();
        sim.await(sender.send(new Endpoint(to.ipv4().orElseThrow().address(), port), Bytes.utf8("fetch"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(200));
        sim.await(socket.close());
        sim.await(sender.close());
        return seen.stream().map(d -> (Inet4Address) d.source().address()).findFirst();
    }

    boolean pings(DirectStack from, Inet4Address to) {
        return sim.await(from.ping(to, Duration.ofMillis(500))) instanceof Result.Ok<?, ?>;
    }

    boolean connects(DirectStack from, DirectStack to, int port) {
        var listener = sim.await(to.listenTcp(port, flow -> { })).orElseThrow();
        Promise<Result<Flow, ?>> connecting = Promise.pending();
        from.connectTcp(new Endpoint(to.ipv4().orElseThrow().address(), port)).onSuccess(r -> connecting.resolve(r.mapError(e -> e)));
        sim.scheduler().runFor(Duration.ofSeconds(2));
        sim.await(listener.close());
        return connecting.isDone() && connecting.value().isOk();
    }

    @Test
    void theAnchorsCases() {
        assertEquals(Optional.of(UPLINK), udp(a, server, 1235), "UDP fetch allowed, translated to the uplink's address");
        assertEquals(Optional.empty(), udp(a, server, 1236));
        assertTrue(pings(a, SERVER), "ping to the server: icmptype=8 to it");
        assertTrue(!pings(a, DNS), "ping blocked elsewhere");
        assertTrue(connects(a, server, 6668), "TCP to allowed ports");
        assertTrue(!connects(a, server, 80), "and only to them");
        assertEquals(Optional.of(UPLINK), udp(a, dns, 53), "DNS through specialtarget=dns");
        assertEquals(Optional.empty(), udp(a, server, 53), "DNS only to the DNS servers");
        ClientStatistics stats = firewall.statistics();
        assertTrue(stats.get(CLIENT_A, "accepted") >= 5, stats.snapshot().toString());
        assertTrue(stats.get(CLIENT_A, "rule") >= 4, stats.snapshot().toString());
    }

    @Test
    void clientToClientIsBlockedEvenWhenTheRulesAcceptAll() {
        assertEquals(Optional.empty(), udp(b, a, 7000));
        assertTrue(!pings(b, CLIENT_A));
        assertTrue(!pings(a, CLIENT_B));
        assertTrue(firewall.statistics().get(CLIENT_B, "client_to_client") >= 2);
        assertTrue(pings(b, SERVER), "B's policy accepts the rest");
    }

    @Test
    void aSpoofedSourceIsDroppedAndCountedForTheMacsOwner() {
        VirtualSwitch.Port rogue = clients.port(MAC_A); // A's frames, B's address (not isolated: it only sends)
        List<Datagram> atServer = new ArrayList<>();
        sim.await(server.bindUdp(1235, atServer::add)).orElseThrow();
        MacAddress firewallMac = new MacAddress(0x02_00_00_00_01_02L);
        rogue.send(new EthernetFrame(firewallMac, MAC_A, EthernetFrame.IPV4, Packets.udp(CLIENT_B, SERVER, 1235)).encode());
        rogue.send(new EthernetFrame(firewallMac, MAC_A, EthernetFrame.IPV4, Packets.udp(ip("10.34.0.9"), SERVER, 1235)).encode());
        sim.scheduler().runFor(Duration.ofMillis(200));
        assertEquals(List.of(), atServer);
        assertEquals(2, firewall.statistics().get(CLIENT_A, "spoofed"));
    }

    @Test
    void arpIsAnsweredForTheGatewayOnlyAndOnlyToABoundPair() {
        List<ArpPacket> answers = new ArrayList<>();
        VirtualSwitch.Port rogue = clients.port(new MacAddress(0x02_00_00_00_00_66L)); // hears every broadcast
        rogue.receive(frame -> {
            EthernetFrame eth = EthernetFrame.parse(frame).orElseThrow();
            if (eth.etherType() == EthernetFrame.ARP) {
                answers.add(ArpPacket.parse(eth.payload()).orElseThrow());
            }
        });
        MacAddress stranger = new MacAddress(0x02_00_00_00_00_66L);
        for (Inet4Address claimed : List.of(CLIENT_A, ip("10.33.0.66"))) {
            ArpPacket ask = new ArpPacket(ArpPacket.Operation.REQUEST, stranger, claimed, new MacAddress(0), GATEWAY);
            rogue.send(new EthernetFrame(EthernetFrame.BROADCAST, stranger, EthernetFrame.ARP, ask.encode()).encode());
        }
        sim.scheduler().runFor(Duration.ofMillis(200));
        assertEquals(List.of(), answers.stream().filter(p -> p.operation() == ArpPacket.Operation.REPLY).toList(),
                "neither A's address from another MAC nor an unbound one");
        assertTrue(pings(a, SERVER), "A's own request is answered");
    }

    @Test
    void aRuleChangedWhileAConnectionIsOpenTakesEffectWithinASecond() {
        List<Bytes> received = new ArrayList<>();
        sim.await(server.listenTcp(9000, flow -> readAll(flow, received))).orElseThrow();
        Flow flow = sim.await(b.connectTcp(new Endpoint(SERVER, 9000))).orElseThrow();
        sim.await(flow.write(Bytes.utf8("before"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(100));
        assertEquals(List.of(Bytes.utf8("before")), received);
        assertEquals(1, firewall.router().natTable().orElseThrow().size());

        feed(Map.of("qubes-firewall/10.33.0.3/policy", "drop"));
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(0, firewall.router().natTable().orElseThrow().size(), "the mapping the new rules deny is gone");
        flow.write(Bytes.utf8("after"));
        sim.scheduler().runFor(Duration.ofSeconds(2));
        assertEquals(List.of(Bytes.utf8("before")), received, "nothing more crosses");
        assertTrue(firewall.statistics().get(CLIENT_B, "rule") >= 1);
    }

    @Test
    void aDsthostNameIsResolvedThroughTheDnsServerAndAgainWhenItsTtlRunsOut() {
        // bogus.example.org (the anchor's rule 0005: accept) is first elsewhere, then the server, with a TTL of 5 s
        Inet4Address[] answer = {ip("10.34.0.99")};
        List<String> asked = new ArrayList<>();
        UdpSocket[] socket = new UdpSocket[1];
        socket[0] = sim.await(dns.bindUdp(53, query -> {
            Message q = MessageCodec.decode(query.payload()).orElseThrow();
            asked.add(q.questions().getFirst().name().toString());
            Message a = new Message(new Header(q.header().id(), true, 0, true, false, true, true, false, false, false, 0), q.questions(),
                    List.of(Record.in(q.questions().getFirst().name(), 5, new Rdata.A(answer[0]))), List.of(), List.of(), Optional.empty());
            socket[0].send(query.source(), MessageCodec.encode(a));
        })).orElseThrow();
        sim.scheduler().runFor(Duration.ofSeconds(12)); // the boot's question may have gone unanswered: asked again after 10 s
        assertEquals(Optional.empty(), udp(a, server, 7777), "resolved elsewhere: the policy drops it");
        answer[0] = SERVER;
        sim.scheduler().runFor(Duration.ofSeconds(6));
        assertEquals(Optional.of(UPLINK), udp(a, server, 7777), "re-resolved after its TTL: accepted by rule 0005");
        assertTrue(asked.size() >= 2, asked.toString());
    }

    @Test
    void aFloodOfNewFlowsFillsTheNatTableAndEvictsWithoutBreakingAnEstablishedConnection() {
        List<Bytes> received = new ArrayList<>();
        sim.await(server.listenTcp(6668, flow -> readAll(flow, received))).orElseThrow();
        Flow established = sim.await(a.connectTcp(new Endpoint(SERVER, 6668))).orElseThrow();
        sim.await(established.write(Bytes.utf8("before"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(100));
        var flooder = sim.await(b.bindUdp(0, d -> { })).orElseThrow();
        for (int i = 0; i < 10_000; i++) { // B's policy accepts everything: each a new flow, never answered
            flooder.send(new Endpoint(ip("198.18.%d.%d".formatted(i / 250, 1 + i % 250)), 9), Bytes.utf8("flood"));
            if (i % 500 == 0) {
                sim.scheduler().runFor(Duration.ofMillis(5));
            }
        }
        sim.scheduler().runFor(Duration.ofMillis(500));
        var nat = firewall.router().natTable().orElseThrow();
        assertEquals(8192, nat.size(), "full");
        assertTrue(nat.evictions() >= 10_000 - 8192, nat.evictions() + " evictions");
        sim.await(established.write(Bytes.utf8("after"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMillis(200));
        assertEquals("beforeafter", received.stream().map(Bytes::toUtf8).reduce("", String::concat), "the established flow kept its mapping");
    }

    @Test
    void checkListsTheFeedsProblemsWithTheirKeys() {
        assertEquals(List.of(), sim.await(unikernel.check(sim.devices("qubes-firewall", s -> kv), unikernel.parameters())));
        feed(Map.of("qubes-firewall/10.33.0.2/0003", "action=accept proto=icmp dstports=80", "qubes-clients/10.33.0.9/mac", "nope"));
        assertEquals(List.of("qubes-firewall/10.33.0.2: rule 0003 'action=accept proto=icmp dstports=80': dstports goes with proto=tcp or"
                                + " proto=udp; dropping all its traffic", "qubes-clients/10.33.0.9/mac: 'nope' is not a unicast MAC address"),
                sim.await(unikernel.check(sim.devices("qubes-firewall", s -> kv), unikernel.parameters())).stream()
                        .map(ConfigProblem::describe).toList());
    }

    static void readAll(Flow flow, List<Bytes> into) {
        flow.read().onSuccess(r -> {
            if (r instanceof Result.Ok<ReadResult, ?>(ReadResult.Data(Bytes bytes))) {
                into.add(bytes);
                readAll(flow, into);
            }
        });
    }
}
