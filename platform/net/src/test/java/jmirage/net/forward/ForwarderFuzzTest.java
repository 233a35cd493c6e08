package jmirage.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.TokenBucket;
import jmirage.core.net.IpPrefix;
import jmirage.net.TestPackets;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;

/**
 * Arbitrary datagrams into the forwarding core: raw bytes, and datagrams with valid checksums to
 * addresses that are ours, broadcast, routed or unroutable, any TTL, DF and fragment fields. Only
 * decisions come out; what is forwarded fits the link and lost one TTL; an error fits 576 bytes
 * and is never about an ICMP error.
 */
class ForwarderFuzzTest {

    static final Inet4Address[] ADDRESSES = {TestPackets.ip("10.0.0.1"), TestPackets.ip("10.0.0.2"), TestPackets.ip("10.0.0.255"),
        TestPackets.ip("255.255.255.255"), TestPackets.ip("192.0.2.77"), TestPackets.ip("198.51.100.7"), TestPackets.ip("224.0.0.1"),
        TestPackets.ip("127.0.0.1"), TestPackets.ip("0.0.0.0"), TestPackets.ip("172.16.0.1")};

    @FuzzTest(maxDuration = "20s")
    void arbitraryDatagramsGetDecisions(FuzzedDataProvider data) {
        RouterInterface uplink = new RouterInterface("uplink", IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(), 1500);
        RouterInterface inside = new RouterInterface("private", IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(),
                data.consumeInt(RouterInterface.MIN_MTU, 1500));
        List<Route> routes = data.consumeBoolean() ? List.of(Route.defaultVia("uplink", TestPackets.ip("192.0.2.1"))) : List.of(
                new Route(IpPrefix.parse("198.51.100.0/24").orElseThrow(), "uplink", Optional.empty()));
        Forwarder router = new Forwarder(RoutingTable.of(List.of(uplink, inside), routes).orElseThrow(), TokenBucket.perSecond(5, 10));
        long now = 0;
        int packets = data.consumeInt(1, 16);
        for (int i = 0; i < packets && data.remainingBytes() > 0; i++) {
            now += data.consumeLong(0, 1_000_000_000L);
            Bytes packet = data.consumeBoolean()
                    ? Bytes.of(data.consumeBytes(data.consumeInt(0, 1600)))
                    : TestPackets.fuzzed(data.pickValue(ADDRESSES), data.pickValue(ADDRESSES), data.consumeInt(0, 3), data.consumeInt(0, 255),
                            data.consumeBoolean(), data.consumeBoolean(), data.consumeInt(0, 400), data.consumeBoolean(),
                            data.consumeBytes(data.consumeInt(0, 3000)));
            switch (router.decide(now, packet, data.consumeBoolean())) {
                case ForwardDecision.Forward forward -> {
                    Ipv4Packet in = Ipv4Packet.parse(packet).orElseThrow();
                    Ipv4Packet whole = Ipv4Packet.parse(forward.packet()).orElseThrow();
                    assertTrue(forward.packet().size() <= forward.hop().out().mtu() || !whole.dontFragment());
                    int carried = 0;
                    for (Bytes b : forward.packets()) {
                        assertTrue(b.size() <= forward.hop().out().mtu());
                        Ipv4Packet p = Ipv4Packet.parse(b).orElseThrow();
                        assertEquals(in.ttl() - 1, p.ttl());
                        carried += p.payload().size();
                    }
                    assertEquals(in.payload().size(), carried, "fragments carry the whole payload");
                }
                case ForwardDecision.SendError(Hop hop, Bytes error, ForwardDecision.Problem problem) -> {
                    assertTrue(error.size() <= Forwarder.MAX_ERROR_DATAGRAM);
                    Ipv4Packet in = Ipv4Packet.parse(packet).orElseThrow();
                    assertTrue(in.protocol() != Ipv4Packet.ICMP || in.payload().isEmpty() || !IcmpMessage.isError(in.payload().getUnsigned(0)));
                    assertTrue(IcmpMessage.parse(Ipv4Packet.parse(error).orElseThrow().payload()).isOk());
                }
                case ForwardDecision.Deliver(Bytes local) -> assertTrue(local.size() <= packet.size());
                case ForwardDecision.Dropped(ForwardDecision.Cause cause) -> assertTrue(!cause.describe().isEmpty());
            }
        }
    }
}
