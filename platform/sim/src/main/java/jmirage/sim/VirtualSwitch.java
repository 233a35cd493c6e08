package jmirage.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Unit;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;

/**
 * An Ethernet switch for the simulation: each {@link Port} is a {@link Net} device for one stack.
 * Frames go to the port that owns the destination MAC (every port floods broadcast and unknown
 * destinations), under seeded impairments: loss, duplication, reordering, delay with jitter, an MTU,
 * and partitions. All randomness comes from the simulation's {@link Random} and all time from its
 * {@link SimScheduler}, so a seed replays a run exactly; {@link #traceDigest} proves it cheaply.
 */
public final class VirtualSwitch {

    /**
     * What the wire does to frames. Probabilities in [0, 1]; {@code reorder} is the chance a frame is
     * held back by an extra {@code 2 * delay + jitter}, so later frames overtake it.
     */
    public record Conditions(double loss, double duplicate, double reorder, Duration delay, Duration jitter, int mtu) {
        public static final Conditions PERFECT = new Conditions(0, 0, 0, Duration.ofMillis(1), Duration.ZERO, 1500);

        public Conditions {
            Objects.requireNonNull(delay);
            Objects.requireNonNull(jitter);
            if (loss < 0 || loss > 1 || duplicate < 0 || duplicate > 1 || reorder < 0 || reorder > 1 || mtu < 68) {
                throw new IllegalArgumentException("bad conditions");
            }
        }

        public Conditions withLoss(double p) {
            return new Conditions(p, duplicate, reorder, delay, jitter, mtu);
        }

        public Conditions withDuplicate(double p) {
            return new Conditions(loss, p, reorder, delay, jitter, mtu);
        }

        public Conditions withReorder(double p) {
            return new Conditions(loss, duplicate, p, delay, jitter, mtu);
        }

        public Conditions withDelay(Duration d, Duration j) {
            return new Conditions(loss, duplicate, reorder, d, j, mtu);
        }

        public Conditions withMtu(int m) {
            return new Conditions(loss, duplicate, reorder, delay, jitter, m);
        }
    }

    private static final int PRECISION = 1_000_000;

    private final SimScheduler scheduler;
    private final Random random;
    private final List<Port> ports = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private final List<Consumer<Bytes>> observers = new ArrayList<>();
    private Conditions conditions;
    private Set<Port> partitioned = Set.of();
    private Set<Port> isolated = Set.of();
    private boolean recording;
    private long digest = 0xcbf29ce484222325L;
    private long sent;
    private long delivered;
    private long lost;
    private long duplicated;
    private long reordered;
    private long oversized;
    private long cut;

    public VirtualSwitch(SimScheduler scheduler, Random random, Conditions conditions) {
        this.scheduler = scheduler;
        this.random = random;
        this.conditions = conditions;
    }

    public static VirtualSwitch of(Simulation simulation, Conditions conditions) {
        return new VirtualSwitch(simulation.scheduler(), simulation.random(), conditions);
    }

    public Port port(MacAddress mac) {
        Port p = new Port(mac);
        ports.add(p);
        return p;
    }

    public Conditions conditions() {
        return conditions;
    }

    public void setConditions(Conditions conditions) {
        this.conditions = Objects.requireNonNull(conditions);
    }

    /** Cuts {@code side} off from every other port until {@link #heal}. */
    public void partition(Collection<Port> side) {
        this.partitioned = new HashSet<>(side);
    }

    /**
     * Makes {@code ports} isolated, as a Linux bridge's {@code isolated on} ports: no frame passes
     * between two isolated ports; each still reaches the others (a router's port). Counted as cut.
     */
    public void isolate(Collection<Port> ports) {
        this.isolated = new HashSet<>(ports);
    }

    public void heal() {
        this.partitioned = Set.of();
    }

    /** Keeps a line per frame and fate in {@link #trace} (costs memory; off by default). */
    public void record(boolean on) {
        this.recording = on;
    }

    public List<String> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** A hash of every frame's time, ports, bytes and fate so far: equal digests, equal runs. */
    public long traceDigest() {
        return digest;
    }

