package jmirage.net;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.arp.ArpPacket;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.ipv6.Icmpv6Message;
import jmirage.net.ipv6.Ipv6Packet;
import jmirage.net.ipv6.NdMessage;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.ParseError;

/**
 * The one entry point from wire bytes to a typed packet, every layer at once: what the fuzzer
 * drives and what a trace reader uses. The stack itself runs the same per-layer parsers.
 */
public final class Frames {

    private Frames() {}

    public sealed interface Frame {
        EthernetFrame ethernet();
    }

    public record Arp(EthernetFrame ethernet, ArpPacket arp) implements Frame {}

    public record Ipv4(EthernetFrame ethernet, Ipv4Packet ip, Transport transport) implements Frame {}

    /** An IPv6 packet, its extension headers walked (RFC 8200 4); a fragment's transport is {@link Fragment}. */
    public record Ipv6(EthernetFrame ethernet, Ipv6Packet ip, Transport transport) implements Frame {}

    /** An EtherType the stack does not speak. */
    public record Other(EthernetFrame ethernet) implements Frame {}

    public sealed interface Transport {}

    public record Icmp(IcmpMessage message) implements Transport {}

    public record Udp(UdpPacket datagram) implements Transport {}

    public record Icmpv6(Icmpv6Message message) implements Transport {}

    /** An ICMPv6 message of Neighbor Discovery (RFC 4861 4), its options read. */
    public record Nd(Icmpv6Message message, NdMessage nd) implements Transport {}

    public record Tcp(TcpSegment segment) implements Transport {}

    /** A fragment: its transport header is known only after reassembly. */
    public record Fragment() implements Transport {}

    public record UnknownProtocol(int protocol) implements Transport {}

    /** Parses an Ethernet frame down to its transport header, checking every length and checksum. */
    public static Result<Frame, ParseError> parse(Bytes bytes) {
        return EthernetFrame.parse(bytes).flatMap(eth -> switch (eth.etherType()) {
            case EthernetFrame.ARP -> ArpPacket.parse(eth.payload()).map(a -> (Frame) new Arp(eth, a));
            case EthernetFrame.IPV4 -> Ipv4Packet.parse(eth.payload())
                    .flatMap(ip -> transport(ip).map(t -> (Frame) new Ipv4(eth, ip, t)));
            case EthernetFrame.IPV6 -> Ipv6Packet.parse(eth.payload())
                    .flatMap(ip -> transport(ip).map(t -> (Frame) new Ipv6(eth, ip, t)));
            default -> Result.ok(new Other(eth));
        });
    }

    public static Result<Transport, ParseError> transport(Ipv4Packet ip) {
        if (ip.isFragment()) {
            return Result.ok(new Fragment());
        }
        return switch (ip.protocol()) {
            case Ipv4Packet.ICMP -> IcmpMessage.parse(ip.payload()).map(Icmp::new);
            case Ipv4Packet.UDP -> UdpPacket.parse(ip.payload(), ip.source(), ip.destination()).map(Udp::new);
            case Ipv4Packet.TCP -> TcpSegment.parse(ip.payload(), ip.source(), ip.destination()).map(Tcp::new);
            default -> Result.ok(new UnknownProtocol(ip.protocol()));
        };
    }

    /** The transport of an IPv6 packet: checksums checked (UDP's required, RFC 8200 8.1), ND messages read. */
    public static Result<Transport, ParseError> transport(Ipv6Packet ip) {
        if (ip.isFragment()) {
            return Result.ok(new Fragment());
        }
        return switch (ip.nextHeader()) {
            case Ipv6Packet.ICMPV6 -> Icmpv6Message.parse(ip.payload(), ip.source(), ip.destination()).flatMap(m ->
                    m.type() >= Icmpv6Message.ROUTER_SOLICITATION && m.type() <= Icmpv6Message.NEIGHBOR_ADVERTISEMENT
                            ? NdMessage.parse(m).map(nd -> (Transport) new Nd(m, nd))
                            : Result.ok(new Icmpv6(m)));
            case Ipv6Packet.UDP -> UdpPacket.parse(ip.payload(), ip.source(), ip.destination()).flatMap(u -> u.checksumPresent()
                    ? Result.ok((Transport) new Udp(u))
                    : Result.err(new ParseError("udp", "no checksum over IPv6")));
            case Ipv6Packet.TCP -> TcpSegment.parse(ip.payload(), ip.source(), ip.destination()).map(Tcp::new);
            default -> Result.ok(new UnknownProtocol(ip.nextHeader()));
        };
    }
}
