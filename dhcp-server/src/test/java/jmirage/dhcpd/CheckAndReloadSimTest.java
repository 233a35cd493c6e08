package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.core.net.MacAddress;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.core.net.IpPrefix;
import jmirage.net.Ipv4Config;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** Decision 6 in the DHCP server: the check names file and line, and a reload swaps dhcpd.conf only when it is sound. */
class CheckAndReloadSimTest {

    static final Key CONF = Key.of("dhcpd.conf");
    static final String RANGE_10 = "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10 10.60.0.20;\n}\n";
    static final String RANGE_100 = "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.100 10.60.0.120;\n}\n";

    final Simulation sim = new Simulation(11);
    final VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final MemKv kv = new MemKv(sim.clock());
    final DhcpServer server = new DhcpServer();
    final Map<Integer, VirtualSwitch.Port> clients = new HashMap<>();

    List<ConfigProblem> check(DhcpServer.Parameters p) {
        return sim.scheduler().runUntil(server.check(sim.devices("dhcp-server", s -> kv), p)).value();
    }

    void store(Key key, String text) {
        sim.scheduler().runUntil(kv.set(key, Bytes.utf8(text)));
    }

    @Test
    void theSampleConfigurationHasNoProblemsAndTheCheckWritesNothing() throws IOException {
        store(CONF, Files.readString(Path.of("dhcpd.conf.sample")));
        assertEquals(List.of(), check(new DhcpServer.Parameters()));
        var keys = sim.scheduler().runUntil(kv.list(Key.ROOT)).value().orElseThrow().stream().map(Entry::key).toList();
        assertEquals(List.of(CONF), keys);
    }

    @Test
    void eachProblemNamesItsSourceAndLine() {
        store(CONF, "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10;\n  option rooters 10.60.0.1;\n}\n");
        store(LeaseStore.journalKey(3), "v1 10.60.0.10 BOUND 1767225600 02:00:00:00:00:07 0102000000000007\nv1 10.60.0.11 BOUNDISH 1 02:00:00:00:00:08 01\n");
        DhcpServer.Parameters p = new DhcpServer.Parameters();
        p.port = 0;
        List<String> problems = check(p).stream().map(ConfigProblem::describe).toList();
        assertEquals(List.of(
                "--port: must be between 1 and 65535, got '0'",
                "dhcpd.conf:3: unknown option 'rooters'",
                "leases/journal/00000000000000000003:2: unknown state BOUNDISH in 'v1 10.60.0.11 BOUNDISH 1 02:00:00:00:00:08 01'"
                        + " (at boot its address stays out of the pool for a day)"), problems);
    }

