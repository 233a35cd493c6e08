package jmirage.authoritative.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The simulation target: a primary and a secondary, each on its own direct TCP/IP stack on a virtual
 * switch losing 10% of the frames, converge after a stream of signed updates (NOTIFY with retries,
 * IXFR over TCP, refresh timers), reproducibly by seed.
 */
class SimConvergenceTest {

    static final Name ZONE = Name.of("example.test.");
    static final TsigKey UPDATE = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.of(java.util.Base64.getDecoder().decode(SampleZone.TEST_SECRET)));

    final Simulation sim = new Simulation(2026);
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10).withReorder(0.02));

    DirectStack stack(int host) {
        VirtualSwitch.Port port = lan.port(new MacAddress(0x02_00_00_00_00_00L | host));
        ports.put(host, port);
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(port, config, TcpConfig.DEFAULT, sim.clock(), sim.scheduler(), sim.random(),
                sim.log("stack" + host, LogLevel.WARN))).orElseThrow();
    }

    ZoneServer server(String name, MemKv kv, DirectStack stack, ZoneOptions options) {
        return sim.await(ZoneServer.start(kv, stack, sim.scheduler(), sim.clock(), sim.random(), sim.log(name, LogLevel.INFO),
                options, 53)).orElseThrow();
    }

    /** The secondary on {@code stack} (10.0.0.2), keeping its copy in {@code kv}: example.test from 10.0.0.1, with the transfer key. */
    ZoneServer secondary(DirectStack stack, MemKv kv) {
        sim.await(kv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        ZoneOptions options = new ZoneOptions();
        options.secondaries.add("example.test@10.0.0.1#test._transfer.example.test");
        return server("secondary", kv, stack, options);
    }

    /** A primary's options: NOTIFY (RFC 1996) to the secondary at 10.0.0.2 after every change. */
    static ZoneOptions notifyingTheSecondary() {
        ZoneOptions options = new ZoneOptions();
        options.notify.add("10.0.0.2");
        return options;
    }

    /** What the server serves for example.test now, if anything. */
    static Optional<Zone> served(ZoneServer server) {
        return server.zones.zones().get(ZONE);
    }

    /** A primary's store: example.test as {@code zoneText}, and the keys. */
    MemKv primaryStore(String zoneText) {
        MemKv kv = new MemKv(sim.clock());
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(zoneText)));
        sim.await(kv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        return kv;
    }

    Request signedUpdate(int id, List<Record> updates) {
        Message m = new Message(new Header(id, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(ZONE, Type.SOA, DnsClass.IN)), List.of(), updates, List.of(), Optional.empty());
        Bytes wire = Tsig.signRequest(m, UPDATE, sim.clock().now(), Tsig.DEFAULT_FUDGE).wire();
        Endpoint client = new Endpoint(IpAddresses.parse("10.0.0.3").orElseThrow(), 40000 + id);
        Endpoint server = new Endpoint(IpAddresses.parse("10.0.0.1").orElseThrow(), 53);
        return new Request(MessageCodec.decode(wire).orElseThrow(), wire, client, server, Request.Transport.UDP, 512,
                sim.clock().now());
    }

    static Rdata.A a(int i) {
        return new Rdata.A((Inet4Address) IpAddresses.parse("198.51.100." + (i % 250 + 1)).orElseThrow());
    }

    @Test
    void primaryAndSecondaryConvergeOverALossyLink() {
        DirectStack primaryStack = stack(1);
        DirectStack secondaryStack = stack(2);
        ZoneServer primary = server("primary", new MemKv(sim.clock()), primaryStack, notifyingTheSecondary());

        MemKv secondaryKv = new MemKv(sim.clock());
        ZoneServer secondary = secondary(secondaryStack, secondaryKv);

        sim.scheduler().runFor(Duration.ofMinutes(2));
        Zone first = served(primary).orElseThrow();
        assertEquals(first, served(secondary).orElseThrow(), "the first transfer");
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("notify example.test. serial 2026010101"
                + " acknowledged by 10.0.0.2:53")), "a NOTIFY for every zone at startup");

        // a stream of updates, one every 3 s: adds, and every third one deletes what an earlier one added
        for (int i = 1; i <= 30; i++) {
            List<Record> change = i % 3 == 0
                    ? List.of(new Record(Name.of("host" + (i - 2) + ".example.test."), DnsClass.NONE, 0, a(i - 2)))
                    : List.of(Record.in(Name.of("host" + i + ".example.test."), 300, a(i)));
            List<Bytes> answer = sim.await(primary.zones.handler(java.util.Optional.empty()).handle(signedUpdate(i, change)));
            assertEquals(Header.NOERROR, MessageCodec.decode(answer.getFirst()).orElseThrow().header().rcode());
            sim.scheduler().runFor(Duration.ofSeconds(3));
        }
        Zone last = served(primary).orElseThrow();
        assertEquals(first.serial() + 30, last.serial());
        // NOTIFY retries and the secondary's retry timers carry it through the losses
        sim.scheduler().runFor(Duration.ofMinutes(30));
        assertEquals(last, served(secondary).orElseThrow(), "converged");
        assertTrue(lan.lost() > 0, "frames were lost: " + lan.lost());
        long ixfr = sim.records().stream().filter(r -> r.message().contains("(IXFR,")).count();
        assertTrue(ixfr > 0, "increments went by IXFR");
        // the copy is in the secondary's store
        String kept = sim.await(secondaryKv.get(Key.of("_secondary/example.test"))).orElseThrow().toUtf8();
        assertEquals(last, Zone.parse(kept, ZONE).orElseThrow());
        sim.await(primary.stop());
        sim.await(secondary.stop());
    }

    /** A shorter run of the scenario above: the frames on the wire (digest) and the zone it ends with. */
    String replay() {
        lan.record(true);
        DirectStack primaryStack = stack(1);
        DirectStack secondaryStack = stack(2);
        ZoneServer primary = server("primary", new MemKv(sim.clock()), primaryStack, notifyingTheSecondary());
        ZoneServer secondary = secondary(secondaryStack, new MemKv(sim.clock()));
        sim.scheduler().runFor(Duration.ofMinutes(1));
        for (int i = 1; i <= 5; i++) {
            sim.await(primary.zones.handler(java.util.Optional.empty()).handle(signedUpdate(i, List.of(Record.in(Name.of("r" + i + ".example.test."), 300, a(i))))));
            sim.scheduler().runFor(Duration.ofSeconds(2));
        }
        sim.scheduler().runFor(Duration.ofMinutes(5));
        String outcome = lan.traceDigest() + " " + served(secondary).map(Zone::serial).orElse(-1L)
                + " " + lan.lost();
        sim.await(primary.stop());
        sim.await(secondary.stop());
        return outcome;
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        String first = new SimConvergenceTest().replay();
        assertEquals(first, new SimConvergenceTest().replay());
        assertTrue(first.contains(" 2026010106 "), "converged to the fifth update: " + first);
    }

    @Test
    void aCutOffSecondaryExpiresItsCopyAndRecoversWhenThePrimaryIsBack() {
        DirectStack primaryStack = stack(1);
        DirectStack secondaryStack = stack(2);
        // short timers: refresh 60 s, retry 10 s, expire 300 s
        MemKv primaryKv = primaryStore(SampleZone.ZONE.replace("7200 900 1209600 300", "60 10 300 60"));
        ZoneServer primary = server("primary", primaryKv, primaryStack, new ZoneOptions());
        ZoneServer secondary = secondary(secondaryStack, new MemKv(sim.clock()));
        sim.scheduler().runFor(Duration.ofMinutes(1));
        assertTrue(served(secondary).isPresent());

        // cut the primary off: its port alone on one side
        lan.partition(List.of(portOf(1)));
        sim.scheduler().runFor(Duration.ofMinutes(4));
        assertTrue(served(secondary).isPresent(), "still within EXPIRE");
        sim.scheduler().runFor(Duration.ofMinutes(3));
        assertTrue(served(secondary).isEmpty(), "expired after 300 s without a good check");
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("EXPIRED")));

        lan.heal();
        sim.scheduler().runFor(Duration.ofMinutes(1));
        assertEquals(served(primary).orElseThrow(), served(secondary).orElseThrow(),
                "served again after the next good check");
        sim.await(primary.stop());
        sim.await(secondary.stop());
    }

    @Test
    void withNotifyNsTheZonesOwnSecondaryIsNotified() {
        DirectStack primaryStack = stack(1);
        DirectStack secondaryStack = stack(2);
        // ns2 (not the SOA MNAME) is the secondary at 10.0.0.2; no --notify list
        MemKv primaryKv = primaryStore(SampleZone.ZONE.replace("192.0.2.54", "10.0.0.2"));
        ZoneOptions primaryOptions = new ZoneOptions();
        primaryOptions.notifyNs = true;
        ZoneServer primary = server("primary", primaryKv, primaryStack, primaryOptions);
        ZoneServer secondary = secondary(secondaryStack, new MemKv(sim.clock()));
        sim.scheduler().runFor(Duration.ofMinutes(1));
        List<Bytes> answer = sim.await(primary.zones.handler(java.util.Optional.empty()).handle(signedUpdate(1,
                List.of(Record.in(Name.of("n.example.test."), 300, a(1))))));
        assertEquals(Header.NOERROR, MessageCodec.decode(answer.getFirst()).orElseThrow().header().rcode());
        sim.scheduler().runFor(Duration.ofMinutes(2)); // far less than the SOA's REFRESH of 7200 s
        assertEquals(served(primary).orElseThrow(), served(secondary).orElseThrow());
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("acknowledged by 10.0.0.2:53")));
        sim.await(primary.stop());
        sim.await(secondary.stop());
    }

    @Test
    void aStoredCopyOlderThanExpireIsNotServedAtBoot() {
        DirectStack secondaryStack = stack(2);
        MemKv kv = new MemKv(sim.clock());
        String shortLived = SampleZone.ZONE.replace("7200 900 1209600 300", "60 10 300 60");
        sim.await(kv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        sim.await(kv.set(Key.of("_secondary/example.test"), Bytes.utf8(shortLived)));
        ZoneOptions options = new ZoneOptions();
        options.secondaries.add("example.test@10.0.0.9#test._transfer.example.test"); // nobody there
        sim.scheduler().runFor(Duration.ofMinutes(10)); // the copy is now 600 s old, EXPIRE is 300
        ZoneServer secondary = server("secondary", kv, secondaryStack, options);
        assertTrue(served(secondary).isEmpty());
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("older than its SOA's expire time")));
        sim.await(secondary.stop());

        MemKv young = new MemKv(sim.clock());
        sim.await(young.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        sim.await(young.set(Key.of("_secondary/example.test"), Bytes.utf8(shortLived)));
        sim.scheduler().runFor(Duration.ofMinutes(2));
        ZoneServer again = server("secondary2", young, stack(3), options);
        assertTrue(served(again).isPresent(), "120 s old: served while the primary is tried");
        sim.await(again.stop());
    }

    @Test
    void aPrimaryWithoutIxfrIsFollowedByAxfr() {
        DirectStack primaryStack = stack(1);
        DirectStack secondaryStack = stack(2);
        ZoneOptions primaryOptions = notifyingTheSecondary();
        primaryOptions.allowTransfer.add("10.0.0.0/24");
        jmirage.authoritative.store.ZoneManagement zm = sim.await(jmirage.authoritative.store.ZoneManagement.start(
                new MemKv(sim.clock()), java.util.Optional.empty(), primaryStack, sim.scheduler(), sim.clock(), sim.random(),
                sim.log("old-primary", LogLevel.INFO), primaryOptions)).orElseThrow();
        // an old primary: NOTIMP to IXFR (RFC 1995 came later), AXFR as usual
        jmirage.dns.server.Handler oldTransfer = request -> request.message().questions().getFirst().qtype() == Type.IXFR
                ? Promise.resolved(List.of(jmirage.authoritative.keys.RequestAuth.reply(request, Rcode.NOTIMP,
                        new jmirage.authoritative.keys.RequestAuth.Outcome.Unsigned())))
                : zm.handler(java.util.Optional.empty()).handle(request);
        jmirage.dns.server.DnsServer server = sim.await(jmirage.dns.server.DnsServer.start(primaryStack,
                sim.scheduler(), sim.clock(), sim.log("old-primary", LogLevel.INFO),
                oldTransfer,
                new jmirage.dns.server.DnsServer.Config(53, 0, 0, 16, 512, Duration.ofSeconds(10)),
                jmirage.dns.server.QueryObserver.NONE)).orElseThrow();
        ZoneOptions options = new ZoneOptions();
        options.secondaries.add("example.test@10.0.0.1");
        MemKv secondaryKv = new MemKv(sim.clock());
        sim.await(secondaryKv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS))); // not empty: no sample zone of its own
        ZoneServer secondary = server("secondary", secondaryKv, secondaryStack, options);
        sim.scheduler().runFor(Duration.ofMinutes(1));
        sim.await(zm.handler(java.util.Optional.empty()).handle(signedUpdate(1, List.of(Record.in(Name.of("n.example.test."), 300, a(1))))));
        sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(zm.zones().get(ZONE).orElseThrow(), served(secondary).orElseThrow(),
                () -> sim.records().stream().map(r -> r.source() + ": " + r.message()).toList().toString());
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("serial 2026010102 from 10.0.0.1:53 (AXFR)")));
        sim.await(secondary.stop());
        zm.stop();
        sim.await(server.stop());
    }

    @Test
    void aSilentPrimaryTimesOutAndTheConnectionIsLetGo() {
        DirectStack silentStack = stack(1);
        DirectStack secondaryStack = stack(2);
        List<jmirage.core.net.ReadResult> seenByPrimary = new java.util.ArrayList<>();
        sim.await(silentStack.listenTcp(53, flow -> flow.read().onSuccess(first -> flow.read().onSuccess(
                second -> second.map(seenByPrimary::add))))).orElseThrow();
        ZoneServer secondary = secondary(secondaryStack, new MemKv(sim.clock()));
        sim.scheduler().runFor(Duration.ofSeconds(40));
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("no complete answer from 10.0.0.1:53")));
        assertEquals(List.of(jmirage.core.net.ReadResult.EOF), seenByPrimary, "the secondary closed its side");
        assertTrue(served(secondary).isEmpty());
        sim.await(secondary.stop());
    }

    private final java.util.Map<Integer, VirtualSwitch.Port> ports = new java.util.HashMap<>();

    VirtualSwitch.Port portOf(int host) {
        return ports.get(host);
    }
}
