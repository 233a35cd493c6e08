package jmirage.net.nat;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.net.icmp.IcmpMessage;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.nat.NatVerdict.Dropped;
import jmirage.net.nat.NatVerdict.Translated;
import jmirage.net.nat.NatVerdict.Untranslated;
import jmirage.net.nat.Rewrite.Sum;
import jmirage.net.tcp.TcpSegment;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.Checksum;
import jmirage.net.wire.ParseError;
import jmirage.net.wire.Wire;

/**
 * Source NAT for IPv4, as mirage-nat: private hosts' TCP, UDP and ICMP echo flows leave from one
 * public address with a port (or echo identifier) the table allocates, and replies find their way
 * back; ICMP errors about a mapped flow are translated with the datagram they quote (RFC 5508 4);
 * {@link PortForward}s open flows the other way for chosen ports.
 *
 * <p>The table is a core: no clock, no I/O. Each call takes the monotonic time in nanoseconds, never
 * going back. It is a mutable object owned by one event loop, as the ARP cache and TCP are.
 *
 * <ul>
 * <li>Bounded: never more than {@code capacity} mappings. A new flow in a full table evicts, after
 * the expired, the least recently used mapping of the lowest {@link FlowClass.Tier}: closed TCP
 * first, then provisional ones (TCP handshakes, unanswered UDP, ICMP echo), established TCP and
 * answered UDP last. So a flood of new flows churns among its own kind and flows that completed a
 * handshake survive while anything else is left to evict.</li>
 * <li>A port is never handed out while a live mapping uses it towards the same remote endpoint
 * (mappings are "address and port dependent", RFC 4787 4.1), nor when it is forwarded.</li>
 * <li>Timeouts per class: {@link NatTimeouts}.</li>
 * <li>Fragments are refused: the shell reassembles first (ports are in the first fragment only).</li>
 * <li>The transport checksum is not verified: the incremental update keeps a good one good and a
 * bad one bad (RFC 1624 3), so the receiver still drops a corrupted segment.</li>
 * </ul>
 */
public final class NatTable {

    private static final FlowClass[] CLASSES = FlowClass.values();

    // What a mapping has seen, for its class: SYN/FIN/RST by direction for TCP, any packet by direction for UDP.
    private static final int OUT = 1;
    private static final int IN = 2;
    private static final int FIN_OUT = 4;
    private static final int FIN_IN = 8;
    private static final int RST = 16;

    private static final class Entry {
        /** The flow as the private host sends it: private endpoint to remote endpoint. */
        final FlowKey inside;
        /** The same flow as it leaves: public endpoint to remote endpoint. */
        final FlowKey outside;
        FlowClass flowClass;
        long lastUsed;
        int seen;
        Entry previous;
        Entry next;

        Entry(FlowKey inside, FlowKey outside) {
            this.inside = inside;
            this.outside = outside;
        }
    }

    /** The mappings of one class, least recently used first. */
    private static final class Lane {
        Entry head;
        Entry tail;
    }

    private final NatConfig config;
    private final int publicAddress;
    private final long[] timeouts = new long[CLASSES.length];
    private final Lane[] lanes = new Lane[CLASSES.length];
    private final Map<FlowKey, Entry> byInside = new HashMap<>();
    /** Keyed by what a reply carries: remote endpoint to public endpoint. */
    private final Map<FlowKey, Entry> byReply = new HashMap<>();
    private final Map<Integer, PortForward> forwards = new HashMap<>();
    private long random;
    private long evictions;
    private long expirations;

    public NatTable(NatConfig config) {
        this.config = config;
        this.publicAddress = Wire.ipv4ToInt(config.publicAddress());
        this.random = config.seed();
        for (FlowClass c : CLASSES) {
            timeouts[c.ordinal()] = config.timeouts().nanos(c);
            lanes[c.ordinal()] = new Lane();
        }
        for (PortForward f : config.forwards()) {
            forwards.put(forwardKey(f.protocol(), f.publicPort()), f);
        }
    }

    public NatConfig config() {
        return config;
    }

    /** Live mappings (expired ones go at the next call that takes the time). */
    public int size() {
        return byInside.size();
    }

    /** Mappings removed to make room for a new one. */
    public long evictions() {
        return evictions;
    }

    /** Mappings removed because they were idle longer than their timeout. */
    public long expirations() {
        return expirations;
    }

    /** A packet from the private side, to leave by the public address: translated, or dropped. */
    public NatVerdict outbound(long now, Bytes packet) {
        return translate(now, packet, true);
    }

