package jmirage.authoritative.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.store.StoreError;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.update.Serial;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * The {@link ZoneWriter} of primary mode: the change is applied to our own zone as a dynamic update
 * is, through the same {@link ZoneStore}: serialised with updates and reloads, the serial raised
 * (RFC 2136 3.6), one commit with author {@value #AUTHOR} and the reason as message, then served,
 * journaled for IXFR and notified to the secondaries (the store's change listeners).
 */
public final class PrimaryZoneWriter implements ZoneWriter {

    public static final String AUTHOR = "certify";

    private final ZoneStore store;
    private final Log log;

    public PrimaryZoneWriter(ZoneStore store, Log log) {
        this.store = store;
        this.log = log;
    }

    @Override
    public Promise<Result<Unit, String>> change(List<Record> remove, List<Record> add, String reason) {
        return store.serially(() -> {
            Result<Optional<Zone>, String> next = apply(store, remove, add);
            return switch (next) {
                case Result.Err<Optional<Zone>, String> e -> Promise.resolved(Result.<Unit, String>err(e.error()));
                case Result.Ok<Optional<Zone>, String>(Optional<Zone> z) when z.isEmpty() ->
                        Promise.resolved(Result.<Unit, String>ok(Unit.UNIT));
                case Result.Ok<Optional<Zone>, String>(Optional<Zone> z) -> store.commit(z.get(), AUTHOR, reason).map(r -> switch (r) {
                    case Result.Ok<Unit, StoreError> ok -> {
                        log.info("zone " + z.get().origin() + " serial " + z.get().serial() + ": " + reason);
                        yield Result.<Unit, String>ok(Unit.UNIT);
                    }
                    case Result.Err<Unit, StoreError>(StoreError e) -> Result.<Unit, String>err(e.describe());
                });
            };
        });
    }

    /** The zone after the change, its serial raised; empty when nothing changes. */
    static Result<Optional<Zone>, String> apply(ZoneStore store, List<Record> remove, List<Record> add) {
        List<Record> all = new ArrayList<>(remove);
        all.addAll(add);
        if (all.isEmpty()) {
            return Result.ok(Optional.empty());
        }
        Optional<Zone> found = store.primaries().find(all.getFirst().name());
        if (found.isEmpty()) {
            return Result.err(all.getFirst().name() + " is in no zone of ours");
        }
        Zone zone = found.get();
        for (Record r : all) {
            if (store.primaries().find(r.name()).map(z -> !z.origin().equals(zone.origin())).orElse(true)) {
                return Result.err(r.name() + " is not in " + zone.origin() + ": one change is one zone");
            }
        }
        return switch (zone.withChanges(remove, add)) {
            case Result.Err<Zone, ZoneError>(ZoneError e) -> Result.err("the zone would be broken: " + e.describe());
            case Result.Ok<Zone, ZoneError>(Zone changed) when changed.equals(zone) -> Result.ok(Optional.empty());
            case Result.Ok<Zone, ZoneError>(Zone changed) -> withNextSerial(zone, changed).map(Optional::of);
        };
    }

    private static Result<Zone, String> withNextSerial(Zone before, Zone changed) {
        Rdata.Soa soa = changed.soa();
        Record old = changed.soaSet().records().getFirst();
        Record raised = new Record(old.name(), old.rrClass(), old.ttl(), new Rdata.Soa(soa.mname(), soa.rname(),
                Serial.next(before.serial()), soa.refresh(), soa.retry(), soa.expire(), soa.minimum()));
        return changed.withChanges(List.of(old), List.of(raised)).mapError(ZoneError::describe);
    }
}
