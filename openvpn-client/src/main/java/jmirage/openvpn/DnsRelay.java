package jmirage.openvpn;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Result;
import jmirage.core.net.Datagram;
import jmirage.core.net.Endpoint;
import jmirage.core.net.UdpSocket;
import jmirage.net.ipv4.Ipv4Packet;
import jmirage.net.udp.UdpPacket;
import jmirage.net.wire.ParseError;

/**
 * DNS for the private network from the server the VPN pushed ({@code dhcp-option DNS}): a query to
 * the unikernel's private address, port 53, goes through the tunnel from the tunnel's own address and
 * a relay port, and the answer goes back to the asker. The relay ports (50000-59999) lie above the
 * NAT's range (1024-49151, NatConfig), so the answers reach the tunnel's {@code deliverLocally}
 * untranslated. At most {@link #PENDING} queries wait, each at most {@link #WAIT}, as a stub
 * resolver would retry anyway.
 */
final class DnsRelay {

    static final int FIRST_PORT = 50_000;
    static final int PORTS = 10_000;
    static final int PENDING = 1024;
    static final Duration WAIT = Duration.ofSeconds(10);
    static final int DNS = 53;

    private record Pending(Endpoint asker, long since) {}

    private final Clock clock;
    private final Consumer<Bytes> tunnel;
    private final Map<Integer, Pending> pending = new LinkedHashMap<>();
    private Inet4Address local;
    private Inet4Address server;
    private UdpSocket socket;
    private int next;
    long relayed;

    DnsRelay(Clock clock, Consumer<Bytes> tunnel) {
        this.clock = clock;
        this.tunnel = tunnel;
    }

    /** The tunnel's address and the pushed server, after each push. */
    void use(Inet4Address local, Inet4Address server) {
        this.local = local;
        this.server = server;
    }

    void listenOn(UdpSocket socket) {
        this.socket = socket;
    }

    void close() {
        if (socket != null) {
            socket.close();
        }
    }

    /** A query from a private host. */
    void query(Datagram query) {
        if (local == null || socket == null) {
            return;
        }
        long now = clock.monotonicNanos();
        expire(now);
        if (pending.size() >= PENDING) {
            return;
        }
        int port = FIRST_PORT + next;
        next = (next + 1) % PORTS;
        pending.remove(port);
        pending.put(port, new Pending(query.source(), now));
        Bytes udp = UdpPacket.encode(port, DNS, query.payload(), local, server);
        // RFC 791 3.1: a datagram of our own, TTL 64, not to be fragmented on the way (a DNS query fits).
        tunnel.accept(new Ipv4Packet(0, port, true, false, 0, 64, Ipv4Packet.UDP, local, server, udp).encode());
    }

    /** A datagram for the tunnel's own address: an answer to a relayed query goes back to its asker; false for anything else. */
    boolean answer(Bytes datagram) {
        if (!(Ipv4Packet.parse(datagram) instanceof Result.Ok<Ipv4Packet, ParseError>(Ipv4Packet ip))
                || ip.protocol() != Ipv4Packet.UDP || ip.isFragment() || !ip.source().equals(server)) {
            return false;
        }
        if (!(UdpPacket.parse(ip.payload(), ip.source(), ip.destination()) instanceof Result.Ok<UdpPacket, ParseError>(UdpPacket udp))
                || udp.sourcePort() != DNS) {
            return false;
        }
        Pending p = pending.remove(udp.destinationPort());
        if (p == null || socket == null) {
            return false;
        }
        relayed++;
        socket.send(p.asker(), udp.payload());
        return true;
    }

    private void expire(long now) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            if (now - it.next().since() > WAIT.toNanos()) {
                it.remove();
            } else {
                break; // in order of arrival
            }
        }
    }
}
