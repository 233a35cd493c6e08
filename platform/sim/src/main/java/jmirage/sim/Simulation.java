package jmirage.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.metrics.Metrics;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.kv.StoreClaim;
import jmirage.core.net.Link;
import jmirage.core.net.Net;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.Stack;

/**
 * The simulation target: one virtual clock, one scheduler, one seeded random source and one
 * captured log for a whole world of unikernels and clients. Same seed, same run.
 */
public final class Simulation {

    private final long seed;
    private final VirtualClock clock;
    private final SimScheduler scheduler;
    private final SeededRandom random;
    private final List<LogRecord> records = new ArrayList<>();

    public Simulation(long seed) {
        this(seed, VirtualClock.DEFAULT_START);
    }

    public Simulation(long seed, Instant start) {
        this.seed = seed;
        this.clock = new VirtualClock(start);
        this.scheduler = new SimScheduler(clock);
        this.random = new SeededRandom(seed);
    }

    public long seed() {
        return seed;
    }

    public VirtualClock clock() {
        return clock;
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    /**
     * Runs the simulation until {@code promise} settles, in virtual time, and gives its value: what a
     * test does between one step of a scenario and the next.
     */
    public <T> T await(Promise<T> promise) {
        return scheduler.runUntil(promise).value();
    }

    public Random random() {
        return random;
    }

    /** Every log record written so far, in order. */
    public List<LogRecord> records() {
        return Collections.unmodifiableList(records);
    }

    public Log log(String source, LogLevel threshold) {
        return new RecordingLog(source, threshold, clock, records::add);
    }

    /**
     * Devices for a unikernel named {@code name}. {@code kv} builds its store (storage backends live
     * in platform/kv, which builds on this module); null when it needs none.
     */
    public DeviceProvider devices(String name, Function<Simulation, Kv> kv) {
        return devices(name, kv, null);
    }

    /**
     * Devices for a unikernel named {@code name}, with a network: {@code stack} builds its Stack,
     * typically platform/net's DirectStack on a {@link VirtualSwitch} port (the stack lives in a
     * module that builds on this one, so the test that has both passes it in); null when it needs
     * none.
     */
    public DeviceProvider devices(String name, Function<Simulation, Kv> kv, Function<Simulation, Stack> stack) {
        return devices(name, kv, stack, Map.of());
    }

    /**
     * The same, with named stores (decision 19; {@code --store NAME=SPEC} on the launcher's targets):
     * {@code stores} builds each by name, in memory, on its first claim.
     */
    public ClaimingDevices devices(String name, Function<Simulation, Kv> kv, Function<Simulation, Stack> stack,
                                   Map<String, Function<Simulation, Kv>> stores) {
        return devices(name, kv, stack, stores, Map.of());
    }

    /**
     * The same, with networks by role (decision 20; {@code --net NAME=DEV,...} on the tap target):
     * {@code networks} builds each by name on its first claim, typically platform/net's
     * {@code DirectNetwork} on a port of its own {@link VirtualSwitch}.
     */
    public ClaimingDevices devices(String name, Function<Simulation, Kv> kv, Function<Simulation, Stack> stack,
                                   Map<String, Function<Simulation, Kv>> stores, Map<String, Function<Simulation, Network>> networks) {
        Simulation sim = this;
        Map<String, Function<Simulation, Kv>> given = Map.copyOf(stores);
        Map<String, Function<Simulation, Network>> attached = Map.copyOf(networks);
        return new ClaimingDevices() {
            private final Map<String, Kv> claimedStores = new HashMap<>();
            private final Map<String, Network> claimedNetworks = new HashMap<>();
            private final Metrics metrics = new Metrics();
            // each built on its first claim, and only then (DeviceProvider's contract): a capability
            // claimed beside its device gets the same one
            private Kv claimedKv;
            private Stack claimedStack;

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
                return random;
            }

            @Override
            public Log log() {
                return sim.log(name, LogLevel.DEBUG);
            }

            @Override
            public Kv kv() {
                if (kv == null) {
                    throw new DeviceUnavailable(name + " needs a Kv: give the simulation one");
                }
                if (claimedKv == null) {
                    claimedKv = kv.apply(sim);
                }
                return claimedKv;
            }

            @Override
            public Optional<Kv> store(StoreClaim claim) {
                Function<Simulation, Kv> store = given.get(claim.name());
                if (store == null) {
                    if (claim.required()) {
                        throw new DeviceUnavailable(name + " needs the store '" + claim.name() + "' (" + claim.why()
                                + "): give the simulation one");
                    }
                    return Optional.empty();
                }
                return Optional.of(claimedStores.computeIfAbsent(claim.name(), n -> store.apply(sim)));
            }

            @Override
            public Optional<String> unclaimedStore() {
                return given.keySet().stream().sorted().filter(n -> !claimedStores.containsKey(n)).findFirst();
            }

            @Override
            public Block block() {
                throw new DeviceUnavailable("the simulation has no Block device yet");
            }

            @Override
            public Net net() {
                throw new DeviceUnavailable(name + " needs an Ethernet device: the simulation's are"
                        + " VirtualSwitch ports; give the unikernel one in its test");
            }

            @Override
            public Stack stack() {
                if (stack == null) {
                    throw new DeviceUnavailable(name + " needs a Stack: give the simulation one"
                            + " (a DirectStack on a VirtualSwitch port)");
                }
                if (claimedStack == null) {
                    claimedStack = stack.apply(sim);
                }
                return claimedStack;
            }

            @Override
            public Optional<String> unclaimedNetwork() {
                return attached.keySet().stream().sorted().filter(n -> !claimedNetworks.containsKey(n)).findFirst();
            }

            @Override
            public Network network(NetworkClaim claim) {
                Function<Simulation, Network> network = attached.get(claim.name());
                if (network == null) {
                    throw new DeviceUnavailable(name + " needs the network '" + claim.name() + "' (" + claim.why()
                            + "): give the simulation one");
                }
                return claimedNetworks.computeIfAbsent(claim.name(), n -> network.apply(sim));
            }

            /** Counted like anywhere else; a test reads them with {@link Metrics#collect()}. */
            @Override
            public Metrics metrics() {
                return metrics;
            }

            /** The simulation's stores are in memory and have no remote. */
            @Override
            public Optional<KvSync> kvSync() {
                kv();
                return Optional.empty();
            }

            /** The stack the test gives offers its link layer when it has one (a DirectStack does). */
            @Override
            public Optional<Link> link() {
                return stack() instanceof Link link ? Optional.of(link) : Optional.empty();
            }
        };
    }

