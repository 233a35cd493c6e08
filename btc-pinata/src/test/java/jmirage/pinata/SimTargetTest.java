package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Kv;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.TcpListener;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.testkit.FlowBytes;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Test;

/**
 * The same unikernel on the simulation target: the direct stack on a virtual switch (with loss and
 * reordering), booted by {@link Simulation#boot}, a client host beside it; the three roles in
 * virtual time, and a client from another CA refused.
 */
class SimTargetTest {

    private final Simulation sim = new Simulation(42, SimHarness.START);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withReorder(0.05));
    private final TlsDevices tls = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    /** The pinata in test mode, booted in {@code sim} on {@code stack} with {@code kv}, its pages on these ports. */
    static Result<Unikernel.Running, String> bootInTestMode(Simulation sim, DirectStack stack, Kv kv, int httpPort, int httpsPort) {
        Pinata pinata = new Pinata();
        Pinata.Parameters p = pinata.parameters();
        p.test = true;
        p.httpPort = httpPort;
        p.httpsPort = httpsPort;
        return sim.boot(pinata, p, x -> kv, x -> stack);
    }

    @Test
    void theThreeRolesOnTheDirectStackInVirtualTime() {
        DirectStack pinataStack = stack(2);
        DirectStack client = stack(3);
        MemKv kv = new MemKv(sim.clock());
        Bounty bounty = (Bounty) bootInTestMode(sim, pinataStack, kv, 8080, 8443).orElseThrow();
        byte[] secret = Pinata.TEST_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        InetAddress target = pinataStack.addresses().getFirst();

        // 10000: our TLS client with the test client certificate
        Flow tcp = sim.await(client.connectTcp(new Endpoint(target, 10000))).orElseThrow();
        TlsFlow session = sim.await(TlsFlow.connect(tcp, new TlsClientConfig(List.of(TestPki.ca()), Optional.empty(),
                Optional.of(TestPki.client()), List.of(), Duration.ofSeconds(30)), tls)).orElseThrow();
        assertArrayEquals(secret, sim.await(FlowBytes.readAll(session)).toArray());

        // 10001: listen on 40001 as a TLS server with the test server certificate, then knock
        Promise<Bytes> viaConnectBack = Promise.pending();
        TcpListener l = sim.await(client.listenTcp(40001, flow -> TlsFlow.accept(flow, TlsServerConfig.of(TestPki.server()), tls)
                .onSuccess(r -> {
                    if (r instanceof Result.Ok<TlsFlow, TlsFailure>(TlsFlow t)) {
                        FlowBytes.readAll(t).forward(viaConnectBack);
                    }
                }))).orElseThrow();
        Flow knock = sim.await(client.connectTcp(new Endpoint(target, 10001))).orElseThrow();
        assertArrayEquals(secret, sim.await(viaConnectBack).toArray());
        knock.close();
        sim.await(l.close());

        // 10002: connect, then play TLS server over the same connection
        Flow back = sim.await(client.connectTcp(new Endpoint(target, 10002))).orElseThrow();
        TlsFlow served = sim.await(TlsFlow.accept(back, TlsServerConfig.of(TestPki.server()), tls)).orElseThrow();
        assertArrayEquals(secret, sim.await(FlowBytes.readAll(served)).toArray());

        // a client certificate from another CA: refused, counted, nothing received
        KeyPair otherKey = KeyPair.generate(KeyType.EC_P256, sim.random());
        Certificate otherCa = X509.selfSignedCa("other", otherKey, SimHarness.START.minusSeconds(3600),
                SimHarness.START.plusSeconds(86400), sim.random());
        KeyPair k = KeyPair.generate(KeyType.EC_P256, sim.random());
        Certificate leaf = X509.issue("intruder", List.of(), List.of(), k.publicKey(), new X509.Profile.Client(),
                SimHarness.START.minusSeconds(3600), SimHarness.START.plusSeconds(86400), otherCa, otherKey, sim.random());
        Flow tcp2 = sim.await(client.connectTcp(new Endpoint(target, 10000))).orElseThrow();
        Result<TlsFlow, TlsFailure> r = sim.await(TlsFlow.connect(tcp2, new TlsClientConfig(List.of(TestPki.ca()), Optional.empty(),
                Optional.of(new jmirage.tls.Credentials(List.of(leaf), k)), List.of(), Duration.ofSeconds(30)), tls));
        if (r instanceof Result.Ok<TlsFlow, TlsFailure>(TlsFlow t)) {
            // TLS 1.3: the client finishes first; the refusal shows as the end of the stream
            assertEquals(0, sim.await(FlowBytes.readAll(t)).size(), "nothing for a certificate from another CA");
        }
        sim.scheduler().runFor(Duration.ofSeconds(1));

        Stats stats = bounty.stats();
        assertEquals(1, stats.successes(Role.SERVER));
        assertEquals(1, stats.successes(Role.CONNECT_BACK));
        assertEquals(1, stats.successes(Role.CLIENT));
        assertEquals(1, stats.failures(Role.SERVER, "certificate-no-trusted-path"), stats.encode().toUtf8());
        // coalesced writes: within one period (STATS_EVERY) of the last change the Kv holds the statistics
        sim.scheduler().runFor(Bounty.STATS_EVERY.plusSeconds(1));
        assertEquals(stats.encode(), sim.await(kv.get(Pinata.STATS_KEY)).orElseThrow());
        sim.await(bounty.stop());
        assertTrue(sim.records().stream().noneMatch(rec -> rec.message().contains(Pinata.TEST_SECRET)));
    }

    /**
     * A pinata attacked without pause for years must not write its statistics at the attackers'
     * pace: with --kv git every write is a commit (pushed, with a remote), kept forever. Ten minutes
     * of a connection every two seconds make at most one write in five minutes (plus the one at stop).
     */
    @Test
    void statisticsAreNotWrittenAtTheAttackersPace() {
        DirectStack pinataStack = stack(2);
        DirectStack client = stack(3);
        MemKv mem = new MemKv(sim.clock());
        WatchedKv kv = new WatchedKv(mem, key -> false, batch -> false);
        Bounty bounty = (Bounty) bootInTestMode(sim, pinataStack, kv, 0, 0).orElseThrow();
        InetAddress target = pinataStack.addresses().getFirst();
        Duration attack = Duration.ofMinutes(10);
        for (long t = 0; t < attack.toSeconds(); t += 2) {
            sim.await(client.connectTcp(new Endpoint(target, 10000))).orElseThrow().close();
            sim.scheduler().runFor(Duration.ofSeconds(2));
        }
        assertEquals(attack.toSeconds() / 2, bounty.stats().connections(10000));
        long allowed = attack.toMinutes() / 5 + 1;   // one write in five minutes: ~100,000 commits a year, not millions
        assertTrue(kv.commits >= 1 && kv.commits <= allowed, kv.commits + " writes in " + attack + ", at most " + allowed);
        sim.await(bounty.stop());
        assertEquals(bounty.stats().encode(), sim.await(mem.get(Pinata.STATS_KEY)).orElseThrow(), "the last counts written at stop");
    }

    /**
     * Stored statistics the pinata cannot read (a failing disk), or cannot keep aside when they do
     * not parse, are never overwritten by this run's counts: boot goes on, the page counts from zero,
     * and what was stored stays for the operator.
     */
    @Test
    void storedStatisticsThatCannotBeReadOrKeptAsideAreNotOverwritten() {
        Bytes stored = Bytes.utf8("connections 10000 41\nsuccess SERVER 1\n");
        Bytes garbled = Bytes.utf8("connections 10000 forty-one\n");
        record Case(String name, Bytes value, java.util.function.Predicate<jmirage.core.kv.Key> failReads,
                java.util.function.Predicate<jmirage.core.kv.Batch> failCommits) {}
        for (Case c : List.of(
                new Case("read fails", stored, key -> key.equals(Pinata.STATS_KEY), batch -> false),
                new Case("unparsable and keeping it aside fails", garbled, key -> false,
                        batch -> batch.toString().contains(Pinata.UNREADABLE_STATS_KEY.toString())))) {
            Simulation s = new Simulation(9, SimHarness.START);
            VirtualSwitch sw = VirtualSwitch.of(s, VirtualSwitch.Conditions.PERFECT);
            DirectStack st = s.await(DirectStack.start(sw.port(new MacAddress(0x02_00_00_00_00_02L)),
                    new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0.2/24").orElseThrow(), Optional.empty()),
                    s.clock(), s.scheduler(), s.random(), s.log("host", LogLevel.INFO))).orElseThrow();
            MemKv mem = new MemKv(s.clock());
            s.scheduler().runUntil(mem.set(Pinata.STATS_KEY, c.value()));
            WatchedKv kv = new WatchedKv(mem, c.failReads(), c.failCommits());
            Result<Unikernel.Running, String> booted = bootInTestMode(s, st, kv, 0, 0);
            assertTrue(booted.isOk(), c.name() + ": " + booted);
            Bounty bounty = (Bounty) booted.orElseThrow();
            bounty.attempt(Role.SERVER, jmirage.sim.MemoryFlow.pair(s.scheduler())[1]);
            s.scheduler().runFor(Bounty.STATS_EVERY.multipliedBy(2));
            s.scheduler().runUntil(bounty.stop());
            assertEquals(1, bounty.stats().connections(10000), c.name());
            assertEquals(c.value(), s.scheduler().runUntil(mem.get(Pinata.STATS_KEY)).value().orElseThrow(), c.name());
        }
    }
}
