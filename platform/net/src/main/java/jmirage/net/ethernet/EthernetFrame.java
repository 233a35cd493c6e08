package jmirage.net.ethernet;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/** An Ethernet II frame without FCS (IEEE 802.3 clause 3, DIX framing): destination, source, EtherType, payload. */
public record EthernetFrame(MacAddress destination, MacAddress source, int etherType, Bytes payload) {

    public static final int HEADER = 14;
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int IPV6 = 0x86dd;
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public static Result<EthernetFrame, ParseError> parse(Bytes frame) {
        if (frame.size() < HEADER) {
            return Result.err(new ParseError("ethernet", "frame of " + frame.size() + " bytes is shorter than a header"));
        }
        int type = Wire.u16(frame, 12);
        if (type < 0x0600) {
            // 802.3 length field (LLC/SNAP): not Ethernet II, nothing of ours.
            return Result.err(new ParseError("ethernet", "802.3 length frame, not Ethernet II"));
        }
        return Result.ok(new EthernetFrame(Wire.mac(frame, 0), Wire.mac(frame, 6), type, frame.slice(HEADER, frame.size())));
    }

    public Bytes encode() {
        byte[] b = new byte[HEADER + payload.size()];
        Wire.putMac(b, 0, destination);
        Wire.putMac(b, 6, source);
        Wire.putU16(b, 12, etherType);
        payload.copyTo(0, b, HEADER, payload.size());
        return Bytes.adopt(b);
    }

    public static boolean isMulticast(MacAddress mac) {
        return ((mac.value() >>> 40) & 1) != 0;
    }
}
