package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * An IPv6 packet (RFC 8200 3) with its extension headers walked: {@code nextHeader} is the upper-layer
 * protocol of {@code payload}, or, for a fragment, the protocol of the fragmentable part that
 * {@code payload} is a piece of. Hop-by-hop options (only first, 4.3), destination options (4.6) and a
 * routing header with segments left 0 (4.4) are skipped; an option whose type says "discard" when
 * unknown (4.2: the two high bits not 00) refuses the packet, as does a routing header with segments
 * left, an ESP/AH header (we speak neither) or a hop-by-hop header anywhere but first. We never send
 * extension headers but the fragment header.
 */
public record Ipv6Packet(int trafficClass, int flowLabel, int nextHeader, int hopLimit, Inet6Address source,
        Inet6Address destination, Optional<FragmentHeader> fragment, Bytes payload) {

    public static final int HEADER = 40;
    public static final int FRAGMENT_HEADER = 8;
    /** RFC 8200 5: every link carries 1280 bytes. */
    public static final int MINIMUM_MTU = 1280;
    public static final int HOP_BY_HOP = 0;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AUTHENTICATION = 51;
    public static final int ICMPV6 = 58;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;

    /** The fragment header (RFC 8200 4.5); {@code offset} in bytes. */
    public record FragmentHeader(int offset, boolean more, int identification) {}

    public Ipv6Packet {
        if (payload.size() + (fragment.isPresent() ? FRAGMENT_HEADER : 0) > 65535) {
            throw new IllegalArgumentException("payload of " + payload.size() + " bytes needs a jumbogram");
        }
    }

    /** An unfragmented packet with the usual traffic class and flow label (zero). */
    public static Ipv6Packet of(int nextHeader, int hopLimit, Inet6Address source, Inet6Address destination, Bytes payload) {
        return new Ipv6Packet(0, 0, nextHeader, hopLimit, source, destination, Optional.empty(), payload);
    }

    public boolean isFragment() {
        return fragment.isPresent();
    }

    public static Result<Ipv6Packet, ParseError> parse(Bytes b) {
        if (b.size() < HEADER) {
            return err("packet of " + b.size() + " bytes is shorter than a header");
        }
        int version = b.getUnsigned(0) >>> 4;
        if (version != 6) {
            return err("version " + version);
        }
        int length = Wire.u16(b, 4);
        if (HEADER + length > b.size()) {
            return err("payload length " + length + " for " + (b.size() - HEADER) + " bytes"); // 0 would be a jumbogram: refused here too
        }
        int first = (int) Wire.u32(b, 0);
        Ipv6Packet header = new Ipv6Packet((first >>> 20) & 0xff, first & 0xfffff, b.getUnsigned(6), b.getUnsigned(7),
                Ipv6Addresses.read(b, 8), Ipv6Addresses.read(b, 24), Optional.empty(), Bytes.EMPTY);
        return walk(header, b.getUnsigned(6), b.slice(HEADER, HEADER + length), true);
    }

    /**
     * The reassembled packet: the fragmentable part's headers walked from {@code nextHeader} (the
     * fragment header's) over {@code data} (RFC 8200 4.5, "reassembly").
     */
    public static Result<Ipv6Packet, ParseError> reassembled(Ipv6Packet first, Bytes data) {
        return walk(first, first.nextHeader(), data, false);
    }

    private static Result<Ipv6Packet, ParseError> walk(Ipv6Packet h, int next, Bytes rest, boolean atStart) {
        int at = 0;
        boolean first = atStart;
        while (true) {
            switch (next) {
                case HOP_BY_HOP, DESTINATION_OPTIONS, ROUTING -> {
                    if (next == HOP_BY_HOP && !first) {
                        return err("hop-by-hop options not first"); // RFC 8200 4.3
                    }
                    if (rest.size() - at < 8) {
                        return err("truncated extension header " + next);
                    }
                    int size = (rest.getUnsigned(at + 1) + 1) * 8;
                    if (rest.size() - at < size) {
                        return err("extension header " + next + " of " + size + " bytes overruns the packet");
                    }
                    if (next == ROUTING) {
                        int segmentsLeft = rest.getUnsigned(at + 3);
                        if (segmentsLeft != 0) {
                            return err("routing header type " + rest.getUnsigned(at + 2) + " with " + segmentsLeft + " segments left");
                        }
                    } else {
                        Optional<String> refused = options(rest, at + 2, at + size);
                        if (refused.isPresent()) {
                            return err(refused.get());
                        }
                    }
                    next = rest.getUnsigned(at);
                    at += size;
                }
                case FRAGMENT -> {
                    if (h.fragment().isPresent() || !atStart) {
                        return err("a second fragment header");
                    }
                    if (rest.size() - at < FRAGMENT_HEADER) {
                        return err("truncated fragment header");
                    }
                    int field = Wire.u16(rest, at + 2);
                    FragmentHeader f = new FragmentHeader(field & 0xfff8, (field & 1) != 0, Wire.i32(rest, at + 4));
                    Bytes data = rest.slice(at + FRAGMENT_HEADER, rest.size());
                    int nextAfter = rest.getUnsigned(at);
                    if (f.offset() == 0 && !f.more()) {
                        // An atomic fragment (RFC 6946): a whole packet, processed at once, no reassembly.
                        return walk(h, nextAfter, data, false);
                    }
                    return Result.ok(new Ipv6Packet(h.trafficClass(), h.flowLabel(), nextAfter, h.hopLimit(), h.source(),
                            h.destination(), Optional.of(f), data));
                }
                case ESP, AUTHENTICATION -> {
                    return err("IPsec header " + next + " (not spoken here)");
                }
                default -> {
                    return Result.ok(new Ipv6Packet(h.trafficClass(), h.flowLabel(), next, h.hopLimit(), h.source(), h.destination(),
                            Optional.empty(), rest.slice(at, rest.size())));
                }
            }
            first = false;
        }
    }

    /** RFC 8200 4.2: Pad1 and PadN skipped, an unknown option acted on by the two high bits of its type. */
    private static Optional<String> options(Bytes b, int from, int end) {
        int i = from;
        while (i < end) {
            int type = b.getUnsigned(i);
            if (type == 0) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return Optional.of("truncated option " + type);
            }
            int length = b.getUnsigned(i + 1);
            if (i + 2 + length > end) {
                return Optional.of("option " + type + " of " + length + " bytes overruns its header");
            }
            if (type != 1 && (type >>> 6) != 0) {
                return Optional.of("unknown option " + type + " that asks to discard the packet");
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static Result<Ipv6Packet, ParseError> err(String reason) {
        return Result.err(new ParseError("ipv6", reason));
    }

    /** The packet on the wire; a fragment gets its fragment header (the only extension header we send). */
    public Bytes encode() {
        int extra = fragment.isPresent() ? FRAGMENT_HEADER : 0;
        byte[] b = new byte[HEADER + extra + payload.size()];
        Wire.putU32(b, 0, (6L << 28) | ((long) (trafficClass & 0xff) << 20) | (flowLabel & 0xfffff));
        Wire.putU16(b, 4, extra + payload.size());
        b[6] = (byte) (fragment.isPresent() ? FRAGMENT : nextHeader);
        b[7] = (byte) hopLimit;
        Wire.putAddress(b, 8, source);
        Wire.putAddress(b, 24, destination);
        if (fragment.isPresent()) {
            FragmentHeader f = fragment.get();
            b[HEADER] = (byte) nextHeader;
            Wire.putU16(b, HEADER + 2, (f.offset() & 0xfff8) | (f.more() ? 1 : 0));
            Wire.putU32(b, HEADER + 4, f.identification() & 0xffffffffL);
        }
        payload.copyTo(0, b, HEADER + extra, payload.size());
        return Bytes.adopt(b);
    }

    public Ipv6Packet withFragment(FragmentHeader f, Bytes piece) {
        return new Ipv6Packet(trafficClass, flowLabel, nextHeader, hopLimit, source, destination, Optional.of(f), piece);
    }
}
