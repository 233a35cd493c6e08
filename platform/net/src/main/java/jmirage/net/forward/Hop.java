package jmirage.net.forward;

import java.net.Inet4Address;

/** Where a datagram goes next: out of {@code out}, to the link-layer neighbour {@code nextHop}. */
public record Hop(RouterInterface out, Inet4Address nextHop) {}
