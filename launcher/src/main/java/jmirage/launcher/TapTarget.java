package jmirage.launcher;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;
import jmirage.core.net.NetworkClaim;
import jmirage.core.net.Link;
import jmirage.core.net.Stack;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.InterfaceNames;
import jmirage.host.PcapNet;
import jmirage.host.TapDevice;
import jmirage.net.DirectNetwork;
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

    /**
     * One interface: its TAP device, its IPv4 configuration (DHCP when no address was given), its IPv6
     * one (SLAAC when none was given, decision 21), its MAC if given.
     */
    record Interface(String tap, Ipv4Config ipv4, Ipv6Config ipv6, Optional<MacAddress> mac) {}

    /**
     * The tap target's network configuration, checked before anything opens: the interface of
     * {@code --tap} (the unikernel's one {@code stack()}), the interfaces of {@code --net} by name
     * (its claimed networks, decision 20), and where frames are recorded.
     */
    record Network(Optional<Interface> single, Map<String, Interface> named, Optional<Path> pcap) {}

    static Result<Network, TapParameterError> parse(CommonParameters common) {
        if (common.tap == null && common.nets.isEmpty()) {
            return Result.err(new TapParameterError.MissingTap());
        }
        Optional<Interface> single = Optional.empty();
        if (common.tap != null) {
            Result<Interface, TapParameterError> parsed = parseInterface(common.tap, new Given(common.ipv4, common.ipv4Gateway,
                    common.ipv6, common.ipv6Gateway, common.mac), new Given("--ipv4", "--ipv4-gateway", "--ipv6", "--ipv6-gateway", "--mac"));
            if (parsed instanceof Result.Err<Interface, TapParameterError>(TapParameterError e)) {
                return Result.err(e);
            }
            single = Optional.of(parsed.orElseThrow());
        } else {
            for (var given : new String[][] {{"--ipv4", common.ipv4}, {"--ipv4-gateway", common.ipv4Gateway}, {"--ipv6", common.ipv6},
                    {"--ipv6-gateway", common.ipv6Gateway}, {"--mac", common.mac}}) {
                if (given[1] != null) {
                    return Result.err(new TapParameterError.WithoutTap(given[0]));
                }
            }
        }
        Map<String, Interface> named = new LinkedHashMap<>();
        Map<String, String> taps = new LinkedHashMap<>();
        single.ifPresent(i -> taps.put(i.tap(), "--tap"));
        for (String entry : common.nets) {
            Result<Map.Entry<String, Interface>, TapParameterError> parsed = parseNet(entry);
            if (parsed instanceof Result.Err<Map.Entry<String, Interface>, TapParameterError>(TapParameterError e)) {
                return Result.err(e);
            }
            var net = parsed.orElseThrow();
            if (named.containsKey(net.getKey())) {
                return Result.err(new TapParameterError.RepeatedNet(net.getKey()));
            }
            String user = taps.putIfAbsent(net.getValue().tap(), "--net " + net.getKey());
            if (user != null) {
                return Result.err(new TapParameterError.SameTap(net.getValue().tap(), user, "--net " + net.getKey()));
            }
            named.put(net.getKey(), net.getValue());
        }
        return Result.ok(new Network(single, named, Optional.ofNullable(common.pcap).map(Path::of)));
    }

    /**
     * {@code NAME=DEV[,ipv4=A.B.C.D/N][,gateway=A.B.C.D][,ipv6=ADDR/N|slaac|off][,ipv6-gateway=ADDR][,mac=MAC]},
     * keys in any order, each at most once.
     */
    static Result<Map.Entry<String, Interface>, TapParameterError> parseNet(String entry) {
        String[] parts = entry.split(",", -1);
        int equals = parts[0].indexOf('=');
        String name = equals < 0 ? "" : parts[0].substring(0, equals);
        String tap = equals < 0 ? "" : parts[0].substring(equals + 1);
        if (!NetworkClaim.isName(name) || !isInterfaceName(tap)) {
            return Result.err(new TapParameterError.BadNet(entry));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (eq < 0 || !List.of("ipv4", "gateway", "ipv6", "ipv6-gateway", "mac").contains(key)
                    || keys.put(key, parts[i].substring(eq + 1)) != null) {
                return Result.err(new TapParameterError.BadNetKey(name, key));
            }
        }
        String at = "--net " + name + ": ";
        return parseInterface(tap, new Given(keys.get("ipv4"), keys.get("gateway"), keys.get("ipv6"), keys.get("ipv6-gateway"),
                keys.get("mac")), new Given(at + "ipv4=", at + "gateway=", at + "ipv6=", at + "ipv6-gateway=", at + "mac="))
                .map(i -> Map.entry(name, i));
    }

    /** Linux's rule for an interface name (dev_valid_name): 1 to 15 bytes, no '/', ':' or white space, not . or .. */
    static boolean isInterfaceName(String text) {
        return !text.isEmpty() && text.length() < 16 && !text.equals(".") && !text.equals("..")
                && text.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':');
    }

    /** What was given for one interface, or the names of the parameters that give it (for the errors). */
    record Given(String ipv4, String gateway, String ipv6, String ipv6Gateway, String mac) {}

    /** One interface's addresses, gateways and MAC, each error naming its parameter as given ({@code names}). */
    private static Result<Interface, TapParameterError> parseInterface(String tap, Given given, Given names) {
        Result<Ipv6Config, TapParameterError> ipv6 = ipv6(given.ipv6(), given.ipv6Gateway(), names);
        if (ipv6 instanceof Result.Err<Ipv6Config, TapParameterError>(TapParameterError e)) {
            return Result.err(e);
        }
        Optional<MacAddress> mac = Optional.empty();
        if (given.mac() != null) {
            Result<MacAddress, AddressError> parsed = MacAddress.parse(given.mac());
            if (parsed instanceof Result.Err<MacAddress, AddressError>(AddressError e)) {
                return Result.err(new TapParameterError.BadMac(names.mac(), given.mac(), e));
            }
            MacAddress m = parsed.orElseThrow();
            if (((m.value() >>> 40) & 1) != 0) {
                return Result.err(new TapParameterError.MulticastMac(names.mac(), m));
            }
            mac = Optional.of(m);
        }
        if (given.ipv4() == null) {
            if (given.gateway() != null) {
                return Result.err(new TapParameterError.GatewayWithoutAddress(names.gateway(), given.gateway()));
            }
            return Result.ok(new Interface(tap, new Ipv4Config.Dhcp(), ipv6.orElseThrow(), mac));
        }
        Result<IpPrefix, AddressError> parsed = IpPrefix.parseIpv4WithLength(given.ipv4());
        if (!(parsed instanceof Result.Ok<IpPrefix, AddressError>(IpPrefix address))) {
            return Result.err(new TapParameterError.BadAddress(names.ipv4(), given.ipv4(), ((Result.Err<IpPrefix, AddressError>) parsed).error()));
        }
        Optional<Inet4Address> gateway = Optional.empty();
        if (given.gateway() != null) {
            Result<Inet4Address, AddressError> g = IpAddresses.parseIpv4(given.gateway());
            if (!(g instanceof Result.Ok<Inet4Address, AddressError>(Inet4Address v4))) {
                return Result.err(new TapParameterError.BadGateway(names.gateway(), given.gateway(),
                        ((Result.Err<Inet4Address, AddressError>) g).error()));
            }
            if (!address.contains(v4)) {
                return Result.err(new TapParameterError.GatewayOffSubnet(names.gateway(), given.gateway(), given.ipv4()));
            }
            gateway = Optional.of(v4);
        }
        // parseIpv4WithLength gives IPv4 only
        return Result.ok(new Interface(tap, new Ipv4Config.Static(address, gateway), ipv6.orElseThrow(), mac));
    }

    /** {@code ADDR/N|slaac|off} (default slaac) and the IPv6 router, errors naming the parameters ({@code names}). */
    static Result<Ipv6Config, TapParameterError> ipv6(String text, String gatewayText, Given names) {
        String mode = text == null ? "slaac" : text;
        if (mode.equals("slaac") || mode.equals("off")) {
            if (gatewayText != null) {
                return Result.err(new TapParameterError.Ipv6GatewayWithoutAddress(names.ipv6Gateway(), gatewayText, mode));
            }
            return Result.ok(mode.equals("slaac") ? new Ipv6Config.Slaac() : new Ipv6Config.Disabled());
        }
        if (!mode.contains("/")) {
            return Result.err(new TapParameterError.BadIpv6(names.ipv6(), mode, new AddressError.MissingPrefixLength(mode)));
        }
        Result<IpPrefix, AddressError> parsed = IpPrefix.parse(mode);
        if (parsed instanceof Result.Err<IpPrefix, AddressError>(AddressError e)) {
            return Result.err(new TapParameterError.BadIpv6(names.ipv6(), mode, e));
        }
        IpPrefix address = parsed.orElseThrow();
        if (address.isIpv4()) {
            return Result.err(new TapParameterError.BadIpv6(names.ipv6(), mode, new AddressError.WrongFamily(mode, 6)));
        }
        Optional<Inet6Address> gateway = Optional.empty();
        if (gatewayText != null) {
            Result<InetAddress, AddressError> g = IpAddresses.parse(gatewayText);
            if (g instanceof Result.Err<InetAddress, AddressError>(AddressError e)) {
                return Result.err(new TapParameterError.BadIpv6Gateway(names.ipv6Gateway(), gatewayText, e));
            }
            if (!(g.orElseThrow() instanceof Inet6Address v6)) {
                return Result.err(new TapParameterError.BadIpv6Gateway(names.ipv6Gateway(), gatewayText,
                        new AddressError.WrongFamily(gatewayText, 6)));
            }
            if (!v6.isLinkLocalAddress() && !address.contains(v6)) {
                return Result.err(new TapParameterError.Ipv6GatewayOffLink(names.ipv6Gateway(), gatewayText, mode));
            }
            gateway = Optional.of(v6);
        }
        return Result.ok(new Ipv6Config.Static(address, gateway));
    }

    /**
     * The rule that needs the claim: each {@code --net} name is a network the unikernel claims
     * ({@code claimed}, from {@link DeviceProbe}; empty when the probe could not tell, and then any
     * name passes).
     */
    static Optional<TapParameterError> mismatch(List<String> nets, String unikernel, Optional<List<NetworkClaim>> claimed) {
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = claimed.get().stream().map(NetworkClaim::name).toList();
        for (String entry : nets) {
            if (parseNet(entry) instanceof Result.Ok<Map.Entry<String, Interface>, TapParameterError>(var net)
                    && !names.contains(net.getKey())) {
                return Optional.of(new TapParameterError.NetNotClaimed(net.getKey(), unikernel, names));
            }
        }
        return Optional.empty();
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

    /**
     * The host target's devices with TAP interfaces: the one of {@code --tap} as the Net and the
     * direct stack on it, and those of {@code --net} as the unikernel's networks by role, each with a
     * direct stack of its own ({@link DirectNetwork}).
     */
    static final class TapDevices extends HostTarget.Devices {
        private final Network network;
        private Net net;
        private DirectStack stack;
        private boolean netClaimed;
        /** The networks claimed so far, by name, in the order claimed; each with its device. */
        private final Map<String, DirectNetwork> networks = new LinkedHashMap<>();
        private final List<Net> networkDevices = new ArrayList<>();

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
                Interface single = single();
                Net device = ethernet();
                stack = started(DirectNetwork.start("tap", DirectStack.start(device, single.ipv4(), single.ipv6(), clock, scheduler,
                        random(), log().named("net"))), single).direct();
            }
            return stack;
        }

        /**
         * A network by role (decision 20): the TAP of its {@code --net}, opened, with a direct stack
         * started on it (waiting for DHCP when it has no address) on its first claim.
         */
        @Override
        public jmirage.core.net.Network network(NetworkClaim claim) {
            DirectNetwork claimed = networks.get(claim.name());
            if (claimed != null) {
                return claimed;
            }
            Interface given = network.named().get(claim.name());
            if (given == null) {
                throw new DeviceUnavailable(name + " needs the network '" + claim.name() + "' (" + claim.why() + "): give --net "
                        + claim.name() + "=DEV[,ipv4=A.B.C.D/N][,gateway=A.B.C.D]");
            }
            Net device = open(given, "--net " + claim.name() + "=" + given.tap(), network.pcap().map(p -> perNetwork(p, claim.name())));
            networkDevices.add(device);
            DirectNetwork started = started(DirectNetwork.start(claim.name(), DirectStack.start(device, given.ipv4(), given.ipv6(), clock,
                    scheduler, random(), log().named("net." + claim.name()))), given);
            networks.put(claim.name(), started);
            return started;
        }

        /**
         * {@code --metrics} on the stack of {@code --tap}, else on that of the first {@code --net}
         * given (the operator's choice of side) that the unikernel claimed.
         */
        @Override
        Stack metricsStack() {
            if (network.single().isEmpty()) {
                for (String name : network.named().keySet()) {
                    if (networks.containsKey(name)) {
                        return networks.get(name).stack();
                    }
                }
            }
            return stack();
        }

        private Interface single() {
            return network.single().orElseThrow(() -> new DeviceUnavailable(name + " claims one TCP/IP stack, on the interface"
                    + " of --tap DEV" + (network.named().isEmpty() ? "" : "; --net gives only the networks it claims by name")));
        }

        /** Waits on the loop for a stack to start, as long as DHCP may take at most. */
        private DirectNetwork started(Promise<Result<DirectNetwork, StartError>> starting, Interface on) {
            Result<DirectNetwork, StartError> started;
            try {
                started = HostTarget.onLoop(scheduler, () -> scheduler.withTimeout(starting, STACK_START_LIMIT,
                        Result.err(new StartError.TimedOut(on.ipv4(), STACK_START_LIMIT))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceUnavailable("interrupted while starting the TCP/IP stack");
            }
            return started.orElseThrow(error -> new DeviceUnavailable("--tap " + on.tap() + ": " + error.describe()));
        }

        private Net ethernet() {
            if (net == null) {
                net = open(single(), "--tap " + single().tap(), network.pcap());
            }
            return net;
        }

        /** Opens the TAP of {@code on}, recording to {@code pcap} when given, counted in the metrics by its name. */
        private Net open(Interface on, String parameter, Optional<Path> pcap) {
            if (!common.tapCreate && !InterfaceNames.exists(on.tap())) {
                throw new DeviceUnavailable(missingTap(parameter, on.tap()));
            }
            TapDevice tap = TapDevice.open(on.tap(), on.mac(), scheduler, random(), log().named("tap"))
                    .orElseThrow(e -> new DeviceUnavailable(parameter + ": " + e.describe()));
            Net device = tap;
            if (pcap.isPresent()) {
                device = PcapNet.open(tap, pcap.get(), clock, scheduler, log().named("pcap")).orElseThrow(e -> {
                    closeQuietly(tap);
                    return new DeviceUnavailable("--pcap: cannot write the pcap file " + e.describe());
                });
            }
            log().info("attached to TAP " + on.tap() + " as " + tap.mac() + pcap.map(p -> ", recording frames to " + p).orElse(""));
            return new CountingNet(device, metrics(), on.tap());
        }

        /** With several interfaces, {@code --pcap FILE} records each to a file of its own: {@code frames.pcap} gives {@code frames-uplink.pcap}. */
        static Path perNetwork(Path pcap, String network) {
            String file = pcap.getFileName().toString();
            int dot = file.lastIndexOf('.');
            String named = dot > 0 ? file.substring(0, dot) + "-" + network + file.substring(dot) : file + "-" + network;
            return pcap.resolveSibling(named);
        }

        /** A mistyped name must not become a new, down interface: the operator creates it, or says so. */
        static String missingTap(String parameter, String tap) {
            return parameter + ": no such interface; create it with `ip tuntap add dev " + tap
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

        /** The stacks first (their connections end), then the devices (and the pcap files are flushed). */
        @Override
        Promise<Unit> closeNetwork() {
            List<Supplier<Promise<Unit>>> closers = new ArrayList<>();
            if (stack != null) {
                closers.add(() -> stack.close());
            }
            networks.values().forEach(n -> closers.add(() -> n.direct().close()));
            if (net != null) {
                closers.add(() -> net.close());
            }
            networkDevices.forEach(d -> closers.add(d::close));
            Promise<Unit> chain = Promise.done();
            for (Supplier<Promise<Unit>> closer : closers) {
                chain = chain.flatMap(u -> closer.get().recover(e -> Unit.UNIT));
            }
            return chain;
        }
    }
}
