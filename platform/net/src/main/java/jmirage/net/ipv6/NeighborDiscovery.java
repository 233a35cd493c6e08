package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.ethernet.EthernetFrame;

/**
 * Neighbor Discovery for a host (RFC 4861), the IPv6 sibling of ARP: validates ND messages, answers
 * solicitations for our addresses, resolves next hops through the {@link NeighborCache}, and drives
 * the {@link Autoconfig} (duplicate address detection, router solicitation and advertisements).
 * Returns Ethernet frames to send, as {@code Arp} does; what is worth a log line is kept as
 * {@link Autoconfig.Out} events for the shell to drain. No I/O, no clock.
 */
public final class NeighborDiscovery {

    /** RFC 4861 6.1 / 7.1: ND messages come with hop limit 255, so never from beyond a router. */
    public static final int HOP_LIMIT = 255;

    private final MacAddress mac;
    private final Autoconfig autoconfig;
    private final NeighborCache cache;
    private final List<Autoconfig.Out> events = new ArrayList<>();

    public NeighborDiscovery(Autoconfig autoconfig, NeighborCache cache) {
        this.mac = autoconfig.mac();
        this.autoconfig = autoconfig;
        this.cache = cache;
    }

    public Autoconfig autoconfig() {
        return autoconfig;
    }

    public NeighborCache cache() {
        return cache;
    }

