package jmirage.net.nat;

import jmirage.core.net.Endpoint;

/**
 * A live mapping, as the table shows it: the private endpoint, the public endpoint it appears as,
 * the remote endpoint, what kind of flow it is and when it was last used (monotonic nanoseconds).
 * For ICMP the ports are the echo identifiers (the remote's is 0).
 */
public record Mapping(int protocol, Endpoint privateSide, Endpoint publicSide, Endpoint remote, FlowClass flowClass,
        long lastUsed) {}
