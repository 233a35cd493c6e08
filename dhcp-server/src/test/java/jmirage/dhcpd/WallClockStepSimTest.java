package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.StartError;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The wall clock stepped forward while the server runs (a board without a real-time clock booting
 * with a stale time, then NTP): clients count their leases on their own timers, so a lease must not
 * end early on the server, or its address goes to a second machine while the first still uses it.
 */
class WallClockStepSimTest {

    final Simulation sim = new Simulation(11);
    final VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final MemKv kv = new MemKv(sim.clock());

    /** The simulation's clock with a wall time that a test can step. */
    static final class SteppedClock implements Clock {
        final Clock inner;
        Duration step = Duration.ZERO;

        SteppedClock(Clock inner) {
            this.inner = inner;
        }

        @Override
        public Instant now() {
            return inner.now().plus(step);
        }

        @Override
        public long monotonicNanos() {
            return inner.monotonicNanos();
        }
    }

    DirectStack client(long mac) {
        return sim.scheduler().runUntil(sim.scheduler().withTimeout(DirectStack.start(network.port(new MacAddress(mac)),
                new Ipv4Config.Dhcp(), sim.clock(), sim.scheduler(), sim.random(), sim.log("client", LogLevel.WARN)),
                Duration.ofSeconds(20), Result.err(new StartError.TimedOut(new Ipv4Config.Dhcp(), Duration.ofSeconds(20))))).value().orElse(null);
    }

    @Test
    void aWallClockStepForwardDoesNotEndLeasesEarly() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(
                "subnet 10.61.0.0 netmask 255.255.255.0 {\n  range 10.61.0.10 10.61.0.10;\n}\n")));
        DirectStack serverStack = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_01L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.61.0.1/24").orElseThrow(), Optional.empty()), sim.clock(), sim.scheduler(),
                sim.random(), sim.log("server-stack", LogLevel.WARN))).value().orElseThrow();
        SteppedClock clock = new SteppedClock(sim.clock());
        DhcpServer.Devices devices = new DhcpServer.Devices(serverStack, Optional.of(serverStack), kv, clock, sim.random(), sim.scheduler(), sim.log("dhcp-server", LogLevel.INFO),
                new jmirage.core.metrics.Metrics());
        Unikernel.Running server = sim.scheduler().runUntil(new DhcpServer().start(devices, new DhcpServer.Parameters())).value().orElseThrow();

        List<String> offersToSecond = new ArrayList<>();
        MacAddress secondMac = new MacAddress(0x02_00_00_00_00_11L);
        network.observe(frame -> {
            if (EthernetFrame.parse(frame) instanceof Result.Ok<EthernetFrame, ?>(EthernetFrame eth) && eth.etherType() == EthernetFrame.IPV4
                    && Ipv4Packet.parse(eth.payload()) instanceof Result.Ok<Ipv4Packet, ?>(Ipv4Packet ip) && ip.protocol() == Ipv4Packet.UDP
                    && UdpPacket.parse(ip.payload(), ip.source(), ip.destination()) instanceof Result.Ok<UdpPacket, ?>(UdpPacket udp)
                    && udp.destinationPort() == 68
                    && DhcpMessage.parse(udp.payload()) instanceof Result.Ok<DhcpMessage, ?>(DhcpMessage m) && m.chaddr().equals(secondMac)) {
                offersToSecond.add(m.messageType().orElse(0) + " " + m.yiaddr().getHostAddress());
            }
        });
        DirectStack first = client(0x02_00_00_00_00_10L);
        assertEquals("10.61.0.10", first.ipv4().orElseThrow().address().getHostAddress());
        clock.step = Duration.ofDays(2);
        DirectStack second = client(secondMac.value());
        assertTrue(second == null || second.ipv4().isEmpty());
        assertEquals(List.of(), offersToSecond,
                "the only address, still the first client's, was offered to a second client after the wall clock jumped");
        sim.scheduler().runUntil(server.stop());
    }
}
