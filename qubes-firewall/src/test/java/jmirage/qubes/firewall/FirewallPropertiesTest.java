package jmirage.qubes.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;
import jmirage.qubes.rules.Classifier;
import jmirage.qubes.rules.Probe;
import jmirage.qubes.rules.Rule;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The firewall against the definitions it stands on: its verdict on an outward datagram is the
 * classifier's on what the datagram holds; the link check accepts exactly the bound pairs; a NAT
 * mapping stays exactly when its flow's first datagram would pass.
 */
class FirewallPropertiesTest {

    static final List<Inet4Address> DESTINATIONS = List.of(Packets.SERVER, Packets.DNS, Packets.ip("198.51.100.9"),
            Packets.ip("10.34.0.6"));

    @Provide
    Arbitrary<List<String>> ruleSets() {
        Arbitrary<String> destination = Arbitraries.of("", " dst4=10.34.0.5", " dst4=10.34.0.0/24", " dst4=198.51.100.0/25",
                " specialtarget=dns");
        Arbitrary<String> protocol = Arbitraries.of("", " proto=tcp", " proto=udp", " proto=icmp", " proto=tcp dstports=50-60",
                " proto=udp dstports=53", " proto=icmp icmptype=8");
        Arbitrary<String> rule = Combinators.combine(Arbitraries.of("accept", "drop"), destination, protocol)
                .as((action, dst, proto) -> "action=" + action + dst + proto);
        return rule.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Bytes> datagrams() {
        Arbitrary<Inet4Address> to = Arbitraries.of(DESTINATIONS);
        Arbitrary<Integer> port = Arbitraries.integers().between(45, 65);
        return Arbitraries.oneOf(
                Combinators.combine(to, port).as((d, p) -> Packets.udp(Packets.CLIENT_A, d, p)),
                Combinators.combine(to, port).as((d, p) -> Packets.tcpSyn(Packets.CLIENT_A, d, p)),
                to.map(d -> Packets.ping(Packets.CLIENT_A, d)));
    }

    Firewall firewall(List<String> rules, String policy) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02");
        entries.putAll(Packets.rules(Packets.CLIENT_A, policy, rules.toArray(String[]::new)));
        Feed feed = Feed.read(entries, Packets.LINK);
        assertEquals(List.of(), feed.problems());
        return new Firewall(feed, Packets.LINK, Set.of(Packets.DNS), Map.of());
    }

    @Property(tries = 300)
    void anOutwardVerdictIsTheClassifiers(@ForAll("ruleSets") List<String> rules, @ForAll boolean acceptByDefault,
                                          @ForAll("datagrams") Bytes datagram) {
        Firewall fw = firewall(rules, acceptByDefault ? "accept" : "drop");
        Client a = fw.feed().clients().get(Packets.CLIENT_A);
        Inet4Address destination = Wire.ipv4(datagram, 16);
        Probe probe = Firewall.probe(datagram, destination).orElseThrow();
        boolean accepted = Classifier.classify(a.rules(), probe, Set.of(Packets.DNS), n -> Optional.empty()).action() == Rule.Action.ACCEPT;
        assertEquals(accepted, fw.fromClient(datagram) instanceof Firewall.Verdict.Accept);
        int port = probe.protocol() == 1 ? 0 : probe.port();
        assertEquals(accepted, fw.keeps(Packets.CLIENT_A, probe.protocol(), destination, port),
                "a mapping stays when its first datagram (for ICMP, an echo request) passes");
    }

    @Property(tries = 300)
    void theLinkAcceptsExactlyTheBoundPairs(@ForAll("macs") MacAddress mac, @ForAll("sources") Inet4Address source) {
        Firewall fw = new Firewall(Feed.read(Packets.feed(), Packets.LINK), Packets.LINK, Set.of(), Map.of());
        boolean bound = mac.equals(Packets.MAC_A) && source.equals(Packets.CLIENT_A) || mac.equals(Packets.MAC_B) && source.equals(Packets.CLIENT_B);
        assertEquals(bound, fw.link(mac, Packets.udp(source, Packets.SERVER, 1)) instanceof Firewall.Verdict.Accept);
        assertEquals(bound, fw.bound(mac, source));
    }

    @Provide
    Arbitrary<MacAddress> macs() {
        return Arbitraries.of(Packets.MAC_A, Packets.MAC_B, MacAddress.parse("02:00:00:00:00:04").orElseThrow());
    }

    @Provide
    Arbitrary<Inet4Address> sources() {
        return Arbitraries.of(Packets.CLIENT_A, Packets.CLIENT_B, Packets.ip("10.33.0.4"), Packets.SERVER);
    }
}
