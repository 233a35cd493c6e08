package jmirage.launcher;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;
import jmirage.core.net.Link;
import jmirage.core.net.Stack;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.InterfaceNames;
import jmirage.host.PcapNet;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.Ipv6Config;
import jmirage.net.StartError;

/**
 * The runner of the tap target: the unikernel is its own network host on a Linux TAP interface,
 * with its own MAC and IPv4 address and the direct TCP/IP stack ({@code platform/net}); everything
 * else (loop, clock, randomness, storage, signals, stopping in order) is the host target's.
 */
final class TapTarget {

    /** How long boot waits for a DHCP lease (or the static address's announcement) before giving up. */
    static final Duration STACK_START_LIMIT = Duration.ofSeconds(30);

    private TapTarget() {}

    /** The tap target's network configuration, checked before anything opens. */
    record Network(String tap, Ipv4Config ipv4, Ipv6Config ipv6, Optional<MacAddress> mac, Optional<Path> pcap) {}

    static Result<Network, TapParameterError> parse(CommonParameters common) {
        if (common.tap == null) {
            return Result.err(new TapParameterError.MissingTap());
        }
        Optional<MacAddress> mac = Optional.empty();
        if (common.mac != null) {
            Result<MacAddress, AddressError> parsed = MacAddress.parse(common.mac);
            if (parsed instanceof Result.Err<MacAddress, AddressError>(AddressError e)) {
                return Result.err(new TapParameterError.BadMac(common.mac, e));
            }
            MacAddress m = parsed.orElseThrow();
            if (((m.value() >>> 40) & 1) != 0) {
                return Result.err(new TapParameterError.MulticastMac(m));
            }
            mac = Optional.of(m);
        }
        Ipv4Config ipv4;
        if (common.ipv4 == null) {
            if (common.ipv4Gateway != null) {
                return Result.err(new TapParameterError.GatewayWithoutAddress(common.ipv4Gateway));
            }
            ipv4 = new Ipv4Config.Dhcp();
        } else {
            Result<IpPrefix, AddressError> parsed = IpPrefix.parseIpv4WithLength(common.ipv4);
            if (!(parsed instanceof Result.Ok<IpPrefix, AddressError>(IpPrefix address))) {
                return Result.err(new TapParameterError.BadAddress(common.ipv4, ((Result.Err<IpPrefix, AddressError>) parsed).error()));
            }
            Optional<Inet4Address> gateway = Optional.empty();
            if (common.ipv4Gateway != null) {
                Result<Inet4Address, AddressError> g = IpAddresses.parseIpv4(common.ipv4Gateway);
                if (!(g instanceof Result.Ok<Inet4Address, AddressError>(Inet4Address v4))) {
                    return Result.err(new TapParameterError.BadGateway(common.ipv4Gateway,
                            ((Result.Err<Inet4Address, AddressError>) g).error()));
                }
                if (!address.contains(v4)) {
                    return Result.err(new TapParameterError.GatewayOffSubnet(common.ipv4Gateway, common.ipv4));
                }
                gateway = Optional.of(v4);
            }
            // parseIpv4WithLength gives IPv4 only
            ipv4 = new Ipv4Config.Static(address, gateway);
        }
        Result<Ipv6Config, TapParameterError> ipv6 = ipv6(common.ipv6, common.ipv6Gateway);
        if (ipv6 instanceof Result.Err<Ipv6Config, TapParameterError>(TapParameterError e)) {
            return Result.err(e);
        }
        return Result.ok(new Network(common.tap, ipv4, ipv6.orElseThrow(), mac, Optional.ofNullable(common.pcap).map(Path::of)));
    }

    /** {@code --ipv6 ADDR/N|slaac|off} (default slaac) and {@code --ipv6-gateway ADDR}. */
    static Result<Ipv6Config, TapParameterError> ipv6(String text, String gatewayText) {
        String mode = text == null ? "slaac" : text;
        if (mode.equals("slaac") || mode.equals("off")) {
            if (gatewayText != null) {
                return Result.err(new TapParameterError.Ipv6GatewayWithoutAddress(gatewayText, mode));
            }
            return Result.ok(mode.equals("slaac") ? new Ipv6Config.Slaac() : new Ipv6Config.Disabled());
        }
        if (!mode.contains("/")) {
            return Result.err(new TapParameterError.BadIpv6(mode, new AddressError.MissingPrefixLength(mode)));
        }
        Result<IpPrefix, AddressError> parsed = IpPrefix.parse(mode);
        if (parsed instanceof Result.Err<IpPrefix, AddressError>(AddressError e)) {
            return Result.err(new TapParameterError.BadIpv6(mode, e));
        }
        IpPrefix address = parsed.orElseThrow();
        if (address.isIpv4()) {
            return Result.err(new TapParameterError.BadIpv6(mode, new AddressError.WrongFamily(mode, 6)));
        }
        Optional<Inet6Address> gateway = Optional.empty();
        if (gatewayText != null) {
            Result<InetAddress, AddressError> g = IpAddresses.parse(gatewayText);
            if (g instanceof Result.Err<InetAddress, AddressError>(AddressError e)) {
                return Result.err(new TapParameterError.BadIpv6Gateway(gatewayText, e));
            }
            if (!(g.orElseThrow() instanceof Inet6Address v6)) {
                return Result.err(new TapParameterError.BadIpv6Gateway(gatewayText, new AddressError.WrongFamily(gatewayText, 6)));
            }
            if (!v6.isLinkLocalAddress() && !address.contains(v6)) {
                return Result.err(new TapParameterError.Ipv6GatewayOffLink(gatewayText, mode));
            }
            gateway = Optional.of(v6);
        }
        return Result.ok(new Ipv6Config.Static(address, gateway));
    }

