package jmirage.net.forward;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.net.wire.Wire;

/**
 * The interfaces of a router and its routes, looked up by longest prefix match (RFC 1812 5.2.4.3):
 * of all routes whose prefix holds the destination, the longest prefix wins. Immutable: a change of
 * routes is a new table. One hash map per prefix length, probed from the longest length present down,
 * so a lookup costs at most 33 probes whatever the number of routes.
 */
public final class RoutingTable {

    private record Entry(RouterInterface out, Optional<Inet4Address> gateway) {}

    private final List<RouterInterface> interfaces;
    private final List<Map<Integer, Entry>> byLength; // index: prefix length; key: the prefix's network as an int
    private final int[] lengths; // the lengths that have routes, longest first

    private RoutingTable(List<RouterInterface> interfaces, List<Map<Integer, Entry>> byLength) {
        this.interfaces = List.copyOf(interfaces);
        this.byLength = byLength;
        List<Integer> present = new ArrayList<>();
        for (int length = 32; length >= 0; length--) {
            if (!byLength.get(length).isEmpty()) {
                present.add(length);
            }
        }
        this.lengths = present.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The table of {@code interfaces} (each one's subnet a connected route) and {@code routes}. */
    public static Result<RoutingTable, RouteError> of(List<RouterInterface> interfaces, List<Route> routes) {
        Map<String, RouterInterface> named = new LinkedHashMap<>();
        List<Map<Integer, Entry>> byLength = new ArrayList<>(33);
        for (int i = 0; i <= 32; i++) {
            byLength.add(new HashMap<>());
        }
        for (RouterInterface i : interfaces) {
            if (named.put(i.name(), i) != null) {
                return Result.err(new RouteError.DuplicateInterface(i.name()));
            }
            if (byLength.get(i.address().length()).put(network(i.address()), new Entry(i, Optional.empty())) != null) {
                return Result.err(new RouteError.DuplicatePrefix(i.address().network()));
            }
        }
        for (Route r : routes) {
            if (!r.prefix().isIpv4()) {
                return Result.err(new RouteError.NotIpv4(r.prefix()));
            }
            RouterInterface out = named.get(r.interfaceName());
            if (out == null) {
                return Result.err(new RouteError.UnknownInterface(r));
            }
            if (r.gateway().isPresent() && !out.address().contains(r.gateway().get())) {
                return Result.err(new RouteError.GatewayNotOnLink(r));
            }
            if (byLength.get(r.prefix().length()).put(network(r.prefix()), new Entry(out, r.gateway())) != null) {
                return Result.err(new RouteError.DuplicatePrefix(r.prefix().network()));
            }
        }
        return Result.ok(new RoutingTable(interfaces, byLength));
    }

    public List<RouterInterface> interfaces() {
        return interfaces;
    }

    /** The next hop for {@code destination}: the longest matching route's gateway, or the destination itself on its link. */
    public Optional<Hop> lookup(Inet4Address destination) {
        int d = Wire.ipv4ToInt(destination);
        for (int length : lengths) {
            Entry e = byLength.get(length).get(d & Wire.ipv4Mask(length));
            if (e != null) {
                return Optional.of(new Hop(e.out(), e.gateway().orElse(destination)));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code address} is this router's own: an interface's address or a broadcast address
     * ({@link #isBroadcast}), delivered here and never forwarded (RFC 2644 for directed broadcasts).
     */
    public boolean isLocal(Inet4Address address) {
        int a = Wire.ipv4ToInt(address);
        for (RouterInterface i : interfaces) {
            if (a == Wire.ipv4ToInt(i.address().address())) {
                return true;
            }
        }
        return isBroadcast(a);
    }

    /** The limited broadcast, or the directed broadcast of an attached subnet (of 4 addresses or more). */
    public boolean isBroadcast(int address) {
        if (address == -1) {
            return true;
        }
        for (RouterInterface i : interfaces) {
            int length = i.address().length();
            if (length <= 30 && address == (network(i.address()) | ~Wire.ipv4Mask(length))) {
                return true;
            }
        }
        return false;
    }

    private static int network(IpPrefix prefix) {
        return Wire.ipv4ToInt(prefix.address()) & Wire.ipv4Mask(prefix.length());
    }
}
