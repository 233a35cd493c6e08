package jmirage.net.icmp;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * An ICMP message (RFC 792): type, code, the four bytes after the checksum ({@code rest}: identifier
 * and sequence of an echo, unused for errors) and the data.
 */
public record IcmpMessage(int type, int code, int rest, Bytes data) {

    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int PORT_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    /** Codes of destination unreachable (RFC 792; 4 is RFC 1191's "fragmentation needed and DF set"). */
    public static final int NET_UNREACHABLE = 0;
    public static final int FRAGMENTATION_NEEDED = 4;

    /**
     * Whether {@code type} is an error message, one that quotes the datagram that caused it (RFC 792;
     * RFC 1812 4.3.2.7 lists these as the messages no error may be sent about).
     */
    public static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    public static Result<IcmpMessage, ParseError> parse(Bytes b) {
        if (b.size() < 8) {
            return Result.err(new ParseError("icmp", "message of " + b.size() + " bytes is shorter than 8"));
        }
        if (Checksum.finish(Checksum.sum(b, 0, b.size(), 0)) != 0) {
            return Result.err(new ParseError("icmp", "bad checksum"));
        }
        return Result.ok(new IcmpMessage(b.getUnsigned(0), b.getUnsigned(1), Wire.i32(b, 4), b.slice(8, b.size())));
    }

    public Bytes encode() {
        byte[] m = new byte[8 + data.size()];
        m[0] = (byte) type;
        m[1] = (byte) code;
        Wire.putU32(m, 4, rest & 0xffffffffL);
        data.copyTo(0, m, 8, data.size());
        Wire.putU16(m, 2, Checksum.of(m, 0, m.length));
        return Bytes.adopt(m);
    }

    /** RFC 792 "Echo or Echo Reply": the reply carries the request's identifier, sequence and data. */
    public static IcmpMessage echoReply(IcmpMessage request) {
        return new IcmpMessage(ECHO_REPLY, 0, request.rest(), request.data());
    }

    /**
     * Port unreachable for {@code offending}, the whole IP datagram that came in: RFC 792 wants its
     * header and 64 bits of data; RFC 1812 4.3.2.3 allows more, we send header + 8 bytes.
     */
    public static IcmpMessage portUnreachable(Bytes offendingHeaderAndData) {
        return new IcmpMessage(DESTINATION_UNREACHABLE, PORT_UNREACHABLE, 0, offendingHeaderAndData);
    }
}
