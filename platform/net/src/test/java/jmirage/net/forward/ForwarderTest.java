package jmirage.net.forward;

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
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.net.IpPrefix;
import jmirage.net.TestPackets.Verified;
import jmirage.net.forward.ForwardDecision.Cause;
import jmirage.net.forward.ForwardDecision.Problem;
import jmirage.net.forward.ForwardDecision.Silence;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv4.Reassembly;
import org.junit.jupiter.api.Test;

class ForwarderTest {

    static final RouterInterface UPLINK = new RouterInterface("uplink", IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(), 1500);
    static final RouterInterface PRIVATE = new RouterInterface("private", IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(), 1500);
    static final RouterInterface TUNNEL = new RouterInterface("tunnel", IpPrefix.parseIpv4WithLength("172.16.0.2/30").orElseThrow(), 1400);
    static final Inet4Address GATEWAY = ip("192.0.2.1");
    static final Inet4Address HOST = ip("10.0.0.2");
    static final Inet4Address FAR = ip("198.51.100.7");
    static final Bytes DATA = Bytes.utf8("payload");

    static RoutingTable table() {
        return RoutingTable.of(List.of(UPLINK, PRIVATE, TUNNEL), List.of(Route.defaultVia("uplink", GATEWAY),
                new Route(IpPrefix.parse("198.51.100.0/24").orElseThrow(), "tunnel", Optional.of(ip("172.16.0.1"))))).orElseThrow();
    }

    final Forwarder router = new Forwarder(table(), TokenBucket.perSecond(50, 100));

    @Test
    void longestPrefixWins() {
        RoutingTable t = table();
        assertEquals(new Hop(TUNNEL, ip("172.16.0.1")), t.lookup(FAR).orElseThrow());
        assertEquals(new Hop(UPLINK, GATEWAY), t.lookup(ip("198.51.101.7")).orElseThrow(), "the default route");
        assertEquals(new Hop(PRIVATE, HOST), t.lookup(HOST).orElseThrow(), "on link: the destination is the next hop");
        RoutingTable noDefault = RoutingTable.of(List.of(PRIVATE), List.of()).orElseThrow();
        assertTrue(noDefault.lookup(FAR).isEmpty());
        RoutingTable hostRoute = RoutingTable.of(List.of(UPLINK, PRIVATE), List.of(
                new Route(IpPrefix.parse("10.0.0.128/25").orElseThrow(), "uplink", Optional.of(GATEWAY)),
                new Route(IpPrefix.parse("10.0.0.200/32").orElseThrow(), "private", Optional.empty()))).orElseThrow();
        assertEquals(UPLINK, hostRoute.lookup(ip("10.0.0.129")).orElseThrow().out());
        assertEquals(PRIVATE, hostRoute.lookup(ip("10.0.0.200")).orElseThrow().out());
        assertEquals(PRIVATE, hostRoute.lookup(ip("10.0.0.127")).orElseThrow().out());
    }

    @Test
    void aBadTableIsATypedError() {
        Route toNowhere = Route.defaultVia("wan", GATEWAY);
        assertEquals(new RouteError.UnknownInterface(toNowhere), err(List.of(UPLINK), List.of(toNowhere)));
        Route offLink = Route.defaultVia("private", GATEWAY);
        assertEquals(new RouteError.GatewayNotOnLink(offLink), err(List.of(UPLINK, PRIVATE), List.of(offLink)));
        assertEquals(new RouteError.DuplicateInterface("uplink"), err(List.of(UPLINK, UPLINK), List.of()));
        assertEquals(new RouteError.DuplicatePrefix(IpPrefix.parse("192.0.2.0/24").orElseThrow()),
                err(List.of(UPLINK), List.of(new Route(IpPrefix.parse("192.0.2.0/24").orElseThrow(), "uplink", Optional.empty()))));
        assertEquals("route 0.0.0.0/0: gateway 192.0.2.1 is not on private's subnet", new RouteError.GatewayNotOnLink(offLink).describe());
    }

    static RouteError err(List<RouterInterface> interfaces, List<Route> routes) {
        return switch (RoutingTable.of(interfaces, routes)) {
            case Result.Err<RoutingTable, RouteError>(RouteError error) -> error;
            case Result.Ok<RoutingTable, RouteError> accepted -> throw new AssertionError("accepted: " + routes);
        };
    }

