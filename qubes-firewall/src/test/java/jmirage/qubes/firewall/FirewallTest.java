package jmirage.qubes.firewall;

import static jmirage.qubes.firewall.Packets.CLIENT_A;
import static jmirage.qubes.firewall.Packets.CLIENT_B;
import static jmirage.qubes.firewall.Packets.DNS;
import static jmirage.qubes.firewall.Packets.GATEWAY;
import static jmirage.qubes.firewall.Packets.LINK;
import static jmirage.qubes.firewall.Packets.MAC_A;
import static jmirage.qubes.firewall.Packets.MAC_B;
import static jmirage.qubes.firewall.Packets.SERVER;
import static jmirage.qubes.firewall.Packets.ip;
import static jmirage.qubes.firewall.Packets.ping;
import static jmirage.qubes.firewall.Packets.tcpSyn;
import static jmirage.qubes.firewall.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.qubes.firewall.Firewall.Reason;
import jmirage.qubes.firewall.Firewall.Verdict;
import org.junit.jupiter.api.Test;

/** The firewall's decisions, with the anchor's rules and cases (test/update-firewall.sh, test/unikernel.ml). */
class FirewallTest {

    static final InetAddress ALLOWED_HOST = ip("203.0.113.7");
    static final InetAddress DENIED_HOST = ip("203.0.113.66");

    final Feed feed = Feed.read(Packets.feed(), LINK);
    final Firewall firewall = new Firewall(feed, LINK, Set.of(DNS),
            Map.of("bogus.example.org", Set.of(ALLOWED_HOST), "denied.example.org", Set.of(DENIED_HOST)));
    final Client a = feed.clients().get(CLIENT_A);

    String fate(Bytes datagram) {
        return switch (firewall.fromClient(datagram)) {
            case Verdict.Accept x -> "accept";
            case Verdict.Drop(var c, Reason r) -> r.name();
        };
    }

    @Test
    void theAnchorsCases() {
        assertEquals("accept", fate(udp(CLIENT_A, SERVER, 1235)), "UDP fetch allowed");
        assertEquals("accept", fate(udp(CLIENT_A, SERVER, 1338)));
        assertEquals("RULE", fate(udp(CLIENT_A, SERVER, 1236)));
        assertEquals("accept", fate(ping(CLIENT_A, SERVER)), "ping to the server allowed by icmptype=8");
        assertEquals("RULE", fate(ping(CLIENT_A, ip("198.51.100.9"))), "ping elsewhere blocked");
        assertEquals("accept", fate(tcpSyn(CLIENT_A, SERVER, 6668)), "TCP to allowed ports only");
        assertEquals("accept", fate(tcpSyn(CLIENT_A, SERVER, 6670)));
        assertEquals("RULE", fate(tcpSyn(CLIENT_A, SERVER, 6671)));
        assertEquals("RULE", fate(tcpSyn(CLIENT_A, SERVER, 80)));
        assertEquals("accept", fate(tcpSyn(CLIENT_A, ip("198.51.100.9"), 443)), "HTTPS anywhere");
        assertEquals("accept", fate(udp(CLIENT_A, DNS, 53)), "DNS through specialtarget=dns");
        assertEquals("accept", fate(tcpSyn(CLIENT_A, DNS, 53)));
        assertEquals("RULE", fate(udp(CLIENT_A, ip("198.51.100.53"), 53)), "DNS only to the DNS servers");
        assertEquals("RULE", fate(udp(CLIENT_A, DNS, 5353)));
        assertEquals("accept", fate(udp(CLIENT_A, (java.net.Inet4Address) ALLOWED_HOST, 9)), "dsthost resolved");
        assertEquals("RULE", fate(tcpSyn(CLIENT_A, (java.net.Inet4Address) DENIED_HOST, 443)), "denied by name before 443");
    }

