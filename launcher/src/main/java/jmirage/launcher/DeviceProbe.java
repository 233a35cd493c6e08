package jmirage.launcher;

import java.lang.reflect.Proxy;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Random;
import jmirage.core.RecordingLog;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.kv.StoreClaim;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Link;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.PacketPort;
import jmirage.core.net.Stack;

/**
 * Which devices a unikernel claims, found without booting it: its {@link Unikernel#claim} runs
 * against a provider that records each claim and hands out stand-ins that refuse every call. A
 * claim is a declaration (decision 2), so it only takes devices; a claim that uses one while
 * claiming ends the probe, and then every device counts as claimed. {@code --help} shows only the
 * common parameters of the devices claimed, the named stores claimed (decision 19), by which
 * a {@code --store} of another name is refused, and the networks claimed by role (decision 20), by
 * which a {@code --net} of another name is.
 */
final class DeviceProbe {

    /** The devices whose boot parameters depend on being claimed. */
    enum Kind { KV, BLOCK, NETWORK }

    private DeviceProbe() {}

    /**
     * What a claim takes: the kinds of devices, the named stores and the networks by role (decision
     * 20); the names unknown when the probe ended early.
     */
    record Claims(Set<Kind> kinds, Optional<List<StoreClaim>> stores, Optional<List<NetworkClaim>> networks) {}

    static Claims claimedBy(Unikernel<?, ?> unikernel) {
        Recorder recorder = new Recorder();
        try {
            unikernel.claim(recorder);
            return new Claims(recorder.claimed, Optional.of(List.copyOf(recorder.stores)), Optional.of(List.copyOf(recorder.networks)));
        } catch (RuntimeException usedWhileClaiming) {
            return new Claims(EnumSet.allOf(Kind.class), Optional.empty(), Optional.empty());
        }
    }

    /** A stand-in whose every method, but those of {@link Object}, throws. */
    private static <T> T standIn(Class<T> device) {
        return device.cast(Proxy.newProxyInstance(device.getClassLoader(), new Class<?>[] {device},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "toString" -> "stand-in " + device.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> throw new IllegalStateException("a device used while claiming: " + method);
                }));
    }

    private static final class Recorder implements DeviceProvider {
        final Set<Kind> claimed = EnumSet.noneOf(Kind.class);
        final List<StoreClaim> stores = new ArrayList<>();
        final List<NetworkClaim> networks = new ArrayList<>();
        private final Clock clock = standIn(Clock.class);

        /** Records that a device of {@code kind} is claimed and hands back a stand-in for it. */
        private <T> T claim(Kind kind, Class<T> device) {
            claimed.add(kind);
            return standIn(device);
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Scheduler scheduler() {
            return standIn(Scheduler.class);
        }

        @Override
        public Random random() {
            return standIn(Random.class);
        }

        @Override
        public Log log() {
            return new RecordingLog("probe", LogLevel.ERROR, clock, record -> {});
        }

        @Override
        public Kv kv() {
            return claim(Kind.KV, Kv.class);
        }

        /** Present, so that a unikernel goes on claiming as it would with the store given. */
        @Override
        public Optional<Kv> store(StoreClaim claim) {
            stores.add(claim);
            return Optional.of(standIn(Kv.class));
        }

        @Override
        public Block block() {
            return claim(Kind.BLOCK, Block.class);
        }

        @Override
        public Net net() {
            return claim(Kind.NETWORK, Net.class);
        }

        @Override
        public Stack stack() {
            return claim(Kind.NETWORK, Stack.class);
        }

        /**
         * A stand-in network whose stack and datagrams are stand-ins too, so that a unikernel may take
         * them while claiming; its name is the claim's, and its address is not known.
         */
        @Override
        public Network network(NetworkClaim claim) {
            networks.add(claim);
            Stack stack = standIn(Stack.class);
            PacketPort packets = standIn(PacketPort.class);
            return new Network() {
                @Override
                public String name() {
                    return claim.name();
                }

                @Override
                public MacAddress mac() {
                    throw new IllegalStateException("a network used while claiming");
                }

                @Override
                public IpPrefix ipv4() {
                    throw new IllegalStateException("a network used while claiming");
                }

                @Override
                public Optional<Inet4Address> gateway() {
                    throw new IllegalStateException("a network used while claiming");
                }

                @Override
                public Stack stack() {
                    return stack;
                }

                @Override
                public PacketPort packets() {
                    return packets;
                }
            };
        }

        @Override
        public Metrics metrics() {
            return new Metrics();
        }

        /** Present, so that a unikernel that requires it goes on claiming. */
        @Override
        public Optional<KvSync> kvSync() {
            return Optional.of(claim(Kind.KV, KvSync.class));
        }

        @Override
        public Optional<Link> link() {
            return Optional.of(claim(Kind.NETWORK, Link.class));
        }
    }
}
