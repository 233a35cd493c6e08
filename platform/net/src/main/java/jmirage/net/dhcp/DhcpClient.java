package jmirage.net.dhcp;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;

/**
 * The DHCP client core (RFC 2131 4.4, figure 5): INIT, SELECTING, REQUESTING, BOUND, RENEWING,
 * REBINDING. No I/O and no clock: calls take {@code now} and return {@link Action}s; the shell
 * sends, binds, and arms one timer at {@link #nextDeadline}.
 */
public final class DhcpClient {

    public static final int CLIENT_PORT = 68;
    public static final int SERVER_PORT = 67;

    public enum State { INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING }

    /** A lease: the address and prefix, the router, the server, and how long it lasts. */
    public record Lease(IpPrefix address, Optional<Inet4Address> router, Inet4Address server, Duration leaseTime,
            List<Inet4Address> dns) {

        public Lease {
            if (!address.isIpv4()) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
        }

        /** The leased address itself (yiaddr), without its prefix. */
        public Inet4Address ip() {
            return (Inet4Address) address.address();
        }
    }

    public sealed interface Action {
        /** Send {@code payload} from port 68 to port 67: to {@code server} by unicast, or broadcast when empty. */
        record Send(Bytes payload, Optional<Inet4Address> server) implements Action {}

        record Bound(Lease lease) implements Action {}

        /** The lease expired or was refused: stop using the address. */
        record Lost() implements Action {}
    }

    private static final long SECOND = 1_000_000_000L;

    private final MacAddress mac;
    private int xid;
    private State state = State.INIT;
    private long deadline = Long.MAX_VALUE;
    private int attempts;
    private DhcpMessage offer;
    private Lease lease;
    private long renewAt;
    private long rebindAt;
    private long expiresAt;

    public DhcpClient(MacAddress mac, long seed) {
        this.mac = mac;
        this.xid = (int) seed;
    }

    public State state() {
        return state;
    }

    public Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    public long nextDeadline() {
        return deadline;
    }

    /** Starts from INIT: a DHCPDISCOVER (RFC 2131 4.4.1). */
    public List<Action> start(long now) {
        xid++;
        attempts = 0;
        offer = null;
        state = State.SELECTING;
        return List.of(sendAndArm(now, discover()));
    }

    public List<Action> timer(long now) {
        if (now < deadline) {
            return List.of();
        }
        List<Action> out = new ArrayList<>();
        switch (state) {
            case INIT -> out.addAll(start(now));
            case SELECTING -> out.add(sendAndArm(now, discover()));
            case REQUESTING -> {
                if (attempts >= 4) {
                    out.addAll(start(now)); // RFC 2131 4.4.1: no answer to the REQUEST, back to INIT
                } else {
                    out.add(sendAndArm(now, request(offer.yiaddr(), offer.address(DhcpMessage.OPT_SERVER_ID), Wire.ipv4(0))));
                }
            }
            case BOUND, RENEWING, REBINDING -> {
                if (now >= expiresAt) {
                    lease = null;
                    out.add(new Action.Lost());
                    out.addAll(start(now));
                } else if (now >= rebindAt) {
                    // RFC 2131 4.4.5: T2 passed, broadcast the REQUEST to any server.
                    state = State.REBINDING;
                    out.add(new Action.Send(request(null, Optional.empty(), lease.ip()).encode(), Optional.empty()));
                    deadline = now + Math.max(60 * SECOND, (expiresAt - now) / 2);
                    deadline = Math.min(deadline, expiresAt);
                } else if (now >= renewAt) {
                    // RFC 2131 4.4.5: T1 passed, unicast the REQUEST to the server that leased.
                    state = State.RENEWING;
                    out.add(new Action.Send(request(null, Optional.empty(), lease.ip()).encode(),
                            Optional.of(lease.server())));
                    deadline = Math.min(rebindAt, now + Math.max(60 * SECOND, (rebindAt - now) / 2));
                }
            }
        }
        return out;
    }

