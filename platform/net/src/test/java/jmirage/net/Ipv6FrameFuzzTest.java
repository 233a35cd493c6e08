package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.net.ipv6.Autoconfig;
import jmirage.net.ipv6.Ipv6Packet;
import jmirage.net.ipv6.NeighborDiscovery;
import jmirage.net.tcp.TcpConfig;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;
import jmirage.sim.VirtualSwitch;

/**
 * Arbitrary Ethernet frames into {@code Frames.parse} and into a running stack with IPv6 addresses
 * (link-local and fd00:24::1/64): the IPv6 header walk, fragments, ICMPv6, Neighbor Discovery and its
 * options, UDP and TCP over IPv6. The seeds (src/test/resources) are real frames of each kind; each
 * input goes in as it is and, when it holds an unfragmented ICMPv6, UDP or TCP packet, again with its
 * checksum made valid so the fuzzer reaches past it. No exception escapes; every table stays bounded.
 */
class Ipv6FrameFuzzTest {

    static final IpPrefix ADDRESS = IpPrefix.parse("fd00:24::1/64").orElseThrow();

    @FuzzTest(maxDuration = "20s")
    void ipv6FramesNeverBreakTheParserOrTheStack(byte[] input) {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack stack = net.stack(1, new Ipv6Config.Static(ADDRESS, Optional.empty()), TcpConfig.DEFAULT);
        stack.listenTcp(80, flow -> flow.read().onSuccess(r -> flow.close()));
        stack.bindUdp(53, d -> { });
        net.sim.scheduler().runFor(Duration.ofSeconds(3)); // the addresses pass detection
        VirtualSwitch.Port raw = net.network.port(SimNet.mac(2));
        Bytes frame = Bytes.of(input);
        for (Bytes f : new Bytes[] {frame, withValidChecksum(input)}) {
            Result<Frames.Frame, ?> parsed = Frames.parse(f); // must return, never throw
            assertTrue(parsed != null);
            raw.send(f);
            net.sim.scheduler().runFor(Duration.ofMillis(10));
        }
        net.sim.scheduler().runFor(Duration.ofSeconds(5));
        NeighborDiscovery nd = stack.neighborDiscovery().orElseThrow();
        assertTrue(nd.cache().size() <= 1024 && nd.cache().queued() <= 256);
        Autoconfig a = nd.autoconfig();
        assertTrue(a.addresses().size() <= 2 + Autoconfig.Config.DEFAULT.maxAddresses());
        assertTrue(a.routers().size() <= Autoconfig.Config.DEFAULT.maxRouters());
        assertTrue(a.onLinkPrefixes().size() <= 1 + Autoconfig.Config.DEFAULT.maxPrefixes());
        assertTrue(a.linkMtu() >= Ipv6Packet.MINIMUM_MTU && a.linkMtu() <= 1500);
        assertTrue(stack.tcp().connectionCount() <= TcpConfig.DEFAULT.maxConnections());
    }

    /** The frame with the upper-layer checksum of its IPv6 packet recomputed, when it has one to recompute. */
    static Bytes withValidChecksum(byte[] input) {
        byte[] b = input.clone();
        if (b.length < 14 + Ipv6Packet.HEADER || Wire.u16(Bytes.of(b), 12) != 0x86dd) {
            return Bytes.of(b);
        }
        Bytes ip = Bytes.of(b).slice(14, b.length);
        if (!(Ipv6Packet.parse(ip) instanceof Result.Ok<Ipv6Packet, ?>(Ipv6Packet p)) || p.isFragment()) {
            return Bytes.of(b);
        }
        int at = 14 + Ipv6Packet.HEADER + Wire.u16(ip, 4) - p.payload().size();
        int size = p.payload().size();
        int field = switch (p.nextHeader()) {
            case Ipv6Packet.ICMPV6 -> 2;
            case Ipv6Packet.UDP -> 6;
            case Ipv6Packet.TCP -> 16;
            default -> -1;
        };
        if (field < 0 || size < field + 2) {
            return Bytes.of(b);
        }
        if (p.nextHeader() == Ipv6Packet.UDP && size >= 8) {
            Wire.putU16(b, at + 4, size);
        }
        Wire.putU16(b, at + field, 0);
        int sum = Checksum.finish(Checksum.sum(b, at, size, Checksum.pseudoHeader(p.source(), p.destination(), p.nextHeader(), size)));
        Wire.putU16(b, at + field, sum);
        return Bytes.of(b);
    }
}
