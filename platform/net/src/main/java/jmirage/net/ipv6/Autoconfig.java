package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;

/**
 * The host's own IPv6 configuration, the part of Neighbor Discovery that is about us: addresses with
 * duplicate address detection (RFC 4862 5.4: one solicitation, then a retransmission time of silence),
 * the link-local address from the MAC (modified EUI-64, RFC 4291 2.5.1), router solicitation at start
 * (RFC 4861 6.3.7), router advertisements (6.3.4: default routers, on-link prefixes, MTU, hop limit) and
 * stateless autoconfiguration from their prefixes with the A flag (RFC 4862 5.5.3, lifetimes and the
 * two-hour rule), or a static address, prefix and gateway instead. Bounded: routers, prefixes, addresses.
 *
 * <p>No I/O, no clock: every call takes the time; randomness (the start delays) comes from a seed.
 */
public final class Autoconfig {

    public record Config(Duration maxStartDelay, Duration solicitationInterval, int maxRouterSolicitations, Duration dadWait,
            int maxRouters, int maxPrefixes, int maxAddresses) {
        /** RFC 4861 10 (MAX_RTR_SOLICITATION_DELAY, RTR_SOLICITATION_INTERVAL, MAX_RTR_SOLICITATIONS, RETRANS_TIMER). */
        public static final Config DEFAULT = new Config(Duration.ofSeconds(1), Duration.ofSeconds(4), 3, Duration.ofSeconds(1),
                8, 16, 16);
    }

    public enum Origin { LINK_LOCAL, STATIC, SLAAC }

    public enum AddressState { TENTATIVE, PREFERRED, DEPRECATED }

    /** One of our addresses; times are monotonic nanoseconds, {@link Long#MAX_VALUE} for ever. */
    public record Address(IpPrefix prefix, Origin origin, AddressState state, long preferredUntil, long validUntil) {
        public Inet6Address address() {
            return (Inet6Address) prefix.address();
        }
    }

    public record Router(Inet6Address address, long until) {}

    /** What the shell does or logs. */
    public sealed interface Out {
        /** Duplicate address detection: a solicitation from :: for {@code target} (RFC 4862 5.4.2). */
        record ProbeAddress(Inet6Address target) implements Out {}

        record SolicitRouters() implements Out {}

        record AddressReady(Address address) implements Out {}

        /** Someone else holds the address: it is given up (RFC 4862 5.4.5). */
        record AddressDuplicate(Inet6Address address) implements Out {}

        record AddressExpired(Inet6Address address) implements Out {}
    }

    private static final class Own {
        final IpPrefix prefix;
        final Origin origin;
        AddressState state = AddressState.TENTATIVE;
        long probeAt;
        boolean probed;
        long readyAt;
        long preferredUntil;
        long validUntil;

        Own(IpPrefix prefix, Origin origin, long probeAt, long preferredUntil, long validUntil) {
            this.prefix = prefix;
            this.origin = origin;
            this.probeAt = probeAt;
            this.preferredUntil = preferredUntil;
            this.validUntil = validUntil;
        }

        Address snapshot() {
            return new Address(prefix, origin, state, preferredUntil, validUntil);
        }
    }

    private static final long FOREVER = Long.MAX_VALUE;
    private static final long TWO_HOURS = Duration.ofHours(2).toNanos();

    private final MacAddress mac;
    private final Config config;
    private final boolean slaac;
    private final int linkMaxMtu;
    private final SplittableRandom random;
    private final LinkedHashMap<Inet6Address, Own> addresses = new LinkedHashMap<>();
    private final LinkedHashMap<Inet6Address, Router> routers = new LinkedHashMap<>();
    private final LinkedHashMap<IpPrefix, Long> onLink = new LinkedHashMap<>();
    private final Optional<Inet6Address> staticGateway;
    private int linkMtu;
    private int hopLimit = 64;
    private int solicitationsSent;
    private long nextSolicitation;
    private boolean advertised;

