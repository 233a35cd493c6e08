package jmirage.net.udp;

import java.net.InetAddress;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/** A UDP datagram (RFC 768). The checksum covers a pseudo-header, so encoding and checking need the addresses. */
public record UdpPacket(int sourcePort, int destinationPort, Bytes payload, boolean checksumPresent) {

    public static final int HEADER = 8;
    public static final int PROTOCOL = 17;

    /** Parses without the addresses: length checked, checksum not (see {@link #verify}). */
    public static Result<UdpPacket, ParseError> parse(Bytes b) {
        if (b.size() < HEADER) {
            return Result.err(new ParseError("udp", "datagram of " + b.size() + " bytes is shorter than 8"));
        }
        int length = Wire.u16(b, 4);
        if (length < HEADER || length > b.size()) {
            return Result.err(new ParseError("udp", "length " + length + " for " + b.size() + " bytes"));
        }
        return Result.ok(new UdpPacket(Wire.u16(b, 0), Wire.u16(b, 2), b.slice(HEADER, length), Wire.u16(b, 6) != 0));
    }

    /** Parses and checks the checksum against the pseudo-header (RFC 768; zero means "none" on IPv4). */
    public static Result<UdpPacket, ParseError> parse(Bytes b, InetAddress source, InetAddress destination) {
        return parse(b).flatMap(p -> {
            if (!p.checksumPresent()) {
                return Result.ok(p);
            }
            int length = HEADER + p.payload().size();
            long sum = Checksum.pseudoHeader(source, destination, PROTOCOL, length);
            return Checksum.finish(Checksum.sum(b, 0, length, sum)) == 0
                    ? Result.ok(p)
                    : Result.err(new ParseError("udp", "bad checksum"));
        });
    }

    public static Bytes encode(int sourcePort, int destinationPort, Bytes payload, InetAddress source, InetAddress destination) {
        byte[] b = new byte[HEADER + payload.size()];
        Wire.putU16(b, 0, sourcePort);
        Wire.putU16(b, 2, destinationPort);
        Wire.putU16(b, 4, b.length);
        payload.copyTo(0, b, HEADER, payload.size());
        int c = Checksum.finish(Checksum.sum(b, 0, b.length, Checksum.pseudoHeader(source, destination, PROTOCOL, b.length)));
        Wire.putU16(b, 6, c == 0 ? 0xffff : c); // RFC 768: a computed zero is sent as all ones
        return Bytes.adopt(b);
    }
}
