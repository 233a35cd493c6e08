package jmirage.net.nat;

/**
 * One direction of a flow as a packet names it: protocol, source and destination addresses (IPv4 as
 * ints) and ports. An ICMP echo request is keyed with its identifier as the source port and 0 as the
 * destination port, its reply the other way round, so that the reply's key is the request's
 * {@link #reversed()} as for TCP and UDP (RFC 5508 3: the identifier plays the port's role).
 */
public record FlowKey(int protocol, int source, int sourcePort, int destination, int destinationPort) {

    /** The key of a packet going the other way on the same flow. */
    public FlowKey reversed() {
        return new FlowKey(protocol, destination, destinationPort, source, sourcePort);
    }
}
