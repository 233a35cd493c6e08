package jmirage.launcher;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.Bytes;
import jmirage.core.DeviceProvider.DeviceUnavailable;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Entry;
import jmirage.core.kv.EntryKind;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.kv.StoreClaim;
import jmirage.core.net.Link;
import jmirage.core.net.Net;
import jmirage.core.net.Stack;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;

/**
 * {@code ./unikernel check NAME [boot parameters]} (decision 6): runs the unikernel's
 * {@link Unikernel#check} on the host target's devices without any network, and prints each problem
 * on standard error as {@code source:line: reason}, then a summary. Exit 0 when there is none, 1 on
 * problems (or when the store does not exist: nothing is created), 2 on a usage error.
 */
final class CheckCommand {

    static final int EXIT_PROBLEMS = 1;

    private CheckCommand() {}

    static int run(List<String> args, PrintWriter out, PrintWriter err) {
        if (args.isEmpty()) {
            err.println("usage: unikernel check NAME [boot parameters]; `unikernel list` names them");
            return Main.EXIT_USAGE;
        }
        String name = args.getFirst();
        return Catalog.find(name)
                .map(u -> check(u, args.subList(1, args.size()), out, err))
                .orElseGet(() -> {
                    err.println("no unikernel named '" + name + "'; `unikernel list` names them");
                    return Main.EXIT_USAGE;
                });
    }

    private static <D, P> int check(Unikernel<D, P> unikernel, List<String> args, PrintWriter out, PrintWriter err) {
        return Main.answerOrProceed("check", unikernel, args, out, err,
                (common, parameters) -> check(unikernel, common, parameters, out, err));
    }

