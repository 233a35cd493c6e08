package jmirage.dhcpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseChange;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dhcpd.core.LeaseRecordError;
import jmirage.dhcpd.core.LeaseView;

/**
 * The leases in the Kv, as a snapshot and a journal:
 * <ul>
 * <li>{@code leases/snapshot}: every durable lease record at the last compaction, one line each;
 * <li>{@code leases/journal/00000000000000000042}: the records of one write, in order.
 * </ul>
 * A write is one new journal key, whatever the number of records in it, so a burst of ACKs costs one
 * store write (one fsync on the dir backend) rather than one per lease. When the journal holds more
 * records than the snapshot (and at least {@value #COMPACT_AFTER}), the write also replaces the
 * snapshot and removes the journal keys, in the same atomic batch. Loading reads the snapshot then
 * the journal in order; the last record of an address wins.
 */
final class LeaseStore {

    static final Key SNAPSHOT = Key.of("leases/snapshot");
    static final Key JOURNAL = Key.of("leases/journal");
    static final int COMPACT_AFTER = 4096;

    private final Kv kv;
    private long nextSequence;
    private final List<Key> journal = new ArrayList<>();
    private long journalRecords;
    private long snapshotRecords;

    private LeaseStore(Kv kv) {
        this.kv = kv;
    }

    static Key journalKey(long sequence) {
        String digits = Long.toString(sequence);
        return JOURNAL.child("0".repeat(20 - digits.length()) + digits);
    }

    /** Reads snapshot and journal into {@code db}; an unreadable record keeps its address out of the pool for a day. */
    static Promise<Result<LeaseStore, LeaseStoreError>> load(Kv kv, LeaseDb db, Log log, Instant now) {
        LeaseStore store = new LeaseStore(kv);
        return kv.get(SNAPSHOT).flatMap(snapshot -> {
            switch (snapshot) {
                case Result.Ok<Bytes, KvError>(Bytes v) -> store.snapshotRecords = store.apply(v, db, log, now, SNAPSHOT);
                case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> { }
                case Result.Err<Bytes, KvError>(KvError e) -> {
                    return Promise.resolved(Result.<LeaseStore, LeaseStoreError>err(new LeaseStoreError.CannotRead(SNAPSHOT, e)));
                }
            }
            return kv.list(JOURNAL).flatMap(listed -> switch (listed) {
                case Result.Err<List<Entry>, KvError>(KvError.NotFound nf) -> Promise.resolved(Result.ok(store));
                case Result.Err<List<Entry>, KvError>(KvError e) ->
                        Promise.resolved(Result.<LeaseStore, LeaseStoreError>err(new LeaseStoreError.CannotList(JOURNAL, e)));
                case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> store.replay(entries, 0, db, log, now);
            });
        });
    }

    /** Applies journal entries one after the other, in key (= sequence) order. */
    private Promise<Result<LeaseStore, LeaseStoreError>> replay(List<Entry> entries, int i, LeaseDb db, Log log, Instant now) {
        if (i == entries.size()) {
            return Promise.resolved(Result.ok(this));
        }
        Key key = entries.get(i).key();
        return kv.get(key).flatMap(r -> switch (r) {
            case Result.Err<Bytes, KvError>(KvError e) ->
                    Promise.resolved(Result.<LeaseStore, LeaseStoreError>err(new LeaseStoreError.CannotRead(key, e)));
            case Result.Ok<Bytes, KvError>(Bytes v) -> {
                journal.add(key);
                journalRecords += apply(v, db, log, now, key);
                try {
                    nextSequence = Math.max(nextSequence, Long.parseLong(key.name()) + 1);
                } catch (NumberFormatException e) {
                    log.warn("journal entry with a foreign name: " + key);
                }
                yield replay(entries, i + 1, db, log, now);
            }
        });
    }

    private long apply(Bytes value, LeaseDb db, Log log, Instant now, Key from) {
        long n = 0;
        for (String line : LeaseCodec.lines(value)) {
            switch (LeaseCodec.decodeLine(line)) {
                case Result.Ok<Lease, LeaseRecordError>(Lease l) -> db.apply(new LeaseChange.Durable(l));
                case Result.Err<Lease, LeaseRecordError>(LeaseRecordError e) -> quarantine(db, log, now, from, e);
            }
            n++;
        }
        return n;
    }

    /** Better one address idle for a day than one address handed out twice. */
    private static void quarantine(LeaseDb db, Log log, Instant now, Key from, LeaseRecordError problem) {
        String[] fields = problem.line().split(" ");
        if (fields.length > 1 && IpAddresses.parseIpv4(fields[1]) instanceof Result.Ok<Inet4Address, ?>(Inet4Address a)) {
            log.warn(from + ": unreadable lease record (" + problem.describe() + "): " + a.getHostAddress()
                    + " stays out of the pool for a day");
            db.apply(new LeaseChange.Durable(new Lease(a, new ClientKey(Bytes.utf8("unreadable record")), new MacAddress(0),
                    Lease.State.DECLINED, now.plus(Duration.ofDays(1)))));
        } else {
            log.warn(from + ": unreadable lease record skipped (" + problem.describe() + ")");
        }
    }

    /** Writes {@code records} as one journal entry (and compacts when due, with {@code leases} as the new snapshot). */
    Promise<Result<Unit, KvError>> write(List<Lease> records, LeaseView leases) {
        List<Change> changes = new ArrayList<>();
        Key key = journalKey(nextSequence++);
        changes.add(new Change.Set(key, LeaseCodec.encode(records)));
        boolean compact = journalRecords + records.size() >= Math.max(COMPACT_AFTER, snapshotRecords);
        List<Lease> snapshot = compact ? leases.all().stream().filter(Lease::durable).toList() : List.of();
        if (compact) {
            changes.clear();
            changes.add(new Change.Set(SNAPSHOT, LeaseCodec.encode(snapshot)));
            journal.forEach(k -> changes.add(new Change.Remove(k)));
        }
        String what = compact ? "lease snapshot of " + snapshot.size() + " records" : records.size() + " lease records";
        return kv.commit(new Batch("dhcp-server", what, changes)).map(r -> {
            if (r.isOk()) {
                if (compact) {
                    journal.clear();
                    journalRecords = 0;
                    snapshotRecords = snapshot.size();
                } else {
                    journal.add(key);
                    journalRecords += records.size();
                }
            } else if (!compact) {
                // A write reported failed may still have reached the disk (a timeout): the next
                // compaction removes its key too (removing nothing is no error), or its records,
                // replayed after a newer snapshot, would bring back an address's old state.
                journal.add(key);
            }
            return r;
        });
    }
}