    /** A packet that arrived at the public side: translated back to its private host, untranslated, or dropped. */
    public NatVerdict inbound(long now, Bytes packet) {
        return translate(now, packet, false);
    }

    /** Removes every mapping idle longer than its class's timeout. Each translation does it too. */
    public void expire(long now) {
        for (FlowClass c : CLASSES) {
            Lane lane = lanes[c.ordinal()];
            long timeout = timeouts[c.ordinal()];
            while (lane.head != null && now - lane.head.lastUsed >= timeout) {
                remove(lane.head);
                expirations++;
            }
        }
    }

    /** A snapshot of the live mappings. */
    public List<Mapping> mappings() {
        List<Mapping> out = new ArrayList<>(byInside.size());
        for (Entry e : byInside.values()) {
            out.add(view(e));
        }
        return out;
    }

    /** Removes the mappings {@code doomed} accepts (rules changed, a client left); how many went. */
    public int removeIf(Predicate<Mapping> doomed) {
        List<Entry> gone = new ArrayList<>();
        for (Entry e : byInside.values()) {
            if (doomed.test(view(e))) {
                gone.add(e);
            }
        }
        gone.forEach(this::remove);
        return gone.size();
    }

    private NatVerdict translate(long now, Bytes packet, boolean outbound) {
        expire(now);
        return switch (Ipv4Packet.parse(packet)) {
            case Result.Err<Ipv4Packet, ParseError>(ParseError error) -> malformed(error);
            case Result.Ok<Ipv4Packet, ParseError>(Ipv4Packet ip) -> translate(now, packet, ip, outbound);
        };
    }

