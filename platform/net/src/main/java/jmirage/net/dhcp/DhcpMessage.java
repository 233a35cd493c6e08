package jmirage.net.dhcp;

import java.net.Inet4Address;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * A DHCP message (RFC 2131 2, options per RFC 2132): the BOOTP fixed fields we use and the options
 * as a map from code to raw value. Used by the client, and by tests for a small server.
 */
public record DhcpMessage(int op, int xid, int flags, Inet4Address ciaddr, Inet4Address yiaddr, Inet4Address siaddr,
        MacAddress chaddr, Map<Integer, Bytes> options) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int OPT_SUBNET_MASK = 1;
    public static final int OPT_ROUTER = 3;
    public static final int OPT_DNS = 6;
    public static final int OPT_REQUESTED_IP = 50;
    public static final int OPT_LEASE_TIME = 51;
    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_PARAMETERS = 55;
    public static final int OPT_RENEWAL_T1 = 58;
    public static final int OPT_REBINDING_T2 = 59;
    public static final int OPT_CLIENT_ID = 61;
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;

    private static final int FIXED = 236;
    private static final int COOKIE = 0x63825363;

    public DhcpMessage {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public Optional<Integer> messageType() {
        Bytes t = options.get(OPT_MESSAGE_TYPE);
        return t == null || t.size() != 1 ? Optional.empty() : Optional.of(t.getUnsigned(0));
    }

    public Optional<Inet4Address> address(int option) {
        Bytes v = options.get(option);
        return v == null || v.size() < 4 ? Optional.empty() : Optional.of(Wire.ipv4(v, 0));
    }

    public Optional<Long> seconds(int option) {
        Bytes v = options.get(option);
        return v == null || v.size() != 4 ? Optional.empty() : Optional.of(Wire.u32(v, 0));
    }

    public static Result<DhcpMessage, ParseError> parse(Bytes b) {
        if (b.size() < FIXED + 4) {
            return err("message of " + b.size() + " bytes is too short");
        }
        if (b.getUnsigned(1) != 1 || b.getUnsigned(2) != 6) {
            return err("not Ethernet hardware addresses");
        }
        if (Wire.i32(b, FIXED) != COOKIE) {
            return err("no magic cookie");
        }
        Map<Integer, Bytes> options = new LinkedHashMap<>();
        int i = FIXED + 4;
        while (i < b.size()) {
            int code = b.getUnsigned(i);
            if (code == 255) {
                break;
            }
            if (code == 0) {
                i++;
                continue;
            }
            if (i + 1 >= b.size()) {
                return err("truncated option " + code);
            }
            int len = b.getUnsigned(i + 1);
            if (i + 2 + len > b.size()) {
                return err("option " + code + " overruns the message");
            }
            Bytes value = b.slice(i + 2, i + 2 + len);
            // RFC 3396: an option split in several instances is their concatenation.
            options.merge(code, value, Bytes::concat);
            i += 2 + len;
        }
        return Result.ok(new DhcpMessage(b.getUnsigned(0), Wire.i32(b, 4), Wire.u16(b, 10), Wire.ipv4(b, 12), Wire.ipv4(b, 16),
                Wire.ipv4(b, 20), Wire.mac(b, 28), options));
    }

    private static Result<DhcpMessage, ParseError> err(String reason) {
        return Result.err(new ParseError("dhcp", reason));
    }

    public Bytes encode() {
        int size = FIXED + 4 + 1;
        for (Bytes v : options.values()) {
            size += 2 + v.size();
        }
        byte[] b = new byte[Math.max(300, size)]; // RFC 1542 2.1: at least the BOOTP size
        b[0] = (byte) op;
        b[1] = 1;
        b[2] = 6;
        Wire.putU32(b, 4, xid & 0xffffffffL);
        Wire.putU16(b, 10, flags);
        Wire.putAddress(b, 12, ciaddr);
        Wire.putAddress(b, 16, yiaddr);
        Wire.putAddress(b, 20, siaddr);
        Wire.putMac(b, 28, chaddr);
        Wire.putU32(b, FIXED, COOKIE & 0xffffffffL);
        int i = FIXED + 4;
        for (Map.Entry<Integer, Bytes> e : options.entrySet()) {
            b[i] = (byte) (int) e.getKey();
            b[i + 1] = (byte) e.getValue().size();
            e.getValue().copyTo(0, b, i + 2, e.getValue().size());
            i += 2 + e.getValue().size();
        }
        b[i] = (byte) 255;
        return Bytes.adopt(b);
    }
}
