package jmirage.net.nat;

import static jmirage.net.TestPackets.echo;
import static jmirage.net.TestPackets.ip;
import static jmirage.net.TestPackets.ipv4;
import static jmirage.net.TestPackets.tcp;
import static jmirage.net.TestPackets.udp;
import static jmirage.net.TestPackets.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;
import jmirage.net.TestPackets.Verified;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;
import org.junit.jupiter.api.Test;

class NatTableTest {

    static final Inet4Address PUBLIC = ip("203.0.113.1");
    static final Inet4Address HOST = ip("10.0.0.2");
    static final Inet4Address OTHER_HOST = ip("10.0.0.3");
    static final Inet4Address REMOTE = ip("198.51.100.7");
    static final Inet4Address ROUTER = ip("198.51.100.1");
    static final long SECOND = 1_000_000_000L;
    static final Bytes DATA = Bytes.utf8("GET / HTTP/1.1\r\n\r\n");

    final NatTable nat = new NatTable(NatConfig.of(PUBLIC, 42));

    static Bytes translated(NatVerdict v) {
        return assertInstanceOf(NatVerdict.Translated.class, v).packet();
    }

    static DropReason dropped(NatVerdict v) {
        return assertInstanceOf(NatVerdict.Dropped.class, v).reason();
    }

    @Test
    void tcpGoesOutFromThePublicAddressAndItsRepliesComeBack() {
        Verified out = verified(translated(nat.outbound(0, tcp(HOST, 40000, REMOTE, 443, TcpSegment.SYN, 1000, Bytes.EMPTY))));
        assertEquals(PUBLIC, out.ip().source());
        assertEquals(REMOTE, out.ip().destination());
        int port = out.tcp().sourcePort();
        assertTrue(port >= 1024 && port <= 49151, "port " + port);
        assertEquals(443, out.tcp().destinationPort());
        assertEquals(1000, out.tcp().seq().value());
        assertEquals(1460, out.tcp().mss(), "options untouched");

        Verified back = verified(translated(nat.inbound(SECOND, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.SYN | TcpSegment.ACK, 7, Bytes.EMPTY))));
        assertEquals(REMOTE, back.ip().source());
        assertEquals(HOST, back.ip().destination());
        assertEquals(443, back.tcp().sourcePort());
        assertEquals(40000, back.tcp().destinationPort());
        assertEquals(FlowClass.TCP_ESTABLISHED, nat.mappings().getFirst().flowClass());

