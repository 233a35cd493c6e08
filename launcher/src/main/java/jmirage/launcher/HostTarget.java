package jmirage.launcher;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.kv.StoreClaim;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Link;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.Net;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.Stack;
import jmirage.host.ConsoleLog;
import jmirage.host.FileBlock;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;

/**
 * The runner of the host target: builds the devices a unikernel claims, boots it, and on SIGTERM or
 * SIGINT stops it in order (stop accepting, let work in flight finish within the stop timeout,
 * close the stack, flush and close storage) and returns exit status 0; a stop signal during boot
 * ends the boot at once, and SIGHUP reloads the configuration ({@link RunnerSignals}).
 */
final class HostTarget {

    static final int EXIT_CANNOT_BOOT = 1;
    private static final Duration LOOP_SHUTDOWN = Duration.ofSeconds(5);

    private HostTarget() {}

    static <D, P> int boot(Unikernel<D, P> unikernel, P parameters, CommonParameters common, PrintWriter err) {
        String name = unikernel.name();
        Result<InetAddress, AddressError> listen = IpAddresses.parse(common.listen);
        if (listen instanceof Result.Err<InetAddress, AddressError>(AddressError e)) {
            err.println(name + ": --listen: " + e.describe());
            return Main.EXIT_USAGE;
        }
        if (common.pcap != null) {
            err.println(name + ": --pcap records Ethernet frames, and the host target has none (it uses the host's"
                    + " sockets); use it with --target tap");
            return Main.EXIT_USAGE;
        }
        if (!common.nets.isEmpty()) {
            err.println(name + ": --net attaches a TAP interface to the unikernel's own stack, and the host target uses the"
                    + " host's sockets; use it with --target tap");
            return Main.EXIT_USAGE;
        }
        return run(unikernel, parameters, common, err,
                (clock, scheduler) -> new Devices(name, common, listen.orElseThrow(), clock, scheduler));
    }

