package jmirage.net;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Network;
import jmirage.core.net.PacketPort;
import jmirage.core.net.Stack;

/**
 * A {@link Network} of the tap and sim targets (decision 20): a {@link DirectStack} started on the
 * interface's Ethernet device, giving both the unikernel's own stack and the raw datagrams.
 */
public record DirectNetwork(String name, DirectStack direct, IpPrefix startedWith) implements Network {

    /**
     * Starts the stack of the network {@code name} as {@link DirectStack#start} does; resolves once it
     * has its address (with DHCP, once a lease is bound: wrap it in {@code Scheduler.withTimeout}).
     */
    public static Promise<Result<DirectNetwork, StartError>> start(String name, Promise<Result<DirectStack, StartError>> starting) {
        return starting.map(started -> started.map(stack -> new DirectNetwork(name, stack, stack.ipv4().orElseThrow())));
    }

    @Override
    public MacAddress mac() {
        return direct.mac();
    }

    /** The address the stack holds; while a lost lease is being replaced, the one it started with. */
    @Override
    public IpPrefix ipv4() {
        return direct.ipv4().orElse(startedWith);
    }

    @Override
    public Optional<Inet4Address> gateway() {
        return direct.gateway();
    }

    @Override
    public Stack stack() {
        return direct;
    }

    @Override
    public PacketPort packets() {
        return direct;
    }
}
