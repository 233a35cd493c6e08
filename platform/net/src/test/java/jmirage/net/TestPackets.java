package jmirage.net;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.tcp.SeqNum;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;

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
