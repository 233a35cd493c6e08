package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The same unikernel on the simulation target: booted by {@link Simulation#boot} on the direct stack
 * over a virtual switch with 10% loss and reordering; a stub client on another host asks for every
 * authoritative RRset of the test zone (retrying lost datagrams, falling back to TCP on TC) in
 * virtual time, and gets the zone's records back.
 */
class SimTargetTest {

    private final Simulation sim = new Simulation(7);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10).withReorder(0.05));

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.WARN))).orElseThrow();
    }

    @Test
    void everyRRsetOverALossyVirtualNetwork() {
        DirectStack serverStack = stack(2);
        DirectStack clientStack = stack(3);
        MemKv kv = new MemKv(sim.clock());
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(TestZones.text()))).orElseThrow();
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = dns.parameters();
        p.port = 53;
        Result<Unikernel.Running, String> booted = sim.boot(dns, p, s -> kv, s -> serverStack);
        assertTrue(booted.isOk(), booted.toString());

        StubClient client = new StubClient(clientStack, sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(serverStack.addresses().getFirst(), 53), Duration.ofSeconds(1), 8, 1232));
        List<RRset> sets = DigQueries.authoritativeSets(TestZones.zone());
        Set<Record> got = new HashSet<>();
        for (RRset set : sets) {
            Message answer = sim.await(client.query(set.owner(), set.type())).orElseThrow(e -> new IllegalStateException(e.toString()));
            assertTrue(answer.header().aa(), set.toString());
            got.addAll(answer.answers());
        }
        assertEquals(DigQueries.records(sets), got);

        // a referral and an NXDOMAIN, in virtual time too
        Message referral = sim.await(client.query(Name.of("www.child.example.test."), Type.A)).orElseThrow(e -> new IllegalStateException(e.toString()));
        assertEquals(2, referral.authority().size());
        Message nx = sim.await(client.query(Name.of("nope.example.test."), Type.A)).orElseThrow(e -> new IllegalStateException(e.toString()));
        assertEquals(Header.NXDOMAIN, nx.header().rcode());
        // 600 bytes of TXT do not fit the 512 bytes this client offers: TC, then the same question over TCP
        StubClient small = new StubClient(clientStack, sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(serverStack.addresses().getFirst(), 53), Duration.ofSeconds(1), 8, 512));
        Message big = sim.await(small.query(Name.of("long.example.test."), Type.TXT)).orElseThrow(e -> new IllegalStateException(e.toString()));
        assertEquals(1, big.answers().size());
        assertTrue(jmirage.dns.MessageCodec.encode(big).size() > 512, "the answer came whole, over TCP");
        sim.await(booted.orElseThrow().stop());
    }
}