    private Autoconfig(MacAddress mac, Config config, boolean slaac, int linkMtu, long seed, long now,
            Optional<IpPrefix> staticAddress, Optional<Inet6Address> gateway) {
        this.mac = mac;
        this.config = config;
        this.slaac = slaac;
        this.linkMaxMtu = Math.max(linkMtu, Ipv6Packet.MINIMUM_MTU);
        this.linkMtu = linkMaxMtu;
        this.random = new SplittableRandom(seed);
        this.staticGateway = gateway;
        // RFC 4862 5.4.2: a random delay before the first probe, as a whole link may boot at once.
        long start = now + delay();
        add(new IpPrefix(Ipv6Addresses.linkLocal(mac), 64), Origin.LINK_LOCAL, start, FOREVER, FOREVER);
        staticAddress.ifPresent(p -> {
            add(p, Origin.STATIC, start, FOREVER, FOREVER);
            onLink.put(Ipv6Addresses.network(p.address(), p.length()), FOREVER);
        });
        this.nextSolicitation = slaac ? now + delay() : FOREVER;
    }

    /** Link-local plus addresses from router advertisements. */
    public static Autoconfig slaac(MacAddress mac, Config config, int linkMtu, long seed, long now) {
        return new Autoconfig(mac, config, true, linkMtu, seed, now, Optional.empty(), Optional.empty());
    }

