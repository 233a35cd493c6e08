package jmirage.net;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import jmirage.core.net.Net;
import jmirage.core.net.NetError;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.ipv6.Autoconfig;
import jmirage.net.ipv6.Icmpv6Message;
import jmirage.net.ipv6.Ipv6Addresses;
import jmirage.net.ipv6.Ipv6Fragmenter;
import jmirage.net.ipv6.Ipv6Packet;
import jmirage.net.ipv6.Ipv6Reassembly;
import jmirage.net.ipv6.NdMessage;
import jmirage.net.ipv6.NeighborCache;
import jmirage.net.ipv6.NeighborDiscovery;
import jmirage.net.tcp.TcpLayer;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Wire;

/**
 * The IPv6 half of {@link DirectStack}'s shell: frames of EtherType 0x86DD in, Neighbor Discovery and
 * autoconfiguration ({@link NeighborDiscovery}), reassembly, ICMPv6 echo and errors, and UDP and TCP
 * over IPv6 through the stack's one port table and {@link TcpLayer}. Runs on the stack's loop.
 */
final class Ipv6Layer {

    /** A datagram for a bound UDP port; false when no socket holds the port. */
    @FunctionalInterface
    interface UdpDelivery {
        boolean deliver(Datagram datagram);
    }

    private final Net net;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Random random;
    private final Log log;
    private final NeighborDiscovery nd;
    private final TcpLayer tcp;
    private final UdpDelivery udp;
    private final Ipv6Reassembly reassembly = new Ipv6Reassembly(Reassembly.Config.DEFAULT);
    private final TokenBucket icmpLimiter = TokenBucket.perSecond(50, 100); // RFC 4443 2.4 (f)
    private final Map<Integer, Promise<Result<Duration, NetError>>> pings = new HashMap<>();
    private int nextPing;
    private Cancellable timer;
    private long timerAt = Long.MAX_VALUE;
    private boolean closed;
    private long dropped;

    Ipv6Layer(Net net, Ipv6Config config, Clock clock, Scheduler scheduler, Random random, Log log, TcpLayer tcp, UdpDelivery udp) {
        this.net = net;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.log = log;
        this.tcp = tcp;
        this.udp = udp;
        long now = clock.monotonicNanos();
        Autoconfig autoconfig = switch (config) {
            case Ipv6Config.Static s -> Autoconfig.fixed(net.mac(), Autoconfig.Config.DEFAULT, net.mtu(), random.nextLong(), now,
                    s.address(), s.gateway());
            case Ipv6Config.Slaac s -> Autoconfig.slaac(net.mac(), Autoconfig.Config.DEFAULT, net.mtu(), random.nextLong(), now);
            case Ipv6Config.Disabled d -> throw new IllegalArgumentException("no IPv6 layer when IPv6 is disabled");
        };
        this.nd = new NeighborDiscovery(autoconfig, new NeighborCache(NeighborCache.Config.DEFAULT));
        arm(now);
    }

    NeighborDiscovery neighborDiscovery() {
        return nd;
    }

    long dropped() {
        return dropped;
    }

    /** Our addresses that are ours already (duplicate address detection passed), link-local first. */
    List<Inet6Address> addresses() {
        return nd.autoconfig().addresses().stream()
                .filter(a -> a.state() != Autoconfig.AddressState.TENTATIVE)
                .map(Autoconfig.Address::address)
                .toList();
    }

    /** Whether {@code destination} is on-link or there is a default router (RFC 4861 5.2). */
    boolean hasRoute(Inet6Address destination) {
        return nd.autoconfig().nextHop(destination).isPresent();
    }

    Optional<Inet6Address> sourceFor(Inet6Address destination) {
        return nd.autoconfig().sourceFor(destination);
    }

