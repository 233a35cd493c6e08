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
 * A DHCP message (RFC 2131 2, options per RFC 2132): the BOOTP fixed fields and the options as a map
 * from code to raw value (split options joined, RFC 3396). The one codec of the DHCP client
 * (platform/net) and the DHCP server (dhcp-server).
 *
 * <p>{@code sname} and {@code file} hold those fields as sent (zero bytes trimmed), or are empty when
 * option 52 overloaded them with options (RFC 2132 9.3), which are then merged into {@code options}.
 */
public record DhcpMessage(int op, int xid, int flags, Inet4Address ciaddr, Inet4Address yiaddr, Inet4Address siaddr,
        MacAddress chaddr, Map<Integer, Bytes> options, int hops, int secs, Inet4Address giaddr, Bytes sname, Bytes file) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int OPT_PAD = 0;
    public static final int OPT_SUBNET_MASK = 1;
    public static final int OPT_ROUTER = 3;
    public static final int OPT_DNS = 6;
    public static final int OPT_HOSTNAME = 12;
    public static final int OPT_DOMAIN_NAME = 15;
    public static final int OPT_INTERFACE_MTU = 26;
    public static final int OPT_BROADCAST = 28;
    public static final int OPT_NTP = 42;
    public static final int OPT_REQUESTED_IP = 50;
    public static final int OPT_LEASE_TIME = 51;
    public static final int OPT_OVERLOAD = 52;
    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_PARAMETERS = 55;
    public static final int OPT_MESSAGE = 56;
    public static final int OPT_MAX_MESSAGE_SIZE = 57;
    public static final int OPT_RENEWAL_T1 = 58;
    public static final int OPT_REBINDING_T2 = 59;
    public static final int OPT_CLIENT_ID = 61;
    public static final int OPT_RELAY_AGENT = 82;
    public static final int OPT_DOMAIN_SEARCH = 119;
    public static final int OPT_CLASSLESS_ROUTES = 121;
    public static final int OPT_END = 255;
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;
    public static final int INFORM = 8;
    /** RFC 2131 2: the broadcast bit of {@code flags}. */
    public static final int FLAG_BROADCAST = 0x8000;

    private static final int SNAME_AT = 44;
    private static final int SNAME_SIZE = 64;
    private static final int FILE_AT = 108;
    private static final int FILE_SIZE = 128;
    private static final int FIXED = 236;
    private static final int COOKIE = 0x63825363;
    private static final Inet4Address ZERO = Wire.ipv4(0);

    public DhcpMessage {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        if (hops < 0 || hops > 255 || secs < 0 || secs > 65535) {
            throw new IllegalArgumentException("hops or secs out of range");
        }
        if (sname.size() > SNAME_SIZE || file.size() > FILE_SIZE) {
            throw new IllegalArgumentException("sname or file too long");
        }
    }

    /** A message with no relay fields and empty sname and file, as the client sends. */
    public DhcpMessage(int op, int xid, int flags, Inet4Address ciaddr, Inet4Address yiaddr, Inet4Address siaddr,
            MacAddress chaddr, Map<Integer, Bytes> options) {
        this(op, xid, flags, ciaddr, yiaddr, siaddr, chaddr, options, 0, 0, ZERO, Bytes.EMPTY, Bytes.EMPTY);
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

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
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
        Optional<String> problem = readOptions(b, FIXED + 4, b.size(), options);
        if (problem.isPresent()) {
            return err(problem.get());
        }
        Bytes sname = trimmed(b, SNAME_AT, SNAME_SIZE);
        Bytes file = trimmed(b, FILE_AT, FILE_SIZE);
        Bytes overload = options.remove(OPT_OVERLOAD);
        if (overload != null) {
            // RFC 2131 4.1 / RFC 2132 9.3: options continue in file (1), sname (2) or both (3), file first.
            if (overload.size() != 1 || overload.getUnsigned(0) < 1 || overload.getUnsigned(0) > 3) {
                return err("bad option overload value");
            }
            int which = overload.getUnsigned(0);
            if ((which & 1) != 0) {
                problem = readOptions(b, FILE_AT, FILE_AT + FILE_SIZE, options);
                file = Bytes.EMPTY;
            }
            if (problem.isEmpty() && (which & 2) != 0) {
                problem = readOptions(b, SNAME_AT, SNAME_AT + SNAME_SIZE, options);
                sname = Bytes.EMPTY;
            }
            if (problem.isPresent()) {
                return err(problem.get());
            }
            options.remove(OPT_OVERLOAD); // an overload option inside an overloaded field means nothing more
        }
        return Result.ok(new DhcpMessage(b.getUnsigned(0), Wire.i32(b, 4), Wire.u16(b, 10), Wire.ipv4(b, 12), Wire.ipv4(b, 16),
                Wire.ipv4(b, 20), Wire.mac(b, 28), options, b.getUnsigned(3), Wire.u16(b, 8), Wire.ipv4(b, 24), sname, file));
    }

    /** Reads options from {@code from} up to the end option or {@code to}; the reason if malformed. */
    private static Optional<String> readOptions(Bytes b, int from, int to, Map<Integer, Bytes> options) {
        int i = from;
        while (i < to) {
            int code = b.getUnsigned(i);
            if (code == OPT_END) {
                break;
            }
            if (code == OPT_PAD) {
                i++;
                continue;
            }
            if (i + 1 >= to) {
                return Optional.of("truncated option " + code);
            }
            int len = b.getUnsigned(i + 1);
            if (i + 2 + len > to) {
                return Optional.of("option " + code + " overruns its field");
            }
            Bytes value = b.slice(i + 2, i + 2 + len);
            // RFC 3396: an option split in several instances is their concatenation.
            options.merge(code, value, Bytes::concat);
            i += 2 + len;
        }
        return Optional.empty();
    }

    private static Bytes trimmed(Bytes b, int at, int size) {
        int end = at;
        while (end < at + size && b.get(end) != 0) {
            end++;
        }
        return b.slice(at, end);
    }

    private static Result<DhcpMessage, ParseError> err(String reason) {
        return Result.err(new ParseError("dhcp", reason));
    }

    public Bytes encode() {
        int size = FIXED + 4 + 1;
        for (Bytes v : options.values()) {
            size += 2 * Math.max(1, (v.size() + 254) / 255) + v.size();
        }
        byte[] b = new byte[Math.max(300, size)]; // RFC 1542 2.1: at least the BOOTP size
        b[0] = (byte) op;
        b[1] = 1;
        b[2] = 6;
        b[3] = (byte) hops;
        Wire.putU32(b, 4, xid & 0xffffffffL);
        Wire.putU16(b, 8, secs);
        Wire.putU16(b, 10, flags);
        Wire.putAddress(b, 12, ciaddr);
        Wire.putAddress(b, 16, yiaddr);
        Wire.putAddress(b, 20, siaddr);
        Wire.putAddress(b, 24, giaddr);
        Wire.putMac(b, 28, chaddr);
        sname.copyTo(0, b, SNAME_AT, sname.size());
        file.copyTo(0, b, FILE_AT, file.size());
        Wire.putU32(b, FIXED, COOKIE & 0xffffffffL);
        int i = FIXED + 4;
        for (Map.Entry<Integer, Bytes> e : options.entrySet()) {
            Bytes v = e.getValue();
            int at = 0;
            do { // RFC 3396: a value over 255 bytes goes out as consecutive instances
                int n = Math.min(255, v.size() - at);
                b[i] = (byte) (int) e.getKey();
                b[i + 1] = (byte) n;
                v.copyTo(at, b, i + 2, n);
                i += 2 + n;
                at += n;
            } while (at < v.size());
        }
        b[i] = (byte) OPT_END;
        return Bytes.adopt(b);
    }
}
