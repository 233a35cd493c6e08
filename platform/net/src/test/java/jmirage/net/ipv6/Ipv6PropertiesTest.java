package jmirage.net.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.wire.ParseError;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Laws of the IPv6 cores over random inputs: codecs round trip, reassembly in any order, bounded neighbor cache. */
class Ipv6PropertiesTest {

    static Inet6Address address(long seed) {
        byte[] a = new byte[16];
        new Random(seed).nextBytes(a);
        return Ipv6Addresses.of(a);
    }

    @Property(tries = 300)
    void packetsRoundTrip(@ForAll @IntRange(min = 0, max = 255) int trafficClass, @ForAll @IntRange(min = 0, max = 0xfffff) int flowLabel,
            @ForAll @IntRange(min = 0, max = 255) int hopLimit, @ForAll long sourceSeed, @ForAll long destinationSeed,
            @ForAll @Size(max = 3000) byte[] payload, @ForAll boolean fragment, @ForAll @IntRange(min = 0, max = 8000) int offsetUnits,
            @ForAll boolean more, @ForAll int identification) {
        int nextHeader = 17; // an upper layer: the walk stops at once
        Ipv6Packet p = new Ipv6Packet(trafficClass, flowLabel, nextHeader, hopLimit, address(sourceSeed), address(destinationSeed),
                fragment && (more || offsetUnits > 0) ? Optional.of(new Ipv6Packet.FragmentHeader(offsetUnits * 8, more, identification))
                        : Optional.empty(), Bytes.of(payload));
        assertEquals(Result.ok(p), Ipv6Packet.parse(p.encode()));
    }

    @Property(tries = 300)
    void anyFragmentationInAnyOrderReassembles(@ForAll @Size(min = 1, max = 9000) byte[] payload,
            @ForAll @IntRange(min = 1280, max = 9000) int mtu, @ForAll long shuffleSeed, @ForAll int identification) {
        Ipv6Packet whole = Ipv6Packet.of(17, 64, address(1), address(2), Bytes.of(payload));
        List<Ipv6Packet> fragments = new ArrayList<>(Ipv6Fragmenter.fragment(whole, mtu, identification));
        assertTrue(fragments.stream().allMatch(f -> f.encode().size() <= mtu), "every fragment fits the link");
        Collections.shuffle(fragments, new Random(shuffleSeed));
        Ipv6Reassembly r = new Ipv6Reassembly(new Reassembly.Config(1000, 1 << 20, 16, Duration.ofSeconds(30)));
        List<Ipv6Packet> out = new ArrayList<>();
        for (Ipv6Packet f : fragments) {
            // through the wire format, as the stack sees them
            Ipv6Packet parsed = Ipv6Packet.parse(f.encode()).orElseThrow();
            r.input(0, parsed).ifPresent(res -> out.add(res.orElseThrow()));
        }
        assertEquals(List.of(whole), out);
        assertEquals(0, r.bytesHeld());
    }

    @Property(tries = 200)
    void anOverlapDropsTheDatagramAndItsLaterFragments(@ForAll @Size(min = 3000, max = 6000) byte[] payload, @ForAll long seed) {
        Ipv6Packet whole = Ipv6Packet.of(17, 64, address(1), address(2), Bytes.of(payload));
        List<Ipv6Packet> fragments = new ArrayList<>(Ipv6Fragmenter.fragment(whole, 1280, 7));
        Random random = new Random(seed);
        fragments.add(fragments.get(random.nextInt(fragments.size()))); // a duplicate is an overlap (RFC 5722)
        Collections.shuffle(fragments, random);
        Ipv6Reassembly r = new Ipv6Reassembly(Reassembly.Config.DEFAULT);
        List<Result<Ipv6Packet, ParseError>> out = new ArrayList<>();
        for (Ipv6Packet f : fragments) {
            r.input(0, f).ifPresent(out::add);
        }
        // The datagram may complete before the duplicate comes; if the duplicate comes first, it never does.
        assertTrue(out.size() <= 1);
        out.forEach(res -> assertEquals(Result.ok(whole), res));
    }