    /** Link-local plus {@code address} (its prefix on-link) and an optional default router; advertisements ignored. */
    public static Autoconfig fixed(MacAddress mac, Config config, int linkMtu, long seed, long now, IpPrefix address,
            Optional<Inet6Address> gateway) {
        if (!(address.address() instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IPv6 address: " + address);
        }
        return new Autoconfig(mac, config, false, linkMtu, seed, now, Optional.of(address), gateway);
    }

    private long delay() {
        return random.nextLong(config.maxStartDelay().toNanos() + 1);
    }

    public MacAddress mac() {
        return mac;
    }

    /** The link MTU: the device's, or less if a router advertised less (RFC 4861 6.3.4). */
    public int linkMtu() {
        return linkMtu;
    }

    /** The hop limit of the packets we send (an advertisement's Cur Hop Limit, else 64). */
    public int hopLimit() {
        return hopLimit;
    }

    public List<Address> addresses() {
        return addresses.values().stream().map(Own::snapshot).toList();
    }

    public List<Router> routers() {
        return List.copyOf(routers.values());
    }

    public List<IpPrefix> onLinkPrefixes() {
        return List.copyOf(onLink.keySet());
    }

    /** Whether {@code a} is ours and usable (preferred or deprecated: RFC 4862 5.5.4 still receives on it). */
    public boolean isOwn(InetAddress a) {
        Own o = addresses.get(a);
        return o != null && o.state != AddressState.TENTATIVE;
    }

    public boolean isTentative(InetAddress a) {
        Own o = addresses.get(a);
        return o != null && o.state == AddressState.TENTATIVE;
    }

    /** Whether {@code group} is one we listen to: all-nodes, or the solicited-node group of any of our addresses. */
    public boolean listensTo(InetAddress group) {
        if (Ipv6Addresses.ALL_NODES.equals(group)) {
            return true;
        }
        for (Inet6Address a : addresses.keySet()) {
            if (Ipv6Addresses.solicitedNode(a).equals(group)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The source for a packet to {@code destination} (RFC 6724 5, the rules that matter with one
     * interface): link-local for link-local and multicast link-scope destinations; else a preferred
     * address of the destination's prefix, else any preferred global one, else a deprecated one.
     */
    public Optional<Inet6Address> sourceFor(InetAddress destination) {
        Optional<Own> linkLocal = usable(Origin.LINK_LOCAL, AddressState.PREFERRED).findFirst();
        boolean linkScope = Ipv6Addresses.isLinkLocal(destination)
                || (Ipv6Addresses.isMulticast(destination) && (destination.getAddress()[1] & 0x0f) <= 2);
        if (linkScope) {
            return linkLocal.map(o -> (Inet6Address) o.prefix.address());
        }
        Optional<Own> global = usable(null, AddressState.PREFERRED)
                .filter(o -> o.origin != Origin.LINK_LOCAL)
                .max(Comparator.comparingInt(o -> o.prefix.contains(destination) ? 1 : 0));
        if (global.isEmpty()) {
            global = usable(null, AddressState.DEPRECATED).filter(o -> o.origin != Origin.LINK_LOCAL).findFirst();
        }
        return global.or(() -> linkLocal).map(o -> (Inet6Address) o.prefix.address());
    }

    private java.util.stream.Stream<Own> usable(Origin origin, AddressState state) {
        return addresses.values().stream().filter(o -> o.state == state && (origin == null || o.origin == origin));
    }

    /**
     * The next hop for {@code destination} (RFC 4861 5.2): the destination itself when it is on-link
     * (link-local, multicast, in an on-link prefix), else a default router; empty when there is none
     * (RFC 4943: no "everything is on-link" guess).
     */
    public Optional<Inet6Address> nextHop(Inet6Address destination) {
        if (Ipv6Addresses.isLinkLocal(destination) || Ipv6Addresses.isMulticast(destination)) {
            return Optional.of(destination);
        }
        for (IpPrefix p : onLink.keySet()) {
            if (p.contains(destination)) {
                return Optional.of(destination);
            }
        }
        if (staticGateway.isPresent()) {
            return staticGateway;
        }
        return routers.keySet().stream().findFirst();
    }

    /** Timers: probes, addresses becoming preferred, deprecated or invalid, router solicitations, expiries. */
    public List<Out> tick(long now) {
        List<Out> out = new ArrayList<>();
        Iterator<Map.Entry<Inet6Address, Own>> it = addresses.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Inet6Address, Own> e = it.next();
            Own o = e.getValue();
            if (o.state == AddressState.TENTATIVE) {
                if (!o.probed && o.probeAt - now <= 0) {
                    o.probed = true;
                    o.readyAt = now + config.dadWait().toNanos();
                    out.add(new Out.ProbeAddress(e.getKey()));
                } else if (o.probed && o.readyAt - now <= 0) {
                    o.state = AddressState.PREFERRED; // RFC 4862 5.4.5: no answer, the address is ours
                    out.add(new Out.AddressReady(o.snapshot()));
                }
            }
            if (o.validUntil - now <= 0) {
                it.remove();
                out.add(new Out.AddressExpired(e.getKey()));
            } else if (o.state == AddressState.PREFERRED && o.preferredUntil - now <= 0) {
                o.state = AddressState.DEPRECATED; // RFC 4862 5.5.4
            }
        }
        routers.values().removeIf(r -> r.until() - now <= 0);
        onLink.values().removeIf(until -> until - now <= 0);
        if (soliciting() && nextSolicitation - now <= 0) {
            solicitationsSent++;
            nextSolicitation = now + config.solicitationInterval().toNanos();
            out.add(new Out.SolicitRouters());
        }
        return out;
    }

    private boolean soliciting() {
        return slaac && !advertised && solicitationsSent < config.maxRouterSolicitations();
    }

    /** The earliest time {@link #tick} has something to do, for a shell that arms a timer. */
    public long nextDeadline() {
        long next = soliciting() ? nextSolicitation : FOREVER;
        for (Own o : addresses.values()) {
            if (o.state == AddressState.TENTATIVE) {
                next = Math.min(next, o.probed ? o.readyAt : o.probeAt);
            }
            next = Math.min(next, Math.min(o.validUntil, o.state == AddressState.PREFERRED ? o.preferredUntil : FOREVER));
        }
        return next;
    }

    /**
     * Someone else uses {@code target} (RFC 4862 5.4.3 and 5.4.4): an advertisement for it, or another
     * node's probe for it while ours is tentative. A tentative address is given up; for one already in
     * use the conflict is only reported (5.4.5 leaves the choice; we keep it).
     */
    public List<Out> conflict(Inet6Address target, boolean fromProbe) {
        Own o = addresses.get(target);
        if (o == null || (fromProbe && o.state != AddressState.TENTATIVE)) {
            return List.of();
        }
        if (o.state == AddressState.TENTATIVE) {
            addresses.remove(target);
        }
        return List.of(new Out.AddressDuplicate(target));
    }

    /** A router advertisement, already validated (RFC 4861 6.1.2) from a link-local {@code router}. */
    public List<Out> advertisement(long now, Inet6Address router, NdMessage.RouterAdvertisement ra) {
        if (!slaac) {
            return List.of();
        }
        advertised = true; // RFC 4861 6.3.7: stop soliciting once one came
        if (ra.curHopLimit() != 0) {
            hopLimit = ra.curHopLimit();
        }
        if (ra.routerLifetime() == 0) {
            routers.remove(router);
        } else if (routers.containsKey(router) || routers.size() < config.maxRouters()) {
            routers.put(router, new Router(router, now + Duration.ofSeconds(ra.routerLifetime()).toNanos()));
        }
        List<Out> out = new ArrayList<>();
        for (NdMessage.Option option : ra.options()) {
            switch (option) {
                case NdMessage.Mtu(long mtu) -> {
                    if (mtu >= Ipv6Packet.MINIMUM_MTU && mtu <= linkMaxMtu) {
                        linkMtu = (int) mtu;
                    }
                }
                case NdMessage.PrefixInformation p -> prefix(now, p, out);
                default -> { }
            }
        }
        return out;
    }

    private void prefix(long now, NdMessage.PrefixInformation p, List<Out> out) {
        if (Ipv6Addresses.isLinkLocal(p.prefix().address()) || Ipv6Addresses.isMulticast(p.prefix().address())) {
            return; // RFC 4861 6.3.4, RFC 4862 5.5.3 b
        }
        IpPrefix prefix = Ipv6Addresses.network(p.prefix().address(), p.prefix().length());
        if (p.onLink()) {
            if (p.validLifetime() == 0) {
                onLink.remove(prefix);
            } else if (onLink.containsKey(prefix) || onLink.size() < config.maxPrefixes()) {
                onLink.put(prefix, until(now, p.validLifetime()));
            }
        }
        // RFC 4862 5.5.3 c: a preferred lifetime above the valid one is ignored; d: 64 bits of interface id.
        if (!p.autonomous() || p.preferredLifetime() > p.validLifetime() || prefix.length() != 64) {
            return;
        }
        Inet6Address address = Ipv6Addresses.withInterfaceId(prefix.address(), mac);
        Own o = addresses.get(address);
        if (o == null) {
            if (p.validLifetime() == 0 || addresses.size() >= config.maxAddresses()) {
                return;
            }
            add(new IpPrefix(address, 64), Origin.SLAAC, now, until(now, p.preferredLifetime()), until(now, p.validLifetime()));
            return;
        }
        // RFC 4862 5.5.3 e: the two-hour rule against a forged advertisement cutting the lifetime short.
        o.preferredUntil = until(now, p.preferredLifetime());
        long valid = until(now, p.validLifetime());
        long remaining = o.validUntil == FOREVER ? FOREVER : o.validUntil - now;
        if (p.validLifetime() * 1_000_000_000L > TWO_HOURS || valid > o.validUntil) {
            o.validUntil = valid;
        } else if (remaining > TWO_HOURS) {
            o.validUntil = now + TWO_HOURS;
        }
        if (o.state == AddressState.DEPRECATED && o.preferredUntil - now > 0) {
            o.state = AddressState.PREFERRED;
        }
    }

    private static long until(long now, long seconds) {
        return seconds == NdMessage.INFINITE ? FOREVER : now + Duration.ofSeconds(seconds).toNanos();
    }

    private void add(IpPrefix prefix, Origin origin, long probeAt, long preferredUntil, long validUntil) {
        addresses.put((Inet6Address) prefix.address(), new Own(prefix, origin, probeAt, preferredUntil, validUntil));
    }
}
