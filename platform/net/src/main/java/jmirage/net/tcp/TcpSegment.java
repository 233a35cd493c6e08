package jmirage.net.tcp;

import java.net.InetAddress;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * A TCP segment (RFC 9293 3.1). Options understood: MSS (kind 2), window scale (kind 3, RFC 7323 2);
 * others (SACK-permitted, timestamps...) are skipped. {@code mss} and {@code windowScale} are -1 when absent.
 */
public record TcpSegment(int sourcePort, int destinationPort, SeqNum seq, SeqNum ack, int flags, int window,
        int mss, int windowScale, Bytes payload) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int HEADER = 20;
    public static final int PROTOCOL = 6;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The sequence space the segment occupies: data, plus one for SYN and one for FIN. */
    public int length() {
        return payload.size() + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    public static Result<TcpSegment, ParseError> parse(Bytes b) {
        if (b.size() < HEADER) {
            return err("segment of " + b.size() + " bytes is shorter than a header");
        }
        int offset = (b.getUnsigned(12) >>> 4) * 4;
        if (offset < HEADER || offset > b.size()) {
            return err("data offset " + offset);
        }
        int mss = -1;
        int scale = -1;
        int i = HEADER;
        while (i < offset) {
            int kind = b.getUnsigned(i);
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= offset) {
                return err("truncated option");
            }
            int len = b.getUnsigned(i + 1);
            if (len < 2 || i + len > offset) {
                return err("option length " + len);
            }
            if (kind == 2 && len == 4) {
                mss = Wire.u16(b, i + 2);
            } else if (kind == 3 && len == 3) {
                scale = Math.min(14, b.getUnsigned(i + 2)); // RFC 7323 2.3: larger than 14 is taken as 14
            }
            i += len;
        }
        return Result.ok(new TcpSegment(Wire.u16(b, 0), Wire.u16(b, 2), new SeqNum(Wire.i32(b, 4)), new SeqNum(Wire.i32(b, 8)),
                b.getUnsigned(13) & 0x3f, Wire.u16(b, 14), mss, scale, b.slice(offset, b.size())));
    }

    public static Result<TcpSegment, ParseError> parse(Bytes b, InetAddress source, InetAddress destination) {
        long sum = Checksum.pseudoHeader(source, destination, PROTOCOL, b.size());
        if (Checksum.finish(Checksum.sum(b, 0, b.size(), sum)) != 0) {
            return err("bad checksum");
        }
        return parse(b);
    }

    private static Result<TcpSegment, ParseError> err(String reason) {
        return Result.err(new ParseError("tcp", reason));
    }

    public Bytes encode(InetAddress source, InetAddress destination) {
        int options = (mss >= 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0);
        int header = HEADER + options;
        byte[] b = new byte[header + payload.size()];
        Wire.putU16(b, 0, sourcePort);
        Wire.putU16(b, 2, destinationPort);
        Wire.putU32(b, 4, seq.unsigned());
        Wire.putU32(b, 8, ack.unsigned());
        b[12] = (byte) ((header / 4) << 4);
        b[13] = (byte) flags;
        Wire.putU16(b, 14, window);
        int i = HEADER;
        if (mss >= 0) {
            b[i] = 2;
            b[i + 1] = 4;
            Wire.putU16(b, i + 2, mss);
            i += 4;
        }
        if (windowScale >= 0) {
            b[i] = 1; // NOP to keep the header 32-bit aligned
            b[i + 1] = 3;
            b[i + 2] = 3;
            b[i + 3] = (byte) windowScale;
        }
        payload.copyTo(0, b, header, payload.size());
        long sum = Checksum.pseudoHeader(source, destination, PROTOCOL, b.length);
        Wire.putU16(b, 16, Checksum.finish(Checksum.sum(b, 0, b.length, sum)));
        return Bytes.adopt(b);
    }

    @Override
    public String toString() {
        StringBuilder f = new StringBuilder();
        if (has(SYN)) f.append('S');
        if (has(FIN)) f.append('F');
        if (has(RST)) f.append('R');
        if (has(PSH)) f.append('P');
        if (has(ACK)) f.append('.');
        return sourcePort + ">" + destinationPort + " [" + f + "] seq " + seq + " ack " + ack + " win " + window + " len " + payload.size();
    }
}
