package jmirage.net.ipv6;

import java.net.InetAddress;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * An ICMPv6 message (RFC 4443 2.1): type, code, the four bytes after the checksum ({@code rest}: an
 * echo's identifier and sequence, the MTU of packet too big, the pointer of parameter problem, the
 * flags of a neighbor advertisement...) and the body. The checksum covers the IPv6 pseudo-header (2.3).
 */
public record Icmpv6Message(int type, int code, int rest, Bytes body) {

    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    /** Neighbor Discovery (RFC 4861 4). */
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;
    public static final int REDIRECT = 137;
    /** Codes of destination unreachable (RFC 4443 3.1). */
    public static final int NO_ROUTE = 0;
    public static final int ADDRESS_UNREACHABLE = 3;
    public static final int PORT_UNREACHABLE = 4;
    /** Codes of parameter problem (RFC 4443 3.4). */
    public static final int ERRONEOUS_HEADER_FIELD = 0;
    public static final int UNRECOGNIZED_NEXT_HEADER = 1;
    /** RFC 4443 2.4 (c): an error message fits the minimum MTU. */
    public static final int MAX_ERROR_PACKET = Ipv6Packet.MINIMUM_MTU;

    /** RFC 4443 2.1: types 0 to 127 are errors. */
    public static boolean isError(int type) {
        return type < 128;
    }

    public static Result<Icmpv6Message, ParseError> parse(Bytes b, InetAddress source, InetAddress destination) {
        if (b.size() < 8) {
            return Result.err(new ParseError("icmpv6", "message of " + b.size() + " bytes is shorter than 8"));
        }
        long pseudo = Checksum.pseudoHeader(source, destination, Ipv6Packet.ICMPV6, b.size());
        if (Checksum.finish(Checksum.sum(b, 0, b.size(), pseudo)) != 0) {
            return Result.err(new ParseError("icmpv6", "bad checksum"));
        }
        return Result.ok(new Icmpv6Message(b.getUnsigned(0), b.getUnsigned(1), Wire.i32(b, 4), b.slice(8, b.size())));
    }

    public Bytes encode(InetAddress source, InetAddress destination) {
        byte[] m = new byte[8 + body.size()];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Wire.putU32(m, 4, rest & 0xffffffffL);
        body.copyTo(0, m, 8, body.size());
        long pseudo = Checksum.pseudoHeader(source, destination, Ipv6Packet.ICMPV6, m.length);
        Wire.putU16(m, 2, Checksum.finish(Checksum.sum(m, 0, m.length, pseudo)));
        return Bytes.adopt(m);
    }

    /** RFC 4443 4.2: the reply carries the request's identifier, sequence number and data. */
    public static Icmpv6Message echoReply(Icmpv6Message request) {
        return new Icmpv6Message(ECHO_REPLY, 0, request.rest(), request.body());
    }

    /** Destination unreachable (3.1) quoting as much of {@code offending} (the whole packet) as fits in 1280 bytes. */
    public static Icmpv6Message destinationUnreachable(int code, Bytes offending) {
        return new Icmpv6Message(DESTINATION_UNREACHABLE, code, 0, quote(offending));
    }

    /** Packet too big (3.2): the MTU of the next link. */
    public static Icmpv6Message packetTooBig(int mtu, Bytes offending) {
        return new Icmpv6Message(PACKET_TOO_BIG, 0, mtu, quote(offending));
    }

    /** Time exceeded (3.3): code 0 hop limit, 1 fragment reassembly time. */
    public static Icmpv6Message timeExceeded(int code, Bytes offending) {
        return new Icmpv6Message(TIME_EXCEEDED, code, 0, quote(offending));
    }

    /** Parameter problem (3.4): {@code pointer} is the offset in {@code offending} of the field at fault. */
    public static Icmpv6Message parameterProblem(int code, int pointer, Bytes offending) {
        return new Icmpv6Message(PARAMETER_PROBLEM, code, pointer, quote(offending));
    }

    private static Bytes quote(Bytes offending) {
        return offending.slice(0, Math.min(offending.size(), MAX_ERROR_PACKET - Ipv6Packet.HEADER - 8));
    }
}
