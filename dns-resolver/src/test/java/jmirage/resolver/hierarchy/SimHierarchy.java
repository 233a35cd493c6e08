package jmirage.resolver.hierarchy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Name;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;

/**
 * A {@link Hierarchy} on the simulation target: each server is our authoritative unikernel booted
 * by {@link Simulation#boot} on its own direct stack (10.53.0.N/24) on one virtual switch, its zones
 * in a mem Kv. {@link #host} gives a further stack on the same switch (for the resolver).
 */
public final class SimHierarchy {

    private final Simulation sim;
    private final VirtualSwitch lan;
    private final List<Unikernel.Running> running = new ArrayList<>();

    private SimHierarchy(Simulation sim, VirtualSwitch lan) {
        this.sim = sim;
        this.lan = lan;
    }

    /** Boots every server of {@code hierarchy} (built with {@link Hierarchy.Addressing#SIM}). */
    public static SimHierarchy boot(Simulation sim, VirtualSwitch lan, Hierarchy hierarchy) {
        SimHierarchy h = new SimHierarchy(sim, lan);
        for (Hierarchy.Server server : hierarchy.servers()) {
            DirectStack stack = h.host(server.number());
            MemKv kv = new MemKv(sim.clock());
            for (Name zone : server.zones()) {
                sim.await(kv.set(Key.of(Hierarchy.kvKey(zone)), Bytes.utf8(hierarchy.zoneFile(zone)))).orElseThrow();
            }
            AuthoritativeDns dns = new AuthoritativeDns();
            AuthoritativeDns.Parameters p = dns.parameters();
            p.port = hierarchy.port();
            p.rrlPerSecond = 0;
            Result<Unikernel.Running, String> booted = sim.boot(dns, p, s -> kv, s -> stack);
            h.running.add(booted.orElseThrow(e -> new IllegalStateException(server.label() + ": " + e)));
        }
        return h;
    }

    /** A direct stack at 10.53.0.{@code number} on the hierarchy's switch. */
    public DirectStack host(int number) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.53.0." + number + "/24").orElseThrow(),
                Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_53_00_00L | number)), config, sim.clock(),
                sim.scheduler(), sim.random(), sim.log("host" + number, LogLevel.WARN))).orElseThrow();
    }

    public void stop() {
        running.forEach(r -> sim.await(r.stop()));
    }
}