    private NatVerdict translate(long now, Bytes packet, Ipv4Packet ip, boolean outbound) {
        if (ip.isFragment()) {
            return new Dropped(new DropReason.Fragment());
        }
        int total = Wire.u16(packet, 2);
        int ihl = total - ip.payload().size();
        byte[] b = new byte[total]; // a frame's padding after the datagram is left behind
        packet.copyTo(0, b, 0, total);
        int source = Wire.ipv4ToInt(ip.source());
        int destination = Wire.ipv4ToInt(ip.destination());
        return switch (ip.protocol()) {
            case Ipv4Packet.TCP -> switch (TcpSegment.parse(ip.payload())) {
                case Result.Err<TcpSegment, ParseError>(ParseError error) -> malformed(error);
                case Result.Ok<TcpSegment, ParseError>(TcpSegment s) -> {
                    FlowKey key = new FlowKey(Ipv4Packet.TCP, source, s.sourcePort(), destination, s.destinationPort());
                    boolean opens = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK); // a connection begins so, RFC 9293 3.5
                    yield session(now, b, ihl, key, outbound, opens, s.flags());
                }
            };
            case Ipv4Packet.UDP -> switch (UdpPacket.parse(ip.payload())) {
                case Result.Err<UdpPacket, ParseError>(ParseError error) -> malformed(error);
                case Result.Ok<UdpPacket, ParseError>(UdpPacket u) -> session(now, b, ihl,
                        new FlowKey(Ipv4Packet.UDP, source, u.sourcePort(), destination, u.destinationPort()), outbound, true, 0);
            };
            case Ipv4Packet.ICMP -> switch (IcmpMessage.parse(ip.payload())) {
                case Result.Err<IcmpMessage, ParseError>(ParseError error) -> malformed(error);
                case Result.Ok<IcmpMessage, ParseError>(IcmpMessage m) -> icmp(now, b, ihl, m, source, destination, outbound);
            };
            default -> notOurs(outbound, new DropReason.UnsupportedProtocol(ip.protocol()));
        };
    }

    private NatVerdict icmp(long now, byte[] b, int ihl, IcmpMessage m, int source, int destination, boolean outbound) {
        if (IcmpMessage.isError(m.type()) && m.type() != IcmpMessage.REDIRECT && m.type() != IcmpMessage.SOURCE_QUENCH) {
            return icmpError(b, ihl, source, destination, outbound);
        }
        // Queries go out and their replies come back; an echo request from outside is for the unikernel itself.
        if (m.type() != (outbound ? IcmpMessage.ECHO_REQUEST : IcmpMessage.ECHO_REPLY)) {
            return notOurs(outbound, new DropReason.UnsupportedIcmp(m.type()));
        }
        FlowKey key = echoKey(m.type(), source, destination, m.rest() >>> 16);
        return session(now, b, ihl, key, outbound, true, 0);
    }

    /** RFC 5508 3: the echo identifier in the request's source port slot, the reply's destination port slot. */
    private static FlowKey echoKey(int type, int source, int destination, int identifier) {
        return type == IcmpMessage.ECHO_REQUEST
                ? new FlowKey(Ipv4Packet.ICMP, source, identifier, destination, 0)
                : new FlowKey(Ipv4Packet.ICMP, source, 0, destination, identifier);
    }

    /** A TCP segment, UDP datagram or ICMP echo: its mapping found (or made), its private endpoint rewritten. */
    private NatVerdict session(long now, byte[] b, int ihl, FlowKey key, boolean outbound, boolean opens, int tcpFlags) {
        Entry e = outbound ? byInside.get(key) : byReply.get(key);
        if (e == null) {
            Result<Entry, DropReason> made;
            if (outbound) {
                if (!opens) {
                    return new Dropped(new DropReason.NoMapping(key.protocol()));
                }
                made = open(now, key);
            } else {
                PortForward forward = key.destination() == publicAddress
                        ? forwards.get(forwardKey(key.protocol(), key.destinationPort())) : null;
                if (forward == null || !opens) {
                    return new Untranslated();
                }
                made = openForward(now, key, forward);
            }
            switch (made) {
                case Result.Err<Entry, DropReason>(DropReason reason) -> {
                    return new Dropped(reason);
                }
                case Result.Ok<Entry, DropReason>(Entry entry) -> e = entry;
            }
        }
        see(now, e, outbound, tcpFlags);
        int protocol = key.protocol();
        int checksumAt = switch (protocol) {
            case Ipv4Packet.TCP -> ihl + 16;
            case Ipv4Packet.UDP -> ihl + 6;
            default -> -1; // ICMP has no pseudo-header
        };
        Sum sum = protocol == Ipv4Packet.UDP ? Sum.UDP : Sum.ALWAYS;
        if (outbound) {
            Rewrite.address(b, 12, publicAddress, 10, checksumAt, sum);
        } else {
            Rewrite.address(b, 16, e.inside.source(), 10, checksumAt, sum);
        }
        int port = outbound ? e.outside.sourcePort() : e.inside.sourcePort();
        if (protocol == Ipv4Packet.ICMP) {
            Rewrite.word(b, ihl + 4, port, ihl + 2, Sum.ALWAYS); // the echo identifier, under the ICMP checksum
        } else {
            Rewrite.word(b, outbound ? ihl : ihl + 2, port, checksumAt, sum);
        }
        return new Translated(Bytes.adopt(b));
    }

    /**
     * An ICMP error quoting a datagram of a mapped flow (RFC 5508 4): the outer address and
     * the quoted datagram's address and port (or echo identifier) are translated, with the quoted
     * header's checksum and, when the quote holds it, the quoted transport checksum; the ICMP
     * checksum is then computed again over the whole message, quote included.
     */
    private NatVerdict icmpError(byte[] b, int ihl, int source, int destination, boolean outbound) {
        int q = ihl + 8;
        int end = b.length;
        if (end - q < Ipv4Packet.HEADER || (b[q] & 0xf0) != 0x40) {
            return malformed(new ParseError("icmp", "error quoting no IPv4 header"));
        }
        int qihl = (b[q] & 0x0f) * 4;
        // RFC 792: the quote is the header and at least 64 bits of data, enough for ports and echo identifiers.
        if (qihl < Ipv4Packet.HEADER || q + qihl + 8 > end) {
            return malformed(new ParseError("icmp", "quoted datagram too short for its ports"));
        }
        if ((Wire.u16(b, q + 6) & 0x1fff) != 0) {
            return notOurs(outbound, new DropReason.Fragment());
        }
        int protocol = b[q + 9] & 0xff;
        int t = q + qihl;
        int quotedSource = Wire.i32(b, q + 12);
        int quotedDestination = Wire.i32(b, q + 16);
        FlowKey quoted;
        int checksumAt;
        int portAt;
        switch (protocol) {
            case Ipv4Packet.TCP, Ipv4Packet.UDP -> {
                quoted = new FlowKey(protocol, quotedSource, Wire.u16(b, t), quotedDestination, Wire.u16(b, t + 2));
                checksumAt = protocol == Ipv4Packet.TCP ? t + 16 : t + 6;
                portAt = outbound ? t + 2 : t;
            }
            case Ipv4Packet.ICMP -> {
                int type = b[t] & 0xff;
                if (type != IcmpMessage.ECHO_REQUEST && type != IcmpMessage.ECHO_REPLY) {
                    return notOurs(outbound, new DropReason.UnsupportedIcmp(type));
                }
                quoted = echoKey(type, quotedSource, quotedDestination, Wire.u16(b, t + 4));
                checksumAt = t + 2;
                portAt = t + 4;
            }
            default -> {
                return notOurs(outbound, new DropReason.UnsupportedProtocol(protocol));
            }
        }
        // The quoted datagram went the other way: its reverse is a key of this direction.
        Entry e = outbound ? byInside.get(quoted.reversed()) : byReply.get(quoted.reversed());
        // Outbound, only the private host the flow belongs to may report about it, or the router itself (from
        // the public address: its forwarder's error about a datagram it translated in); inbound, the error must be to us.
        if (e == null || (outbound ? source != e.inside.source() && source != publicAddress : destination != publicAddress)) {
            return outbound ? new Dropped(new DropReason.NoMapping(Ipv4Packet.ICMP)) : new Untranslated();
        }
        if (checksumAt + 2 > end) {
            checksumAt = -1; // not quoted: nothing to keep right
        }
        Sum sum = protocol == Ipv4Packet.UDP ? Sum.UDP : Sum.ALWAYS;
        int pseudo = protocol == Ipv4Packet.ICMP ? -1 : checksumAt;
        if (outbound) {
            Rewrite.address(b, 12, publicAddress, 10, -1, Sum.ALWAYS);
            Rewrite.address(b, q + 16, publicAddress, q + 10, pseudo, sum);
            Rewrite.word(b, portAt, e.outside.sourcePort(), checksumAt, sum);
        } else {
            Rewrite.address(b, 16, e.inside.source(), 10, -1, Sum.ALWAYS);
            Rewrite.address(b, q + 12, e.inside.source(), q + 10, pseudo, sum);
            Rewrite.word(b, portAt, e.inside.sourcePort(), checksumAt, sum);
        }
        Wire.putU16(b, ihl + 2, 0);
        Wire.putU16(b, ihl + 2, Checksum.of(b, ihl, end - ihl));
        return new Translated(Bytes.adopt(b));
    }

    /** A new outbound flow: a free public port towards its remote endpoint, room made, the mapping added. */
    private Result<Entry, DropReason> open(long now, FlowKey inside) {
        int port = allocate(inside.protocol(), inside.destination(), inside.destinationPort());
        if (port < 0) {
            return Result.err(new DropReason.PortsExhausted(inside.protocol(), inside.destination(), inside.destinationPort()));
        }
        FlowKey outside = new FlowKey(inside.protocol(), publicAddress, port, inside.destination(), inside.destinationPort());
        return Result.ok(add(now, inside, outside));
    }

    /** A new inbound flow to a forwarded port: the private side is the forward's target. */
    private Result<Entry, DropReason> openForward(long now, FlowKey arriving, PortForward forward) {
        FlowKey outside = arriving.reversed();
        FlowKey inside = new FlowKey(arriving.protocol(), Wire.ipv4ToInt(forward.privateAddress()), forward.privatePort(),
                arriving.source(), arriving.sourcePort());
        if (byInside.containsKey(inside)) {
            return Result.err(new DropReason.ForwardConflict(forward));
        }
        return Result.ok(add(now, inside, outside));
    }

    private Entry add(long now, FlowKey inside, FlowKey outside) {
        while (byInside.size() >= config.capacity()) {
            remove(victim());
            evictions++;
        }
        Entry e = new Entry(inside, outside);
        e.flowClass = switch (inside.protocol()) {
            case Ipv4Packet.TCP -> FlowClass.TCP_TRANSITORY;
            case Ipv4Packet.UDP -> FlowClass.UDP_UNANSWERED;
            default -> FlowClass.ICMP_QUERY;
        };
        e.lastUsed = now;
        byInside.put(inside, e);
        byReply.put(outside.reversed(), e);
        append(e);
        return e;
    }

    /**
     * A port (echo identifier for ICMP) in the configured range, not forwarded, that no live mapping
     * uses towards {@code remote:remotePort}; -1 if there is none. The search starts at a random
     * port (RFC 6056 3.3.1's simple random start, then sequential) so ports are not predictable.
     */
    private int allocate(int protocol, int remote, int remotePort) {
        int low = config.portLow();
        int span = config.portHigh() - low + 1;
        int start = (int) Long.remainderUnsigned(nextRandom(), span);
        for (int i = 0; i < span; i++) {
            int port = low + (start + i) % span;
            if (!forwards.containsKey(forwardKey(protocol, port))
                    && !byReply.containsKey(new FlowKey(protocol, remote, remotePort, publicAddress, port))) {
                return port;
            }
        }
        return -1;
    }

    /** Records a packet of the flow: its class may change, its idle time starts again. */
    private void see(long now, Entry e, boolean outbound, int tcpFlags) {
        int seen = e.seen;
        if (e.inside.protocol() == Ipv4Packet.TCP) {
            boolean rst = (tcpFlags & TcpSegment.RST) != 0;
            boolean syn = (tcpFlags & TcpSegment.SYN) != 0;
            if (outbound && syn && (tcpFlags & TcpSegment.ACK) == 0
                    && (e.flowClass == FlowClass.TCP_RESET || e.flowClass == FlowClass.TCP_CLOSING)) {
                seen = 0; // the same ports open a new connection
            }
            // A later segment that is no RST means the RST did not end the connection (it may have been forged).
            seen = rst ? seen | RST : seen & ~RST;
            if (syn) {
                seen |= outbound ? OUT : IN;
            }
            if ((tcpFlags & TcpSegment.FIN) != 0) {
                seen |= outbound ? FIN_OUT : FIN_IN;
            }
        } else {
            seen |= outbound ? OUT : IN;
        }
        e.seen = seen;
        FlowClass next = classOf(e.inside.protocol(), seen);
        unlink(e);
        e.flowClass = next;
        e.lastUsed = now;
        append(e);
    }

    private static FlowClass classOf(int protocol, int seen) {
        boolean both = (seen & (OUT | IN)) == (OUT | IN);
        return switch (protocol) {
            case Ipv4Packet.TCP -> {
                if ((seen & RST) != 0) {
                    yield FlowClass.TCP_RESET;
                }
                if ((seen & (FIN_OUT | FIN_IN)) == (FIN_OUT | FIN_IN)) {
                    yield FlowClass.TCP_CLOSING;
                }
                // RFC 5382 5: partially open or partially closed is transitory.
                yield both && (seen & (FIN_OUT | FIN_IN)) == 0 ? FlowClass.TCP_ESTABLISHED : FlowClass.TCP_TRANSITORY;
            }
            case Ipv4Packet.UDP -> both ? FlowClass.UDP_ANSWERED : FlowClass.UDP_UNANSWERED;
            default -> FlowClass.ICMP_QUERY;
        };
    }

    /** The mapping to evict: the least recently used of the lowest tier that has one. */
    private Entry victim() {
        for (FlowClass.Tier tier : FlowClass.Tier.values()) {
            Entry oldest = null;
            for (FlowClass c : CLASSES) {
                Entry head = lanes[c.ordinal()].head;
                if (c.tier() == tier && head != null && (oldest == null || head.lastUsed - oldest.lastUsed < 0)) {
                    oldest = head;
                }
            }
            if (oldest != null) {
                return oldest;
            }
        }
        throw new IllegalStateException("a full table has a mapping to evict");
    }

    private void remove(Entry e) {
        unlink(e);
        byInside.remove(e.inside);
        byReply.remove(e.outside.reversed());
    }

    private void append(Entry e) {
        Lane lane = lanes[e.flowClass.ordinal()];
        e.previous = lane.tail;
        e.next = null;
        if (lane.tail == null) {
            lane.head = e;
        } else {
            lane.tail.next = e;
        }
        lane.tail = e;
    }

    private void unlink(Entry e) {
        Lane lane = lanes[e.flowClass.ordinal()];
        if (e.previous == null) {
            lane.head = e.next;
        } else {
            e.previous.next = e.next;
        }
        if (e.next == null) {
            lane.tail = e.previous;
        } else {
            e.next.previous = e.previous;
        }
        e.previous = null;
        e.next = null;
    }

    private Mapping view(Entry e) {
        FlowKey in = e.inside;
        FlowKey out = e.outside;
        return new Mapping(in.protocol(), endpoint(in.source(), in.sourcePort()), endpoint(out.source(), out.sourcePort()),
                endpoint(in.destination(), in.destinationPort()), e.flowClass, e.lastUsed);
    }

    private static Endpoint endpoint(int address, int port) {
        Inet4Address a = Wire.ipv4(address);
        return new Endpoint(a, port);
    }

    private static Integer forwardKey(int protocol, int port) {
        return (protocol << 16) | port;
    }

    /** SplitMix64: a deterministic sequence from the configured seed. */
    private long nextRandom() {
        long z = (random += 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * What the NAT does not translate: outbound it must not leave with a private address; inbound it
     * may be for the unikernel itself (a protocol it speaks, an error about its own traffic).
     */
    private static NatVerdict notOurs(boolean outbound, DropReason reason) {
        return outbound ? new Dropped(reason) : new Untranslated();
    }

    private static NatVerdict malformed(ParseError error) {
        return new Dropped(new DropReason.Malformed(error));
    }
}
