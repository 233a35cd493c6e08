package jmirage.resolver.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.RdataText;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.StackUpstream;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StackUpstream and Recursion against our authoritative unikernel on the sim target, over a virtual
 * switch that loses 10% of the frames: a TLD (test., the stub zone the resolver starts from, as the
 * authoritative server cannot hold the root zone: "." is no Kv key), a zone and a child zone, each
 * on its own host, and a lame delegation (one of its two servers refuses). Names resolve across the
 * cuts, CNAMEs across zones, NXDOMAIN and NODATA come back right, in virtual time.
 */
class SimHierarchyTest {

    private static final String SOA = " 300 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n";

    private Simulation sim;
    private VirtualSwitch lan;
    private final List<Unikernel.Running> running = new ArrayList<>();

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    /** Boots the authoritative unikernel on 10.0.0.{@code host} with the given zone files. */
    private void authority(int host, Map<String, String> zones) {
        DirectStack s = stack(host);
        MemKv kv = new MemKv(sim.clock());
        zones.forEach((file, text) -> sim.await(kv.set(Key.of(file), Bytes.utf8(text))).orElseThrow());
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = dns.parameters();
        p.port = 53;
        Result<Unikernel.Running, String> booted = sim.boot(dns, p, x -> kv, x -> s);
        assertTrue(booted.isOk(), booted.toString());
        running.add(booted.orElseThrow());
    }

    private static List<String> data(Resolution r) {
        return r.answer().stream().map(rec -> rec.name() + " " + Type.name(rec.type()) + " " + RdataText.print(rec.rdata())).toList();
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8})
    void aThreeLevelHierarchyResolvesOverALossyNetwork(long seed) {
        sim = new Simulation(seed);
        lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10));
        authority(2, Map.of("test", "$TTL 300\ntest." + SOA + """
                test. NS ns.test.
                ns.test. A 10.0.0.2
                example.test. NS ns.example.test.
                ns.example.test. A 10.0.0.3
                lame.test. NS ns1.lame.test.
                lame.test. NS ns2.lame.test.
                ns1.lame.test. A 10.0.0.3
                ns2.lame.test. A 10.0.0.4
                """));
        authority(3, Map.of("example.test", "$TTL 300\nexample.test." + SOA + """
                example.test. NS ns.example.test.
                ns.example.test. A 10.0.0.3
                www.example.test. A 192.0.2.1
                alias.example.test. CNAME www.sub.example.test.
                sub.example.test. NS ns.sub.example.test.
                ns.sub.example.test. A 10.0.0.4
                """));
        authority(4, Map.of("sub.example.test", "$TTL 300\nsub.example.test." + SOA + """
                sub.example.test. NS ns.sub.example.test.
                ns.sub.example.test. A 10.0.0.4
                www.sub.example.test. A 192.0.2.2
                """, "lame.test", "$TTL 300\nlame.test." + SOA + """
                lame.test. NS ns1.lame.test.
                lame.test. NS ns2.lame.test.
                www.lame.test. A 192.0.2.3
                """));
        DirectStack ours = stack(10);
        StackUpstream upstream = new StackUpstream(ours, sim.scheduler(), sim.clock(), sim.random(), StackUpstream.Config.of(Duration.ofSeconds(1)));
        Hints hints = new Hints(Map.of(Name.of("test."), List.of(new Hints.Server(Name.of("ns.test."),
                List.of(jmirage.core.net.IpAddresses.parse("10.0.0.2").orElseThrow())))), Map.of());
        Recursion recursion = new Recursion(hints, upstream, sim.clock(), sim.random(), Recursion.Config.defaults().withPrimeRoot(false));
        Resolver resolver = new Resolver(recursion, Optional.empty());

        Resolution www = sim.await(resolver.resolve(new Question(Name.of("www.sub.example.test."), Type.A), false));
        assertEquals(List.of("www.sub.example.test. A 192.0.2.2"), data(www), www.toString());
        Resolution alias = sim.await(resolver.resolve(new Question(Name.of("alias.example.test."), Type.A), false));
        assertEquals(List.of("alias.example.test. CNAME www.sub.example.test.", "www.sub.example.test. A 192.0.2.2"), data(alias));
        Resolution nx = sim.await(resolver.resolve(new Question(Name.of("nope.example.test."), Type.A), false));
        assertEquals(Header.NXDOMAIN, nx.rcode());
        assertEquals(Type.SOA, nx.authority().getFirst().type());
        Resolution nodata = sim.await(resolver.resolve(new Question(Name.of("www.example.test."), Type.TXT), false));
        assertEquals(Header.NOERROR, nodata.rcode());
        assertTrue(nodata.answer().isEmpty());
        Resolution lame = sim.await(resolver.resolve(new Question(Name.of("www.lame.test."), Type.A), false));
        assertEquals(List.of("www.lame.test. A 192.0.2.3"), data(lame), lame.toString());
        assertTrue(sim.clock().elapsed().compareTo(Duration.ofMinutes(1)) < 0, "in virtual time: " + sim.clock().elapsed());
        running.forEach(r -> sim.await(r.stop()));
    }
}
