package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.kv.Key;
import jmirage.core.net.AddressError;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dhcpd.core.LeaseChange;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dhcpd.core.LeaseRecordError;
import jmirage.kv.MemKv;
import jmirage.net.wire.Wire;
import jmirage.sim.Simulation;
import jmirage.testkit.ForwardingKv;
import org.junit.jupiter.api.Test;

/** The journal and its compaction into a snapshot: what is loaded is what was written, last record wins. */
class LeaseStoreTest {

    final Simulation sim = new Simulation(3);
    final MemKv kv = new MemKv(sim.clock());
    final Instant now = sim.clock().now();

    LeaseStore load(LeaseDb into) {
        return sim.scheduler().runUntil(LeaseStore.load(kv, into, sim.log("store", LogLevel.WARN), now)).value().orElseThrow();
    }

    static Lease lease(int n, Lease.State state, Instant until) {
        return new Lease(Wire.ipv4(0x0a000000 + n % 3000), ClientKey.ofMac(Msg.mac(n)), Msg.mac(n), state, until);
    }

    @Test
    void aRecordReadsBackAsItWasWrittenAndAnUnreadableOneIsATypedErrorHoldingItsLine() {
        Lease l = lease(7, Lease.State.BOUND, Instant.ofEpochSecond(1767225600));
        assertEquals(Result.ok(l), LeaseCodec.decodeLine(LeaseCodec.line(l)));
        String good = LeaseCodec.line(l);
        assertEquals("v1 10.0.0.7 BOUND 1767225600 02:00:00:00:00:07 01020000000007", good);
        assertEquals(Result.err(new LeaseRecordError.NotV1Record("v2 10.0.0.7")), LeaseCodec.decodeLine("v2 10.0.0.7"));
        String leased = good.replace("BOUND", "LEASED");
        assertEquals(Result.err(new LeaseRecordError.UnknownState(leased, "LEASED")), LeaseCodec.decodeLine(leased));
        String farEnd = good.replace("1767225600", "99999999999999999");
        assertEquals(Result.err(new LeaseRecordError.BadEnd(farEnd, "99999999999999999")), LeaseCodec.decodeLine(farEnd));
        String oddKey = good.replace("01020000000007", "01020");
        assertEquals(Result.err(new LeaseRecordError.BadClientKey(oddKey, "01020")), LeaseCodec.decodeLine(oddKey));
        String shortMac = good.replace("02:00:00:00:00:07", "02:00:00:00:07");
        assertEquals(Result.err(new LeaseRecordError.BadHardwareAddress(shortMac, new AddressError.NotAMacAddress("02:00:00:00:07"))),
                LeaseCodec.decodeLine(shortMac));
    }

    @Test
    void manyWritesCompactIntoASnapshotAndLoadTheSameLeases() {
        LeaseDb db = new LeaseDb();
        LeaseStore store = load(db);
        // 60 writes of 100 records over 3000 addresses: the later ones overwrite the earlier.
        for (int w = 0; w < 60; w++) {
            List<Lease> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Lease l = lease(w * 100 + i, (w + i) % 5 == 0 ? Lease.State.FREE : Lease.State.BOUND, now.plusSeconds(3600 + w));
                db.apply(new LeaseChange.Durable(l));
                batch.add(l);
            }
            sim.scheduler().runUntil(store.write(batch, db)).value().orElseThrow();
        }
        var journal = sim.scheduler().runUntil(kv.list(LeaseStore.JOURNAL)).value();
        int journalKeys = journal.isOk() ? journal.orElseThrow().size() : 0;
        assertTrue(journalKeys < 41, "compacted: " + journalKeys + " journal entries left");
        assertTrue(sim.scheduler().runUntil(kv.get(LeaseStore.SNAPSHOT)).value().isOk(), "a snapshot was written");

        LeaseDb loaded = new LeaseDb();
        load(loaded);
        assertEquals(db.size(), loaded.size());
        for (Lease l : db.all()) {
            assertEquals(LeaseCodec.line(l).replaceAll(" \\d{10} ", " T "), loaded.at(l.address()).map(LeaseCodec::line).orElseThrow()
                    .replaceAll(" \\d{10} ", " T "));
            assertEquals(l.until().getEpochSecond(), loaded.at(l.address()).orElseThrow().until().getEpochSecond());
        }
    }

    @Test
    void anUnreadableRecordKeepsItsAddressOutOfThePool() {
        sim.scheduler().runUntil(kv.set(LeaseStore.journalKey(0), Bytes.utf8(
                "v1 10.0.0.7 BOUND notanumber 02:00:00:00:00:07 0102\nv1 10.0.0.8 BOUND 1767225600 02:00:00:00:00:08 0102000000000008\n")));
        LeaseDb db = new LeaseDb();
        load(db);
        Lease quarantined = db.at(Msg.ip("10.0.0.7")).orElseThrow();
        assertEquals(Lease.State.DECLINED, quarantined.state());
        assertTrue(quarantined.live(now.plusSeconds(23 * 3600)));
        assertEquals(Lease.State.BOUND, db.at(Msg.ip("10.0.0.8")).orElseThrow().state());
        assertTrue(sim.records().stream().anyMatch(r -> r.message().contains("10.0.0.7 stays out of the pool for a day")));
        assertTrue(Key.of("leases/journal/00000000000000000000").equals(LeaseStore.journalKey(0)));
    }

    /** A store whose commit can report a failure after it did write (a timeout on a slow disk). */
    static final class FalseFailureKv extends ForwardingKv {
        boolean lie;

        FalseFailureKv(Kv inner) {
            super(inner);
        }

        @Override
        public Promise<Result<Unit, KvError>> commit(Batch batch) {
            boolean failAfter = lie;
            lie = false;
            return inner.commit(batch).map(r -> failAfter && r.isOk() ? Result.<Unit, KvError>err(new KvError.Storage("timed out")) : r);
        }
    }

    @Test
    void aWriteReportedFailedButDoneDoesNotComeBackAfterACompaction() {
        FalseFailureKv flaky = new FalseFailureKv(kv);
        LeaseDb db = new LeaseDb();
        LeaseStore store = sim.scheduler().runUntil(LeaseStore.load(flaky, db, sim.log("store", LogLevel.WARN), now)).value().orElseThrow();
        Lease free = lease(1, Lease.State.FREE, now);
        db.apply(new LeaseChange.Durable(free));
        flaky.lie = true;
        assertTrue(sim.scheduler().runUntil(store.write(List.of(free), db)).value().isOk() == false, "reported failed");
        // The address then goes to another client, and enough writes follow for a compaction.
        Lease bound = new Lease(free.address(), ClientKey.ofMac(Msg.mac(2)), Msg.mac(2), Lease.State.BOUND, now.plusSeconds(3600));
        db.apply(new LeaseChange.Durable(bound));
        sim.scheduler().runUntil(store.write(List.of(bound), db)).value().orElseThrow();
        for (int w = 0; w < 50; w++) {
            List<Lease> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Lease l = lease(10 + w * 100 + i, Lease.State.BOUND, now.plusSeconds(3600));
                db.apply(new LeaseChange.Durable(l));
                batch.add(l);
            }
            sim.scheduler().runUntil(store.write(batch, db)).value().orElseThrow();
        }
        assertTrue(sim.scheduler().runUntil(kv.get(LeaseStore.SNAPSHOT)).value().isOk(), "compacted");
        LeaseDb loaded = new LeaseDb();
        load(loaded);
        assertEquals(Lease.State.BOUND, loaded.at(free.address()).orElseThrow().state(),
                "the stale FREE record of the 'failed' write came back over the binding");
    }
}
