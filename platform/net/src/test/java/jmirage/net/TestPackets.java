package jmirage.net;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.SeqNum;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.Wire;

/** IPv4 datagrams for the tests of the NAT and forwarding cores, built with the stack's own writers. */
public final class TestPackets {

    private TestPackets() {}

    public static Inet4Address ip(String text) {
        return SimNet.ip(text);
    }

    public static Bytes ipv4(Inet4Address source, Inet4Address destination, int protocol, Bytes payload) {
        return new Ipv4Packet(0, 4711, true, false, 0, 64, protocol, source, destination, payload).encode();
    }

    public static Bytes tcp(Inet4Address source, int sourcePort, Inet4Address destination, int destinationPort, int flags,
            int seq, Bytes payload) {
        TcpSegment s = new TcpSegment(sourcePort, destinationPort, new SeqNum(seq), new SeqNum(0), flags, 65535,
                (flags & TcpSegment.SYN) != 0 ? 1460 : -1, -1, payload);
        return ipv4(source, destination, Ipv4Packet.TCP, s.encode(source, destination));
    }

    public static Bytes udp(Inet4Address source, int sourcePort, Inet4Address destination, int destinationPort, Bytes payload) {
        return ipv4(source, destination, Ipv4Packet.UDP, UdpPacket.encode(sourcePort, destinationPort, payload, source, destination));
    }

    public static Bytes echo(int type, Inet4Address source, Inet4Address destination, int identifier, int sequence, Bytes data) {
        return ipv4(source, destination, Ipv4Packet.ICMP,
                new IcmpMessage(type, 0, (identifier << 16) | (sequence & 0xffff), data).encode());
    }

    /**
     * A datagram from fuzzer input ({@code body}: the transport bytes; protocol 0 ICMP, 1 UDP, 2 TCP,
     * else 99). With {@code fixChecksum}, an unfragmented ICMP, UDP or TCP body gets a valid checksum
     * (and UDP its length) so the fuzzer reaches past the checks.
     */
    public static Bytes fuzzed(Inet4Address source, Inet4Address destination, int protocolChoice, int ttl, boolean dontFragment,
            boolean more, int offsetUnits, boolean fixChecksum, byte[] body) {
        int protocol = switch (protocolChoice) {
            case 0 -> Ipv4Packet.ICMP;
            case 1 -> Ipv4Packet.UDP;
            case 2 -> Ipv4Packet.TCP;
            default -> 99;
        };
        if (fixChecksum && !more && offsetUnits == 0) {
            if (protocol == Ipv4Packet.ICMP && body.length >= 4) {
                Wire.putU16(body, 2, 0);
                Wire.putU16(body, 2, Checksum.of(body, 0, body.length));
            } else if (protocol == Ipv4Packet.UDP && body.length >= 8) {
                Wire.putU16(body, 4, body.length);
                Wire.putU16(body, 6, 0);
                Wire.putU16(body, 6, Checksum.finish(Checksum.sum(body, 0, body.length,
                        Checksum.pseudoHeader(source, destination, Ipv4Packet.UDP, body.length))));
            } else if (protocol == Ipv4Packet.TCP && body.length >= 20) {
                Wire.putU16(body, 16, 0);
                Wire.putU16(body, 16, Checksum.finish(Checksum.sum(body, 0, body.length,
                        Checksum.pseudoHeader(source, destination, Ipv4Packet.TCP, body.length))));
            }
        }
        return new Ipv4Packet(0, 7, dontFragment, more, offsetUnits * 8, ttl, protocol, source, destination, Bytes.of(body)).encode();
    }

    /** {@code packet} with another TTL, its header checksum computed again. */
    public static Bytes withTtl(Bytes packet, int ttl) {
        byte[] b = packet.toArray();
        b[8] = (byte) ttl;
        Wire.putU16(b, 10, 0);
        Wire.putU16(b, 10, Checksum.of(b, 0, Ipv4Packet.HEADER));
        return Bytes.adopt(b);
    }

    /** The datagram parsed with every checksum checked (IPv4 header, then ICMP, UDP or TCP); fails the test otherwise. */
    public static Verified verified(Bytes packet) {
        Ipv4Packet ip = Ipv4Packet.parse(packet).orElseThrow();
        return new Verified(ip, Frames.transport(ip).orElseThrow());
    }

    public record Verified(Ipv4Packet ip, Frames.Transport transport) {

        public TcpSegment tcp() {
            return ((Frames.Tcp) transport).segment();
        }

        public UdpPacket udp() {
            return ((Frames.Udp) transport).datagram();
        }

        public IcmpMessage icmp() {
            return ((Frames.Icmp) transport).message();
        }
    }
}
