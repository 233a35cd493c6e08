package jmirage.net.arp;

import java.net.Inet4Address;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/** An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4. */
public record ArpPacket(Operation operation, MacAddress senderMac, Inet4Address senderIp, MacAddress targetMac, Inet4Address targetIp) {

    public enum Operation { REQUEST, REPLY }

    public static final int SIZE = 28;

    public static Result<ArpPacket, ParseError> parse(Bytes b) {
        if (b.size() < SIZE) {
            return Result.err(new ParseError("arp", "packet of " + b.size() + " bytes is shorter than 28"));
        }
        if (Wire.u16(b, 0) != 1 || Wire.u16(b, 2) != 0x0800 || b.getUnsigned(4) != 6 || b.getUnsigned(5) != 4) {
            return Result.err(new ParseError("arp", "not IPv4 over Ethernet"));
        }
        Operation op = switch (Wire.u16(b, 6)) {
            case 1 -> Operation.REQUEST;
            case 2 -> Operation.REPLY;
            default -> null;
        };
        if (op == null) {
            return Result.err(new ParseError("arp", "unknown operation " + Wire.u16(b, 6)));
        }
        return Result.ok(new ArpPacket(op, Wire.mac(b, 8), Wire.ipv4(b, 14), Wire.mac(b, 18), Wire.ipv4(b, 24)));
    }

    public Bytes encode() {
        byte[] b = new byte[SIZE];
        Wire.putU16(b, 0, 1);
        Wire.putU16(b, 2, 0x0800);
        b[4] = 6;
        b[5] = 4;
        Wire.putU16(b, 6, operation == Operation.REQUEST ? 1 : 2);
        Wire.putMac(b, 8, senderMac);
        Wire.putAddress(b, 14, senderIp);
        Wire.putMac(b, 18, targetMac);
        Wire.putAddress(b, 24, targetIp);
        return Bytes.adopt(b);
    }
}
