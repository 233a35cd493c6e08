package jmirage.qubes.rules;

import java.net.InetAddress;

/**
 * What the rules look at in a datagram from a client (its first fragment, as a router reassembles):
 * the IP protocol, the destination address, and the destination port of TCP and UDP or the type of
 * ICMP ({@code -1} for other protocols).
 */
public record Probe(int protocol, InetAddress destination, int port, int icmpType) {

    public static Probe tcp(InetAddress destination, int port) {
        return new Probe(Rule.Protocol.TCP.number, destination, port, -1);
    }

    public static Probe udp(InetAddress destination, int port) {
        return new Probe(Rule.Protocol.UDP.number, destination, port, -1);
    }

    public static Probe icmp(InetAddress destination, int type) {
        return new Probe(Rule.Protocol.ICMP.number, destination, -1, type);
    }
}