    @Test
    void aForwardedDatagramLosesOneTtlAndKeepsAValidHeader() {
        Bytes in = udp(HOST, 5000, ip("203.0.113.9"), 53, DATA);
        var forward = assertInstanceOf(ForwardDecision.Forward.class, router.decide(0, in, false));
        assertEquals(new Hop(UPLINK, GATEWAY), forward.hop());
        Verified out = verified(forward.packets().getFirst());
        assertEquals(63, out.ip().ttl());
        assertEquals(DATA, out.udp().payload());
        assertEquals(1, forward.packets().size());
        byte[] expected = in.toArray();
        expected[8] = 63;
        byte[] actual = forward.packets().getFirst().toArray();
        actual[10] = expected[10];
        actual[11] = expected[11];
        assertEquals(Bytes.of(expected), Bytes.of(actual), "only TTL and checksum change");
    }

    @Test
    void ttlOneGetsTimeExceededFromTheInterfaceTowardsTheSource() {
        Bytes in = withTtl(udp(HOST, 5000, FAR, 53, DATA), 1);
        var error = assertInstanceOf(ForwardDecision.SendError.class, router.decide(0, in, false));
        assertEquals(Problem.TIME_EXCEEDED, error.problem());
        assertEquals(new Hop(PRIVATE, HOST), error.hop());
        Verified icmp = verified(error.packet());
        assertEquals(PRIVATE.address().address(), icmp.ip().source(), "RFC 1812 4.3.2.4");
        assertEquals(HOST, icmp.ip().destination());
        assertEquals(IcmpMessage.TIME_EXCEEDED, icmp.icmp().type());
        assertEquals(0, icmp.icmp().code());
        assertEquals(in, icmp.icmp().data(), "a short datagram is quoted whole");
    }

    @Test
    void noRouteGetsNetworkUnreachable() {
        Forwarder isolated = new Forwarder(RoutingTable.of(List.of(PRIVATE), List.of()).orElseThrow(), TokenBucket.perSecond(5, 1));
        var error = assertInstanceOf(ForwardDecision.SendError.class, isolated.decide(0, udp(HOST, 5000, FAR, 53, DATA), false));
        assertEquals(Problem.NO_ROUTE, error.problem());
        IcmpMessage m = verified(error.packet()).icmp();
        assertEquals(IcmpMessage.DESTINATION_UNREACHABLE, m.type());
        assertEquals(IcmpMessage.NET_UNREACHABLE, m.code());
        assertEquals(new Cause.Unanswered(Problem.NO_ROUTE, Silence.NO_ROUTE_TO_SOURCE),
                assertInstanceOf(ForwardDecision.Dropped.class, isolated.decide(0, udp(ip("10.9.0.2"), 5000, FAR, 53, DATA), false)).cause());
    }

    @Test
    void tooBigWithDontFragmentGetsFragmentationNeededWithTheNextHopMtu() {
        Bytes big = udp(HOST, 5000, FAR, 53, Bytes.of(new byte[1450])); // 1478 bytes, DF set, tunnel MTU 1400
        var error = assertInstanceOf(ForwardDecision.SendError.class, router.decide(0, big, false));
        assertEquals(Problem.FRAGMENTATION_NEEDED, error.problem());
        Verified icmp = verified(error.packet());
        assertEquals(IcmpMessage.FRAGMENTATION_NEEDED, icmp.icmp().code());
        assertEquals(1400, icmp.icmp().rest(), "RFC 1191 4: next-hop MTU in the low 16 bits");
        assertEquals(576, icmp.ip().payload().size() + Ipv4Packet.HEADER, "RFC 1812 4.3.2.3: as much as fits in 576 bytes");
        assertEquals(big.slice(0, 548), icmp.icmp().data());
    }

    @Test
    void tooBigWithoutDontFragmentIsFragmentedToTheNextHopMtu() {
        Bytes payload = Bytes.of(new byte[3000]);
        Ipv4Packet whole = new Ipv4Packet(0, 99, false, false, 0, 64, Ipv4Packet.UDP, HOST, FAR,
                jmirage.net.udp.UdpPacket.encode(1, 2, payload, HOST, FAR));
        var forward = assertInstanceOf(ForwardDecision.Forward.class, router.decide(0, whole.encode(), false));
        assertEquals(3, forward.packets().size());
        Reassembly reassembly = new Reassembly(Reassembly.Config.DEFAULT);
        List<Ipv4Packet> done = new ArrayList<>();
        for (Bytes f : forward.packets()) {
            assertTrue(f.size() <= 1400, f.size() + " bytes on a link of 1400");
            Ipv4Packet p = Ipv4Packet.parse(f).orElseThrow();
            assertEquals(63, p.ttl());
            reassembly.input(0, p).ifPresent(done::add);
        }
        assertEquals(1, done.size());
        assertEquals(whole.payload(), done.getFirst().payload());
    }

