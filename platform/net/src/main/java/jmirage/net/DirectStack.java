package jmirage.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.Net;
import jmirage.core.net.PacketPort;
import jmirage.core.net.NetError;
import jmirage.core.net.Link;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.core.net.UdpSocket;
import jmirage.net.arp.Arp;
import jmirage.net.arp.ArpPacket;
import jmirage.net.dhcp.DhcpClient;
import jmirage.net.dhcp.DhcpShell;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Fragmenter;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.ipv4.Routing;
import jmirage.net.ipv6.Autoconfig;
import jmirage.net.ipv6.NeighborDiscovery;
import jmirage.net.tcp.TcpConfig;
import jmirage.net.tcp.TcpLayer;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Wire;

/**
 * The direct TCP/IP stack: the shell that binds the protocol cores (ARP, IPv4 reassembly, ICMP,
 * UDP, TCP, DHCP client) to an Ethernet {@link Net} device and to the {@link Scheduler}'s timers.
 * Everything runs on the loop; frames arrive there from the device.
 */
public final class DirectStack implements Stack, Link, PacketPort {

    /** Ephemeral ports (RFC 6335 6: 49152 to 65535). */
    static final int EPHEMERAL_LOW = 49152;

    private final Net net;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Random random;
    private final Log log;
    private final Arp arp;
    private final Reassembly reassembly = new Reassembly(Reassembly.Config.DEFAULT);
    private final TokenBucket icmpLimiter = TokenBucket.perSecond(50, 100); // RFC 1812 4.3.2.8
    private final Map<Integer, DirectUdpSocket> udp = new HashMap<>();
    private final Map<Integer, Promise<Result<Duration, NetError>>> pings = new HashMap<>();
    private int nextPing;
    private final TcpLayer tcp;
    /** IPv6 (ND, autoconfiguration, ICMPv6, UDP and TCP over IPv6); null when disabled. */
    private Ipv6Layer ipv6;
    /** The bound address, its subnet and the subnet's broadcast address; null while DHCP has none. */
    private Bound bound;

    private record Bound(IpPrefix prefix, Inet4Address address, Inet4Address broadcast) {
        static Bound of(IpPrefix prefix) {
            return new Bound(prefix, (Inet4Address) prefix.address(), (Inet4Address) prefix.last());
        }
    }
    private Optional<Inet4Address> gateway = Optional.empty();
    private int nextIpId;
    private Cancellable ticker;
    private DhcpShell dhcp;
    private boolean closed;
    private long framesIn;
    private long framesDropped;
    /** The router that claimed this interface's datagrams ({@link PacketPort}); null for a host. */
    private PacketPort.LinkReceiver router;
    /** Which ARP senders count ({@link PacketPort#restrictArp}); all by default. */
    private BiPredicate<MacAddress, Inet4Address> arpSenders = (mac, ip) -> true;

    private DirectStack(Net net, TcpConfig tcpConfig, Clock clock, Scheduler scheduler, Random random, Log log) {
        this.net = net;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.log = log;
        this.arp = new Arp(net.mac(), Arp.Config.DEFAULT);
        this.nextIpId = random.nextInt(65536);
        this.tcp = new TcpLayer(tcpConfig, clock, scheduler, random, log.named("tcp"), this::sendTcp,
                () -> Optional.ofNullable(bound).map(Bound::address),
                v6 -> ipv6 == null ? Optional.empty() : ipv6.sourceFor(v6), Math.max(536, net.mtu() - 40));
    }

    /**
     * Boots the stack on the Ethernet device: gratuitous ARP, or DHCP until an address is bound; IPv6
     * as {@link Ipv6Config#DEFAULT} (SLAAC: link-local at once, global addresses if a router advertises).
     */
    public static Promise<Result<DirectStack, StartError>> start(Net net, Ipv4Config config, Clock clock, Scheduler scheduler,
            Random random, Log log) {
        return start(net, config, Ipv6Config.DEFAULT, TcpConfig.DEFAULT, clock, scheduler, random, log);
    }

    /** As {@link #start(Net, Ipv4Config, Clock, Scheduler, Random, Log)}, with TCP limits and timers given. */
    public static Promise<Result<DirectStack, StartError>> start(Net net, Ipv4Config config, TcpConfig tcpConfig, Clock clock,
            Scheduler scheduler, Random random, Log log) {
        return start(net, config, Ipv6Config.DEFAULT, tcpConfig, clock, scheduler, random, log);
    }