    /** Sees every frame sent into the switch, before impairments (for a pcap). */
    public void observe(Consumer<Bytes> observer) {
        observers.add(observer);
    }

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long oversized() {
        return oversized;
    }

    public long cut() {
        return cut;
    }

    private boolean chance(double p) {
        return p > 0 && random.nextInt(PRECISION) < p * PRECISION;
    }

    private void forward(Port from, Bytes frame) {
        sent++;
        for (Consumer<Bytes> o : observers) {
            o.accept(frame);
        }
        if (frame.size() < 14) {
            note(from, null, frame, "runt");
            return;
        }
        long dst = 0;
        for (int i = 0; i < 6; i++) {
            dst = (dst << 8) | frame.getUnsigned(i);
        }
        boolean group = ((dst >>> 40) & 1) != 0;
        List<Port> targets = new ArrayList<>(1);
        if (!group) {
            for (Port p : ports) {
                if (p != from && p.open && p.mac.value() == dst) {
                    targets.add(p);
                }
            }
        }
        if (targets.isEmpty()) {
            for (Port p : ports) {
                if (p != from && p.open) {
                    targets.add(p);
                }
            }
        }
        Conditions c = conditions;
        for (Port to : targets) {
            if (frame.size() - 14 > c.mtu()) {
                oversized++;
                note(from, to, frame, "too-big");
                continue;
            }
            if (partitioned.contains(from) != partitioned.contains(to)) {
                cut++;
                note(from, to, frame, "partitioned");
                continue;
            }
            if (isolated.contains(from) && isolated.contains(to)) {
                cut++;
                note(from, to, frame, "isolated");
                continue;
            }
            if (chance(c.loss())) {
                lost++;
                note(from, to, frame, "lost");
                continue;
            }
            int copies = 1;
            if (chance(c.duplicate())) {
                copies = 2;
                duplicated++;
            }
            for (int i = 0; i < copies; i++) {
                long delay = c.delay().toNanos();
                if (c.jitter().toNanos() > 0) {
                    delay += Math.floorMod(random.nextLong(), c.jitter().toNanos());
                }
                String fate = i == 0 ? "sent" : "duplicate";
                if (chance(c.reorder())) {
                    delay += 2 * c.delay().toNanos() + c.jitter().toNanos() + 1;
                    reordered++;
                    fate += "+held";
                }
                note(from, to, frame, fate);
                Port target = to;
                scheduler.schedule(Duration.ofNanos(delay), () -> {
                    if (target.open && target.receiver != null) {
                        delivered++;
                        target.receiver.accept(frame);
                    }
                });
            }
        }
    }

    private void note(Port from, Port to, Bytes frame, String fate) {
        long now = scheduler.clock().monotonicNanos();
        long h = digest;
        h = (h ^ now) * 0x100000001b3L;
        h = (h ^ from.mac.value()) * 0x100000001b3L;
        h = (h ^ (to == null ? 0 : to.mac.value())) * 0x100000001b3L;
        h = (h ^ frame.hashCode()) * 0x100000001b3L;
        h = (h ^ fate.hashCode()) * 0x100000001b3L;
        digest = h;
        if (recording) {
            trace.add(now + " " + from.mac + " -> " + (to == null ? "-" : to.mac) + " " + frame.size() + " " + fate);
        }
    }

    /** One port of the switch: the Ethernet device of one stack. */
    public final class Port implements Net {
        private final MacAddress mac;
        private Consumer<Bytes> receiver;
        private boolean open = true;

        private Port(MacAddress mac) {
            this.mac = mac;
        }

        @Override
        public MacAddress mac() {
            return mac;
        }

        @Override
        public int mtu() {
            return conditions.mtu();
        }

        @Override
        public void send(Bytes frame) {
            if (open) {
                forward(this, frame);
            }
        }

        @Override
        public void receive(Consumer<Bytes> receiver) {
            this.receiver = receiver;
        }

        @Override
        public Promise<Unit> close() {
            open = false;
            return Promise.done();
        }
    }
}