    /**
     * Boots {@code unikernel} on a host event loop with the devices {@code devicesFor} builds, waits
     * for SIGTERM or SIGINT, and stops it in order. Shared by the host and tap targets.
     */
    static <D, P> int run(Unikernel<D, P> unikernel, P parameters, CommonParameters common, PrintWriter err,
                          BiFunction<HostClock, HostScheduler, Devices> devicesFor) {
        String name = unikernel.name();
        Result<Optional<MetricsEndpoint.Listen>, MetricsEndpoint.ParameterError> metricsAt =
                MetricsEndpoint.parse(common.metrics, common.target);
        if (metricsAt instanceof Result.Err<Optional<MetricsEndpoint.Listen>, MetricsEndpoint.ParameterError>(var e)) {
            err.println(name + ": " + e.describe());
            return Main.EXIT_USAGE;
        }
        HostClock clock = new HostClock();
        Log runnerLog = ConsoleLog.create("runner", common.logLevel, clock);
        RunnerSignals signals = RunnerSignals.install(runnerLog);
        HostScheduler scheduler = HostScheduler.start(name);
        runnerLog.info("booting " + name + " " + Version.current() + " on the " + common.target + " target");
        Devices devices = devicesFor.apply(clock, scheduler);
        MetricsEndpoint.registerBuiltIns(devices.metrics(), name, Version.current(), clock);
        AtomicReference<MetricsEndpoint> metricsEndpoint = new AtomicReference<>();
        try {
            Result<Unikernel.Running, String> started;
            try {
                D claimed = unikernel.claim(devices);
                if (metricsAt.orElseThrow().isPresent()) {
                    Result<MetricsEndpoint, MetricsEndpoint.OpenError> opened =
                            MetricsEndpoint.open(metricsAt.orElseThrow().get(), devices);
                    if (opened instanceof Result.Err<MetricsEndpoint, MetricsEndpoint.OpenError>(var e)) {
                        err.println(name + ": " + e.describe());
                        return EXIT_CANNOT_BOOT;
                    }
                    metricsEndpoint.set(opened.orElseThrow());
                }
                started = onLoop(scheduler, () -> unikernel.start(claimed, parameters));
            } catch (DeviceProvider.DeviceUnavailable | InterruptedException e) {
                if (signals.stopRequested()) {
                    runnerLog.info("boot of " + name + " aborted on " + signals.stopSignalName());
                    return 0;
                }
                err.println(name + ": " + e.getMessage());
                return EXIT_CANNOT_BOOT;
            }
            if (started instanceof Result.Err<Unikernel.Running, String>(String reason)) {
                err.println(name + ": cannot start: " + reason);
                return EXIT_CANNOT_BOOT;
            }
            Unikernel.Running running = started.orElseThrow();
            onMetricsEndpoint(scheduler, metricsEndpoint, MetricsEndpoint::serving);
            signals.booted(() -> scheduler.execute(() -> Reload.of(running, runnerLog)));
            signals.awaitStop();
            onMetricsEndpoint(scheduler, metricsEndpoint, MetricsEndpoint::stopping);

            Duration grace = Duration.ofSeconds(common.stopTimeoutSeconds);
            runnerLog.info("stopping " + name + " on " + signals.stopSignalName() + " (work in flight has " + grace.toSeconds() + " s)");
            boolean finished = onLoop(scheduler,
                    () -> scheduler.withTimeout(running.stop().map(u -> true), grace, false));
            if (!finished) {
                runnerLog.warn("work in flight did not finish within " + grace.toSeconds() + " s; closing it");
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_CANNOT_BOOT;
        } finally {
            try {
                if (metricsEndpoint.get() != null) {
                    onLoop(scheduler, () -> metricsEndpoint.get().close(scheduler));
                }
                onLoop(scheduler, () -> devices.close(runnerLog));
                if (!scheduler.shutdown(LOOP_SHUTDOWN)) {
                    runnerLog.warn("the event loop did not end within " + LOOP_SHUTDOWN.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tells the metrics endpoint, if there is one, on the loop (where its health is read). */
    private static void onMetricsEndpoint(Scheduler scheduler, AtomicReference<MetricsEndpoint> endpoint,
                                          Consumer<MetricsEndpoint> change) {
        if (endpoint.get() != null) {
            scheduler.execute(() -> change.accept(endpoint.get()));
        }
    }

    /** Runs {@code action} on the loop and waits, from outside it, for its promise. */
    static <T> T onLoop(Scheduler scheduler, Supplier<Promise<T>> action) throws InterruptedException {
        CompletableFuture<T> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                action.get().onComplete((v, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(v);
                    }
                });
            } catch (RuntimeException | Error bug) {
                done.completeExceptionally(bug);
            }
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("bug on the event loop", e.getCause());
        }
    }

    /**
     * The host target's devices, each built on first claim; closes what it built, stack first. The
     * tap target overrides the network devices ({@link TapTarget}).
     */
    static class Devices implements DeviceProvider {
        final String name;
        final CommonParameters common;
        private final InetAddress listen;
        final HostClock clock;
        final HostScheduler scheduler;
        private Random random;
        private Stack stack;
        private StoreOpening.Opened store;
        /** The named stores opened, by name (decision 19). */
        private final Map<String, StoreOpening.Opened> stores = new LinkedHashMap<>();
        private Block block;
        final Metrics metrics = new Metrics();

        Devices(String name, CommonParameters common, InetAddress listen, HostClock clock, HostScheduler scheduler) {
            this.name = name;
            this.common = common;
            this.listen = listen;
            this.clock = clock;
            this.scheduler = scheduler;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Scheduler scheduler() {
            return scheduler;
        }

        @Override
        public Random random() {
            if (random == null) {
                random = new HostRandom();
            }
            return random;
        }

        @Override
        public Log log() {
            return ConsoleLog.create(name, common.logLevel, clock);
        }

        @Override
        public Stack stack() {
            if (stack == null) {
                stack = new HostStack(scheduler, listen);
            }
            return stack;
        }

        /**
         * The store ({@link StoreOpening}): located, created if allowed, locked and opened on first
         * claim; the boot log says where it is. Any failure refuses the boot with one line.
         */
        @Override
        public Kv kv() {
            if (store == null) {
                store = StoreOpening.locate(name, Optional.ofNullable(common.kv), StoreOpening.projectFolder())
                        .flatMap(located -> open(located, "kv"))
                        .orElseThrow(e -> new DeviceUnavailable(e.describe()));
                ConsoleLog.create("runner", common.logLevel, clock).info("store: " + store.describe());
            }
            return store.kv();
        }

        /**
         * A named store (decision 19) given with {@code --store NAME=SPEC}: opened as {@link #kv()} is
         * (created only with --kv-init, locked, its stale git locks removed) on its first claim.
         */
        @Override
        public Optional<Kv> store(StoreClaim claim) {
            if (!stores.containsKey(claim.name())) {
                KvSpec spec = NamedStores.checked(common.stores).get(claim.name());
                if (spec == null) {
                    if (claim.required()) {
                        throw new DeviceUnavailable(name + " needs the store '" + claim.name() + "' (" + claim.why()
                                + "): give --store " + claim.name() + "=SPEC");
                    }
                    return Optional.empty();
                }
                StoreOpening.Opened opened = open(new StoreOpening.Located(spec, false), "kv-" + claim.name())
                        .orElseThrow(e -> new DeviceUnavailable("--store " + claim.name() + ": " + e.describe()));
                stores.put(claim.name(), opened);
                ConsoleLog.create("runner", common.logLevel, clock).info("store " + claim.name() + ": " + opened.describe());
            }
            return Optional.of(stores.get(claim.name()).kv());
        }

        private Result<StoreOpening.Opened, StoreError> open(StoreOpening.Located located, String logName) {
            try {
                return StoreOpening.open(name, located, common.kvInit, clock, scheduler, ConsoleLog.create(logName, common.logLevel, clock));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceUnavailable("interrupted while opening the store");
            }
        }

        @Override
        public Block block() {
            if (block == null) {
                if (common.block == null) {
                    throw new DeviceUnavailable(name + " needs a Block device: give a file with --block FILE");
                }
                block = FileBlock.open(Path.of(common.block), common.blockSectorSize, false, scheduler)
                        .orElseThrow(e -> new DeviceUnavailable("--block: " + e.describe()));
            }
            return block;
        }

        @Override
        public Net net() {
            throw new DeviceUnavailable(name + " needs an Ethernet device, which the host target does not have;"
                    + " boot it with --target tap --tap DEV");
        }

        /** Networks by role need a link of their own: the tap target's (decision 20). */
        @Override
        public Network network(NetworkClaim claim) {
            throw new DeviceUnavailable(name + " claims the network '" + claim.name() + "' (" + claim.why() + "), which the"
                    + " host target does not have; boot it with --target tap --net " + claim.name() + "=DEV,...");
        }

        /** The stack {@code --metrics} is served on: on the host target its own, so this is only the tap target's. */
        Stack metricsStack() {
            return stack();
        }

        /** The same registry on every target; {@link MetricsEndpoint} serves it with --metrics. */
        @Override
        public Metrics metrics() {
            return metrics;
        }

        /** A git store synchronises with its remote (and notices commits pushed into it); other stores do not. */
        @Override
        public Optional<KvSync> kvSync() {
            return kv() instanceof KvSync sync ? Optional.of(sync) : Optional.empty();
        }

        /** The host's sockets have no link layer of ours. */
        @Override
        public Optional<Link> link() {
            stack();
            return Optional.empty();
        }

        /** Closes what {@link #stack()} and {@link #net()} built; on the loop. */
        Promise<Unit> closeNetwork() {
            return stack == null ? Promise.done() : stack.close();
        }

        /** Closes the network first, so nothing writes to storage after its final flush; then storage. */
        Promise<Unit> close(Log log) {
            Promise<Unit> chain = Promise.done();
            List<Supplier<Promise<Unit>>> closers = new ArrayList<>();
            closers.add(this::closeNetwork);
            closers.add(() -> store == null ? Promise.done() : closed(store));
            stores.values().forEach(named -> closers.add(() -> closed(named)));
            closers.add(() -> block == null ? Promise.done() : block.close());
            for (Supplier<Promise<Unit>> closer : closers) {
                chain = chain.flatMap(u -> closer.get().recover(e -> {
                    log.error("closing a device failed: " + e);
                    return Unit.UNIT;
                }));
            }
            return chain;
        }

        /** Closes {@code opened}, then releases its lock. */
        private static Promise<Unit> closed(StoreOpening.Opened opened) {
            return opened.kv().close().map(u -> {
                opened.release();
                return u;
            });
        }
    }
}
