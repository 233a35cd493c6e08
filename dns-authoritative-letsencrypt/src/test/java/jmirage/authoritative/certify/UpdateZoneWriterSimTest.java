package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
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
 * The sim target: {@link UpdateZoneWriter} on its own direct stack writes to the module's own
 * server as the primary (the sample zone and its keys) over a virtual switch: a change shows in
 * the zone the primary serves once the promise completes, also over a lossy link; refusals come
 * back typed; an unreachable primary is tried {@link UpdateZoneWriter#ATTEMPTS} times.
 */
class UpdateZoneWriterSimTest {

    static final Name ZONE = Name.of("example.test.");
    static final Bytes SECRET = SampleZone.TEST_SECRET_BYTES;
    static final TsigKey UPDATE = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256, SECRET);
    static final Record CHALLENGE = Record.in(Name.of("_acme-challenge.www.example.test."), 60,
            new Rdata.Txt(List.of(Bytes.utf8("key authorization digest"))));
    static final Record CERT = Record.in(Name.of("_letsencrypt._tcp.www.example.test."), 3600,
            new Rdata.Tlsa(3, 0, 0, Bytes.of(new byte[1500])));

    /** The primary at 10.0.0.1 and the writer's stack at 10.0.0.2 on one virtual switch. */
    static final class World {
        final Simulation sim = new Simulation(1704);
        final VirtualSwitch lan;
        final VirtualSwitch.Port primaryPort;
        final ZoneServer primary;
        final DirectStack writerStack;

        World(VirtualSwitch.Conditions conditions) {
            lan = VirtualSwitch.of(sim, conditions);
            primaryPort = lan.port(new MacAddress(0x02_00_00_00_00_01L));
            DirectStack primaryStack = stack(primaryPort, 1);
            // an empty store: the server seeds the sample zone and its TEST keys (_update and _transfer)
            primary = sim.await(ZoneServer.start(new MemKv(sim.clock()), primaryStack, sim.scheduler(), sim.clock(), sim.random(),
                    sim.log("primary", LogLevel.INFO), new ZoneOptions(), 53)).orElseThrow();
            writerStack = stack(lan.port(new MacAddress(0x02_00_00_00_00_02L)), 2);
        }

        DirectStack stack(VirtualSwitch.Port port, int host) {
            Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
            return sim.await(DirectStack.start(port, config, TcpConfig.DEFAULT, sim.clock(), sim.scheduler(), sim.random(),
                    sim.log("stack" + host, LogLevel.WARN))).orElseThrow();
        }

        UpdateZoneWriter writer(Name zone, TsigKey key) {
            Endpoint at = new Endpoint(IpAddresses.parse("10.0.0.1").orElseThrow(), 53);
            return new UpdateZoneWriter(writerStack, sim.scheduler(), sim.clock(), sim.random(), sim.log("writer", LogLevel.INFO),
                    zone, at, key);
        }

        UpdateZoneWriter writer(TsigKey key) {
            return writer(ZONE, key);
        }

        Zone served() {
            return primary.zones.zones().get(ZONE).orElseThrow();
        }

        boolean has(Record r) {
            return served().rrset(r.name(), r.type()).map(s -> s.records().contains(r)).orElse(false);
        }
    }

    final World world = new World(VirtualSwitch.Conditions.PERFECT);
    final Simulation sim = world.sim;
    final VirtualSwitch lan = world.lan;

    UpdateZoneWriter writer(TsigKey key) {
        return world.writer(key);
    }

    Zone served() {
        return world.served();
    }

    boolean has(Record r) {
        return world.has(r);
    }

    @Test
    void aChangeIsServedByThePrimaryWhenItsPromiseCompletes() {
        long serial = served().serial();
        Promise<Result<Unit, String>> added = writer(UPDATE).change(List.of(), List.of(CHALLENGE, CERT), "certify: test");
        assertEquals(Result.ok(), sim.await(added));
        assertTrue(has(CHALLENGE) && has(CERT), "both records served as soon as the answer came");
        assertEquals(serial + 1, served().serial(), "one change, one serial (RFC 2136 3.6)");

        assertEquals(Result.ok(), sim.await(writer(UPDATE).send(List.of(CHALLENGE), List.of())));
        assertFalse(has(CHALLENGE), "the challenge is gone");
        assertTrue(has(CERT), "the certificate stays");
        // removing what is not there is no error (RFC 2136 3.4.2.4), so a retried removal is harmless
        assertEquals(Result.ok(), sim.await(writer(UPDATE).send(List.of(CHALLENGE), List.of())));
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains(
                "certify: test: update of example.test. accepted by 10.0.0.1:53 (0 removed, 2 added)")));
    }

    @Test
    void overALossyLinkTheChangeStillGoesThrough() {
        World lossy = new World(VirtualSwitch.Conditions.PERFECT.withLoss(0.2).withReorder(0.05));
        for (int i = 0; i < 5; i++) {
            Record r = Record.in(Name.of("_acme-challenge.h" + i + ".example.test."), 60, CHALLENGE.rdata());
            assertEquals(Result.ok(), lossy.sim.await(lossy.writer(UPDATE).send(List.of(), List.of(r))));
            assertTrue(lossy.has(r));
        }
        assertTrue(lossy.lan.lost() > 0, "frames were lost: " + lossy.lan.lost());
    }

    @Test
    void aKeyWithoutTheRightToUpdateIsRefused() {
        TsigKey transfer = new TsigKey(Name.of("test._transfer.example.test."), TsigAlgorithm.HMAC_SHA256, SECRET);
        assertEquals(Result.err(new UpdateError.Rejected(Rcode.REFUSED)), sim.await(writer(transfer).send(List.of(), List.of(CHALLENGE))));
        // through the ZoneWriter seam: one line saying where and why, for the role's log
        assertEquals(Result.err("update of example.test. at 10.0.0.1:53: the primary answered REFUSED"),
                sim.await(writer(transfer).change(List.of(), List.of(CHALLENGE), "certify: test")));
        assertFalse(has(CHALLENGE));
    }

    @Test
    void aKeyThePrimaryDoesNotKnowOrAWrongSecretIsRejectedWithTheTsigError() {
        TsigKey unknown = new TsigKey(Name.of("stranger._update.example.test."), TsigAlgorithm.HMAC_SHA256, SECRET);
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADKEY)),
                sim.await(writer(unknown).send(List.of(), List.of(CHALLENGE))));
        TsigKey wrongSecret = new TsigKey(UPDATE.name(), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("not the secret"));
        assertEquals(Result.err(new UpdateError.KeyRejected(Rcode.NOTAUTH, Rcode.BADSIG)),
                sim.await(writer(wrongSecret).send(List.of(), List.of(CHALLENGE))));
        assertFalse(has(CHALLENGE));
    }

    @Test
    void anUnreachablePrimaryIsTriedBoundedTimesThenTheErrorComesBack() {
        lan.partition(List.of(world.primaryPort));
        Instant start = sim.clock().now();
        Result<Unit, UpdateError> r = sim.await(writer(UPDATE).send(List.of(), List.of(CHALLENGE)));
        UpdateError e = ((Result.Err<Unit, UpdateError>) r).error();
        assertTrue(e.worthRetrying(), e.describe());
        long attempts = sim.records().stream().filter(l -> l.message().contains("update of example.test. at 10.0.0.1:53, attempt")).count();
        assertEquals(UpdateZoneWriter.ATTEMPTS - 1, attempts, "one line per attempt that is retried");
        // four timeouts of 10 s and waits of 2, 4 and 8 s at most
        Duration took = Duration.between(start, sim.clock().now());
        assertTrue(took.compareTo(Duration.ofSeconds(14)) >= 0 && took.compareTo(Duration.ofSeconds(55)) <= 0, took.toString());
    }

    @Test
    void aPrimaryBackWithinTheRetriesGetsTheChange() {
        lan.partition(List.of(world.primaryPort));
        Promise<Result<Unit, UpdateError>> sent = writer(UPDATE).send(List.of(), List.of(CHALLENGE));
        sim.scheduler().runFor(Duration.ofSeconds(15));
        assertFalse(sent.isDone(), "still trying");
        lan.heal();
        assertEquals(Result.ok(), sim.await(sent));
        assertTrue(has(CHALLENGE));
    }

    @Test
    void aZoneThePrimaryDoesNotServeIsNotauth() {
        Name other = Name.of("other.test.");
        UpdateZoneWriter w = world.writer(other, UPDATE);
        Record r = Record.in(Name.of("x.other.test."), 60, CHALLENGE.rdata());
        Result<Unit, UpdateError> result = sim.await(w.send(List.of(), List.of(r)));
        assertTrue(result instanceof Result.Err<Unit, UpdateError>(UpdateError.Rejected(Rcode rc))
                && (rc.equals(Rcode.NOTAUTH) || rc.equals(Rcode.REFUSED)), result.toString());
    }
}
