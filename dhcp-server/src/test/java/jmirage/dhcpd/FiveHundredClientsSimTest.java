package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * 500 of platform/net's DHCP clients (each a DirectStack on its own switch port) against the
 * unikernel on a switch that loses 10% of frames; the server is restarted in the middle of the
 * rush, on the same store. Every client ends bound to its own address, what the store says matches
 * what each client holds, and renewals after the restart keep every address where it was.
 */
class FiveHundredClientsSimTest {

    static final int CLIENTS = 500;
    static final String CONF = """
            default-lease-time 300;
            max-lease-time 300;
            subnet 10.50.0.0 netmask 255.255.252.0 {
              option routers 10.50.0.1;
              option domain-name-servers 10.50.0.1;
              range 10.50.0.10 10.50.3.250;
            }
            """;

    @Test
    void everyClientGetsItsOwnAddressThroughLossAndARestart() {
        Simulation sim = new Simulation(20261128L);
        VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10));
        MemKv kv = new MemKv(sim.clock());
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(CONF))).value().orElseThrow();

        DirectStack serverStack = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_01L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.50.0.1/22").orElseThrow(), Optional.empty()), sim.clock(),
                sim.scheduler(), sim.random(), sim.log("server-stack", LogLevel.WARN))).value().orElseThrow();
        DhcpServer.Parameters parameters = new DhcpServer.Parameters();
        Unikernel.Running server = sim.boot(new DhcpServer(), parameters, s -> kv, s -> serverStack).orElseThrow();

        List<DirectStack> clients = new ArrayList<>();
        List<MacAddress> macs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            MacAddress mac = new MacAddress(0x02_00_00_01_00_00L + i);
            macs.add(mac);
            VirtualSwitch.Port port = network.port(mac);
            // Arrivals spread over 50 s, as laptops opening at a retreat.
            sim.scheduler().schedule(Duration.ofMillis(100L * i), () -> DirectStack.start(port, new Ipv4Config.Dhcp(), sim.clock(),
                    sim.scheduler(), sim.random(), sim.log("client-" + port.mac(), LogLevel.ERROR)).onSuccess(r -> clients.add(r.orElseThrow())));
        }

        sim.scheduler().runFor(Duration.ofSeconds(25));
        int boundBeforeRestart = clients.size();
        assertTrue(boundBeforeRestart > 50 && boundBeforeRestart < CLIENTS - 50, "restart in the middle: " + boundBeforeRestart);
        sim.scheduler().runUntil(server.stop());
        Unikernel.Running second = sim.boot(new DhcpServer(), parameters, s -> kv, s -> serverStack).orElseThrow();

        for (int t = 0; t < 60 && clients.size() < CLIENTS; t++) {
            sim.scheduler().runFor(Duration.ofSeconds(10));
        }
        assertEquals(CLIENTS, clients.size(), "every client bound");
        Map<MacAddress, Inet4Address> held = holdings(clients);
        assertEquals(CLIENTS, new HashSet<>(held.values()).size(), "distinct addresses");
        assertStoreAgrees(sim, kv, held);

        // Two lease times on: every client renews (at T1) across the restarted server and keeps its address.
        sim.scheduler().runFor(Duration.ofSeconds(600));
        Map<MacAddress, Inet4Address> later = holdings(clients);
        assertEquals(held, later, "renewals kept every address");
        assertStoreAgrees(sim, kv, later);
        assertTrue(network.lost() > 1000, "the switch lost frames: " + network.lost());
        sim.scheduler().runUntil(second.stop());
    }

    private static Map<MacAddress, Inet4Address> holdings(List<DirectStack> clients) {
        Map<MacAddress, Inet4Address> held = new HashMap<>();
        for (DirectStack c : clients) {
            held.put(c.mac(), (Inet4Address) c.ipv4().orElseThrow(() -> new AssertionError(c.mac() + " lost its lease")).address());
        }
        return held;
    }

    /** Every held address is stored as a live BOUND lease for that client's MAC, as a restarted server reads it. */
    private static void assertStoreAgrees(Simulation sim, MemKv kv, Map<MacAddress, Inet4Address> held) {
        Instant now = sim.clock().now();
        LeaseDb stored = new LeaseDb();
        sim.scheduler().runUntil(LeaseStore.load(kv, stored, sim.log("check", LogLevel.WARN), now)).value().orElseThrow();
        held.forEach((mac, address) -> {
            Lease l = stored.at(address).orElse(null);
            assertTrue(l != null && l.mac().equals(mac) && l.state() == Lease.State.BOUND && l.live(now),
                    address + " held by " + mac + " but stored as " + l);
        });
    }
}