    /** Address events since the last call (ready, duplicate, expired), for the log. */
    public List<Autoconfig.Out> drainEvents() {
        List<Autoconfig.Out> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** The rules of RFC 4861 that need the IP header: 6.1.1, 6.1.2, 7.1.1, 7.1.2. */
    public static boolean valid(Ipv6Packet p, NdMessage m) {
        if (p.hopLimit() != HOP_LIMIT) {
            return false;
        }
        boolean unspecified = Ipv6Addresses.isUnspecified(p.source());
        boolean sourceLinkLayer = m.options().stream().anyMatch(o -> o instanceof NdMessage.SourceLinkLayer);
        return switch (m) {
            case NdMessage.RouterSolicitation s -> !(unspecified && sourceLinkLayer);
            case NdMessage.RouterAdvertisement a -> Ipv6Addresses.isLinkLocal(p.source());
            case NdMessage.NeighborSolicitation s -> !unspecified
                    || (p.destination().equals(Ipv6Addresses.solicitedNode(s.target())) && !sourceLinkLayer);
            case NdMessage.NeighborAdvertisement a -> !(Ipv6Addresses.isMulticast(p.destination()) && a.solicited());
        };
    }

    /** A valid ND message from the link. */
    public List<Bytes> input(long now, Ipv6Packet p, NdMessage message) {
        List<Bytes> out = new ArrayList<>();
        Inet6Address source = p.source();
        boolean unspecified = Ipv6Addresses.isUnspecified(source);
        switch (message) {
            case NdMessage.NeighborSolicitation s -> {
                if (autoconfig.isTentative(s.target())) {
                    if (unspecified) {
                        events.addAll(autoconfig.conflict(s.target(), true)); // RFC 4862 5.4.3: another node's probe
                    }
                    return out;
                }
                if (!autoconfig.isOwn(s.target())) {
                    return out;
                }
                if (!unspecified) {
                    s.linkLayer().ifPresent(m -> frames(cache.learn(now, source, m), out));
                }
                // RFC 4861 7.2.4: answer with our link-layer address; to all nodes if the asker has no address yet.
                NdMessage.NeighborAdvertisement na = new NdMessage.NeighborAdvertisement(false, !unspecified, true, s.target(),
                        List.of(new NdMessage.TargetLinkLayer(mac)));
                Inet6Address to = unspecified ? Ipv6Addresses.ALL_NODES : source;
                out.addAll(send(now, nd(s.target(), to, na)).orElse(List.of()));
            }
            case NdMessage.NeighborAdvertisement a -> {
                if (autoconfig.isTentative(a.target()) || autoconfig.isOwn(a.target())) {
                    events.addAll(autoconfig.conflict(a.target(), false)); // RFC 4862 5.4.4
                    return out;
                }
                frames(cache.advertised(now, a.target(), a.linkLayer(), a.solicited(), a.override()), out);
            }
            case NdMessage.RouterAdvertisement ra -> {
                ra.linkLayer().ifPresent(m -> frames(cache.learn(now, source, m), out));
                events.addAll(autoconfig.advertisement(now, source, ra));
            }
            case NdMessage.RouterSolicitation rs -> { } // RFC 4861 6.2.6 is for routers; a host discards them
        }
        return out;
    }

    /**
     * Frames for an encoded IPv6 packet to {@code destination}: multicast at once, unicast through the
     * next hop's cache entry (perhaps after a solicitation). Empty when there is no route.
     */
    public Optional<List<Bytes>> send(long now, Inet6Address destination, Bytes packet) {
        if (Ipv6Addresses.isMulticast(destination)) {
            return Optional.of(List.of(new EthernetFrame(Ipv6Addresses.multicastMac(destination), mac, EthernetFrame.IPV6, packet).encode()));
        }
        Optional<Inet6Address> hop = autoconfig.nextHop(destination);
        if (hop.isEmpty()) {
            return Optional.empty();
        }
        List<Bytes> out = new ArrayList<>();
        frames(cache.send(now, hop.get(), packet), out);
        return Optional.of(out);
    }

    private Optional<List<Bytes>> send(long now, Ipv6Packet packet) {
        return send(now, packet.destination(), packet.encode());
    }

    /** Timers of the cache and of the configuration. */
    public List<Bytes> tick(long now) {
        List<Bytes> out = new ArrayList<>();
        frames(cache.tick(now), out);
        for (Autoconfig.Out o : autoconfig.tick(now)) {
            switch (o) {
                case Autoconfig.Out.ProbeAddress(Inet6Address target) -> {
                    // RFC 4862 5.4.2: from ::, to the solicited-node group, no source link-layer option.
                    NdMessage ns = new NdMessage.NeighborSolicitation(target, List.of());
                    out.addAll(send(now, nd(Ipv6Addresses.UNSPECIFIED, Ipv6Addresses.solicitedNode(target), ns)).orElse(List.of()));
                }
                case Autoconfig.Out.SolicitRouters() -> {
                    // RFC 4861 6.3.7: from our link-local address once it is ours, else from :: without the option.
                    Optional<Inet6Address> from = autoconfig.sourceFor(Ipv6Addresses.ALL_ROUTERS);
                    NdMessage rs = new NdMessage.RouterSolicitation(
                            from.isPresent() ? List.of(new NdMessage.SourceLinkLayer(mac)) : List.of());
                    out.addAll(send(now, nd(from.orElse(Ipv6Addresses.UNSPECIFIED), Ipv6Addresses.ALL_ROUTERS, rs)).orElse(List.of()));
                }
                default -> events.add(o);
            }
        }
        return out;
    }

    private void frames(List<NeighborCache.Out> outs, List<Bytes> into) {
        for (NeighborCache.Out o : outs) {
            switch (o) {
                case NeighborCache.Out.Send(MacAddress to, Bytes packet) -> into.add(new EthernetFrame(to, mac, EthernetFrame.IPV6, packet).encode());
                case NeighborCache.Out.Solicit(Inet6Address target, Optional<MacAddress> unicast) -> {
                    Optional<Inet6Address> from = autoconfig.sourceFor(target);
                    if (from.isEmpty()) {
                        continue; // no address of ours yet to ask from
                    }
                    Inet6Address to = unicast.isPresent() ? target : Ipv6Addresses.solicitedNode(target);
                    NdMessage ns = new NdMessage.NeighborSolicitation(target, List.of(new NdMessage.SourceLinkLayer(mac)));
                    MacAddress toMac = unicast.orElse(Ipv6Addresses.multicastMac(to));
                    into.add(new EthernetFrame(toMac, mac, EthernetFrame.IPV6, nd(from.get(), to, ns).encode()).encode());
                }
            }
        }
    }

    private static Ipv6Packet nd(Inet6Address source, Inet6Address destination, NdMessage m) {
        return Ipv6Packet.of(Ipv6Packet.ICMPV6, HOP_LIMIT, source, destination, m.toIcmp().encode(source, destination));
    }
}
