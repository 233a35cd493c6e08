package jmirage.net;

import static jmirage.net.TestPackets.echo;
import static jmirage.net.TestPackets.ip;
import static jmirage.net.TestPackets.ipv4;
import static jmirage.net.TestPackets.udp;
import static jmirage.net.TestPackets.verified;
import static jmirage.net.TestPackets.withTtl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.TokenBucket;
import jmirage.core.net.IpPrefix;
import jmirage.net.TestPackets.Verified;
import jmirage.net.forward.ForwardDecision;
import jmirage.net.forward.Forwarder;
import jmirage.net.forward.Route;
import jmirage.net.forward.RouterInterface;
import jmirage.net.forward.RoutingTable;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;
import jmirage.net.nat.NatVerdict;
import jmirage.net.udp.UdpPacket;
import org.junit.jupiter.api.Test;

/**
 * The forwarding core and the NAT table put together as the router's shell will (README,
 * "Forwarding"): private network behind {@code private}, the Internet behind {@code uplink}, whose
 * address is the NAT's public one and whose link carries 576 bytes.
 */
class RouterPipelineTest {

    static final RouterInterface UPLINK = new RouterInterface("uplink", IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(), 576);
    static final RouterInterface PRIVATE = new RouterInterface("private", IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(), 1500);
    static final Inet4Address PUBLIC = ip("192.0.2.10");
    static final Inet4Address GATEWAY = ip("192.0.2.1");
    static final Inet4Address HOST = ip("10.0.0.2");
    static final Inet4Address REMOTE = ip("198.51.100.7");

    final Forwarder router = new Forwarder(RoutingTable.of(List.of(UPLINK, PRIVATE), List.of(Route.defaultVia("uplink", GATEWAY)))
            .orElseThrow(), TokenBucket.perSecond(50, 100));
    final NatTable nat = new NatTable(NatConfig.of(PUBLIC, 5));

    /** What goes on a link: which interface, to which neighbour, which bytes. */
    record Sent(RouterInterface out, Inet4Address nextHop, Bytes packet) {}

    /** A datagram from the private side: routed, NATed when it leaves by the uplink, then cut to the link. */
    List<Sent> fromPrivate(long now, Bytes packet) {
        return switch (router.decide(now, packet, false)) {
            case ForwardDecision.Forward f when f.hop().out().equals(UPLINK) -> switch (nat.outbound(now, f.packet())) {
                case NatVerdict.Translated(Bytes translated) -> sent(new ForwardDecision.Forward(f.hop(), translated));
                default -> List.of();
            };
            case ForwardDecision.Forward f -> sent(f);
            case ForwardDecision.SendError e -> List.of(new Sent(e.hop().out(), e.hop().nextHop(), e.packet()));
            default -> List.of();
        };
    }

    /** A datagram from the uplink: translated back when a mapping claims it, then routed. */
    ForwardDecision fromUplink(long now, Bytes packet) {
        return switch (nat.inbound(now, packet)) {
            case NatVerdict.Translated(Bytes translated) -> router.decide(now, translated, false);
            case NatVerdict.Untranslated() -> router.decide(now, packet, false);
            case NatVerdict.Dropped dropped -> throw new AssertionError(dropped.reason().describe());
        };
    }

    static List<Sent> sent(ForwardDecision.Forward f) {
        return f.packets().stream().map(p -> new Sent(f.hop().out(), f.hop().nextHop(), p)).toList();
    }

    @Test
    void aDatagramGoesOutTranslatedAndItsReplyComesBackRouted() {
        List<Sent> out = fromPrivate(0, udp(HOST, 5000, REMOTE, 53, Bytes.utf8("query")));
        assertEquals(1, out.size());
        assertEquals(UPLINK, out.getFirst().out());
        assertEquals(GATEWAY, out.getFirst().nextHop());
        Verified wire = verified(out.getFirst().packet());
        assertEquals(PUBLIC, wire.ip().source());
        assertEquals(63, wire.ip().ttl());

        Bytes reply = udp(REMOTE, 53, PUBLIC, wire.udp().sourcePort(), Bytes.utf8("answer"));
        ForwardDecision.Forward back = assertInstanceOf(ForwardDecision.Forward.class, fromUplink(1, reply));
        assertEquals(PRIVATE, back.hop().out());
        assertEquals(HOST, back.hop().nextHop());
        Verified delivered = verified(back.packets().getFirst());
        assertEquals(HOST, delivered.ip().destination());
        assertEquals(5000, delivered.udp().destinationPort());
        assertEquals(63, delivered.ip().ttl());
        assertEquals(Bytes.utf8("answer"), delivered.udp().payload());
    }

