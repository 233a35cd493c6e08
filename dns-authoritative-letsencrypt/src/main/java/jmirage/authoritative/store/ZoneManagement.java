package jmirage.authoritative.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.secondary.Secondary;
import jmirage.authoritative.secondary.SecondaryZone;
import jmirage.authoritative.server.Handler;
import jmirage.authoritative.transfer.Journal;
import jmirage.authoritative.transfer.NotifyHandler;
import jmirage.authoritative.transfer.NotifySender;
import jmirage.authoritative.transfer.NotifyTarget;
import jmirage.authoritative.transfer.TransferHandler;
import jmirage.authoritative.update.UpdateHandler;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.Stack;

/**
 * Everything the unikernel needs for its zones, in one piece: the {@link ZoneStore} over the Kv,
 * the handlers for UPDATE, AXFR/IXFR and NOTIFY, NOTIFY to secondaries on every change, and the
 * secondary zones. Built on the loop; call {@link #stop} on the loop.
 */
public final class ZoneManagement {

    private final ZoneStore store;
    private final UpdateHandler update;
    private final TransferHandler transfer;
    private final NotifyHandler notifyHandler;
    private final NotifySender notifier;
    private final Optional<Secondary> secondary;
    private Journal journal = Journal.EMPTY;

    private ZoneManagement(ZoneStore store, List<IpPrefix> allowed, NotifySender notifier, Optional<Secondary> secondary,
            Log log) {
        this.store = store;
        this.notifier = notifier;
        this.secondary = secondary;
        this.update = new UpdateHandler(store, log.named("update"));
        this.transfer = new TransferHandler(store::zones, store::keys, () -> journal, allowed, log.named("transfer"));
        this.notifyHandler = new NotifyHandler(store, secondary, log.named("notify"));
    }

    /**
     * Opens the store and starts zone management. {@code sync} is the Kv's synchronisation with a
     * remote when the store has one ({@code DeviceProvider.kvSync()}): a signed NOTIFY then pulls,
     * and zones pushed or pulled into the store are reloaded at once.
     */
    public static Promise<Result<ZoneManagement, String>> start(Kv kv, Optional<KvSync> sync, Stack stack,
            Scheduler scheduler, Clock clock, Random random, Log log, ZoneOptions options) {
        List<String> errors = new ArrayList<>();
        List<SecondaryZone> secondaries = parseAll(options.secondaries, SecondaryZone::parse, errors);
        List<NotifyTarget> targets = parseAll(options.notify, NotifyTarget::parse, errors);
        List<IpPrefix> allowed = parseAll(options.allowTransfer,
                text -> IpPrefix.parse(text).mapError(e -> "--allow-transfer: " + e.describe()), errors);
        if (options.pollSeconds < 0) {
            errors.add("--zone-poll must be 0 or more seconds");
        }
        if (!errors.isEmpty()) {
            return Promise.resolved(Result.err(String.join("; ", errors)));
        }
        Log storeLog = log.named("zones");
        return ZoneStore.open(kv, sync, scheduler, storeLog, Duration.ofSeconds(options.pollSeconds)).flatMap(o -> {
            if (o instanceof Result.Err<ZoneStore, String>(String e)) {
                return Promise.resolved(Result.<ZoneManagement, String>err(e));
            }
            ZoneStore store = o.orElseThrow();
            NotifySender notifier = new NotifySender(stack, scheduler, clock, random, log.named("notify"), targets,
                    options.notifyNs, store::keys);
            Optional<Secondary> secondary = secondaries.isEmpty() ? Optional.empty()
                    : Optional.of(new Secondary(store, stack, scheduler, clock, random, log.named("secondary"), secondaries));
            ZoneManagement zm = new ZoneManagement(store, allowed, notifier, secondary, log);
            store.subscribe(change -> {
                if (change.before().isPresent() && change.after().isPresent()) {
                    zm.journal = zm.journal.record(change.before().get(), change.after().get());
                } else {
                    zm.journal = zm.journal.forget(change.origin());
                }
                change.after().ifPresent(notifier::changed);
            });
            return notifier.start().map(n -> n.map(u -> {
                // as BIND does at startup: the zones may have changed while we were down
                store.primaries().all().forEach(notifier::changed);
                secondary.ifPresent(Secondary::start);
                return zm;
            }));
        });
    }

    private static <T> List<T> parseAll(List<String> texts, java.util.function.Function<String, Result<T, String>> parse,
            List<String> errors) {
        List<T> out = new ArrayList<>();
        for (String t : texts) {
            switch (parse.apply(t)) {
                case Result.Ok<T, String>(T v) -> out.add(v);
                case Result.Err<T, String>(String e) -> errors.add(e);
            }
        }
        return out;
    }

    /** Every zone served now (our own and secondary copies); read it per request, it changes. */
    public Zones zones() {
        return store.zones();
    }

    public Keys keys() {
        return store.keys();
    }

    public Handler updateHandler() {
        return update;
    }

    public Handler transferHandler() {
        return transfer;
    }

    public Handler notifyHandler() {
        return notifyHandler;
    }

    public void stop() {
        store.stop();
        notifier.stop();
        secondary.ifPresent(Secondary::stop);
    }
}
