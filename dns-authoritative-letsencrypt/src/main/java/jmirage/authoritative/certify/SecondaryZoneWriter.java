package jmirage.authoritative.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigKey;

/**
 * The certify role's writer in secondary mode, as robur's dns-letsencrypt-secondary: a change to a
 * zone we are secondary for is sent to that zone's primary (the address of its {@code --secondary}
 * option) as one TSIG-signed update ({@link UpdateZoneWriter}), signed with the key that option
 * names ({@code #KEY}, from the store's keys: it must be a {@code NAME._update.ZONE} key the primary
 * lets update the zone). Once the primary accepted it, we check the primary at once (as its NOTIFY
 * would make us) and complete when our copy shows the change, so the role reads back what it wrote
 * (without it, it would order the certificate it just published again); a copy that does not show
 * it within {@link #COPY_WAIT} is a failure the role retries with its backoff. On the loop.
 */
public final class SecondaryZoneWriter implements ZoneWriter {

    public static final Duration COPY_WAIT = Duration.ofSeconds(60);
    static final Duration COPY_POLL = Duration.ofMillis(200);

    private final ZoneManagement zones;
    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Log log;

    public SecondaryZoneWriter(ZoneManagement zones, Stack stack, Scheduler scheduler, Clock clock, Random random, Log log) {
        this.zones = zones;
        this.stack = stack;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.log = log;
    }

    @Override
    public Promise<Result<Unit, String>> change(List<Record> remove, List<Record> add, String reason) {
        List<Record> all = new ArrayList<>(remove);
        all.addAll(add);
        if (all.isEmpty()) {
            return Promise.resolved(Result.ok());
        }
        var target = target(zones.secondaryZones(), zones.keys(), all);
        if (target instanceof Result.Err<Target, String>(String why)) {
            return Promise.resolved(Result.err(why)); // logged by the role, as every failed change
        }
        Target t = target.orElseThrow();
        UpdateZoneWriter writer = new UpdateZoneWriter(stack, scheduler, clock, random, log, t.zone().zone(), t.zone().primary(), t.key());
        return writer.change(remove, add, reason).flatMap(r -> switch (r) {
            case Result.Err<Unit, String> e -> Promise.resolved(r);
            case Result.Ok<Unit, String> ok -> {
                zones.checkSecondary(t.zone().zone());
                yield untilCopied(t.zone(), remove, add, clock.now().plus(COPY_WAIT));
            }
        });
    }

    private Promise<Result<Unit, String>> untilCopied(SecondaryZone zone, List<Record> remove, List<Record> add, Instant deadline) {
        if (zones.secondaries().get(zone.zone()).map(copy -> shows(copy, remove, add)).orElse(false)) {
            return Promise.resolved(Result.ok());
        }
        if (!clock.now().isBefore(deadline)) {
            return Promise.resolved(Result.err("accepted by " + zone.primary() + ", but our copy of " + zone.zone()
                    + " did not show it within " + COPY_WAIT.toSeconds() + " s (no transfer from the primary?)"));
        }
        return scheduler.sleep(COPY_POLL).flatMap(u -> untilCopied(zone, remove, add, deadline));
    }

    /** Where a change goes: the secondary zone holding its records, and the key to sign with. */
    record Target(SecondaryZone zone, TsigKey key) {}

    /**
     * The configured secondary zone that holds every record of the change (the nearest enclosing
     * one, as a lookup would find it: one change is one zone), and its {@code #KEY} from {@code keys}.
     */
    static Result<Target, String> target(List<SecondaryZone> secondaries, Keys keys, List<Record> records) {
        Optional<SecondaryZone> zone = enclosing(secondaries, records.getFirst().name());
        if (zone.isEmpty()) {
            return Result.err(records.getFirst().name() + " is in no zone we are secondary for");
        }
        for (Record r : records) {
            if (!enclosing(secondaries, r.name()).equals(zone)) {
                return Result.err(r.name() + " is not in " + zone.get().zone() + ": one change is one zone");
            }
        }
        SecondaryZone z = zone.get();
        if (z.keyName().isEmpty()) {
            return Result.err("--secondary " + z + " names no key (#KEY) to sign updates to the primary with");
        }
        Name keyName = z.keyName().get();
        Optional<TsigKey> key = keys.tsigKey(keyName);
        if (key.isEmpty()) {
            return Result.err("key " + keyName + " of --secondary " + z + " is in no keys file of the store");
        }
        if (!keys.allows(keyName, Operation.UPDATE, z.zone())) {
            return Result.err("key " + keyName + " of --secondary " + z + " is no update key for " + z.zone()
                    + " (name it NAME._update." + z.zone() + ")");
        }
        return Result.ok(new Target(z, key.get()));
    }

    private static Optional<SecondaryZone> enclosing(List<SecondaryZone> secondaries, Name name) {
        return secondaries.stream().filter(z -> name.isSubdomainOf(z.zone()))
                .max(java.util.Comparator.comparingInt(z -> z.zone().labelCount()));
    }

    /** Whether {@code copy} holds every record of {@code add} and none of {@code remove} (by name, type and data; TTLs may differ). */
    static boolean shows(Zone copy, List<Record> remove, List<Record> add) {
        return add.stream().allMatch(r -> holds(copy, r)) && remove.stream().noneMatch(r -> holds(copy, r));
    }

    private static boolean holds(Zone copy, Record r) {
        return copy.rrset(r.name(), r.type()).map(s -> s.rdata().contains(r.rdata())).orElse(false);
    }
}