    /** As {@link #start(Net, Ipv4Config, Clock, Scheduler, Random, Log)}, with the IPv6 configuration given. */
    public static Promise<Result<DirectStack, StartError>> start(Net net, Ipv4Config config, Ipv6Config ipv6Config, Clock clock,
            Scheduler scheduler, Random random, Log log) {
        return start(net, config, ipv6Config, TcpConfig.DEFAULT, clock, scheduler, random, log);
    }

    /** The stack with every configuration given. The IPv6 side starts at once; {@code start} resolves when IPv4 is bound. */
    public static Promise<Result<DirectStack, StartError>> start(Net net, Ipv4Config config, Ipv6Config ipv6Config,
            TcpConfig tcpConfig, Clock clock, Scheduler scheduler, Random random, Log log) {
        DirectStack stack = new DirectStack(net, tcpConfig, clock, scheduler, random, log);
        net.receive(stack::frameIn);
        stack.ticker = scheduler.every(Duration.ofMillis(500), stack::tick);
        if (!(ipv6Config instanceof Ipv6Config.Disabled)) {
            stack.ipv6 = new Ipv6Layer(net, ipv6Config, clock, scheduler, random, log.named("ipv6"), stack.tcp, stack::deliverUdp);
        }
        return switch (config) {
            case Ipv4Config.Static s -> {
                stack.bind(s.address(), s.gateway());
                yield Promise.resolved(Result.ok(stack));
            }
            case Ipv4Config.Dhcp d -> {
                Promise<Result<DirectStack, StartError>> booted = Promise.pending();
                stack.dhcp = new DhcpShell(new DhcpClient(net.mac(), random.nextLong()), clock, scheduler, log.named("dhcp"),
                        stack::sendDhcp, lease -> {
                            if (stack.bound != null && stack.bound.address().equals(lease.ip())) {
                                stack.bind(lease.address(), lease.router()); // a renewal
                                return;
                            }
                            // RFC 2131 3.1.5 / RFC 5227 2.1: probe the new address before using it.
                            stack.probeThenBind(lease.address(), lease.router(), () -> booted.resolve(Result.ok(stack)));
                        }, () -> stack.unbind());
                stack.dhcp.start();
                yield booted;
            }
        };
    }

    private void bind(IpPrefix address, Optional<Inet4Address> router) {
        boolean changed = bound == null || !bound.prefix().equals(address);
        this.bound = Bound.of(address);
        this.gateway = router;
        arp.setAddress(Optional.of(bound.address()));
        if (changed) {
            log.info("bound " + address + router.map(g -> " via " + g.getHostAddress()).orElse("") + " on " + net.mac());
            // RFC 5227 3: announce the address so neighbours' caches are right.
            arp.announce().forEach(net::send);
        }
    }

    /** How long an ARP probe waits for an answer (RFC 5227 2.1.1 waits 1 to 2 s after its probes). */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private Inet4Address probing;
    private boolean probeAnswered;

    private void probeThenBind(IpPrefix address, Optional<Inet4Address> router, Runnable onBound) {
        probing = (Inet4Address) address.address(); // a lease's address is IPv4 (DhcpClient.Lease)
        probeAnswered = false;
        // RFC 5227 2.1.1: sender IP all zeroes, target the address we want.
        ArpPacket probe = new ArpPacket(ArpPacket.Operation.REQUEST, net.mac(), Wire.ipv4(0), new MacAddress(0), probing);
        net.send(new EthernetFrame(EthernetFrame.BROADCAST, net.mac(), EthernetFrame.ARP, probe.encode()).encode());
        scheduler.schedule(PROBE_WAIT, () -> {
            if (closed || !address.address().equals(probing)) {
                return;
            }
            probing = null;
            if (probeAnswered) {
                log.warn(address.address().getHostAddress() + " is already in use on the link: declining the lease");
                dhcp.decline();
            } else {
                bind(address, router);
                onBound.run();
            }
        });
    }

    private void unbind() {
        log.warn("lease of " + (bound == null ? "an address not yet bound" : bound.prefix()) + " lost");
        bound = null;
        arp.setAddress(Optional.empty());
    }

    @Override
    public MacAddress mac() {
        return net.mac();
    }

