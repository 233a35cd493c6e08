package jmirage.net.nat;

import java.net.Inet4Address;
import jmirage.net.ipv4.Ipv4Packet;

/**
 * Destination NAT of one port: a new TCP or UDP flow to the public address's {@code publicPort}
 * goes to {@code privateAddress:privatePort}, and its replies leave from the public port. The port
 * allocator never hands out a forwarded port for the same protocol.
 */
public record PortForward(int protocol, int publicPort, Inet4Address privateAddress, int privatePort) {

    public PortForward {
        if (protocol != Ipv4Packet.TCP && protocol != Ipv4Packet.UDP) {
            throw new IllegalArgumentException("a port forward is for TCP or UDP, not protocol " + protocol);
        }
        if (publicPort < 1 || publicPort > 65535 || privatePort < 1 || privatePort > 65535) {
            throw new IllegalArgumentException("ports are 1 to 65535: " + publicPort + ", " + privatePort);
        }
    }
}
