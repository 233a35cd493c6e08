package jmirage.net.forward;

import java.net.Inet4Address;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.net.forward.ForwardDecision.Cause;
import jmirage.net.forward.ForwardDecision.Problem;
import jmirage.net.forward.ForwardDecision.Silence;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Fragmenter;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * The IPv4 forwarding core of a router (RFC 1812 5.2, 5.3): given a datagram that arrived on one of
 * its interfaces, deliver it locally, forward it with its TTL decremented (fragmented when it does
 * not fit the next link and may be), or answer with an ICMP error, rate-limited.
 *
 * <p>Pure: no clock, no I/O. A mutable object owned by one event loop (the ICMP rate limit and the
 * identification of the errors it makes are its state); each call takes the monotonic time.
 *
 * <p>Forwarded datagrams keep their bytes (IP options included) but for the TTL and the header
 * checksum, updated incrementally (RFC 1624). Fragmented ones are encoded anew without options, as
 * the stack sends every datagram. No ICMP redirects (RFC 1812 5.2.7.2 says SHOULD) and no
 * reverse-path filtering: the firewall above decides who may send what.
 */
public final class Forwarder {

    /** RFC 1812 4.3.2.3: an ICMP error holds as much of the datagram as fits in 576 bytes. */
    static final int MAX_ERROR_DATAGRAM = 576;
    static final int ERROR_TTL = 64;

    private final RoutingTable routes;
    private final TokenBucket icmpErrors;
    private int identification;

    /** {@code icmpErrors} limits the errors sent (RFC 1812 4.3.2.8), as the stack's {@code TokenBucket.perSecond(50, 100)}. */
    public Forwarder(RoutingTable routes, TokenBucket icmpErrors) {
        this.routes = routes;
        this.icmpErrors = icmpErrors;
    }

    public RoutingTable routes() {
        return routes;
    }

    /**
     * Decides for one datagram ({@code packet}: the IPv4 header and what follows; Ethernet padding
     * allowed). {@code linkBroadcast}: it came in a link-layer broadcast (or multicast) frame.
     */
    public ForwardDecision decide(long now, Bytes packet, boolean linkBroadcast) {
        return switch (Ipv4Packet.parse(packet)) {
            case Result.Err<Ipv4Packet, ParseError>(ParseError error) -> new ForwardDecision.Dropped(new Cause.Malformed(error));
            case Result.Ok<Ipv4Packet, ParseError>(Ipv4Packet ip) -> decide(now, packet.slice(0, Wire.u16(packet, 2)), ip, linkBroadcast);
        };
    }

    private ForwardDecision decide(long now, Bytes raw, Ipv4Packet ip, boolean linkBroadcast) {
        Inet4Address destination = ip.destination();
        int d = Wire.ipv4ToInt(destination);
        // RFC 1812 5.3.1: a datagram for the router itself is delivered whatever its TTL.
        if (routes.isLocal(destination)) {
            return new ForwardDecision.Deliver(raw);
        }
        if (linkBroadcast || isMulticast(d)) {
            return new ForwardDecision.Dropped(new Cause.NotRouted(destination)); // RFC 1812 5.3.4
        }
        if (isReserved(d)) {
            return new ForwardDecision.Dropped(new Cause.BadDestination(destination));
        }
        int s = Wire.ipv4ToInt(ip.source());
        if (isReserved(s) || isMulticast(s) || routes.isBroadcast(s)) {
            return new ForwardDecision.Dropped(new Cause.BadSource(ip.source()));
        }
        if (ip.ttl() <= 1) {
            return error(now, raw, ip, Problem.TIME_EXCEEDED, IcmpMessage.TIME_EXCEEDED, 0, 0);
        }
        var hop = routes.lookup(destination);
        if (hop.isEmpty()) {
            return error(now, raw, ip, Problem.NO_ROUTE, IcmpMessage.DESTINATION_UNREACHABLE, IcmpMessage.NET_UNREACHABLE, 0);
        }
        int mtu = hop.get().out().mtu();
        if (raw.size() > mtu && ip.dontFragment()) {
            // RFC 1191 4: the next-hop MTU in the low-order 16 bits of the second word.
            return error(now, raw, ip, Problem.FRAGMENTATION_NEEDED, IcmpMessage.DESTINATION_UNREACHABLE,
                    IcmpMessage.FRAGMENTATION_NEEDED, mtu);
        }
        return new ForwardDecision.Forward(hop.get(), decrementTtl(raw));
    }

