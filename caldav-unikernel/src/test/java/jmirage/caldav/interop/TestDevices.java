package jmirage.caldav.interop;

import java.util.Optional;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.core.block.Block;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.kv.StoreClaim;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Link;
import jmirage.core.net.Net;
import jmirage.core.net.Network;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.Stack;

/**
 * The devices a test assembles for the caldav unikernel's claim, as the launcher's host and tap
 * targets would (decision 4): a stack (host sockets on a loopback address, or the direct stack on a
 * TAP), a Kv, the host's clock, loop and randomness. No Block, no Net: the server claims neither.
 */
record TestDevices(Clock clock, Scheduler scheduler, Random random, Log log, Kv kv, Stack stack, Metrics metrics)
        implements DeviceProvider {

    @Override
    public Block block() {
        throw new DeviceUnavailable("the interop tests give the caldav server no Block device");
    }

    @Override
    public Net net() {
        throw new DeviceUnavailable("the interop tests give the caldav server a Stack, not a Net");
    }

    @Override
    public Network network(NetworkClaim claim) {
        throw new DeviceUnavailable("the interop tests give the caldav server no network named " + claim.name());
    }

    /** A git store synchronises, as on the launcher's targets; the others do not. */
    @Override
    public Optional<KvSync> kvSync() {
        return kv instanceof KvSync sync ? Optional.of(sync) : Optional.empty();
    }

    /** The caldav server claims no named store. */
    @Override
    public Optional<Kv> store(StoreClaim claim) {
        throw new DeviceUnavailable("the interop tests give the caldav server no store named " + claim.name());
    }

    @Override
    public Optional<Link> link() {
        return Optional.empty();
    }
}