    /** The simulation's devices, and which of the named stores and networks given the unikernel's claim did not take. */
    public interface ClaimingDevices extends DeviceProvider {
        /** A store given that no claim took so far: the launcher refuses such a {@code --store} before boot. */
        Optional<String> unclaimedStore();

        /** A network given that no claim took so far: the launcher refuses such a {@code --net} before boot. */
        Optional<String> unclaimedNetwork();
    }

    /** Claims the devices of {@code unikernel}, starts it and runs the loop until it has booted. */
    public <D, P> Result<Unikernel.Running, String> boot(Unikernel<D, P> unikernel, P parameters, Function<Simulation, Kv> kv) {
        return boot(unikernel, parameters, kv, null);
    }

    /** The same, with a network stack (see {@link #devices(String, Function, Function)}). */
    public <D, P> Result<Unikernel.Running, String> boot(Unikernel<D, P> unikernel, P parameters,
                                                          Function<Simulation, Kv> kv, Function<Simulation, Stack> stack) {
        return boot(unikernel, parameters, kv, stack, Map.of());
    }

    /**
     * The same, with named stores: a store given that the unikernel does not claim refuses the boot,
     * as {@code --store} of a name it does not claim does on the launcher's targets.
     */
    public <D, P> Result<Unikernel.Running, String> boot(Unikernel<D, P> unikernel, P parameters, Function<Simulation, Kv> kv,
                                                          Function<Simulation, Stack> stack,
                                                          Map<String, Function<Simulation, Kv>> stores) {
        return boot(unikernel, parameters, kv, stack, stores, Map.of());
    }

    /**
     * The same, with networks by role: a network given that the unikernel does not claim refuses the
     * boot, as {@code --net} of a name it does not claim does on the tap target.
     */
    public <D, P> Result<Unikernel.Running, String> boot(Unikernel<D, P> unikernel, P parameters, Function<Simulation, Kv> kv,
                                                          Function<Simulation, Stack> stack,
                                                          Map<String, Function<Simulation, Kv>> stores,
                                                          Map<String, Function<Simulation, Network>> networks) {
        ClaimingDevices provider = devices(unikernel.name(), kv, stack, stores, networks);
        D devices = unikernel.claim(provider);
        if (provider.unclaimedStore().isPresent()) {
            return Result.err("--store " + provider.unclaimedStore().get() + ": " + unikernel.name() + " claims no store of that name");
        }
        if (provider.unclaimedNetwork().isPresent()) {
            return Result.err("--net " + provider.unclaimedNetwork().get() + ": " + unikernel.name() + " claims no network of that name");
        }
        Promise<Result<Unikernel.Running, String>> started = unikernel.start(devices, parameters);
        return scheduler.runUntil(started).value();
    }
}
