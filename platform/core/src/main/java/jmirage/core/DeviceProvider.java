package jmirage.core;

import jmirage.core.block.Block;
import java.util.Optional;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvHistory;
import jmirage.core.kv.StoreClaim;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Link;
import jmirage.core.net.Net;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.Stack;

/**
 * What a target offers a unikernel at boot. Each device is built the first time it is claimed, and
 * only then; a target that cannot offer one throws {@link DeviceUnavailable} with the reason and the
 * boot parameter that would provide it.
 */
public interface DeviceProvider {

    Clock clock();

    Scheduler scheduler();

    Random random();

    /** The unikernel's log; its source is the unikernel's name. */
    Log log();

    Kv kv();

    /**
     * A named store beside {@link #kv()} (decision 19), which the operator gives as
     * {@code --store NAME=SPEC} (the same stores as {@code --kv}): opened, locked and closed as the
     * main one is. Empty when it was not given and {@code claim} is optional; when a required one
     * was not given, throws {@link DeviceUnavailable} naming the parameter and {@code claim.why()}.
     * It offers the Kv interface only: no capability of its own.
     */
    Optional<Kv> store(StoreClaim claim);

    Block block();

    Net net();

    Stack stack();

    /**
     * One of several networks, by the role the unikernel gives it (decision 20): the operator attaches
     * it with {@code --net NAME=DEV,...} on the tap target. Every claimed network is required: when it
     * was not given, or the target has no such networks (the host target's sockets), throws
     * {@link DeviceUnavailable} naming the parameter and {@code claim.why()}.
     */
    Network network(NetworkClaim claim);

    /**
     * The unikernel's counters and gauges. Every target offers it (counting is cheap); the launcher
     * serves them in the Prometheus text format only with {@code --metrics}.
     */
    Metrics metrics();

    /**
     * Capability: synchronisation of the claimed {@link #kv()} with a remote. Empty when the store
     * has none (a dir, mem or block store); claims the Kv too. A unikernel that needs it turns the
     * empty case into {@link DeviceUnavailable} with {@link #require}.
     */
    Optional<KvSync> kvSync();

    /**
     * Capability: link-layer operations of the claimed {@link #stack()}. Empty when the stack has no
     * link of its own (the host target's sockets); claims the Stack too.
     */
    Optional<Link> link();

    /**
     * Capability: the history of the claimed {@link #kv()}, when the store keeps one (a git store);
     * empty for mem, dir and block stores. Claims the Kv too. Every store that keeps a history
     * implements {@link KvHistory} itself, so this needs no target of its own to say so.
     */
    default Optional<KvHistory> kvHistory() {
        return kv() instanceof KvHistory history ? Optional.of(history) : Optional.empty();
    }

    /** The capability, or boot refused with {@code whyNeeded} (what the operator can do about it). */
    static <T> T require(Optional<T> capability, String whyNeeded) {
        return capability.orElseThrow(() -> new DeviceUnavailable(whyNeeded));
    }

    /** A device the target cannot provide, with what the operator can do about it. */
    final class DeviceUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DeviceUnavailable(String message) {
            super(message);
        }
    }
}
