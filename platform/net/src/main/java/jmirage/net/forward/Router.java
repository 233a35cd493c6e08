package jmirage.net.forward;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Network;
import jmirage.core.net.PacketPort;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.nat.NatTable;
import jmirage.net.nat.NatVerdict;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * The router's shell (README, "Forwarding"): the {@link Forwarder} and, when given, a source NAT
 * ({@link NatTable}) on one interface, bound to the interfaces' raw datagrams ({@link PacketPort},
 * decision 20). Every datagram that arrives on an interface is reassembled (a NAT translates whole
 * datagrams: the ports are in the first fragment only; Linux's conntrack reassembles too), translated
 * back when it came in on the NAT's outside, then delivered to the stack of the interface it came by
 * (when addressed to that interface, or a broadcast), forwarded, or answered with an ICMP error; whatever leaves by the outside is
 * translated, then cut to the link's MTU. The MSS of a TCP SYN forwarded between links of different MTUs is
 * clamped to the narrower one ({@link MssClamp}).
 *
 * <p>Behind a NAT only what a mapping (or a port forward) lets in crosses from the outside: an
 * untranslated datagram from there is delivered when it is for the router itself and dropped
 * otherwise, even when a route would reach its destination (so the outside cannot reach private hosts
 * by routing their addresses to the router, as it could through a plain Linux router with NAT and no
 * filter).
 *
 * <p>Runs on the loop of its {@link Scheduler}, as the ports deliver there; one timer expires
 * fragments and mappings.
 */
public final class Router {

    /** How often reassembly and the NAT table drop what has waited too long. */
    static final Duration HOUSEKEEPING = Duration.ofSeconds(1);

    /** One interface: its configuration (name, address, MTU) and its datagrams. */
    public record Attachment(RouterInterface config, PacketPort port) {

        /** A network claimed by role (decision 20) as the router sees it: its name, address and MTU, and its datagrams. */
        public static Attachment of(Network network) {
            return new Attachment(new RouterInterface(network.name(), network.ipv4(), network.packets().mtu()), network.packets());
        }
    }

    /** Source NAT towards the interface named {@code outside}, whose address is the table's public one. */
    public record Nat(String outside, NatTable table) {}

    /**
     * A verdict on each whole datagram (decision 25), called after reassembly and before the NAT and
     * forwarding: a firewall's rules. Returns empty to let the datagram on, or the reason it is dropped
     * (counted under that reason in {@link Counters#dropped}).
     */
    @FunctionalInterface
    public interface Filter {
        /** {@code ingress}: the name of the interface it came in by. */
        Optional<String> drop(String ingress, Bytes datagram);

        Filter NONE = (ingress, datagram) -> Optional.empty();
    }

    /** What happened to the datagrams, counted. */
    public record Counters(long forwarded, long delivered, long errorsSent, Map<String, Long> dropped) {}

    private final Map<String, Attachment> interfaces = new LinkedHashMap<>();
    private final Forwarder forwarder;
    private final Optional<Nat> nat;
    private final Filter filter;
    private final Clock clock;
    private final Log log;
    private final Reassembly reassembly = new Reassembly(Reassembly.Config.DEFAULT);
    private final Cancellable housekeeping;
    private long forwarded;
    private long delivered;
    private long errorsSent;
    private final Map<String, Long> dropped = new LinkedHashMap<>();

    private Router(List<Attachment> attachments, Forwarder forwarder, Optional<Nat> nat, Filter filter, Clock clock,
                   Scheduler scheduler, Log log) {
        attachments.forEach(a -> interfaces.put(a.config().name(), a));
        this.forwarder = forwarder;
        this.nat = nat;
        this.filter = filter;
        this.clock = clock;
        this.log = log;
        this.housekeeping = scheduler.every(HOUSEKEEPING, () -> {
            long now = clock.monotonicNanos();
            reassembly.expire(now);
            nat.ifPresent(n -> n.table().expire(now));
        });
        for (Attachment a : attachments) {
            a.port().receive((datagram, linkBroadcast) -> input(a, datagram, linkBroadcast));
        }
    }

    /**
     * Claims the datagrams of {@code attachments} and routes them by their subnets and {@code routes};
     * {@code icmpErrors} limits the errors the router sends (RFC 1812 4.3.2.8). Fails on a table that
     * is wrong ({@link RoutingTable#of}) or a NAT on an interface that is not attached.
     */
    public static Result<Router, RouteError> start(List<Attachment> attachments, List<Route> routes, Optional<Nat> nat,
                                                   TokenBucket icmpErrors, Clock clock, Scheduler scheduler, Log log) {
        return start(attachments, routes, nat, Filter.NONE, icmpErrors, clock, scheduler, log);
    }

    /** As {@link #start(List, List, Optional, TokenBucket, Clock, Scheduler, Log)}, every whole datagram passed through {@code filter} first. */
    public static Result<Router, RouteError> start(List<Attachment> attachments, List<Route> routes, Optional<Nat> nat, Filter filter,
                                                   TokenBucket icmpErrors, Clock clock, Scheduler scheduler, Log log) {
        List<RouterInterface> configs = attachments.stream().map(Attachment::config).toList();
        Result<RoutingTable, RouteError> table = RoutingTable.of(configs, routes);
        if (!(table instanceof Result.Ok<RoutingTable, RouteError>(RoutingTable t))) {
            return Result.err(((Result.Err<RoutingTable, RouteError>) table).error());
        }
        if (nat.isPresent() && configs.stream().noneMatch(c -> c.name().equals(nat.get().outside()))) {
            return Result.err(new RouteError.UnknownNatOutside(nat.get().outside()));
        }
        return Result.ok(new Router(attachments, new Forwarder(t, icmpErrors), nat, filter, clock, scheduler, log));
    }

    public Counters counters() {
        return new Counters(forwarded, delivered, errorsSent, Map.copyOf(dropped));
    }

    /**
     * Registers the router's counts in {@code metrics}, read at each scrape:
     * {@code jmirage_router_datagrams_total{fate}} (forwarded, delivered, error_sent),
     * {@code jmirage_router_dropped_total{reason}}, and with a NAT {@code jmirage_nat_mappings} and
     * {@code jmirage_nat_evictions_total}.
     */
    public void register(Metrics metrics) {
        metrics.counter("jmirage_router_datagrams_total", "Datagrams the router forwarded, delivered to its own stacks, or"
                + " answered with an ICMP error.", List.of("fate"), () -> Map.of(List.of("forwarded"), forwarded,
                List.of("delivered"), delivered, List.of("error_sent"), errorsSent));
        metrics.counter("jmirage_router_dropped_total", "Datagrams the router dropped, by reason.", List.of("reason"), () -> {
            Map<List<String>, Long> byReason = new LinkedHashMap<>();
            dropped.forEach((reason, count) -> byReason.put(List.of(reason), count));
            return byReason;
        });
        nat.ifPresent(n -> {
            metrics.gauge("jmirage_nat_mappings", "Mappings in the NAT table.", () -> n.table().size());
            metrics.counter("jmirage_nat_evictions_total", "Mappings evicted from the full NAT table for a new flow.", List.of(),
                    () -> Map.of(List.of(), n.table().evictions()));
        });
    }

    public Optional<NatTable> natTable() {
        return nat.map(Nat::table);
    }

    /** Stops the housekeeping; the ports keep their receiver (the network's stack closes with the target). */
    public void stop() {
        housekeeping.cancel();
    }

    private void input(Attachment in, Bytes datagram, boolean linkBroadcast) {
        long now = clock.monotonicNanos();
        Bytes whole = datagram;
        if (isFragment(datagram)) {
            switch (Ipv4Packet.parse(datagram)) {
                case Result.Err<Ipv4Packet, ParseError>(ParseError e) -> {
                    drop("malformed");
                    return;
                }
                case Result.Ok<Ipv4Packet, ParseError>(Ipv4Packet fragment) -> {
                    Optional<Ipv4Packet> done = reassembly.input(now, fragment);
                    if (done.isEmpty()) {
                        return;
                    }
                    whole = done.get().encode();
                }
            }
        }
        Optional<String> refused = filter.drop(in.config().name(), whole);
        if (refused.isPresent()) {
            drop(refused.get());
            return;
        }
        boolean fromOutside = nat.isPresent() && nat.get().outside().equals(in.config().name());
        boolean translated = false;
        if (fromOutside) {
            switch (nat.get().table().inbound(now, whole)) {
                case NatVerdict.Translated(Bytes back) -> {
                    whole = back;
                    translated = true;
                }
                case NatVerdict.Untranslated() -> { }
                case NatVerdict.Dropped(var reason) -> {
                    drop("nat: " + reason.getClass().getSimpleName());
                    return;
                }
            }
        }
        ForwardDecision decision = forwarder.decide(now, whole, linkBroadcast);
        if (fromOutside && !translated && !(decision instanceof ForwardDecision.Deliver)) {
            drop("not translated");
            return;
        }
        switch (decision) {
            case ForwardDecision.Deliver(Bytes packet) -> {
                if (forAnotherInterface(packet, in)) {
                    drop("for another interface");
                    return;
                }
                delivered++;
                in.port().deliverLocally(packet);
            }
            case ForwardDecision.Forward(Hop hop, Bytes packet) -> {
                // A SYN either way learns the narrower link's MSS (RFC 4459 3.2), so neither end sends
                // segments that must be cut or, with DF, bounced.
                Bytes clamped = MssClamp.clamp(packet, MssClamp.forMtu(Math.min(in.config().mtu(), hop.out().mtu())));
                if (leave(now, hop, clamped)) {
                    forwarded++;
                }
            }
            case ForwardDecision.SendError(Hop hop, Bytes packet, var problem) -> {
                if (leave(now, hop, packet)) {
                    errorsSent++;
                }
            }
            case ForwardDecision.Dropped(ForwardDecision.Cause cause) -> drop(cause.getClass().getSimpleName());
        }
    }

    /** Sends {@code packet} out of {@code hop}: translated when it leaves by the NAT's outside, in pieces that fit. */
    private boolean leave(long now, Hop hop, Bytes packet) {
        Bytes out = packet;
        if (nat.isPresent() && nat.get().outside().equals(hop.out().name())) {
            switch (nat.get().table().outbound(now, packet)) {
                case NatVerdict.Translated(Bytes translated) -> out = translated;
                case NatVerdict.Untranslated() -> { }
                case NatVerdict.Dropped(var reason) -> {
                    drop("nat: " + reason.getClass().getSimpleName());
                    return false;
                }
            }
        }
        PacketPort port = interfaces.get(hop.out().name()).port();
        for (Bytes piece : Forwarder.fragments(out, hop.out().mtu())) {
            if (port.sendDatagram(hop.nextHop(), piece) instanceof Result.Err<?, ?>(var e)) {
                drop("send failed");
                log.debug(() -> "out of " + hop.out().name() + ": " + e);
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a datagram for the router is addressed to another of its interfaces than the one it came
     * in by. Each interface's stack routes its own answers by its own link and gateway, so an answer
     * from there would leave by the wrong link: such datagrams are discarded, as a host of the "strong
     * end system model" may (RFC 1122 3.3.4.2). Broadcasts go to the stack of the link they came by.
     */
    private boolean forAnotherInterface(Bytes packet, Attachment in) {
        Inet4Address destination = Wire.ipv4(packet, 16); // RFC 791 3.1: the destination address
        if (in.config().address().address().equals(destination)) {
            return false;
        }
        return interfaces.values().stream().anyMatch(a -> a.config().address().address().equals(destination));
    }

    private static boolean isFragment(Bytes datagram) {
        // RFC 791 3.1: flags and fragment offset in bytes 6-7; MF is 0x2000, the offset the low 13 bits.
        return datagram.size() >= Ipv4Packet.HEADER && (Wire.u16(datagram, 6) & 0x3fff) != 0;
    }

    private void drop(String why) {
        dropped.merge(why, 1L, Long::sum);
    }
}
