package jmirage.net.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import org.junit.jupiter.api.Test;

/** The neighbor cache's state machine (RFC 4861 7.3) and the address lifetimes of autoconfiguration (RFC 4862 5.5.4). */
class NeighborDiscoveryCoresTest {

    static final long S = 1_000_000_000L;
    static final Inet6Address NEIGHBOR = Ipv6Addresses.linkLocal(new MacAddress(0x020000000002L));
    static final MacAddress MAC = new MacAddress(0x020000000002L);

    @Test
    void resolutionThenReachableStaleDelayProbeAndGone() {
        NeighborCache cache = new NeighborCache(NeighborCache.Config.DEFAULT);
        assertEquals(List.of(new NeighborCache.Out.Solicit(NEIGHBOR, Optional.empty())), cache.send(0, NEIGHBOR, Bytes.utf8("a")));
        assertEquals(List.of(), cache.send(0, NEIGHBOR, Bytes.utf8("b")), "queued behind the pending solicitation");
        assertEquals(List.of(new NeighborCache.Out.Solicit(NEIGHBOR, Optional.empty())), cache.tick(S), "retransmitted after 1 s");
        List<NeighborCache.Out> flushed = cache.advertised(S + 1, NEIGHBOR, Optional.of(MAC), true, true);
        assertEquals(List.of(new NeighborCache.Out.Send(MAC, Bytes.utf8("a")), new NeighborCache.Out.Send(MAC, Bytes.utf8("b"))), flushed);
        assertEquals(Optional.of(NeighborCache.State.REACHABLE), cache.state(NEIGHBOR));
        cache.tick(32 * S);
        assertEquals(Optional.of(NeighborCache.State.STALE), cache.state(NEIGHBOR), "after the reachable time");
        assertEquals(List.of(new NeighborCache.Out.Send(MAC, Bytes.utf8("c"))), cache.send(33 * S, NEIGHBOR, Bytes.utf8("c")));
        assertEquals(Optional.of(NeighborCache.State.DELAY), cache.state(NEIGHBOR));
        assertEquals(List.of(new NeighborCache.Out.Solicit(NEIGHBOR, Optional.of(MAC))), cache.tick(38 * S), "a unicast probe after DELAY");
        assertEquals(Optional.of(NeighborCache.State.PROBE), cache.state(NEIGHBOR));
        cache.tick(39 * S);
        cache.tick(40 * S);
        assertEquals(List.of(), cache.tick(41 * S));
        assertEquals(Optional.empty(), cache.state(NEIGHBOR), "three unanswered probes: gone");
    }

    @Test
    void anUnsolicitedAdvertisementWithoutOverrideOnlyMakesADifferentAddressStale() {
        NeighborCache cache = new NeighborCache(NeighborCache.Config.DEFAULT);
        cache.send(0, NEIGHBOR, Bytes.utf8("a"));
        cache.advertised(0, NEIGHBOR, Optional.of(MAC), true, false);
        MacAddress other = new MacAddress(0x020000000009L);
        cache.advertised(S, NEIGHBOR, Optional.of(other), false, false);
        assertEquals(Optional.of(MAC), cache.lookup(NEIGHBOR), "the address is kept (RFC 4861 7.2.5)");
        assertEquals(Optional.of(NeighborCache.State.STALE), cache.state(NEIGHBOR));
        cache.advertised(2 * S, NEIGHBOR, Optional.of(other), false, true);
        assertEquals(Optional.of(other), cache.lookup(NEIGHBOR), "with override it changes");
        assertEquals(List.of(), cache.advertised(3 * S, Ipv6Addresses.linkLocal(other), Optional.of(other), true, true));
        assertEquals(1, cache.size(), "an advertisement creates no entry");
    }

    @Test
    void slaacAddressesDeprecateThenExpireAndAZeroLifetimeRemovesThePrefix() {
        MacAddress ours = new MacAddress(0x020000000001L);
        Autoconfig a = Autoconfig.slaac(ours, Autoconfig.Config.DEFAULT, 1500, 7, 0);
        IpPrefix prefix = Ipv6Addresses.network(Ipv6Addresses.of(java.util.HexFormat.of().parseHex("fd000024000500000000000000000000")), 64);
        Inet6Address address = Ipv6Addresses.withInterfaceId(prefix.address(), ours);
        Inet6Address router = Ipv6Addresses.linkLocal(MAC);
        a.advertisement(0, router, new NdMessage.RouterAdvertisement(64, false, false, 600, 0, 0,
                List.of(new NdMessage.PrefixInformation(prefix, true, true, 100, 50))));
        assertTrue(a.isTentative(address));
        a.tick(0);
        a.tick(2 * S);
        assertTrue(a.isOwn(address), "preferred after detection");
        assertEquals(Optional.of(address), a.sourceFor(Ipv6Addresses.of(java.util.HexFormat.of().parseHex("20010db8000000000000000000000001"))));
        a.tick(60 * S);
        assertEquals(Autoconfig.AddressState.DEPRECATED, state(a, address));
        assertTrue(a.isOwn(address), "a deprecated address still receives");
        a.tick(101 * S);
        assertFalse(a.addresses().stream().anyMatch(x -> x.address().equals(address)), "gone after the valid lifetime");
        assertEquals(List.of(), a.onLinkPrefixes(), "the on-link prefix expired with it");
        a.advertisement(102 * S, router, new NdMessage.RouterAdvertisement(64, false, false, 0, 0, 0, List.of()));
        assertEquals(List.of(), a.routers(), "router lifetime 0 removes the router");
    }

    private static Autoconfig.AddressState state(Autoconfig a, Inet6Address address) {
        return a.addresses().stream().filter(x -> x.address().equals(address)).findFirst().orElseThrow().state();
    }
}