    void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
    }

    // ---- input ----

    void input(long now, Bytes raw) {
        if (!(Ipv6Packet.parse(raw) instanceof Result.Ok<Ipv6Packet, ?>(Ipv6Packet packet))) {
            dropped++;
            return;
        }
        var autoconfig = nd.autoconfig();
        boolean unicast = autoconfig.isOwn(packet.destination());
        if (!unicast && !autoconfig.listensTo(packet.destination())) {
            dropped++; // a host does not forward (RFC 8200 3, "node"); tentative addresses receive nothing (RFC 4862 5.4)
            return;
        }
        // RFC 4291 2.7 and 2.5.3: never from a group or from loopback; from :: only Neighbor Discovery's probes.
        if (Ipv6Addresses.isMulticast(packet.source()) || Ipv6Addresses.isLoopback(packet.source())
                || (Ipv6Addresses.isUnspecified(packet.source()) && packet.nextHeader() != Ipv6Packet.ICMPV6)) {
            dropped++;
            return;
        }
        Optional<Result<Ipv6Packet, jmirage.net.wire.ParseError>> whole = reassembly.input(now, packet);
        if (whole.isEmpty()) {
            return;
        }
        if (!(whole.get() instanceof Result.Ok<Ipv6Packet, ?>(Ipv6Packet p))) {
            dropped++;
            return;
        }
        Bytes original = p == packet ? raw : p.encode();
        switch (p.nextHeader()) {
            case Ipv6Packet.ICMPV6 -> icmpInput(now, p, unicast);
            case Ipv6Packet.UDP -> udpInput(now, p, original, unicast);
            case Ipv6Packet.TCP -> {
                if (!unicast) {
                    dropped++; // no TCP to a group
                    return;
                }
                switch (TcpSegment.parse(p.payload(), p.source(), p.destination())) {
                    case Result.Ok<TcpSegment, ?>(TcpSegment s) -> tcp.input(p.source(), p.destination(), s);
                    case Result.Err<TcpSegment, ?> e -> dropped++;
                }
            }
            case Ipv6Packet.NO_NEXT_HEADER -> { }
            default -> {
                dropped++;
                // RFC 8200 4 / RFC 4443 3.4: unrecognized next header, pointing at the field when it is the fixed header's.
                if (unicast && original.getUnsigned(6) == p.nextHeader() && icmpLimiter.allow(now)) {
                    sendIcmp(p.destination(), p.source(), Icmpv6Message.parameterProblem(Icmpv6Message.UNRECOGNIZED_NEXT_HEADER, 6, original));
                }
            }
        }
        arm(now);
    }

    private void icmpInput(long now, Ipv6Packet p, boolean unicast) {
        if (!(Icmpv6Message.parse(p.payload(), p.source(), p.destination()) instanceof Result.Ok<Icmpv6Message, ?>(Icmpv6Message m))) {
            dropped++;
            return;
        }
        switch (m.type()) {
            case Icmpv6Message.ECHO_REQUEST -> {
                // RFC 4443 4.1 lets a node answer a group's echo; we answer our unicast addresses only.
                if (unicast && icmpLimiter.allow(now)) {
                    sendIcmp(p.destination(), p.source(), Icmpv6Message.echoReply(m));
                }
            }
            case Icmpv6Message.ECHO_REPLY -> {
                Promise<Result<Duration, NetError>> waiting = pings.remove(m.rest());
                if (waiting != null && m.body().size() >= 8) {
                    long sentAt = Wire.u32(m.body(), 0) << 32 | Wire.u32(m.body(), 4);
                    waiting.resolve(Result.ok(Duration.ofNanos(now - sentAt)));
                }
            }
            case Icmpv6Message.ROUTER_SOLICITATION, Icmpv6Message.ROUTER_ADVERTISEMENT, Icmpv6Message.NEIGHBOR_SOLICITATION,
                    Icmpv6Message.NEIGHBOR_ADVERTISEMENT -> {
                if (NdMessage.parse(m) instanceof Result.Ok<NdMessage, ?>(NdMessage message) && NeighborDiscovery.valid(p, message)) {
                    nd.input(now, p, message).forEach(net::send);
                    logEvents();
                } else {
                    dropped++;
                }
            }
            default -> { } // errors about what we sent, redirects: not acted on (README, "Not done")
        }
    }

    private void udpInput(long now, Ipv6Packet p, Bytes raw, boolean unicast) {
        if (!(UdpPacket.parse(p.payload(), p.source(), p.destination()) instanceof Result.Ok<UdpPacket, ?>(UdpPacket u))
                || !u.checksumPresent()) {
            dropped++; // RFC 8200 8.1: a zero UDP checksum is no checksum, and IPv6 requires one
            return;
        }
        Datagram d = new Datagram(new Endpoint(p.source(), u.sourcePort()), new Endpoint(p.destination(), u.destinationPort()), u.payload());
        if (!udp.deliver(d) && unicast && icmpLimiter.allow(now)) {
            // RFC 4443 3.1: port unreachable, never about a packet to a group (2.4 e).
            sendIcmp(p.destination(), p.source(), Icmpv6Message.destinationUnreachable(Icmpv6Message.PORT_UNREACHABLE, raw));
        }
    }

    void tick(long now) {
        if (closed) {
            return;
        }
        nd.tick(now).forEach(net::send);
        logEvents();
        reassembly.expire(now);
        arm(now);
    }

    /** One timer at the configuration's next deadline (probes, solicitations); the neighbor cache ticks with the stack. */
    private void arm(long now) {
        long deadline = nd.autoconfig().nextDeadline();
        if (closed || deadline >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = deadline;
        timer = scheduler.schedule(Duration.ofNanos(Math.max(0, deadline - now)), () -> {
            timer = null;
            timerAt = Long.MAX_VALUE;
            tick(clock.monotonicNanos());
        });
    }

    private void logEvents() {
        for (Autoconfig.Out e : nd.drainEvents()) {
            switch (e) {
                case Autoconfig.Out.AddressReady(Autoconfig.Address a) -> log.info("ipv6 " + a.prefix() + " ready ("
                        + a.origin().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ") on " + net.mac());
                case Autoconfig.Out.AddressDuplicate(Inet6Address a) -> log.warn("ipv6 " + a.getHostAddress()
                        + " is in use by another node on the link (duplicate address detection)");
                case Autoconfig.Out.AddressExpired(Inet6Address a) -> log.info("ipv6 " + a.getHostAddress() + " expired");
                default -> { }
            }
        }
    }

    // ---- output ----

    /** Sends {@code payload} (of {@code nextHeader}) from {@code source} to {@code destination}, fragmented at the link MTU. */
    Result<Unit, NetError> send(Inet6Address source, Inet6Address destination, int nextHeader, Bytes payload) {
        if (closed) {
            return Result.err(new NetError.Closed());
        }
        Ipv6Packet packet = Ipv6Packet.of(nextHeader, nd.autoconfig().hopLimit(), source, destination, payload);
        if (nd.autoconfig().isOwn(destination)) {
            // To ourselves: no wire, straight back in on the loop.
            Bytes encoded = packet.encode();
            scheduler.execute(() -> input(clock.monotonicNanos(), encoded));
            return Result.ok();
        }
        long now = clock.monotonicNanos();
        // RFC 7739: an identification not guessable from the previous one.
        for (Ipv6Packet f : Ipv6Fragmenter.fragment(packet, nd.autoconfig().linkMtu(), (int) random.nextLong())) {
            Optional<List<Bytes>> frames = nd.send(now, destination, f.encode());
            if (frames.isEmpty()) {
                return Result.err(new NetError.Unreachable(new Endpoint(destination, 0)));
            }
            frames.get().forEach(net::send);
        }
        return Result.ok();
    }

    /** A UDP datagram from our best source for {@code destination}. */
    Result<Unit, NetError> sendUdp(int sourcePort, Endpoint destination, Inet6Address to, Bytes payload) {
        if (payload.size() > 65535 - UdpPacket.HEADER) {
            return Result.err(new NetError.Io("datagram of " + payload.size() + " bytes is too large"));
        }
        Optional<Inet6Address> source = sourceFor(to);
        if (source.isEmpty()) {
            return Result.err(new NetError.Unreachable(destination));
        }
        Bytes datagram = UdpPacket.encode(sourcePort, destination.port(), payload, source.get(), to);
        Result<Unit, NetError> sent = send(source.get(), to, Ipv6Packet.UDP, datagram);
        return sent instanceof Result.Err<Unit, NetError>(NetError.Unreachable u) ? Result.err(new NetError.Unreachable(destination)) : sent;
    }

    private void sendIcmp(Inet6Address source, Inet6Address destination, Icmpv6Message m) {
        send(source, destination, Ipv6Packet.ICMPV6, m.encode(source, destination));
    }

    /** An ICMPv6 echo (RFC 4443 4.1); resolves with the round-trip time, or TimedOut after {@code timeout}. */
    Promise<Result<Duration, NetError>> ping(Inet6Address destination, Duration timeout) {
        Optional<Inet6Address> source = sourceFor(destination);
        if (source.isEmpty()) {
            return Promise.resolved(Result.err(new NetError.Unreachable(new Endpoint(destination, 0))));
        }
        int id = (random.nextInt(65536) << 16) | (nextPing++ & 0xffff);
        byte[] stamp = new byte[16];
        long now = clock.monotonicNanos();
        Wire.putU32(stamp, 0, now >>> 32);
        Wire.putU32(stamp, 4, now & 0xffffffffL);
        Icmpv6Message request = new Icmpv6Message(Icmpv6Message.ECHO_REQUEST, 0, id, Bytes.adopt(stamp));
        Result<Unit, NetError> sent = send(source.get(), destination, Ipv6Packet.ICMPV6, request.encode(source.get(), destination));
        if (sent instanceof Result.Err<Unit, NetError>(NetError e)) {
            return Promise.resolved(Result.err(e));
        }
        Promise<Result<Duration, NetError>> reply = Promise.pending();
        pings.put(id, reply);
        scheduler.schedule(timeout, () -> {
            if (pings.remove(id, reply)) {
                reply.resolve(Result.err(new NetError.TimedOut(new Endpoint(destination, 0))));
            }
        });
        return reply;
    }
}