    private static <D, P> int check(Unikernel<D, P> unikernel, CommonParameters common, P parameters, PrintWriter out,
            PrintWriter err) {
        String name = unikernel.name();
        Result<StoreOpening.Located, StoreError> store =
                StoreOpening.locate(name, Optional.ofNullable(common.kv), StoreOpening.projectFolder());
        HostClock clock = new HostClock();
        HostScheduler scheduler = HostScheduler.start(name + "-check");
        CheckDevices devices = new CheckDevices(name, common, clock, scheduler, store);
        try {
            List<ConfigProblem> problems = HostTarget.onLoop(scheduler, () -> unikernel.check(devices, parameters));
            if (devices.missingStore().isPresent()) {
                err.println(name + ": " + devices.missingStore().get());
                return EXIT_PROBLEMS;
            }
            String location = store.map(s -> s.store().location()).orElse("none");
            if (devices.storeRead()) {
                out.println(name + ": store: " + location + " (existing)");
            }
            devices.namedStoresRead().forEach((storeName, at) -> out.println(name + ": store " + storeName + ": " + at + " (existing)"));
            if (problems.isEmpty()) {
                out.println(name + ": no problems (" + (devices.storeRead()
                        ? "boot parameters, and what it reads from the store " + location
                        : "its check read nothing from a store") + ")");
                return 0;
            }
            problems.forEach(p -> err.println(p.describe()));
            err.println(name + ": " + (problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                    + (devices.storeRead() ? " (store " + location + ")" : ""));
            return EXIT_PROBLEMS;
        } catch (DeviceUnavailable e) {
            err.println(name + ": " + e.getMessage());
            return EXIT_PROBLEMS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_PROBLEMS;
        } finally {
            try {
                HostTarget.onLoop(scheduler, () -> devices.close(ConsoleLog.create("check", common.logLevel, clock)));
                scheduler.shutdown(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The host target's devices with no network, and a store that is only opened if it exists (a
     * check creates nothing) and without its git remote (a check reads what is here).
     */
    private static final class CheckDevices extends HostTarget.Devices {
        private final Result<StoreOpening.Located, StoreError> store;
        private OpenedOnFirstUse kv;
        private String missing;
        /** The named stores claimed (decision 19), by name, and where each is. */
        private final Map<String, OpenedOnFirstUse> stores = new LinkedHashMap<>();
        private final Map<String, String> storeLocations = new LinkedHashMap<>();

        CheckDevices(String name, CommonParameters common, HostClock clock, HostScheduler scheduler,
                     Result<StoreOpening.Located, StoreError> store) {
            super(name, common, InetAddress.getLoopbackAddress(), clock, scheduler);
            this.store = store;
        }

        /** Why the store the unikernel claimed cannot be read, when it does not exist or none was given. */
        Optional<String> missingStore() {
            return Optional.ofNullable(missing);
        }

        boolean storeRead() {
            return kv != null && missing == null;
        }

        /** The named stores the check read, by name, with their locations. */
        Map<String, String> namedStoresRead() {
            return missing == null ? storeLocations : Map.of();
        }

        /**
         * The store, opened read-only ({@link KvSpec#openReadOnly}) and without its lock (the
         * service beside which the check runs holds it) on its first operation: a check runs on
         * the loop, where the runner's blocking open would wait for itself. A store that does not
         * exist reads as empty, and the check then says so instead of listing what is missing from it.
         */
        @Override
        public Kv kv() {
            if (kv == null) {
                switch (store) {
                    case Result.Err<StoreOpening.Located, StoreError>(StoreError e) -> {
                        missing = e.describe();
                        kv = new OpenedOnFirstUse(null);
                    }
                    case Result.Ok<StoreOpening.Located, StoreError>(StoreOpening.Located located) -> {
                        kv = readOnly(located.store(), "--kv");
                    }
                }
            }
            return kv;
        }

        /** A named store given with --store, opened as {@link #kv()} is; a required one not given is the claim's error. */
        @Override
        public Optional<Kv> store(StoreClaim claim) {
            if (!stores.containsKey(claim.name())) {
                KvSpec spec = NamedStores.checked(common.stores).get(claim.name());
                if (spec == null) {
                    return super.store(claim);
                }
                stores.put(claim.name(), readOnly(spec, "--store " + claim.name() + "=SPEC"));
                storeLocations.put(claim.name(), spec.location());
            }
            return Optional.of(stores.get(claim.name()));
        }

        /** {@code spec} opened read-only on first use; a store that does not exist is noted as missing and reads as empty. */
        private OpenedOnFirstUse readOnly(KvSpec spec, String parameter) {
            if (!spec.exists()) {
                if (missing == null) {
                    missing = "the store " + spec.location() + " does not exist; nothing was created."
                            + " Give the store the unikernel runs with (" + parameter + ")";
                }
                return new OpenedOnFirstUse(null);
            }
            return new OpenedOnFirstUse(spec.openReadOnly(clock, scheduler));
        }

        @Override
        public Optional<KvSync> kvSync() {
            kv();
            return Optional.empty();
        }

        @Override
        public Stack stack() {
            throw new DeviceUnavailable(name + " claims its network stack while checking its configuration (a bug:"
                    + " a check opens no port)");
        }

        @Override
        public Net net() {
            throw new DeviceUnavailable(name + " claims its Ethernet device while checking its configuration (a bug)");
        }

        @Override
        public Optional<Link> link() {
            return Optional.empty();
        }

        @Override
        Promise<Unit> close(Log log) {
            Promise<Unit> chain = super.close(log).flatMap(u -> kv == null ? Promise.done() : kv.close());
            for (OpenedOnFirstUse store : stores.values()) {
                chain = chain.flatMap(u -> store.close());
            }
            return chain;
        }
    }

    /** A store opened by a promise, each operation waiting for it; an absent store reads as empty and refuses writes. */
    private static final class OpenedOnFirstUse implements Kv {
        private final Promise<Result<Kv, KvError>> opening;

        OpenedOnFirstUse(Promise<Result<Kv, KvError>> opening) {
            this.opening = opening;
        }

        private <T> Promise<Result<T, KvError>> with(Function<Kv, Promise<Result<T, KvError>>> operation,
                                                   Result<T, KvError> whenAbsent) {
            if (opening == null) {
                return Promise.resolved(whenAbsent);
            }
            return opening.flatMap(opened -> switch (opened) {
                case Result.Ok<Kv, KvError>(Kv store) -> operation.apply(store);
                case Result.Err<Kv, KvError>(KvError e) -> Promise.resolved(Result.<T, KvError>err(e));
            });
        }

        @Override
        public Promise<Result<Bytes, KvError>> get(Key key) {
            return with(kv -> kv.get(key), Result.err(new KvError.NotFound(key)));
        }

        @Override
        public Promise<Result<Optional<EntryKind>, KvError>> exists(Key key) {
            return with(kv -> kv.exists(key), Result.ok(key.isRoot() ? Optional.of(EntryKind.DICTIONARY) : Optional.empty()));
        }

        @Override
        public Promise<Result<List<Entry>, KvError>> list(Key dictionary) {
            return with(kv -> kv.list(dictionary), dictionary.isRoot() ? Result.ok(List.of()) : Result.err(new KvError.NotFound(dictionary)));
        }

        @Override
        public Promise<Result<Instant, KvError>> lastModified(Key key) {
            return with(kv -> kv.lastModified(key), Result.err(new KvError.NotFound(key)));
        }

        @Override
        public Promise<Result<Bytes, KvError>> digest(Key key) {
            return with(kv -> kv.digest(key), Result.err(new KvError.NotFound(key)));
        }

        /** A check writes nothing (decision 6): a unikernel's check that commits is a bug, refused here. */
        @Override
        public Promise<Result<Unit, KvError>> commit(Batch batch) {
            return Promise.resolved(Result.err(new KvError.Storage("a configuration check writes nothing (" + batch.message() + ")")));
        }

        @Override
        public Promise<Unit> close() {
            return opening == null ? Promise.done() : opening.flatMap(opened -> switch (opened) {
                case Result.Ok<Kv, KvError>(Kv store) -> store.close();
                case Result.Err<Kv, KvError> failed -> Promise.done();
            });
        }
    }
}