    /**
     * {@code datagram} as it goes on a link of {@code mtu} bytes: itself, bytes untouched, when it
     * fits; else its fragments (RFC 791 3.2, {@link Fragmenter}), encoded anew without options;
     * nothing if it does not fit and has DF set, or is no datagram.
     */
    public static List<Bytes> fragments(Bytes datagram, int mtu) {
        if (datagram.size() <= mtu) {
            return List.of(datagram);
        }
        return switch (Ipv4Packet.parse(datagram)) {
            case Result.Err<Ipv4Packet, ParseError> malformed -> List.of();
            case Result.Ok<Ipv4Packet, ParseError>(Ipv4Packet ip) -> Fragmenter.fragment(ip, mtu).stream().map(Ipv4Packet::encode).toList();
        };
    }

    /** The datagram's bytes with TTL one less: the word holding TTL and protocol changes, so does the header checksum. */
    private static Bytes decrementTtl(Bytes raw) {
        byte[] b = raw.toArray();
        int old = Wire.u16(b, 8);
        b[8]--;
        Wire.putU16(b, 10, Checksum.adjust(Wire.u16(b, 10), old, Wire.u16(b, 8)));
        return Bytes.adopt(b);
    }

    /** An ICMP error about {@code ip} to its source, unless RFC 1812 4.3.2.7 or the rate limit forbids it. */
    private ForwardDecision error(long now, Bytes raw, Ipv4Packet ip, Problem problem, int type, int code, int rest) {
        if (ip.fragmentOffset() != 0) {
            return unanswered(problem, Silence.NOT_THE_FIRST_FRAGMENT);
        }
        if (ip.protocol() == Ipv4Packet.ICMP && !ip.payload().isEmpty() && IcmpMessage.isError(ip.payload().getUnsigned(0))) {
            return unanswered(problem, Silence.ABOUT_AN_ICMP_ERROR);
        }
        var back = routes.lookup(ip.source());
        if (back.isEmpty()) {
            return unanswered(problem, Silence.NO_ROUTE_TO_SOURCE);
        }
        if (!icmpErrors.allow(now)) {
            return unanswered(problem, Silence.RATE_LIMITED);
        }
        int quoted = Math.min(raw.size(), MAX_ERROR_DATAGRAM - Ipv4Packet.HEADER - 8);
        Bytes message = new IcmpMessage(type, code, rest, raw.slice(0, quoted)).encode();
        // RFC 1812 4.3.2.4: the source is an address of the interface the error leaves by.
        Inet4Address self = (Inet4Address) back.get().out().address().address();
        Ipv4Packet answer = new Ipv4Packet(0, identification++ & 0xffff, false, false, 0, ERROR_TTL, Ipv4Packet.ICMP, self,
                ip.source(), message);
        return new ForwardDecision.SendError(back.get(), answer.encode(), problem);
    }

    private static ForwardDecision unanswered(Problem problem, Silence silence) {
        return new ForwardDecision.Dropped(new Cause.Unanswered(problem, silence));
    }

    /** 0.0.0.0/8 ("this network"), 127.0.0.0/8 (loopback), 240.0.0.0/4 (reserved): RFC 1812 5.3.7, RFC 1122 3.2.1.3. */
    private static boolean isReserved(int a) {
        int top = a >>> 24;
        return top == 0 || top == 127 || top >= 240;
    }

    private static boolean isMulticast(int a) {
        return (a >>> 28) == 0xe;
    }
}