    @Test
    void packetsForTheRouterAreDeliveredWhateverTheirTtl() {
        Bytes toUs = withTtl(echo(IcmpMessage.ECHO_REQUEST, HOST, ip("10.0.0.1"), 1, 1, DATA), 1);
        assertEquals(toUs, assertInstanceOf(ForwardDecision.Deliver.class, router.decide(0, toUs, false)).packet());
        Bytes broadcast = udp(ip("0.0.0.0"), 68, ip("255.255.255.255"), 67, DATA);
        assertInstanceOf(ForwardDecision.Deliver.class, router.decide(0, broadcast, true));
        assertInstanceOf(ForwardDecision.Deliver.class, router.decide(0, udp(HOST, 1, ip("10.0.0.255"), 2, DATA), false),
                "a directed broadcast of an attached subnet is not forwarded (RFC 2644)");
    }

    @Test
    void martiansAndLinkBroadcastsAreDroppedSilently() {
        assertEquals(new Cause.NotRouted(FAR), dropped(router.decide(0, udp(HOST, 1, FAR, 2, DATA), true)));
        assertEquals(new Cause.NotRouted(ip("224.0.0.251")), dropped(router.decide(0, udp(HOST, 1, ip("224.0.0.251"), 5353, DATA), false)));
        assertEquals(new Cause.BadDestination(ip("127.0.0.1")), dropped(router.decide(0, udp(HOST, 1, ip("127.0.0.1"), 2, DATA), false)));
        assertEquals(new Cause.BadSource(ip("224.1.2.3")), dropped(router.decide(0, udp(ip("224.1.2.3"), 1, FAR, 2, DATA), false)));
        assertEquals(new Cause.BadSource(ip("10.0.0.255")), dropped(router.decide(0, udp(ip("10.0.0.255"), 1, FAR, 2, DATA), false)));
        assertInstanceOf(Cause.Malformed.class, dropped(router.decide(0, Bytes.of(new byte[] {0x45, 0}), false)));
    }

    static Cause dropped(ForwardDecision d) {
        return assertInstanceOf(ForwardDecision.Dropped.class, d).cause();
    }

    @Test
    void noErrorAboutAnErrorNorANonFirstFragment() {
        Bytes unreachable = withTtl(ipv4(HOST, FAR, Ipv4Packet.ICMP, IcmpMessage.portUnreachable(udp(FAR, 1, HOST, 2, DATA)).encode()), 1);
        assertEquals(new Cause.Unanswered(Problem.TIME_EXCEEDED, Silence.ABOUT_AN_ICMP_ERROR), dropped(router.decide(0, unreachable, false)));
        Bytes ping = withTtl(echo(IcmpMessage.ECHO_REQUEST, HOST, FAR, 1, 1, DATA), 1);
        assertInstanceOf(ForwardDecision.SendError.class, router.decide(0, ping, false), "an echo is a query: it gets its error");
        Bytes tail = new Ipv4Packet(0, 5, false, false, 1480, 1, Ipv4Packet.UDP, HOST, FAR, DATA).encode();
        assertEquals(new Cause.Unanswered(Problem.TIME_EXCEEDED, Silence.NOT_THE_FIRST_FRAGMENT), dropped(router.decide(0, tail, false)));
    }

    @Test
    void icmpErrorsAreRateLimited() {
        Forwarder limited = new Forwarder(table(), TokenBucket.perSecond(3, 10));
        Bytes expiring = withTtl(udp(HOST, 5000, FAR, 53, DATA), 1);
        int sent = 0;
        int silenced = 0;
        for (int i = 0; i < 20; i++) {
            switch (limited.decide(0, expiring, false)) {
                case ForwardDecision.SendError e -> sent++;
                case ForwardDecision.Dropped(Cause.Unanswered(Problem p, Silence s)) when s == Silence.RATE_LIMITED -> silenced++;
                default -> throw new AssertionError();
            }
        }
        assertEquals(3, sent, "the burst");
        assertEquals(17, silenced);
        assertInstanceOf(ForwardDecision.SendError.class, limited.decide(100_000_000L, expiring, false), "a token back after 100 ms");
    }
}
