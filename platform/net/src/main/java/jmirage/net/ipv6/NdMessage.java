package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * The Neighbor Discovery messages (RFC 4861 4) and their options (4.6), read from and written to an
 * {@link Icmpv6Message}. Validation that needs only the message is here (code 0, option lengths,
 * targets not multicast); what needs the IP header (hop limit 255, source rules) is the caller's
 * ({@link NeighborDiscovery#valid}).
 */
public sealed interface NdMessage {

    List<Option> options();

    record RouterSolicitation(List<Option> options) implements NdMessage {}

    /** {@code routerLifetime} in seconds (0: not a default router); times in milliseconds, 0 meaning unspecified. */
    record RouterAdvertisement(int curHopLimit, boolean managed, boolean other, int routerLifetime, long reachableTime,
            long retransTimer, List<Option> options) implements NdMessage {}

    record NeighborSolicitation(Inet6Address target, List<Option> options) implements NdMessage {}

    record NeighborAdvertisement(boolean router, boolean solicited, boolean override, Inet6Address target,
            List<Option> options) implements NdMessage {}

    sealed interface Option {}

    record SourceLinkLayer(MacAddress mac) implements Option {}

    record TargetLinkLayer(MacAddress mac) implements Option {}

    /** RFC 4861 4.6.2; lifetimes in seconds, {@link #INFINITE} for ever. */
    record PrefixInformation(IpPrefix prefix, boolean onLink, boolean autonomous, long validLifetime, long preferredLifetime)
            implements Option {}

    record Mtu(long mtu) implements Option {}

    /** An option we do not use (RFC 4861 4.6: ignored, kept only for its length). */
    record Unknown(int type, Bytes data) implements Option {}

    long INFINITE = 0xffffffffL;

    default Optional<MacAddress> linkLayer() {
        for (Option o : options()) {
            if (o instanceof SourceLinkLayer(MacAddress m)) {
                return Optional.of(m);
            }
            if (o instanceof TargetLinkLayer(MacAddress m)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    static Result<NdMessage, ParseError> parse(Icmpv6Message m) {
        if (m.code() != 0) {
            return err("code " + m.code()); // RFC 4861 6.1.1, 6.1.2, 7.1.1, 7.1.2
        }
        Bytes b = m.body();
        return switch (m.type()) {
            case Icmpv6Message.ROUTER_SOLICITATION -> options(b, 0).map(o -> (NdMessage) new RouterSolicitation(o));
            case Icmpv6Message.ROUTER_ADVERTISEMENT -> {
                if (b.size() < 8) {
                    yield err("router advertisement of " + b.size() + " bytes");
                }
                int flags = (m.rest() >>> 16) & 0xff;
                yield options(b, 8).map(o -> (NdMessage) new RouterAdvertisement(m.rest() >>> 24, (flags & 0x80) != 0,
                        (flags & 0x40) != 0, m.rest() & 0xffff, Wire.u32(b, 0), Wire.u32(b, 4), o));
            }
            case Icmpv6Message.NEIGHBOR_SOLICITATION, Icmpv6Message.NEIGHBOR_ADVERTISEMENT -> {
                if (b.size() < 16) {
                    yield err("neighbor message of " + b.size() + " bytes");
                }
                Inet6Address target = Ipv6Addresses.read(b, 0);
                if (Ipv6Addresses.isMulticast(target)) {
                    yield err("multicast target " + target.getHostAddress());
                }
                if (m.type() == Icmpv6Message.NEIGHBOR_SOLICITATION) {
                    yield options(b, 16).map(o -> (NdMessage) new NeighborSolicitation(target, o));
                }
                int flags = m.rest();
                yield options(b, 16).map(o -> (NdMessage) new NeighborAdvertisement(flags < 0, (flags & 0x4000_0000) != 0,
                        (flags & 0x2000_0000) != 0, target, o));
            }
            default -> err("type " + m.type() + " is not neighbor discovery");
        };
    }

    private static Result<List<Option>, ParseError> options(Bytes b, int from) {
        List<Option> out = new ArrayList<>();
        int i = from;
        while (i < b.size()) {
            if (b.size() - i < 2) {
                return err("truncated option");
            }
            int type = b.getUnsigned(i);
            int length = b.getUnsigned(i + 1) * 8;
            if (length == 0 || i + length > b.size()) {
                return err("option " + type + " of length " + length); // RFC 4861 4.6: length 0 discards the packet
            }
            Bytes data = b.slice(i, i + length);
            out.add(switch (type) {
                case 1 -> length == 8 ? new SourceLinkLayer(Wire.mac(data, 2)) : new Unknown(type, data);
                case 2 -> length == 8 ? new TargetLinkLayer(Wire.mac(data, 2)) : new Unknown(type, data);
                case 3 -> length == 32 && data.getUnsigned(2) <= 128
                        ? new PrefixInformation(Ipv6Addresses.network(Ipv6Addresses.read(data, 16), data.getUnsigned(2)),
                                (data.getUnsigned(3) & 0x80) != 0, (data.getUnsigned(3) & 0x40) != 0, Wire.u32(data, 4), Wire.u32(data, 8))
                        : new Unknown(type, data);
                case 5 -> length == 8 ? new Mtu(Wire.u32(data, 4)) : new Unknown(type, data);
                default -> new Unknown(type, data);
            });
            i += length;
        }
        return Result.ok(List.copyOf(out));
    }

    private static <T> Result<T, ParseError> err(String reason) {
        return Result.err(new ParseError("ndp", reason));
    }

    default Icmpv6Message toIcmp() {
        return switch (this) {
            case RouterSolicitation s -> new Icmpv6Message(Icmpv6Message.ROUTER_SOLICITATION, 0, 0, encode(new byte[0], options()));
            case RouterAdvertisement a -> {
                byte[] fixed = new byte[8];
                Wire.putU32(fixed, 0, a.reachableTime());
                Wire.putU32(fixed, 4, a.retransTimer());
                int rest = (a.curHopLimit() << 24) | (a.managed() ? 0x80_0000 : 0) | (a.other() ? 0x40_0000 : 0)
                        | (a.routerLifetime() & 0xffff);
                yield new Icmpv6Message(Icmpv6Message.ROUTER_ADVERTISEMENT, 0, rest, encode(fixed, options()));
            }
            case NeighborSolicitation s -> new Icmpv6Message(Icmpv6Message.NEIGHBOR_SOLICITATION, 0, 0,
                    encode(s.target().getAddress(), options()));
            case NeighborAdvertisement a -> new Icmpv6Message(Icmpv6Message.NEIGHBOR_ADVERTISEMENT, 0,
                    (a.router() ? 0x8000_0000 : 0) | (a.solicited() ? 0x4000_0000 : 0) | (a.override() ? 0x2000_0000 : 0),
                    encode(a.target().getAddress(), options()));
        };
    }

    private static Bytes encode(byte[] fixed, List<Option> options) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(fixed);
        for (Option o : options) {
            byte[] b = switch (o) {
                case SourceLinkLayer(MacAddress mac) -> linkLayer(1, mac);
                case TargetLinkLayer(MacAddress mac) -> linkLayer(2, mac);
                case PrefixInformation p -> {
                    byte[] x = new byte[32];
                    x[0] = 3;
                    x[1] = 4;
                    x[2] = (byte) p.prefix().length();
                    x[3] = (byte) ((p.onLink() ? 0x80 : 0) | (p.autonomous() ? 0x40 : 0));
                    Wire.putU32(x, 4, p.validLifetime());
                    Wire.putU32(x, 8, p.preferredLifetime());
                    Wire.putAddress(x, 16, Ipv6Addresses.network(p.prefix().address(), p.prefix().length()).address());
                    yield x;
                }
                case Mtu(long mtu) -> {
                    byte[] x = new byte[8];
                    x[0] = 5;
                    x[1] = 1;
                    Wire.putU32(x, 4, mtu);
                    yield x;
                }
                case Unknown(int type, Bytes data) -> data.toArray();
            };
            out.writeBytes(b);
        }
        return Bytes.adopt(out.toByteArray());
    }

    private static byte[] linkLayer(int type, MacAddress mac) {
        byte[] x = new byte[8];
        x[0] = (byte) type;
        x[1] = 1;
        Wire.putMac(x, 2, mac);
        return x;
    }
}
