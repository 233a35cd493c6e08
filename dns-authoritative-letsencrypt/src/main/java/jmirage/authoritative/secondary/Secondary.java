package jmirage.authoritative.secondary;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.store.StoreError;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.Scheduler;
import jmirage.core.net.Stack;
import jmirage.dns.Name;
import jmirage.dns.tsig.TsigKey;

/**
 * The secondary: for each configured zone, checks the primary on the timers of {@link RefreshCore},
 * transfers with {@link TransferClient}, keeps the copy in the store (and so in the Kv across
 * restarts), and withdraws it once expired. A NOTIFY from the primary (or signed with a key allowed
 * to notify) makes it check at once. On the loop.
 */
public final class Secondary {

    /** How often the timers are looked at; checks themselves follow the SOA's REFRESH and RETRY. */
    static final Duration TICK = Duration.ofSeconds(1);

    private final ZoneStore store;
    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Log log;
    private final Map<Name, SecondaryZone> zones = new HashMap<>();
    private final Map<Name, RefreshCore.State> states = new HashMap<>();
    private final java.util.Set<Name> missingKeys = new java.util.HashSet<>();
    private final Map<Name, TransferError> lastFailure = new HashMap<>();
    private Cancellable ticker;

    public Secondary(ZoneStore store, Stack stack, Scheduler scheduler, Clock clock, Random random, Log log,
            List<SecondaryZone> configured) {
        this.store = store;
        this.stack = stack;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.log = log;
        configured.forEach(z -> zones.put(z.zone(), z));
    }

    public void start() {
        for (SecondaryZone z : zones.values()) {
            if (store.primaries().get(z.zone()).isPresent()) {
                log.warn("secondary " + z.zone() + ": the store also has a zone file for it; that one is served");
            }
            Optional<Zone> copy = store.secondaries().get(z.zone());
            RefreshCore.State state = RefreshCore.start(copy.map(Zone::soa), store.secondaryStoredAt(z.zone()), clock.now());
            states.put(z.zone(), state);
            if (state.expired()) {
                log.warn("secondary for " + z.zone() + " from " + z.primary() + ": the stored copy is older than its"
                        + " SOA's expire time, not served until a transfer succeeds");
                store.expireSecondary(z.zone());
            } else {
                log.info("secondary for " + z.zone() + " from " + z.primary()
                        + copy.map(c -> ", serving the stored copy, serial " + c.serial()).orElse(", no copy yet"));
            }
        }
        tick();
        ticker = scheduler.every(TICK, this::tick);
    }

    public void stop() {
        if (ticker != null) {
            ticker.cancel();
        }
    }

    /** Whether we are secondary for {@code zone}. */
    public boolean serves(Name zone) {
        return zones.containsKey(zone);
    }

    /** Whether {@code address} is the configured primary of {@code zone}. */
    public boolean isPrimaryOf(Name zone, InetAddress address) {
        SecondaryZone z = zones.get(zone);
        return z != null && z.primary().address().equals(address);
    }

    /** RFC 1996 3.11: a NOTIFY makes the next check now. */
    public void notified(Name zone) {
        RefreshCore.State s = states.get(zone);
        if (s != null) {
            states.put(zone, RefreshCore.notified(s, clock.now()));
            tick();
        }
    }

    private void tick() {
        for (SecondaryZone z : zones.values()) {
            RefreshCore.State s = states.get(z.zone());
            if (s != null && RefreshCore.due(s, clock.now())) {
                check(z);
            }
        }
    }

    private void check(SecondaryZone z) {
        states.put(z.zone(), RefreshCore.checking(states.get(z.zone())));
        Optional<TsigKey> key = Optional.empty();
        if (z.keyName().isPresent()) {
            key = store.keys().tsigKey(z.keyName().get());
            if (key.isEmpty()) {
                if (missingKeys.add(z.zone())) { // once, not at every retry
                    log.error("secondary " + z.zone() + ": key " + z.keyName().get() + " is not in _keys; retrying");
                }
                states.put(z.zone(), RefreshCore.failed(states.get(z.zone()), clock.now()));
                return;
            }
        }
        missingKeys.remove(z.zone());
        Optional<Zone> copy = store.secondaries().get(z.zone());
        TransferClient.fetch(stack, scheduler, clock, random, z.primary(), z.zone(), copy, key).onComplete((r, bug) -> {
            if (bug != null) {
                log.error("secondary " + z.zone() + ": transfer failed: " + bug);
                failed(z);
                return;
            }
            switch (r) {
                case Result.Err<TransferReader.Outcome, TransferError>(TransferError e) -> {
                    String line = "secondary " + z.zone() + ": transfer from " + z.primary() + " failed: " + e.describe();
                    if (e.equals(lastFailure.put(z.zone(), e))) {
                        log.debug(() -> line + " (again)"); // the same failure at every retry: one warning
                    } else {
                        log.warn(line);
                    }
                    failed(z);
                }
                case Result.Ok<TransferReader.Outcome, TransferError>(TransferReader.Outcome o) -> succeeded(z, copy, o);
            }
        });
    }

    private void failed(SecondaryZone z) {
        RefreshCore.State before = states.get(z.zone());
        RefreshCore.State after = RefreshCore.failed(before, clock.now());
        states.put(z.zone(), after);
        if (after.expired() && !before.expired()) {
            log.error("secondary " + z.zone() + ": EXPIRED, no good transfer from " + z.primary()
                    + " within the SOA's expire time; no longer served");
            store.expireSecondary(z.zone());
        }
    }

    private void succeeded(SecondaryZone z, Optional<Zone> copy, TransferReader.Outcome o) {
        if (lastFailure.remove(z.zone()) != null) {
            log.info("secondary " + z.zone() + ": " + z.primary() + " answers again");
        }
        Zone next = switch (o) {
            case TransferReader.Outcome.UpToDate u -> copy.orElse(null);
            case TransferReader.Outcome.Full f -> f.zone();
            case TransferReader.Outcome.Incremental i -> i.zone();
        };
        if (next == null) {
            failed(z);
            return;
        }
        boolean wasExpired = states.get(z.zone()).expired();
        states.put(z.zone(), RefreshCore.succeeded(states.get(z.zone()), next.soa(), clock.now()));
        boolean same = o instanceof TransferReader.Outcome.UpToDate || copy.isPresent() && copy.get().equals(next);
        if (same && !wasExpired) {
            return; // nothing new (an AXFR from a primary without IXFR can bring the same zone again)
        }
        String how = switch (o) {
            case TransferReader.Outcome.UpToDate u -> "up to date again";
            case TransferReader.Outcome.Full f -> "AXFR";
            case TransferReader.Outcome.Incremental i -> "IXFR, " + i.steps() + " step(s)";
        };
        log.info("secondary " + z.zone() + ": serial " + next.serial() + " from " + z.primary() + " (" + how + ")");
        store.putSecondary(next, "transfer of " + z.zone() + " serial " + next.serial() + " from " + z.primary())
                .onSuccess(r -> {
                    if (r instanceof Result.Err<Unit, StoreError>(StoreError e)) {
                        log.warn("secondary " + z.zone() + ": " + e.describe());
                    }
                });
    }
}