    static <D, P> int boot(Unikernel<D, P> unikernel, P parameters, CommonParameters common, PrintWriter err) {
        Result<Network, TapParameterError> network = parse(common);
        if (network instanceof Result.Err<Network, TapParameterError>(TapParameterError e)) {
            err.println(unikernel.name() + ": " + e.describe());
            return Main.EXIT_USAGE;
        }
        return HostTarget.run(unikernel, parameters, common, err,
                (clock, scheduler) -> new TapDevices(unikernel.name(), common, clock, scheduler, network.orElseThrow()));
    }

    /** The host target's devices with a TAP interface as the Net and the direct stack on it. */
    static final class TapDevices extends HostTarget.Devices {
        private final Network network;
        private Net net;
        private DirectStack stack;
        private boolean netClaimed;

        TapDevices(String name, CommonParameters common, HostClock clock, HostScheduler scheduler, Network network) {
            super(name, common, InetAddress.getLoopbackAddress(), clock, scheduler);
            this.network = network;
        }

        /** The Ethernet device for a unikernel that brings its own stack. */
        @Override
        public Net net() {
            if (stack != null) {
                throw new DeviceUnavailable(name + " claims both the Ethernet device and the TCP/IP stack on it;"
                        + " the stack owns the frames");
            }
            netClaimed = true;
            return ethernet();
        }

        @Override
        public Stack stack() {
            if (stack == null) {
                if (netClaimed) {
                    throw new DeviceUnavailable(name + " claims both the Ethernet device and the TCP/IP stack on it;"
                            + " the stack owns the frames");
                }
                Net device = ethernet();
                Result<DirectStack, StartError> started;
                try {
                    started = HostTarget.onLoop(scheduler, () -> scheduler.withTimeout(
                            DirectStack.start(device, network.ipv4(), network.ipv6(), clock, scheduler, random(), log().named("net")),
                            STACK_START_LIMIT,
                            Result.err(new StartError.TimedOut(network.ipv4(), STACK_START_LIMIT))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceUnavailable("interrupted while starting the TCP/IP stack");
                }
                stack = started.orElseThrow(error -> new DeviceUnavailable("--tap " + network.tap() + ": " + error.describe()));
            }
            return stack;
        }

        private Net ethernet() {
            if (net == null) {
                if (!common.tapCreate && !InterfaceNames.exists(network.tap())) {
                    throw new DeviceUnavailable(missingTap(network.tap()));
                }
                TapDevice tap = TapDevice.open(network.tap(), network.mac(), scheduler, random(), log().named("tap"))
                        .orElseThrow(e -> new DeviceUnavailable("--tap " + network.tap() + ": " + e.describe()));
                net = tap;
                if (network.pcap().isPresent()) {
                    Path file = network.pcap().get();
                    net = PcapNet.open(tap, file, clock, scheduler, log().named("pcap")).orElseThrow(e -> {
                        closeQuietly(tap);
                        return new DeviceUnavailable("--pcap: cannot write the pcap file " + e.describe());
                    });
                }
                net = new CountingNet(net, metrics(), network.tap());
                log().info("attached to TAP " + network.tap() + " as " + tap.mac()
                        + network.pcap().map(p -> ", recording frames to " + p).orElse(""));
            }
            return net;
        }

        /** A mistyped name must not become a new, down interface: the operator creates it, or says so. */
        static String missingTap(String tap) {
            return "--tap " + tap + ": no such interface; create it with `ip tuntap add dev " + tap
                    + " mode tap user USER && ip link set " + tap + " up`, or boot with --tap-create";
        }

        private void closeQuietly(Net device) {
            try {
                HostTarget.onLoop(scheduler, device::close);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The direct stack owns the TAP interface's link layer. */
        @Override
        public Optional<Link> link() {
            stack();
            return Optional.of(stack);
        }

        /** The stack first (its connections end), then the device (and the pcap file is flushed). */
        @Override
        Promise<Unit> closeNetwork() {
            Promise<Unit> stackClosed = stack == null ? Promise.done() : stack.close().recover(e -> Unit.UNIT);
            return stackClosed.flatMap(u -> net == null ? Promise.done() : net.close());
        }
    }
}