    @Property(tries = 300)
    void ndMessagesRoundTrip(@ForAll long targetSeed, @ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long mac,
            @ForAll @IntRange(min = 0, max = 3) int kind, @ForAll boolean r, @ForAll boolean s, @ForAll boolean o,
            @ForAll @IntRange(min = 0, max = 128) int prefixLength, @ForAll @LongRange(min = 0, max = 0xffffffffL) long valid,
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long preferred, @ForAll @IntRange(min = 0, max = 65535) int lifetime) {
        Inet6Address target = address(targetSeed);
        if (Ipv6Addresses.isMulticast(target)) {
            return; // refused as a target (RFC 4861 7.1.1)
        }
        MacAddress m = new MacAddress(mac);
        NdMessage message = switch (kind) {
            case 0 -> new NdMessage.RouterSolicitation(List.of(new NdMessage.SourceLinkLayer(m)));
            case 1 -> new NdMessage.RouterAdvertisement(64, r, o, lifetime, valid, preferred, List.of(new NdMessage.SourceLinkLayer(m),
                    new NdMessage.PrefixInformation(Ipv6Addresses.network(target, prefixLength), r, s, valid, preferred),
                    new NdMessage.Mtu(valid)));
            case 2 -> new NdMessage.NeighborSolicitation(target, List.of(new NdMessage.SourceLinkLayer(m)));
            default -> new NdMessage.NeighborAdvertisement(r, s, o, target, List.of(new NdMessage.TargetLinkLayer(m)));
        };
        Inet6Address source = address(1);
        Bytes wire = message.toIcmp().encode(source, target);
        assertEquals(Result.ok(message), Icmpv6Message.parse(wire, source, target).flatMap(NdMessage::parse));
    }

    /** Random sends, solicitations, advertisements and ticks: the cache and its queues stay within their bounds. */
    @Property(tries = 200)
    void theNeighborCacheStaysBounded(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int maxEntries,
            @ForAll @IntRange(min = 1, max = 8) int perAddress, @ForAll @IntRange(min = 1, max = 30) int total) {
        NeighborCache.Config config = new NeighborCache.Config(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5),
                3, 3, maxEntries, perAddress, total);
        NeighborCache cache = new NeighborCache(config);
        Random random = new Random(seed);
        long now = 0;
        int queuedOut = 0;
        for (int i = 0; i < 2000; i++) {
            Inet6Address neighbor = address(random.nextInt(3 * maxEntries));
            MacAddress mac = new MacAddress(random.nextInt(4));
            now += random.nextInt(400_000_000);
            List<NeighborCache.Out> out = switch (random.nextInt(5)) {
                case 0, 1 -> cache.send(now, neighbor, Bytes.utf8("p" + i));
                case 2 -> cache.learn(now, neighbor, mac);
                case 3 -> cache.advertised(now, neighbor, Optional.of(mac), random.nextBoolean(), random.nextBoolean());
                default -> cache.tick(now);
            };
            for (NeighborCache.Out o : out) {
                if (o instanceof NeighborCache.Out.Send) {
                    queuedOut++;
                }
            }
            assertTrue(cache.size() <= maxEntries, "entries " + cache.size());
            assertTrue(cache.queued() <= total, "queued " + cache.queued());
        }
        assertTrue(queuedOut > 0, "some packets went out");
    }

    /** RFC 4862 5.5.3 e: an advertisement may cut a valid lifetime to two hours, never below. */
    @Property(tries = 200)
    void theTwoHourRuleHolds(@ForAll @LongRange(min = 0, max = 100_000) long first, @ForAll @LongRange(min = 0, max = 100_000) long second) {
        MacAddress mac = new MacAddress(0x020000000001L);
        Autoconfig a = Autoconfig.slaac(mac, Autoconfig.Config.DEFAULT, 1500, 1, 0);
        IpPrefix prefix = Ipv6Addresses.network(address(5), 64);
        Inet6Address inet = Ipv6Addresses.withInterfaceId(prefix.address(), mac);
        a.advertisement(0, Ipv6Addresses.linkLocal(new MacAddress(2)), ra(prefix, first));
        Optional<Autoconfig.Address> before = a.addresses().stream().filter(x -> x.address().equals(inet)).findFirst();
        if (first == 0) {
            assertTrue(before.isEmpty(), "a zero valid lifetime forms no address");
            return;
        }
        long at = 1_000_000_000L;
        a.advertisement(at, Ipv6Addresses.linkLocal(new MacAddress(2)), ra(prefix, second));
        long until = a.addresses().stream().filter(x -> x.address().equals(inet)).findFirst().orElseThrow().validUntil();
        long twoHours = Duration.ofHours(2).toNanos();
        long remaining = first * 1_000_000_000L - at;
        long expected = second * 1_000_000_000L > twoHours || at + second * 1_000_000_000L > first * 1_000_000_000L
                ? at + second * 1_000_000_000L
                : remaining > twoHours ? at + twoHours : first * 1_000_000_000L;
        assertEquals(expected, until);
    }

    private static NdMessage.RouterAdvertisement ra(IpPrefix prefix, long valid) {
        return new NdMessage.RouterAdvertisement(64, false, false, 1800, 0, 0,
                List.of(new NdMessage.PrefixInformation(prefix, true, true, valid, Math.min(valid, 600))));
    }
}
