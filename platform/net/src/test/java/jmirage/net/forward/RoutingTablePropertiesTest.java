package jmirage.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.core.net.IpPrefix;
import jmirage.net.wire.Wire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The routing table's lookup against the definition of longest prefix match, a scan of every route. */
class RoutingTablePropertiesTest {

    static final RouterInterface A = new RouterInterface("a", IpPrefix.parseIpv4WithLength("10.0.0.1/8").orElseThrow(), 1500);
    static final RouterInterface B = new RouterInterface("b", IpPrefix.parseIpv4WithLength("192.168.1.1/24").orElseThrow(), 1500);

    @Property(tries = 300)
    void lookupIsTheLongestMatchingPrefix(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 32) Integer> lengths,
            @ForAll @Size(max = 40) List<Integer> networks, @ForAll @Size(min = 1, max = 50) List<Integer> destinations) {
        List<Route> routes = new ArrayList<>();
        Set<IpPrefix> seen = new HashSet<>(List.of(A.address().network(), B.address().network()));
        for (int i = 0; i < Math.min(lengths.size(), networks.size()); i++) {
            // few distinct high bits, so that prefixes nest and overlap
            IpPrefix p = IpPrefix.of(Wire.ipv4(networks.get(i) & 0xf0f0f0f0), lengths.get(i));
            if (seen.add(p)) {
                routes.add(new Route(p, i % 2 == 0 ? "a" : "b", Optional.of(Wire.ipv4(i % 2 == 0 ? 0x0a000002 : 0xc0a80102))));
            }
        }
        RoutingTable table = RoutingTable.of(List.of(A, B), routes).orElseThrow();
        List<Route> all = new ArrayList<>(routes);
        all.add(new Route(A.address().network(), "a", Optional.empty()));
        all.add(new Route(B.address().network(), "b", Optional.empty()));
        for (int d : destinations) {
            Inet4Address destination = Wire.ipv4(d & 0xf0f0f0f0 | d & 0x01010101);
            Optional<Hop> expected = all.stream().filter(r -> r.prefix().contains(destination))
                    .max((x, y) -> Integer.compare(x.prefix().length(), y.prefix().length()))
                    .map(r -> new Hop(r.interfaceName().equals("a") ? A : B, r.gateway().orElse(destination)));
            assertEquals(expected, table.lookup(destination), "route for " + destination.getHostAddress());
        }
    }
}