    @Test
    void clientToClientIsDroppedWhateverTheRules() {
        assertEquals("CLIENT_TO_CLIENT", fate(udp(CLIENT_B, CLIENT_A, 1235)), "B accepts everything outwards");
        assertEquals("CLIENT_TO_CLIENT", fate(ping(CLIENT_A, CLIENT_B)));
        assertEquals("CLIENT_TO_CLIENT", fate(udp(CLIENT_B, ip("10.33.0.99"), 1)), "nor to an address of the link without a client");
        assertEquals("accept", fate(udp(CLIENT_B, SERVER, 1)));
    }

    @Test
    void theFirewallItselfAndBroadcastsAreNotForwarded() {
        assertEquals("TO_FIREWALL", fate(ping(CLIENT_B, GATEWAY)));
        assertEquals("TO_FIREWALL", fate(udp(CLIENT_B, ip("10.33.0.255"), 67)));
        assertEquals("TO_FIREWALL", fate(udp(CLIENT_B, ip("255.255.255.255"), 67)));
        assertEquals("TO_FIREWALL", fate(udp(CLIENT_B, ip("224.0.0.251"), 5353)));
    }

    @Test
    void theLinkCheckWantsTheBoundPair() {
        assertEquals(new Verdict.Accept(a), firewall.link(MAC_A, udp(CLIENT_A, SERVER, 1)));
        assertEquals(new Verdict.Drop(Optional.of(a), Reason.SPOOFED), firewall.link(MAC_A, udp(CLIENT_B, SERVER, 1)),
                "A using B's address: counted for A");
        assertEquals(new Verdict.Drop(Optional.of(a), Reason.SPOOFED), firewall.link(MAC_A, udp(ip("10.34.0.9"), SERVER, 1)));
        MacAddress stranger = MacAddress.parse("02:00:00:00:00:99").orElseThrow();
        assertEquals(new Verdict.Drop(Optional.empty(), Reason.SPOOFED), firewall.link(stranger, udp(CLIENT_A, SERVER, 1)));
        assertEquals(new Verdict.Drop(Optional.of(a), Reason.MALFORMED), firewall.link(MAC_A, Bytes.adopt(new byte[19])));
        assertTrue(firewall.bound(MAC_B, CLIENT_B));
        assertFalse(firewall.bound(MAC_B, CLIENT_A), "B cannot claim A's address in ARP");
        assertFalse(firewall.bound(stranger, ip("10.33.0.99")));
    }

    @Test
    void truncatedDatagramsAreMalformedAndOtherProtocolsMeetTheRulesWithoutPorts() {
        Bytes syn = tcpSyn(CLIENT_A, SERVER, 6668);
        assertEquals("MALFORMED", fate(syn.slice(0, 22)));
        assertEquals("MALFORMED", fate(Bytes.adopt(new byte[12])));
        Bytes gre = Packets.ip(CLIENT_B, SERVER, 47, Bytes.utf8("gre"));
        assertEquals("accept", fate(gre), "B's policy accepts anything");
        assertEquals("RULE", fate(Packets.ip(CLIENT_A, SERVER, 47, Bytes.utf8("gre"))), "A's rules all name a protocol or a port");
        assertEquals(47, Ipv4Packet.parse(gre).orElseThrow().protocol());
    }

    @Test
    void aMappingStaysWhileTheRulesAllowItsFlow() {
        assertTrue(firewall.keeps(CLIENT_A, 17, SERVER, 1235));
        assertFalse(firewall.keeps(CLIENT_A, 17, SERVER, 1236));
        assertTrue(firewall.keeps(CLIENT_A, 1, SERVER, 0), "an echo mapping is an echo request");
        assertFalse(firewall.keeps(ip("10.33.0.77"), 17, SERVER, 1235), "no client any more");
        Firewall tightened = firewall.withFeed(Feed.read(Map.of("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02",
                "qubes-firewall/10.33.0.2/policy", "drop"), LINK));
        assertFalse(tightened.keeps(CLIENT_A, 17, SERVER, 1235));
        assertEquals(List.of(), tightened.feed().problems());
    }
}
