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