    /** The bound address and prefix, if any. */
    public Optional<IpPrefix> ipv4() {
        return Optional.ofNullable(bound).map(Bound::prefix);
    }

    public Optional<Inet4Address> gateway() {
        return gateway;
    }

    /** The TCP layer, for its counters (connections, bytes held). */
    public TcpLayer tcp() {
        return tcp;
    }

    public Arp arp() {
        return arp;
    }

    public long framesDropped() {
        return framesDropped + (ipv6 == null ? 0 : ipv6.dropped());
    }

    /** Our IPv6 addresses in every state (tentative ones included), with origin and lifetimes; empty when IPv6 is disabled. */
    public List<Autoconfig.Address> ipv6Addresses() {
        return ipv6 == null ? List.of() : ipv6.neighborDiscovery().autoconfig().addresses();
    }

    /** Neighbor Discovery (its cache and configuration, for counters and tests); empty when IPv6 is disabled. */
    public Optional<NeighborDiscovery> neighborDiscovery() {
        return Optional.ofNullable(ipv6).map(Ipv6Layer::neighborDiscovery);
    }

    /** Sends an ICMPv6 echo request (RFC 4443 4.1) and resolves with the round-trip time, or TimedOut after {@code timeout}. */
    public Promise<Result<Duration, NetError>> ping(Inet6Address destination, Duration timeout) {
        if (ipv6 == null || closed) {
            return Promise.resolved(Result.err(new NetError.Unreachable(new Endpoint(destination, 0))));
        }
        return ipv6.ping(destination, timeout);
    }

    /** Sends an ICMP echo request (RFC 792) and resolves with the round-trip time, or TimedOut after {@code timeout}. */
    public Promise<Result<Duration, NetError>> ping(Inet4Address destination, Duration timeout) {
        int id = (random.nextInt(65536) << 16) | (nextPing++ & 0xffff);
        byte[] stamp = new byte[16];
        long now = clock.monotonicNanos();
        Wire.putU32(stamp, 0, now >>> 32);
        Wire.putU32(stamp, 4, now & 0xffffffffL);
        Promise<Result<Duration, NetError>> reply = Promise.pending();
        Result<Unit, NetError> sent = sendIp(destination, Ipv4Packet.ICMP,
                new IcmpMessage(IcmpMessage.ECHO_REQUEST, 0, id, Bytes.adopt(stamp)).encode());
        if (sent instanceof Result.Err<Unit, NetError>(NetError e)) {
            return Promise.resolved(Result.err(e));
        }
        pings.put(id, reply);
        scheduler.schedule(timeout, () -> {
            if (pings.remove(id, reply)) {
                reply.resolve(Result.err(new NetError.TimedOut(new Endpoint(destination, 0))));
            }
        });
        return reply;
    }

    @Override
    public List<InetAddress> addresses() {
        List<InetAddress> all = new ArrayList<>();
        if (bound != null) {
            all.add(bound.address());
        }
        if (ipv6 != null) {
            all.addAll(ipv6.addresses());
        }
        return List.copyOf(all);
    }

    @Override
    public Promise<Result<TcpListener, NetError>> listenTcp(int port, Consumer<Flow> onAccept) {
        if (closed) {
            return Promise.resolved(Result.err(new NetError.Closed()));
        }
        return Promise.resolved(tcp.listen(port, onAccept));
    }

    @Override
    public Promise<Result<Flow, NetError>> connectTcp(Endpoint remote) {
        if (closed) {
            return Promise.resolved(Result.err(new NetError.Closed()));
        }
        if (remote.address() instanceof Inet6Address v6 && (ipv6 == null || !ipv6.hasRoute(v6))) {
            return Promise.resolved(Result.err(new NetError.Unreachable(remote)));
        }
        return tcp.connect(remote); // Unreachable without a source address of the remote's family
    }

    @Override
    public Promise<Result<UdpSocket, NetError>> bindUdp(int port, Consumer<Datagram> onReceive) {
        if (closed) {
            return Promise.resolved(Result.err(new NetError.Closed()));
        }
        int chosen = port;
        if (port == 0) {
            chosen = freeEphemeral();
            if (chosen < 0) {
                return Promise.resolved(Result.err(new NetError.Io("no free UDP port")));
            }
        }
        Endpoint local = new Endpoint(bound == null ? Wire.ipv4(0) : bound.address(), chosen);
        if (udp.containsKey(chosen)) {
            return Promise.resolved(Result.err(new NetError.AddressInUse(local)));
        }
        DirectUdpSocket socket = new DirectUdpSocket(local, onReceive);
        udp.put(chosen, socket);
        return Promise.resolved(Result.ok(socket));
    }