    @Test
    void theDynamicDnsStatementsAreCheckedAtTheirLines() throws IOException {
        // the sample's commented lines, uncommented: only the placeholder secret is refused
        String sample = Files.readString(Path.of("dhcpd.conf.sample")).replaceAll("(?m)^#(ddns|key|  algorithm|  secret|};|zone)", "$1");
        store(CONF, sample);
        List<String> problems = check(new DhcpServer.Parameters()).stream().map(ConfigProblem::describe).toList();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().matches("dhcpd\\.conf:[0-9]+: key dhcp-updater: the secret is not base64"), problems.toString());
        String withKey = sample.replace("BASE64 SECRET FROM tsig-keygen", "c2VjcmV0IG9mIHRoZSB0ZXN0cw==");
        store(CONF, withKey);
        assertEquals(List.of(), check(new DhcpServer.Parameters()));
        store(CONF, withKey.replace("ddns-update-style standard;", "ddns-update-style interim;"));
        List<String> interim = check(new DhcpServer.Parameters()).stream().map(ConfigProblem::describe).toList();
        assertEquals(1, interim.size(), interim.toString());
        assertTrue(interim.getFirst().matches("dhcpd\\.conf:[0-9]+: ddns-update-style interim is not supported: use ddns-update-style"
                + " standard \\(RFC 4703, DHCID records\\)"), interim.toString());
    }

    @Test
    void noConfigurationIsOneProblemThatSaysWhereToPutIt() {
        List<ConfigProblem> problems = check(new DhcpServer.Parameters());
        assertEquals(1, problems.size());
        assertEquals("dhcpd.conf", problems.getFirst().source());
        assertTrue(problems.getFirst().reason().contains("var/dhcp-server/dhcpd.conf"), problems.getFirst().reason());
    }

    @Test
    void aReloadServesTheNewRangeAndABadOneKeepsTheOld() {
        DirectStack serverStack = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_01L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.60.0.1/24").orElseThrow(), Optional.empty()), sim.clock(), sim.scheduler(),
                sim.random(), sim.log("server-stack", LogLevel.WARN))).value().orElseThrow();
        store(CONF, RANGE_10);
        DhcpServer.Parameters p = new DhcpServer.Parameters();
        p.httpPort = 0;
        Unikernel.Running running = sim.boot(server, p, s -> kv, s -> serverStack).orElseThrow();
        List<String> offered = new ArrayList<>();
        network.observe(frame -> offeredAddress(frame).ifPresent(offered::add));

        discover(1);
        assertEquals(List.of("10.60.0.10"), offered);

        store(CONF, RANGE_100);
        assertEquals(Result.ok(), reload(running));
        discover(2);
        discover(1); // its address of the old range is no longer offered: it gets one of the new range
        assertEquals(3, offered.size());
        assertTrue(inNewRange(offered.get(1)) && inNewRange(offered.get(2)) && !offered.get(1).equals(offered.get(2)),
                offered.toString());

        store(CONF, "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.200 10.60.0.300;\n}\n");
        Result<Unit, List<ConfigProblem>> refused = reload(running);
        assertEquals(Result.err(List.of(new ConfigProblem("dhcpd.conf", 2, "expected an IPv4 address, got 10.60.0.300"))), refused);
        discover(3);
        assertEquals(4, offered.size());
        assertTrue(inNewRange(offered.getLast()), offered.toString());
        sim.scheduler().runUntil(running.stop());
    }

    static boolean inNewRange(String address) {
        int last = Integer.parseInt(address.substring("10.60.0.".length()));
        return address.startsWith("10.60.0.") && last >= 100 && last <= 120;
    }

    Result<Unit, List<ConfigProblem>> reload(Unikernel.Running running) {
        return sim.scheduler().runUntil(running.reload()).value();
    }

    /** A DISCOVER from client {@code n}, broadcast, and a second for the OFFER to come back. */
    void discover(int n) {
        MacAddress mac = Msg.mac(n);
        VirtualSwitch.Port port = clients.computeIfAbsent(n, k -> {
            VirtualSwitch.Port p = network.port(mac);
            p.receive(frame -> { });
            return p;
        });
        Bytes udp = UdpPacket.encode(68, 67, Msg.discover(mac, n).encode(), Msg.ZERO, Msg.ip("255.255.255.255"));
        Ipv4Packet ip = new Ipv4Packet(0, 1, false, false, 0, 64, Ipv4Packet.UDP, Msg.ZERO, Msg.ip("255.255.255.255"), udp);
        port.send(new EthernetFrame(EthernetFrame.BROADCAST, mac, EthernetFrame.IPV4, ip.encode()).encode());
        sim.scheduler().runFor(Duration.ofSeconds(1));
    }

    static Optional<String> offeredAddress(Bytes frame) {
        if (EthernetFrame.parse(frame) instanceof Result.Ok<EthernetFrame, ?>(EthernetFrame eth) && eth.etherType() == EthernetFrame.IPV4
                && Ipv4Packet.parse(eth.payload()) instanceof Result.Ok<Ipv4Packet, ?>(Ipv4Packet ip) && ip.protocol() == Ipv4Packet.UDP
                && UdpPacket.parse(ip.payload(), ip.source(), ip.destination()) instanceof Result.Ok<UdpPacket, ?>(UdpPacket udp)
                && udp.destinationPort() == 68
                && DhcpMessage.parse(udp.payload()) instanceof Result.Ok<DhcpMessage, ?>(DhcpMessage m)
                && m.messageType().orElse(0) == DhcpMessage.OFFER) {
            return Optional.of(m.yiaddr().getHostAddress());
        }
        return Optional.empty();
    }
}
