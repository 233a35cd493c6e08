package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.DeviceProvider;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Network;
import jmirage.net.DirectNetwork;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * Networks by role on the sim target (decision 20): the same {@link NatRouter} as the tap target's
 * test, booted with {@link Simulation#boot} and a {@link DirectNetwork} on each of two virtual
 * switches; a host behind it pings a server on the uplink; a network given that it does not claim,
 * or one it claims and is not given, refuses the boot as {@code --net} does on the tap target.
 */
class NetworksOnSimTargetTest {

    final Simulation sim = new Simulation(11);
    final VirtualSwitch inside = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.05));
    final VirtualSwitch uplink = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.05));
    final NatRouter unikernel = new NatRouter();

    static Inet4Address ip(String text) {
        return (Inet4Address) IpAddresses.parse(text).orElseThrow();
    }

    DirectStack stack(VirtualSwitch on, long mac, String address, Optional<Inet4Address> gateway) {
        return sim.await(DirectStack.start(on.port(new MacAddress(0x02_00_00_00_00_00L | mac)), new Ipv4Config.Static(
                IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway), sim.clock(), sim.scheduler(), sim.random(),
                sim.log(address, LogLevel.INFO))).orElseThrow();
    }

    Function<Simulation, Network> network(String name, VirtualSwitch on, long mac, String address, Optional<Inet4Address> gateway) {
        return s -> s.await(DirectNetwork.start(name, DirectStack.start(on.port(new MacAddress(0x02_00_00_00_00_00L | mac)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address).orElseThrow(), gateway), s.clock(), s.scheduler(),
                s.random(), s.log("router." + name, LogLevel.INFO)))).orElseThrow();
    }

    @Test
    void aHostBehindTheRouterPingsTheServerOnTheUplinkThroughLoss() {
        DirectStack host = stack(inside, 2, "10.0.0.2/24", Optional.of(ip("10.0.0.1")));
        stack(uplink, 1, "192.0.2.1/24", Optional.empty());
        Map<String, Function<Simulation, Network>> networks = Map.of(
                "uplink", network("uplink", uplink, 0x12, "192.0.2.10/24", Optional.of(ip("192.0.2.1"))),
                "private", network("private", inside, 0x11, "10.0.0.1/24", Optional.empty()));
        assertTrue(sim.boot(unikernel, unikernel.parameters(), null, null, Map.of(), networks).isOk());
        int answered = 0;
        for (int i = 0; i < 20; i++) {
            if (sim.await(host.ping(ip("192.0.2.1"), Duration.ofSeconds(1))) instanceof Result.Ok<?, ?>) {
                answered++;
            }
        }
        assertTrue(answered >= 14, answered + " of 20 answered through 5% loss on each link");
        int mappings = unikernel.router.natTable().orElseThrow().size();
        assertTrue(answered <= mappings && mappings <= 20, mappings + " mappings: one per echo identifier that reached the router");
    }

    @Test
    void aNetworkGivenThatTheUnikernelDoesNotClaimRefusesTheBoot() {
        Map<String, Function<Simulation, Network>> networks = Map.of(
                "uplink", network("uplink", uplink, 0x12, "192.0.2.10/24", Optional.empty()),
                "private", network("private", inside, 0x11, "10.0.0.1/24", Optional.empty()),
                "dmz", network("dmz", inside, 0x13, "10.0.1.1/24", Optional.empty()));
        assertEquals(Result.err("--net dmz: nat-router claims no network of that name"),
                sim.boot(unikernel, unikernel.parameters(), null, null, Map.of(), networks));
    }

    @Test
    void aClaimedNetworkNotGivenRefusesTheBootWithTheClaimsReason() {
        Map<String, Function<Simulation, Network>> networks = Map.of(
                "uplink", network("uplink", uplink, 0x12, "192.0.2.10/24", Optional.empty()));
        DeviceProvider.DeviceUnavailable refused = assertThrows(DeviceProvider.DeviceUnavailable.class,
                () -> sim.boot(unikernel, unikernel.parameters(), null, null, Map.of(), networks));
        assertTrue(refused.getMessage().contains("'private' (the hosts behind the NAT)"), refused.getMessage());
    }
}