    private int freeEphemeral() {
        int span = 65536 - EPHEMERAL_LOW;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int p = EPHEMERAL_LOW + (start + i) % span;
            if (!udp.containsKey(p)) {
                return p;
            }
        }
        return -1;
    }

    @Override
    public Promise<Unit> close() {
        if (!closed) {
            tcp.close(); // first, so the RSTs and the DHCP release still go out
            if (dhcp != null) {
                dhcp.stop();
            }
            if (ipv6 != null) {
                ipv6.close();
            }
            closed = true;
            ticker.cancel();
            udp.clear();
        }
        return Promise.done();
    }

    // ---- input ----

    private void frameIn(Bytes frame) {
        if (closed) {
            return;
        }
        framesIn++;
        Result<EthernetFrame, ?> parsed = EthernetFrame.parse(frame);
        if (!(parsed instanceof Result.Ok<EthernetFrame, ?>(EthernetFrame eth))) {
            framesDropped++;
            return;
        }
        if (!eth.destination().equals(net.mac()) && !EthernetFrame.isMulticast(eth.destination())) {
            framesDropped++;
            return;
        }
        long now = clock.monotonicNanos();
        switch (eth.etherType()) {
            case EthernetFrame.ARP -> {
                switch (ArpPacket.parse(eth.payload())) {
                    case Result.Ok<ArpPacket, ?>(ArpPacket p) -> {
                        if (probing != null && probing.equals(p.senderIp()) && !p.senderMac().equals(net.mac())) {
                            probeAnswered = true; // someone holds the address we were offered
                        }
                        if (arpSenders.test(p.senderMac(), p.senderIp())) {
                            arp.input(now, p).forEach(net::send);
                        } else {
                            framesDropped++;
                        }
                    }
                    case Result.Err<ArpPacket, ?> e -> framesDropped++;
                }
            }
            case EthernetFrame.IPV4 -> {
                if (router != null) {
                    router.datagram(eth.payload(), EthernetFrame.isMulticast(eth.destination()), Optional.of(eth.source()));
                    return;
                }
                switch (Ipv4Packet.parse(eth.payload())) {
                    case Result.Ok<Ipv4Packet, ?>(Ipv4Packet p) -> ipInput(now, p, eth.payload());
                    case Result.Err<Ipv4Packet, ?> e -> framesDropped++;
                }
            }
            case EthernetFrame.IPV6 -> {
                if (ipv6 != null) {
                    ipv6.input(now, eth.payload());
                } else {
                    framesDropped++;
                }
            }
            default -> framesDropped++;
        }
    }

    private boolean forUs(Inet4Address destination) {
        if (Routing.isLimitedBroadcast(destination)) {
            return true;
        }
        return bound != null && (bound.address().equals(destination) || bound.broadcast().equals(destination));
    }

    private void ipInput(long now, Ipv4Packet packet, Bytes raw) {
        // Before a lease is bound, DHCP replies may come to the offered address (RFC 2131 4.1).
        boolean dhcpReply = dhcp != null && bound == null && packet.protocol() == Ipv4Packet.UDP;
        if (!forUs(packet.destination()) && !dhcpReply) {
            framesDropped++; // a host does not forward (RFC 1122 3.3.1.5)
            return;
        }
        if (!validSource(packet.source(), packet.protocol())) {
            framesDropped++;
            return;
        }
        Optional<Ipv4Packet> whole = reassembly.input(now, packet);
        if (whole.isEmpty()) {
            return;
        }
        Ipv4Packet p = whole.get();
        Bytes original = p == packet ? raw : p.encode();
        boolean broadcast = !(bound != null && bound.address().equals(p.destination()));
        switch (p.protocol()) {
            case Ipv4Packet.ICMP -> icmpInput(now, p, broadcast);
            case Ipv4Packet.UDP -> udpInput(now, p, original, broadcast);
            case Ipv4Packet.TCP -> {
                if (broadcast) {
                    framesDropped++; // RFC 9293 3.10.7.2: TCP never answers broadcast
                    return;
                }
                switch (TcpSegment.parse(p.payload(), p.source(), p.destination())) {
                    case Result.Ok<TcpSegment, ?>(TcpSegment s) -> tcp.input(p.source(), p.destination(), s);
                    case Result.Err<TcpSegment, ?> e -> framesDropped++;
                }
            }
            default -> framesDropped++; // RFC 1122 3.2.2.1: protocol unreachable is optional; we stay quiet
        }
    }

    /**
     * RFC 1122 3.2.1.3: a datagram whose source is not one host is discarded: 0/8 (but 0.0.0.0 over
     * UDP, the source of a DHCP client that has no address yet, RFC 2131 4.1), loopback 127/8,
     * multicast and class E 224/3 (which holds the limited broadcast), and our subnet's directed
     * broadcast. Answering such a source would aim replies at a group or at ourselves.
     */
    private boolean validSource(Inet4Address source, int protocol) {
        byte[] a = source.getAddress();
        int first = a[0] & 0xff;
        if (first == 0) {
            return protocol == Ipv4Packet.UDP && source.isAnyLocalAddress();
        }
        if (first == 127 || first >= 224) {
            return false;
        }
        // A /31 (RFC 3021) or /32 has no directed broadcast: its "broadcast" is a host.
        return bound == null || bound.prefix().length() > 30 || !bound.broadcast().equals(source);
    }

    private void icmpInput(long now, Ipv4Packet p, boolean broadcast) {
        if (!(IcmpMessage.parse(p.payload()) instanceof Result.Ok<IcmpMessage, ?>(IcmpMessage m))) {
            framesDropped++;
            return;
        }
        // RFC 1122 3.2.2.6: an echo request to a broadcast address may be silently discarded.
        if (m.type() == IcmpMessage.ECHO_REQUEST && !broadcast && icmpLimiter.allow(now)) {
            sendIp(p.source(), Ipv4Packet.ICMP, IcmpMessage.echoReply(m).encode());
        } else if (m.type() == IcmpMessage.ECHO_REPLY) {
            Promise<Result<Duration, NetError>> waiting = pings.remove(m.rest());
            if (waiting != null) {
                long sentAt = Wire.u32(m.data(), 0) << 32 | Wire.u32(m.data(), 4);
                waiting.resolve(Result.ok(Duration.ofNanos(now - sentAt)));
            }
        }
    }

    private void udpInput(long now, Ipv4Packet p, Bytes raw, boolean broadcast) {
        if (!(UdpPacket.parse(p.payload(), p.source(), p.destination()) instanceof Result.Ok<UdpPacket, ?>(UdpPacket u))) {
            framesDropped++;
            return;
        }
        if (dhcp != null && u.destinationPort() == DhcpClient.CLIENT_PORT && u.sourcePort() == DhcpClient.SERVER_PORT) {
            dhcp.input(u.payload());
            return;
        }
        if (bound == null || !forUs(p.destination())) {
            return;
        }
        DirectUdpSocket socket = udp.get(u.destinationPort());
        if (socket == null) {
            // RFC 1122 4.1.3.1: port unreachable, but never for broadcast (3.2.2); rate-limited (RFC 1812 4.3.2.8).
            if (!broadcast && icmpLimiter.allow(now)) {
                int headerLength = (raw.getUnsigned(0) & 0x0f) * 4;
                Bytes original = raw.slice(0, Math.min(raw.size(), headerLength + 8)); // RFC 792: header + 64 bits
                sendIp(p.source(), Ipv4Packet.ICMP, IcmpMessage.portUnreachable(original).encode());
            }
            return;
        }
        socket.onReceive.accept(new Datagram(new Endpoint(p.source(), u.sourcePort()),
                new Endpoint(p.destination(), u.destinationPort()), u.payload()));
    }

    private void tick() {
        long now = clock.monotonicNanos();
        arp.tick(now).forEach(net::send);
        reassembly.expire(now);
        if (ipv6 != null) {
            ipv6.tick(now);
        }
    }

    /** A UDP datagram of either family to the socket bound on its port; false when none is. */
    private boolean deliverUdp(Datagram datagram) {
        DirectUdpSocket socket = udp.get(datagram.destination().port());
        if (socket == null) {
            return false;
        }
        socket.onReceive.accept(datagram);
        return true;
    }

    // ---- output ----

    private void sendTcp(InetAddress source, InetAddress destination, TcpSegment segment) {
        switch (destination) {
            case Inet4Address v4 -> sendIp(v4, Ipv4Packet.TCP, segment.encode(source, destination));
            case Inet6Address v6 -> {
                if (ipv6 != null) {
                    ipv6.send((Inet6Address) source, v6, Ipv4Packet.TCP, segment.encode(source, destination));
                }
            }
            default -> throw new IllegalStateException("an address is IPv4 or IPv6: " + destination);
        }
    }

    /** Sends one IP datagram from our address, fragmented if it exceeds the MTU. */
    Result<Unit, NetError> sendIp(Inet4Address destination, int protocol, Bytes payload) {
        if (bound == null || closed) {
            return Result.err(new NetError.Closed());
        }
        Ipv4Packet packet = new Ipv4Packet(0, nextIpId++ & 0xffff, false, false, 0, 64, protocol, bound.address(), destination, payload);
        if (destination.equals(bound.address())) {
            // To ourselves: no wire, straight back in on the loop.
            scheduler.execute(() -> ipInput(clock.monotonicNanos(), packet, packet.encode()));
            return Result.ok();
        }
        List<Ipv4Packet> fragments = Fragmenter.fragment(packet, net.mtu());
        if (Routing.isLimitedBroadcast(destination) || destination.equals(bound.broadcast())) {
            for (Ipv4Packet f : fragments) {
                net.send(new EthernetFrame(EthernetFrame.BROADCAST, net.mac(), EthernetFrame.IPV4, f.encode()).encode());
            }
            return Result.ok();
        }
        Result<Inet4Address, Routing.RoutingError> hop = Routing.nextHop(bound.prefix(), gateway, destination);
        if (!(hop instanceof Result.Ok<Inet4Address, Routing.RoutingError>(Inet4Address nextHop))) {
            return Result.err(new NetError.Unreachable(new Endpoint(destination, 0)));
        }
        long now = clock.monotonicNanos();
        for (Ipv4Packet f : fragments) {
            arp.send(now, nextHop, EthernetFrame.IPV4, f.encode()).forEach(net::send);
        }
        return Result.ok();
    }

    // ---- the interface's datagrams, claimed raw by a router (PacketPort) ----

    @Override
    public void receive(PacketPort.Receiver receiver) {
        this.router = (datagram, linkBroadcast, source) -> receiver.datagram(datagram, linkBroadcast);
    }

    @Override
    public void receiveWithSource(PacketPort.LinkReceiver receiver) {
        this.router = receiver;
    }

    @Override
    public void restrictArp(BiPredicate<MacAddress, Inet4Address> sender) {
        this.arpSenders = sender;
    }

    @Override
    public Result<Unit, NetError> sendDatagramTo(MacAddress destination, Bytes datagram) {
        if (closed) {
            return Result.err(new NetError.Closed());
        }
        if (datagram.size() > net.mtu()) {
            return Result.err(new NetError.Io("a datagram of " + datagram.size() + " bytes on a link of MTU " + net.mtu()));
        }
        net.send(new EthernetFrame(destination, net.mac(), EthernetFrame.IPV4, datagram).encode());
        return Result.ok();
    }

    @Override
    public void deliverLocally(Bytes datagram) {
        if (closed) {
            return;
        }
        switch (Ipv4Packet.parse(datagram)) {
            case Result.Ok<Ipv4Packet, ?>(Ipv4Packet p) -> ipInput(clock.monotonicNanos(), p, datagram);
            case Result.Err<Ipv4Packet, ?> e -> framesDropped++;
        }
    }

    @Override
    public Result<Unit, NetError> sendDatagram(Inet4Address nextHop, Bytes datagram) {
        if (closed) {
            return Result.err(new NetError.Closed());
        }
        if (datagram.size() > net.mtu()) {
            return Result.err(new NetError.Io("a datagram of " + datagram.size() + " bytes on a link of MTU " + net.mtu()));
        }
        arp.send(clock.monotonicNanos(), nextHop, EthernetFrame.IPV4, datagram).forEach(net::send);
        return Result.ok();
    }

    @Override
    public int mtu() {
        return net.mtu();
    }

    /**
     * Sends a UDP datagram from our address to {@code destination}, in a frame to {@code mac}, without
     * asking ARP: how a DHCP server answers a client that has no address yet (RFC 2131 4.1, "unicasts
     * ... to the client's hardware address and 'yiaddr' address"). The ARP cache is left as it is.
     */
    @Override
    public Result<Unit, NetError> sendUdpTo(MacAddress mac, int sourcePort, Endpoint destination, Bytes payload) {
        if (bound == null || closed) {
            return Result.err(new NetError.Closed());
        }
        if (!(destination.address() instanceof Inet4Address v4) || EthernetFrame.isMulticast(mac)) {
            return Result.err(new NetError.Unreachable(destination));
        }
        if (payload.size() > 65535 - Ipv4Packet.HEADER - UdpPacket.HEADER) {
            return Result.err(new NetError.Io("datagram of " + payload.size() + " bytes is too large"));
        }
        Bytes udpBytes = UdpPacket.encode(sourcePort, destination.port(), payload, bound.address(), v4);
        Ipv4Packet packet = new Ipv4Packet(0, nextIpId++ & 0xffff, false, false, 0, 64, Ipv4Packet.UDP, bound.address(), v4, udpBytes);
        for (Ipv4Packet f : Fragmenter.fragment(packet, net.mtu())) {
            net.send(new EthernetFrame(mac, net.mac(), EthernetFrame.IPV4, f.encode()).encode());
        }
        return Result.ok();
    }

    /** DHCP before an address is bound: from 0.0.0.0 (RFC 2131 4.1) to the broadcast address. */
    private void sendDhcp(Bytes payload, Optional<Inet4Address> unicastServer) {
        Inet4Address source = bound == null ? Wire.ipv4(0) : bound.address();
        if (unicastServer.isPresent() && bound != null) {
            sendIp(unicastServer.get(), Ipv4Packet.UDP,
                    UdpPacket.encode(DhcpClient.CLIENT_PORT, DhcpClient.SERVER_PORT, payload, source, unicastServer.get()));
            return;
        }
        Inet4Address broadcast = Wire.ipv4(-1);
        Bytes udpBytes = UdpPacket.encode(DhcpClient.CLIENT_PORT, DhcpClient.SERVER_PORT, payload, source, broadcast);
        Ipv4Packet packet = new Ipv4Packet(0x10, nextIpId++ & 0xffff, false, false, 0, 64, Ipv4Packet.UDP, source, broadcast, udpBytes);
        for (Ipv4Packet f : Fragmenter.fragment(packet, net.mtu())) {
            net.send(new EthernetFrame(EthernetFrame.BROADCAST, net.mac(), EthernetFrame.IPV4, f.encode()).encode());
        }
    }

    private final class DirectUdpSocket implements UdpSocket {
        private final Endpoint local;
        private final Consumer<Datagram> onReceive;
        private boolean socketClosed;

        DirectUdpSocket(Endpoint local, Consumer<Datagram> onReceive) {
            this.local = local;
            this.onReceive = onReceive;
        }

        @Override
        public Endpoint local() {
            return bound == null ? local : new Endpoint(bound.address(), local.port());
        }

        @Override
        public Promise<Result<Unit, NetError>> send(Endpoint destination, Bytes payload) {
            if (socketClosed || closed) {
                return Promise.resolved(Result.err(new NetError.Closed()));
            }
            if (destination.address() instanceof Inet6Address v6) {
                return Promise.resolved(ipv6 == null ? Result.err(new NetError.Unreachable(destination))
                        : ipv6.sendUdp(local.port(), destination, v6, payload));
            }
            if (!(destination.address() instanceof Inet4Address v4)) {
                return Promise.resolved(Result.err(new NetError.Unreachable(destination)));
            }
            if (payload.size() > 65535 - Ipv4Packet.HEADER - UdpPacket.HEADER) {
                return Promise.resolved(Result.err(new NetError.Io("datagram of " + payload.size() + " bytes is too large")));
            }
            if (bound == null) {
                return Promise.resolved(Result.err(new NetError.Unreachable(destination)));
            }
            Bytes datagram = UdpPacket.encode(local.port(), destination.port(), payload, bound.address(), v4);
            Result<Unit, NetError> sent = sendIp(v4, Ipv4Packet.UDP, datagram);
            return Promise.resolved(sent instanceof Result.Err<Unit, NetError>(NetError.Unreachable u)
                    ? Result.err(new NetError.Unreachable(destination)) : sent);
        }

        @Override
        public Promise<Unit> close() {
            if (!socketClosed) {
                socketClosed = true;
                udp.remove(local.port(), this);
            }
            return Promise.done();
        }
    }

}