    /**
     * The offered address is in use (an ARP probe was answered, RFC 2131 3.1.5): a DHCPDECLINE,
     * then back to INIT, restarting no sooner than ten seconds later.
     */
    public List<Action> decline(long now) {
        if (lease == null) {
            return List.of();
        }
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.DECLINE));
        o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
        o.put(DhcpMessage.OPT_REQUESTED_IP, Bytes.of(lease.ip().getAddress()));
        o.put(DhcpMessage.OPT_SERVER_ID, Bytes.of(lease.server().getAddress()));
        Bytes message = message(o, Wire.ipv4(0)).encode();
        lease = null;
        state = State.INIT;
        deadline = now + 10 * SECOND;
        return List.of(new Action.Send(message, Optional.empty()));
    }

    /** Gives the lease back (RFC 2131 4.4.6): a DHCPRELEASE unicast to the server; back to INIT. */
    public List<Action> release() {
        if (lease == null || !(state == State.BOUND || state == State.RENEWING || state == State.REBINDING)) {
            return List.of();
        }
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.RELEASE));
        o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
        o.put(DhcpMessage.OPT_SERVER_ID, Bytes.of(lease.server().getAddress()));
        xid++;
        Bytes message = message(o, lease.ip()).encode();
        Inet4Address server = lease.server();
        lease = null;
        state = State.INIT;
        deadline = Long.MAX_VALUE;
        return List.of(new Action.Send(message, Optional.of(server)), new Action.Lost());
    }

    public List<Action> input(long now, Bytes payload) {
        if (!(DhcpMessage.parse(payload) instanceof Result.Ok<DhcpMessage, ?>(DhcpMessage m))) {
            return List.of();
        }
        if (m.op() != DhcpMessage.BOOTREPLY || m.xid() != xid || !m.chaddr().equals(mac) || m.messageType().isEmpty()) {
            return List.of();
        }
        int type = m.messageType().get();
        switch (state) {
            case SELECTING -> {
                if (type == DhcpMessage.OFFER && m.address(DhcpMessage.OPT_SERVER_ID).isPresent()) {
                    // RFC 2131 4.4.1: take the first offer, REQUEST it with the server identifier.
                    offer = m;
                    state = State.REQUESTING;
                    attempts = 0;
                    return List.of(sendAndArm(now, request(m.yiaddr(), m.address(DhcpMessage.OPT_SERVER_ID), Wire.ipv4(0))));
                }
            }
            case REQUESTING, RENEWING, REBINDING -> {
                if (type == DhcpMessage.ACK) {
                    return bind(now, m);
                }
                if (type == DhcpMessage.NAK) {
                    List<Action> out = new ArrayList<>();
                    if (lease != null) {
                        lease = null;
                        out.add(new Action.Lost());
                    }
                    out.addAll(start(now));
                    return out;
                }
            }
            default -> { }
        }
        return List.of();
    }

    private List<Action> bind(long now, DhcpMessage ack) {
        long leaseSeconds = ack.seconds(DhcpMessage.OPT_LEASE_TIME).orElse(3600L);
        long t1 = ack.seconds(DhcpMessage.OPT_RENEWAL_T1).orElse(leaseSeconds / 2);
        long t2 = ack.seconds(DhcpMessage.OPT_REBINDING_T2).orElse(leaseSeconds * 7 / 8);
        int mask = ack.address(DhcpMessage.OPT_SUBNET_MASK).map(Wire::ipv4ToInt).orElse(0xffffff00);
        int prefix = Integer.bitCount(mask);
        Inet4Address server = ack.address(DhcpMessage.OPT_SERVER_ID)
                .or(() -> lease == null ? Optional.empty() : Optional.of(lease.server())).orElse(ack.siaddr());
        List<Inet4Address> dns = new ArrayList<>();
        Bytes d = ack.options().get(DhcpMessage.OPT_DNS);
        for (int i = 0; d != null && i + 4 <= d.size(); i += 4) {
            dns.add(Wire.ipv4(d, i));
        }
        lease = new Lease(new IpPrefix(ack.yiaddr(), prefix), ack.address(DhcpMessage.OPT_ROUTER), server,
                Duration.ofSeconds(leaseSeconds), List.copyOf(dns));
        state = State.BOUND;
        renewAt = now + t1 * SECOND;
        rebindAt = now + t2 * SECOND;
        expiresAt = now + leaseSeconds * SECOND;
        deadline = renewAt;
        return List.of(new Action.Bound(lease));
    }

    /** RFC 2131 4.1: retransmit after 4 s, doubling up to 64 s. */
    private Action sendAndArm(long now, DhcpMessage m) {
        long delay = Math.min(64, 4L << Math.min(attempts, 4)) * SECOND;
        attempts++;
        deadline = now + delay;
        return new Action.Send(m.encode(), Optional.empty());
    }

    private DhcpMessage discover() {
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.DISCOVER));
        o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
        o.put(DhcpMessage.OPT_PARAMETERS, Bytes.of((byte) 1, (byte) 3, (byte) 6, (byte) 51, (byte) 58, (byte) 59));
        return message(o, Wire.ipv4(0));
    }

    /**
     * A DHCPREQUEST. SELECTING: requested IP and server id (RFC 2131 4.3.2 table); RENEWING and
     * REBINDING: neither, ciaddr filled in.
     */
    private DhcpMessage request(Inet4Address requested, Optional<Inet4Address> server, Inet4Address ciaddr) {
        Map<Integer, Bytes> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.REQUEST));
        o.put(DhcpMessage.OPT_CLIENT_ID, clientId());
        if (requested != null) {
            o.put(DhcpMessage.OPT_REQUESTED_IP, Bytes.of(requested.getAddress()));
        }
        server.ifPresent(s -> o.put(DhcpMessage.OPT_SERVER_ID, Bytes.of(s.getAddress())));
        o.put(DhcpMessage.OPT_PARAMETERS, Bytes.of((byte) 1, (byte) 3, (byte) 6, (byte) 51, (byte) 58, (byte) 59));
        return message(o, ciaddr);
    }

    private Bytes clientId() {
        return Bytes.of((byte) 1).concat(Bytes.of(mac.toBytes()));
    }

    private DhcpMessage message(Map<Integer, Bytes> options, Inet4Address ciaddr) {
        Inet4Address zero = Wire.ipv4(0);
        // Broadcast flag (RFC 2131 4.1) while we have no address: we cannot take unicast before binding.
        int flags = Wire.ipv4ToInt(ciaddr) == 0 ? 0x8000 : 0;
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, flags, ciaddr, zero, zero, mac, options);
    }
}