    @Test
    void aLargeDatagramIsTranslatedWholeThenFragmentedForTheUplink() {
        Bytes big = new Ipv4Packet(0, 321, false, false, 0, 64, Ipv4Packet.UDP, HOST, REMOTE,
                UdpPacket.encode(5000, 9, Bytes.of(new byte[1400]), HOST, REMOTE)).encode();
        List<Sent> out = fromPrivate(0, big);
        assertEquals(3, out.size(), "1428 bytes on a link of 576");
        Reassembly remote = new Reassembly(Reassembly.Config.DEFAULT);
        List<Ipv4Packet> whole = new ArrayList<>();
        for (Sent s : out) {
            assertTrue(s.packet().size() <= 576);
            remote.input(0, Ipv4Packet.parse(s.packet()).orElseThrow()).ifPresent(whole::add);
        }
        Ipv4Packet received = whole.getFirst();
        assertEquals(PUBLIC, received.source());
        UdpPacket u = UdpPacket.parse(received.payload(), PUBLIC, REMOTE).orElseThrow(); // the checksum of the whole, translated
        assertEquals(1400, u.payload().size());
    }

    @Test
    void fragmentationNeededFromAFarRouterReachesThePrivateHostTranslated() {
        Bytes sent = fromPrivate(0, udp(HOST, 5000, REMOTE, 53, Bytes.utf8("query"))).getFirst().packet();
        Bytes error = ipv4(GATEWAY, PUBLIC, Ipv4Packet.ICMP,
                new IcmpMessage(IcmpMessage.DESTINATION_UNREACHABLE, IcmpMessage.FRAGMENTATION_NEEDED, 400, sent).encode());
        ForwardDecision.Forward back = assertInstanceOf(ForwardDecision.Forward.class, fromUplink(1, error));
        Verified delivered = verified(back.packets().getFirst());
        assertEquals(HOST, delivered.ip().destination());
        assertEquals(400, delivered.icmp().rest());
        Ipv4Packet quoted = Ipv4Packet.parse(delivered.icmp().data()).orElseThrow();
        assertEquals(HOST, quoted.source());
        assertEquals(5000, UdpPacket.parse(quoted.payload(), HOST, REMOTE).orElseThrow().sourcePort());
    }

    @Test
    void theRoutersOwnErrorAboutAnInboundDatagramLeavesWithNoPrivateAddressInItsQuote() {
        int port = verified(fromPrivate(0, udp(HOST, 5000, REMOTE, 53, Bytes.utf8("query"))).getFirst().packet()).udp().sourcePort();
        Bytes expiring = withTtl(udp(REMOTE, 53, PUBLIC, port, Bytes.utf8("answer")), 1);
        ForwardDecision.SendError error = assertInstanceOf(ForwardDecision.SendError.class, fromUplink(1, expiring));
        assertEquals(UPLINK, error.hop().out());
        assertEquals(HOST, Ipv4Packet.parse(verified(error.packet()).icmp().data()).orElseThrow().destination(), "quoted as translated in");
        Verified leaving = verified(assertInstanceOf(NatVerdict.Translated.class, nat.outbound(1, error.packet())).packet());
        assertEquals(PUBLIC, leaving.ip().source());
        assertEquals(REMOTE, leaving.ip().destination());
        Ipv4Packet quoted = Ipv4Packet.parse(leaving.icmp().data()).orElseThrow();
        assertEquals(PUBLIC, quoted.destination());
        assertEquals(port, UdpPacket.parse(quoted.payload(), REMOTE, PUBLIC).orElseThrow().destinationPort());
    }

    @Test
    void theRouterAnswersForItselfAndAboutExpiringDatagrams() {
        Bytes ping = echo(IcmpMessage.ECHO_REQUEST, REMOTE, PUBLIC, 1, 1, Bytes.utf8("hi"));
        assertEquals(ping, assertInstanceOf(ForwardDecision.Deliver.class, fromUplink(0, ping)).packet());

        List<Sent> answer = fromPrivate(0, withTtl(udp(HOST, 5000, REMOTE, 53, Bytes.utf8("query")), 1));
        assertEquals(PRIVATE, answer.getFirst().out());
        Verified error = verified(answer.getFirst().packet());
        assertEquals(ip("10.0.0.1"), error.ip().source());
        assertEquals(IcmpMessage.TIME_EXCEEDED, error.icmp().type());
        assertEquals(0, nat.size(), "an expiring datagram opens no mapping");
    }
}