        Verified data = verified(translated(nat.outbound(2 * SECOND, tcp(HOST, 40000, REMOTE, 443, TcpSegment.ACK | TcpSegment.PSH, 1001, DATA))));
        assertEquals(port, data.tcp().sourcePort(), "the same flow keeps its port");
        assertEquals(DATA, data.tcp().payload());
        assertEquals(1, nat.size());
    }

    @Test
    void simultaneousOpenIsTranslated() {
        int port = verified(translated(nat.outbound(0, tcp(HOST, 40000, REMOTE, 443, TcpSegment.SYN, 1, Bytes.EMPTY)))).tcp().sourcePort();
        Verified crossing = verified(translated(nat.inbound(SECOND, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.SYN, 9, Bytes.EMPTY))));
        assertEquals(HOST, crossing.ip().destination());
        assertEquals(FlowClass.TCP_ESTABLISHED, nat.mappings().getFirst().flowClass(), "RFC 5382 REQ-2: SYN both ways");
    }

    @Test
    void udpRoundTripKeepsThePayloadAndAnAbsentChecksumStaysAbsent() {
        Verified out = verified(translated(nat.outbound(0, udp(HOST, 5353, REMOTE, 53, DATA))));
        int port = out.udp().sourcePort();
        assertEquals(PUBLIC, out.ip().source());
        assertEquals(DATA, out.udp().payload());
        assertTrue(out.udp().checksumPresent());
        Verified back = verified(translated(nat.inbound(SECOND, udp(REMOTE, 53, PUBLIC, port, DATA))));
        assertEquals(HOST, back.ip().destination());
        assertEquals(5353, back.udp().destinationPort());
        assertEquals(FlowClass.UDP_ANSWERED, nat.mappings().getFirst().flowClass());

        byte[] noSum = udp(HOST, 5353, REMOTE, 53, DATA).toArray();
        Wire.putU16(noSum, Ipv4Packet.HEADER + 6, 0);
        Verified bare = verified(translated(nat.outbound(2 * SECOND, Bytes.adopt(noSum))));
        assertEquals(false, bare.udp().checksumPresent(), "RFC 768: zero means no checksum, and stays so");
    }

    @Test
    void echoIdentifierIsTranslatedAndRestored() {
        Verified out = verified(translated(nat.outbound(0, echo(IcmpMessage.ECHO_REQUEST, HOST, REMOTE, 77, 1, DATA))));
        int id = out.icmp().rest() >>> 16;
        assertEquals(PUBLIC, out.ip().source());
        assertEquals(1, out.icmp().rest() & 0xffff);
        Verified back = verified(translated(nat.inbound(SECOND, echo(IcmpMessage.ECHO_REPLY, REMOTE, PUBLIC, id, 1, DATA))));
        assertEquals(HOST, back.ip().destination());
        assertEquals(77, back.icmp().rest() >>> 16);
        assertEquals(DATA, back.icmp().data());
        assertInstanceOf(NatVerdict.Untranslated.class, nat.inbound(SECOND, echo(IcmpMessage.ECHO_REQUEST, REMOTE, PUBLIC, id, 1, DATA)),
                "a ping to the public address is for the unikernel");
    }

    @Test
    void whatNoMappingClaimsIsUntranslatedInboundAndDroppedOutbound() {
        assertInstanceOf(NatVerdict.Untranslated.class, nat.inbound(0, udp(REMOTE, 53, PUBLIC, 3000, DATA)));
        assertInstanceOf(NatVerdict.Untranslated.class, nat.inbound(0, tcp(REMOTE, 80, PUBLIC, 3000, TcpSegment.SYN, 1, Bytes.EMPTY)));
        assertEquals(new DropReason.NoMapping(Ipv4Packet.TCP), dropped(nat.outbound(0, tcp(HOST, 4000, REMOTE, 80, TcpSegment.ACK, 1, DATA))),
                "only a SYN opens a TCP mapping");
        assertEquals(new DropReason.UnsupportedIcmp(IcmpMessage.ECHO_REPLY),
                dropped(nat.outbound(0, echo(IcmpMessage.ECHO_REPLY, HOST, REMOTE, 1, 1, DATA))));
        assertEquals(new DropReason.UnsupportedProtocol(47), dropped(nat.outbound(0, ipv4(HOST, REMOTE, 47, DATA))));
        assertInstanceOf(NatVerdict.Untranslated.class, nat.inbound(0, ipv4(REMOTE, PUBLIC, 47, DATA)), "GRE to the unikernel itself");
        byte[] fragment = udp(HOST, 1, REMOTE, 2, DATA).toArray();
        fragment[6] = 0x20; // more fragments
        Wire.putU16(fragment, 10, 0);
        Wire.putU16(fragment, 10, Checksum.of(fragment, 0, 20));
        assertEquals(new DropReason.Fragment(), dropped(nat.outbound(0, Bytes.adopt(fragment))));
        assertInstanceOf(DropReason.Malformed.class, dropped(nat.outbound(0, Bytes.of(new byte[] {0x45, 0, 0}))));
        assertEquals(0, nat.size());
    }

    @Test
    void anIcmpErrorFromTheInternetReachesThePrivateHostWithItsQuoteTranslated() {
        Bytes sent = translated(nat.outbound(0, udp(HOST, 5353, REMOTE, 53, DATA)));
        // A router on the path: fragmentation needed, quoting the whole datagram (so the quoted UDP checksum can be checked).
        Bytes error = ipv4(ROUTER, PUBLIC, Ipv4Packet.ICMP,
                new IcmpMessage(IcmpMessage.DESTINATION_UNREACHABLE, IcmpMessage.FRAGMENTATION_NEEDED, 1280, sent).encode());
        Verified in = verified(translated(nat.inbound(SECOND, error)));
        assertEquals(ROUTER, in.ip().source());
        assertEquals(HOST, in.ip().destination());
        assertEquals(1280, in.icmp().rest(), "the next-hop MTU kept");
        Ipv4Packet quote = Ipv4Packet.parse(in.icmp().data()).orElseThrow(); // quoted header checksum verified
        assertEquals(HOST, quote.source());
        assertEquals(REMOTE, quote.destination());
        UdpPacket u = UdpPacket.parse(quote.payload(), HOST, REMOTE).orElseThrow(); // quoted UDP checksum verified
        assertEquals(5353, u.sourcePort());
        assertEquals(53, u.destinationPort());
        assertEquals(DATA, u.payload());

        // RFC 792's minimum quote, header and 64 bits: the port is translated, no transport checksum to keep.
        Bytes shortError = ipv4(ROUTER, PUBLIC, Ipv4Packet.ICMP, new IcmpMessage(IcmpMessage.TIME_EXCEEDED, 0, 0, sent.slice(0, 28)).encode());
        Verified shortIn = verified(translated(nat.inbound(SECOND, shortError)));
        assertEquals(5353, Wire.u16(shortIn.icmp().data(), 20));
        assertEquals(HOST, Wire.ipv4(shortIn.icmp().data(), 12));
        assertEquals(0, Checksum.of(shortIn.icmp().data().toArray(), 0, 20), "quoted header checksum kept right");
    }

    @Test
    void anIcmpErrorQuotingATcpSegmentOrAnEchoIsTranslatedToo() {
        Bytes syn = translated(nat.outbound(0, tcp(HOST, 40000, REMOTE, 443, TcpSegment.SYN, 1, Bytes.EMPTY)));
        Bytes unreachable = ipv4(ROUTER, PUBLIC, Ipv4Packet.ICMP, new IcmpMessage(3, 1, 0, syn).encode());
        Ipv4Packet quote = Ipv4Packet.parse(verified(translated(nat.inbound(0, unreachable))).icmp().data()).orElseThrow();
        TcpSegment s = TcpSegment.parse(quote.payload(), HOST, REMOTE).orElseThrow();
        assertEquals(40000, s.sourcePort());

        Bytes ping = translated(nat.outbound(0, echo(IcmpMessage.ECHO_REQUEST, HOST, REMOTE, 9, 1, DATA)));
        Bytes exceeded = ipv4(ROUTER, PUBLIC, Ipv4Packet.ICMP, new IcmpMessage(IcmpMessage.TIME_EXCEEDED, 0, 0, ping).encode());
        Ipv4Packet quotedPing = Ipv4Packet.parse(verified(translated(nat.inbound(0, exceeded))).icmp().data()).orElseThrow();
        IcmpMessage request = IcmpMessage.parse(quotedPing.payload()).orElseThrow(); // quoted ICMP checksum verified
        assertEquals(9, request.rest() >>> 16);
        assertEquals(HOST, quotedPing.source());

        Bytes aboutNothing = ipv4(ROUTER, PUBLIC, Ipv4Packet.ICMP, new IcmpMessage(3, 1, 0, udp(PUBLIC, 9999, REMOTE, 1, DATA)).encode());
        assertInstanceOf(NatVerdict.Untranslated.class, nat.inbound(0, aboutNothing), "an error about the unikernel's own traffic");
    }

    @Test
    void aPrivateHostsErrorAboutAReplyGoesOutFromThePublicAddress() {
        int port = verified(translated(nat.outbound(0, udp(HOST, 5353, REMOTE, 53, DATA)))).udp().sourcePort();
        Bytes reply = translated(nat.inbound(0, udp(REMOTE, 53, PUBLIC, port, DATA))); // as the host received it
        Bytes portUnreachable = ipv4(HOST, REMOTE, Ipv4Packet.ICMP, IcmpMessage.portUnreachable(reply.slice(0, 28)).encode());
        Verified out = verified(translated(nat.outbound(0, portUnreachable)));
        assertEquals(PUBLIC, out.ip().source());
        assertEquals(PUBLIC, Wire.ipv4(out.icmp().data(), 16));
        assertEquals(port, Wire.u16(out.icmp().data(), 22));
        Bytes spoofed = ipv4(OTHER_HOST, REMOTE, Ipv4Packet.ICMP, IcmpMessage.portUnreachable(reply.slice(0, 28)).encode());
        assertEquals(new DropReason.NoMapping(Ipv4Packet.ICMP), dropped(nat.outbound(0, spoofed)),
                "only the flow's own host may report about it");
    }

    @Test
    void mappingsExpireAfterTheirClassTimeoutUnlessUsed() {
        nat.outbound(0, udp(HOST, 1, REMOTE, 53, DATA));
        nat.outbound(0, echo(IcmpMessage.ECHO_REQUEST, HOST, REMOTE, 5, 1, DATA));
        nat.expire(59 * SECOND);
        assertEquals(2, nat.size());
        nat.expire(60 * SECOND);
        assertEquals(1, nat.size(), "RFC 5508 REQ-1: ICMP query after 60 s");
        nat.outbound(200 * SECOND, udp(HOST, 1, REMOTE, 53, DATA)); // refreshed
        nat.expire(499 * SECOND);
        assertEquals(1, nat.size());
        nat.expire(500 * SECOND);
        assertEquals(0, nat.size(), "RFC 4787 REQ-5: UDP after 5 minutes idle");
        assertEquals(2, nat.expirations());
    }

    @Test
    void tcpTimeoutsFollowTheConnectionState() {
        int port = establish(nat, 0, HOST, 40000);
        nat.expire(2 * 3600 * SECOND);
        assertEquals(1, nat.size(), "RFC 5382 REQ-5: established lasts at least 2 h 4 min");
        nat.inbound(2 * 3600 * SECOND, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.RST, 1, Bytes.EMPTY));
        assertEquals(FlowClass.TCP_RESET, nat.mappings().getFirst().flowClass());
        nat.outbound(2 * 3600 * SECOND + 5 * SECOND, tcp(HOST, 40000, REMOTE, 443, TcpSegment.ACK, 1, DATA));
        assertEquals(FlowClass.TCP_ESTABLISHED, nat.mappings().getFirst().flowClass(), "traffic after a RST: it did not end the connection");
        nat.inbound(3 * 3600 * SECOND, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.RST, 1, Bytes.EMPTY));
        nat.expire(3 * 3600 * SECOND + 10 * SECOND);
        assertEquals(0, nat.size(), "10 s after a RST");

        long t = 4 * 3600 * SECOND;
        int other = establish(nat, t, HOST, 40001);
        nat.outbound(t + SECOND, tcp(HOST, 40001, REMOTE, 443, TcpSegment.FIN | TcpSegment.ACK, 1, Bytes.EMPTY));
        assertEquals(FlowClass.TCP_TRANSITORY, nat.mappings().getFirst().flowClass(), "half closed");
        nat.inbound(t + 2 * SECOND, tcp(REMOTE, 443, PUBLIC, other, TcpSegment.FIN | TcpSegment.ACK, 1, Bytes.EMPTY));
        assertEquals(FlowClass.TCP_CLOSING, nat.mappings().getFirst().flowClass());
        nat.expire(t + 241 * SECOND);
        assertEquals(1, nat.size());
        nat.expire(t + 242 * SECOND);
        assertEquals(0, nat.size(), "4 minutes after FIN both ways");
    }

    /** SYN out, SYN-ACK in: an established mapping of HOST:port to REMOTE:443; its public port. */
    static int establish(NatTable nat, long now, Inet4Address host, int port) {
        int pub = verified(translated(nat.outbound(now, tcp(host, port, REMOTE, 443, TcpSegment.SYN, 1, Bytes.EMPTY)))).tcp().sourcePort();
        translated(nat.inbound(now, tcp(REMOTE, 443, PUBLIC, pub, TcpSegment.SYN | TcpSegment.ACK, 1, Bytes.EMPTY)));
        return pub;
    }

    @Test
    void aPortIsReusedOnlyTowardsAnotherRemoteEndpoint() {
        NatTable two = new NatTable(NatConfig.of(PUBLIC, 1).withPorts(2000, 2001));
        int a = verified(translated(two.outbound(0, udp(HOST, 1, REMOTE, 53, DATA)))).udp().sourcePort();
        int b = verified(translated(two.outbound(0, udp(OTHER_HOST, 1, REMOTE, 53, DATA)))).udp().sourcePort();
        assertNotEquals(a, b);
        assertEquals(new DropReason.PortsExhausted(Ipv4Packet.UDP, Wire.ipv4ToInt(REMOTE), 53),
                dropped(two.outbound(0, udp(ip("10.0.0.4"), 1, REMOTE, 53, DATA))));
        int c = verified(translated(two.outbound(0, udp(ip("10.0.0.4"), 1, REMOTE, 54, DATA)))).udp().sourcePort();
        assertTrue(c == 2000 || c == 2001, "another remote port: the range is free again");
        assertEquals(3, two.size());
    }

    @Test
    void aFullTableEvictsProvisionalMappingsBeforeEstablishedOnes() {
        NatTable small = new NatTable(NatConfig.of(PUBLIC, 7).withCapacity(3));
        int port = establish(small, 0, HOST, 40000);
        small.outbound(SECOND, udp(HOST, 1, REMOTE, 53, DATA));
        small.outbound(2 * SECOND, tcp(HOST, 2, REMOTE, 80, TcpSegment.SYN, 1, Bytes.EMPTY));
        small.outbound(3 * SECOND, udp(HOST, 3, REMOTE, 53, DATA));
        assertEquals(3, small.size());
        assertEquals(1, small.evictions());
        assertTrue(small.mappings().stream().noneMatch(m -> m.privateSide().port() == 1), "the oldest provisional went");
        small.outbound(4 * SECOND, udp(HOST, 4, REMOTE, 53, DATA));
        small.outbound(5 * SECOND, udp(HOST, 5, REMOTE, 53, DATA));
        assertEquals(3, small.size());
        assertTrue(small.mappings().stream().anyMatch(m -> m.publicSide().port() == port && m.flowClass() == FlowClass.TCP_ESTABLISHED));
        assertEquals(HOST, verified(translated(small.inbound(6 * SECOND, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.ACK, 2, DATA)))).ip().destination());
    }

    @Test
    void aForwardedPortReachesItsPrivateServerAndIsNeverAllocated() {
        PortForward web = new PortForward(Ipv4Packet.TCP, 8080, HOST, 80);
        NatTable fw = new NatTable(NatConfig.of(PUBLIC, 3).withPorts(8079, 8081).withForwards(List.of(web)));
        Verified in = verified(translated(fw.inbound(0, tcp(REMOTE, 5555, PUBLIC, 8080, TcpSegment.SYN, 1, Bytes.EMPTY))));
        assertEquals(HOST, in.ip().destination());
        assertEquals(80, in.tcp().destinationPort());
        Verified out = verified(translated(fw.outbound(0, tcp(HOST, 80, REMOTE, 5555, TcpSegment.SYN | TcpSegment.ACK, 1, Bytes.EMPTY))));
        assertEquals(PUBLIC, out.ip().source());
        assertEquals(8080, out.tcp().sourcePort());
        assertEquals(FlowClass.TCP_ESTABLISHED, fw.mappings().getFirst().flowClass());
        for (int i = 0; i < 2; i++) {
            int p = verified(translated(fw.outbound(0, tcp(OTHER_HOST, 1000 + i, REMOTE, 5555, TcpSegment.SYN, 1, Bytes.EMPTY)))).tcp().sourcePort();
            assertNotEquals(8080, p);
        }
        assertInstanceOf(NatVerdict.Dropped.class, fw.outbound(0, tcp(OTHER_HOST, 1002, REMOTE, 5555, TcpSegment.SYN, 1, Bytes.EMPTY)));
        assertInstanceOf(NatVerdict.Untranslated.class, fw.inbound(0, udp(REMOTE, 5555, PUBLIC, 8080, DATA)), "TCP only");
    }

    @Test
    void removeIfFlushesTheMappingsOfAHost() {
        nat.outbound(0, udp(HOST, 1, REMOTE, 53, DATA));
        nat.outbound(0, udp(OTHER_HOST, 1, REMOTE, 53, DATA));
        assertEquals(1, nat.removeIf(m -> m.privateSide().equals(new Endpoint(HOST, 1))));
        assertEquals(List.of(OTHER_HOST), nat.mappings().stream().map(m -> m.privateSide().address()).toList());
        assertEquals("no free port for protocol 17 to 198.51.100.7:53",
                new DropReason.PortsExhausted(Ipv4Packet.UDP, Wire.ipv4ToInt(REMOTE), 53).describe());
    }
}
