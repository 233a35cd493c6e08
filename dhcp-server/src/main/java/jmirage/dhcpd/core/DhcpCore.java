package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.config.DhcpConfig.Host;
import jmirage.dhcpd.config.DhcpConfig.Range;
import jmirage.dhcpd.config.DhcpConfig.Subnet;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.Wire;

/**
 * The server's protocol core, RFC 2131 4.3, after charrua's {@code input_pkt}: the leases (read
 * only), a parsed message, the address it arrived on and the time in; the reply, where it goes and
 * the changes to the leases out ({@link Outcome#changes()}). No I/O, no clock, no state of its own.
 *
 * <p>The caller applies the changes to its {@link LeaseDb} before it hands the next message in, so
 * that message sees them, and writes {@link Outcome#durable()} to the store before it sends the
 * reply (write-ahead), so a crash never loses a lease a client was told about.
 */
public final class DhcpCore {

    /**
     * Protocol timers that are not in dhcpd.conf. {@code firstLease} caps the lease time of a new
     * binding until its client renews it (zero: no cap); see {@link #grant}.
     */
    public record Settings(Duration offerHold, Duration declineHold, Duration minLease, Duration firstLease) {
        /** Offers held 30 s (a client answers an OFFER within a second or two), declined addresses 1 h, first leases 10 min. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofMinutes(10));
    }

    /**
     * A request, the server address of the interface it came in on (used when there is no relay),
     * and whether it was sent to a broadcast address (else unicast to us).
     */
    public record Inbound(DhcpMessage message, Inet4Address receivedOn, boolean broadcast) {
        /** A broadcast request, as most are. */
        public Inbound(DhcpMessage message, Inet4Address receivedOn) {
            this(message, receivedOn, true);
        }
    }

    /** Where a reply goes, RFC 2131 4.1. */
    public sealed interface Destination {
        /** To the relay agent at giaddr, on the server port. */
        record Relay(Inet4Address giaddr) implements Destination {}

        /** To the client's own address (it has one: RENEWING, INFORM), on the client port. */
        record Client(Inet4Address ciaddr) implements Destination {}

        /**
         * To yiaddr at the client's hardware address, without ARP (the client has no address yet and
         * did not set the broadcast bit). A stack that cannot send so broadcasts instead, as RFC 2131
         * 4.1 allows.
         */
        record Hardware(Inet4Address yiaddr, MacAddress chaddr) implements Destination {}

        /** To 255.255.255.255 on the client port: the broadcast bit, a NAK, an INFORM without ciaddr. */
        record Broadcast() implements Destination {}
    }

    /** What to do about a message, and the changes to the leases it makes, in the order to apply them. */
    public sealed interface Outcome {
        List<LeaseChange> changes();

        /** The lease records to write to the store before the reply leaves (or the event is logged). */
        default List<Lease> durable() {
            List<Lease> durable = new ArrayList<>(changes().size());
            for (LeaseChange change : changes()) {
                if (change instanceof LeaseChange.Durable(Lease lease)) {
                    durable.add(lease);
                }
            }
            return Collections.unmodifiableList(durable);
        }

        record Reply(DhcpMessage message, Destination to, List<LeaseChange> changes) implements Outcome {
            public Reply {
                changes = List.copyOf(changes);
            }
        }

        /** A DECLINE or RELEASE: records to store, nothing to send (the log line is its {@link LeaseEvent}). */
        record Update(List<LeaseChange> changes) implements Outcome {
            public Update {
                changes = List.copyOf(changes);
            }
        }

        /**
         * A well-formed message we do not answer, and why (for a debug log); it may still change the
         * leases (an offer withdrawn, a pool found full).
         */
        record Ignored(String reason, List<LeaseChange> changes) implements Outcome {
            public Ignored {
                changes = List.copyOf(changes);
            }
        }

        /** A message that breaks the protocol: dropped, and logged (rate-limited) by the shell. */
        record Malformed(String reason) implements Outcome {
            public List<LeaseChange> changes() {
                return List.of();
            }
        }
    }

    private static final Inet4Address ZERO = Wire.ipv4(0);
    /** RFC 1542 4.1.1: a relay discards a message that went through more than 16 hops; so do we. */
    private static final int MAX_HOPS = 16;

    private final DhcpConfig config;
    private final Settings settings;
    private final Set<Inet4Address> fixed = new HashSet<>();

    public DhcpCore(DhcpConfig config, Settings settings) {
        this.config = config;
        this.settings = settings;
        config.hosts().forEach(h -> fixed.add(h.fixedAddress()));
    }

    public DhcpConfig config() {
        return config;
    }

    /** The answer to {@code in} at {@code now} given {@code leases}, which it does not change. */
    public Outcome handle(LeaseView leases, Inbound in, Instant now) {
        DhcpMessage m = in.message();
        if (m.op() != DhcpMessage.BOOTREQUEST) {
            return new Outcome.Ignored("not a BOOTREQUEST", List.of());
        }
        Optional<Integer> type = m.messageType();
        if (type.isEmpty()) {
            return new Outcome.Malformed("no DHCP message type (plain BOOTP is not served)");
        }
        if (m.hops() > MAX_HOPS) {
            return new Outcome.Malformed("relayed through " + m.hops() + " hops");
        }
        Optional<Subnet> subnet = subnetFor(m, in.receivedOn(), in.broadcast());
        if (subnet.isEmpty()) {
            return new Outcome.Ignored("no subnet declared for "
                    + (m.giaddr().equals(ZERO) ? "interface " + in.receivedOn().getHostAddress() : "relay " + m.giaddr().getHostAddress()),
                    List.of());
        }
        Request r = new Request(m, subnet.get(), in.receivedOn(), serverId(subnet.get(), in.receivedOn()), ClientKey.of(m),
                config.hostFor(Optional.ofNullable(m.options().get(DhcpMessage.OPT_CLIENT_ID)), m.chaddr()), now, leases,
                new ArrayList<>());
        return switch (type.get()) {
            case DhcpMessage.DISCOVER -> discover(r);
            case DhcpMessage.REQUEST -> request(r);
            case DhcpMessage.DECLINE -> decline(r);
            case DhcpMessage.RELEASE -> release(r);
            case DhcpMessage.INFORM -> inform(r);
            default -> new Outcome.Ignored("message type " + type.get() + " is not sent to servers", List.of());
        };
    }

    /**
     * One message being handled: what it says, the leases as they were, and the changes decided so
     * far (collected here, applied by the caller once the outcome is returned).
     */
    private record Request(DhcpMessage m, Subnet subnet, Inet4Address receivedOn, Inet4Address serverId, ClientKey client,
            Optional<Host> host, Instant now, LeaseView leases, List<LeaseChange> changes) {

        void change(LeaseChange change) {
            changes.add(change);
        }

        Outcome.Ignored ignored(String reason) {
            return new Outcome.Ignored(reason, changes);
        }
    }

    /**
     * By the relay's giaddr; else, for a message unicast to us with ciaddr (RENEWING, INFORM), by
     * ciaddr, which RFC 2131 4.3.2 says to trust (a client behind a relay renews directly, without
     * giaddr); else by the receiving interface, else by ciaddr.
     */
    private Optional<Subnet> subnetFor(DhcpMessage m, Inet4Address receivedOn, boolean broadcast) {
        if (!m.giaddr().equals(ZERO)) {
            return config.subnetOf(m.giaddr());
        }
        if (!broadcast && !m.ciaddr().equals(ZERO)) {
            Optional<Subnet> own = config.subnetOf(m.ciaddr());
            if (own.isPresent()) {
                return own;
            }
        }
        Optional<Subnet> local = config.subnetOf(receivedOn);
        if (local.isPresent()) {
            return local;
        }
        if (!m.ciaddr().equals(ZERO)) {
            return config.subnetOf(m.ciaddr());
        }
        return config.subnets().size() == 1 ? Optional.of(config.subnets().getFirst()) : Optional.empty();
    }

    private static Inet4Address serverId(Subnet subnet, Inet4Address receivedOn) {
        Bytes configured = subnet.options().get(DhcpMessage.OPT_SERVER_ID);
        return configured != null && configured.size() == 4 ? Wire.ipv4(configured, 0) : receivedOn;
    }

    // ---- DISCOVER (RFC 2131 4.3.1) ----

    private Outcome discover(Request r) {
        Inet4Address address;
        if (r.host().isPresent()) {
            address = r.host().get().fixedAddress();
            if (!r.subnet().contains(address)) {
                return r.ignored("static host " + r.host().get().name() + " is not on " + r.subnet().network());
            }
            Optional<Lease> held = r.leases().at(address).filter(l -> l.live(r.now()) && !owner(l, r));
            if (held.isPresent()) {
                // The address became a host's after it was leased to someone else: it waits for that lease to end.
                return r.ignored("fixed address " + address.getHostAddress() + " of " + r.host().get().name()
                        + " is leased to another client until " + held.get().until());
            }
        } else {
            Optional<Inet4Address> free = allocate(r);
            if (free.isEmpty()) {
                return r.ignored("no free address in " + r.subnet().network() + " for " + r.m().chaddr());
            }
            address = free.get();
        }
        Optional<Lease> current = r.leases().at(address);
        boolean alreadyBound = current.isPresent() && owner(current.get(), r)
                && current.get().state() == Lease.State.BOUND && current.get().live(r.now());
        if (!alreadyBound) {
            r.change(new LeaseChange.Transient(
                    new Lease(address, r.client(), r.m().chaddr(), Lease.State.OFFERED, r.now().plus(settings.offerHold()))));
        }
        return reply(r, DhcpMessage.OFFER, address, ZERO, Optional.of(leaseTime(r)));
    }

    /** RFC 2131 4.3.1's order: the client's current or last address, the one it asks for, then any free one. */
    private Optional<Inet4Address> allocate(Request r) {
        Subnet s = r.subnet();
        // The client's own lease, or one its hardware address took without an identifier (see owner).
        Optional<Lease> previous = r.leases().of(r.client()).or(() -> r.leases().of(ClientKey.ofMac(r.m().chaddr())));
        if (previous.isPresent() && previous.get().state() != Lease.State.DECLINED
                && assignable(r, previous.get().address())) {
            return Optional.of(previous.get().address());
        }
        Optional<Inet4Address> asked = r.m().address(DhcpMessage.OPT_REQUESTED_IP);
        if (asked.isPresent() && assignable(r, asked.get())) {
            return asked;
        }
        if (!r.leases().knownFull(s.network(), r.now())) {
            int size = s.poolSize();
            int start = Math.floorMod(r.leases().cursor(s.network()), Math.max(1, size));
            Instant firstEnd = Instant.MAX;
            for (int i = 0; i < size; i++) {
                int position = (start + i) % size;
                Inet4Address a = nth(s, position);
                if (!usable(r, a)) {
                    continue;
                }
                Optional<Lease> l = r.leases().at(a);
                if (l.isEmpty() || !l.get().live(r.now())) {
                    r.change(new LeaseChange.NextFit(s.network(), position + 1));
                    return Optional.of(a);
                }
                firstEnd = l.get().until().isBefore(firstEnd) ? l.get().until() : firstEnd;
            }
            // Full: the next DISCOVERs skip this search until a lease ends or one is freed, so a flood
            // against a full pool costs no more than one search.
            r.change(new LeaseChange.PoolFull(s.network(), firstEnd));
        }
        // The pool is full. Offers are promises nobody has accepted yet: take the oldest one, so a
        // flood of DISCOVERs from made-up MACs cannot lock real clients out for longer than one round.
        for (Lease l : r.leases().offers()) {
            if (l.live(r.now()) && !owner(l, r) && s.contains(l.address()) && usable(r, l.address())) {
                return Optional.of(l.address());
            }
        }
        return Optional.empty();
    }

    private static Inet4Address nth(Subnet s, int position) {
        for (Range range : s.ranges()) {
            if (position < range.size()) {
                return Wire.ipv4(range.first() + position);
            }
            position -= range.size();
        }
        throw new IllegalArgumentException("position beyond the pool");
    }

    /**
     * A dynamic address we may give anyone: in a range, not reserved, not the network's own
     * addresses, and not one the segment already uses: this server's own address (its identifier)
     * and the routers and resolvers the subnet hands out. A range written over them would otherwise
     * give a client the gateway's address.
     */
    private boolean usable(Request r, Inet4Address a) {
        return usable(r.subnet(), r.receivedOn(), a);
    }

    private boolean usable(Subnet s, Inet4Address serverAddress, Inet4Address a) {
        int v = Wire.ipv4ToInt(a);
        int network = Wire.ipv4ToInt(s.network().address()) & Wire.ipv4Mask(s.network().length());
        boolean special = s.network().length() < 31 && (v == network || a.equals(s.network().last()));
        return s.inRange(a) && !fixed.contains(a) && !special && !a.equals(serverAddress) && !infrastructure(s, a);
    }

    /** How a subnet's addresses stand at one instant: its live leases by state, and the dynamic addresses free. */
    public record SubnetUsage(IpPrefix subnet, int bound, int offered, int declined, int free) {}

    /**
     * Each subnet's usage at {@code now} for a server answering as {@code serverAddress} (for the
     * metrics, at scrape time): live leases on the subnet (fixed addresses included) by state, and
     * the addresses the next DISCOVER could be offered (in a range, usable, not live). Walks every
     * pool: a /16 is 65,536 checks.
     */
    public List<SubnetUsage> usage(LeaseView leases, Inet4Address serverAddress, Instant now) {
        List<SubnetUsage> usage = new ArrayList<>();
        for (Subnet s : config.subnets()) {
            int bound = 0;
            int offered = 0;
            int declined = 0;
            for (Lease l : leases.live(now)) {
                if (s.contains(l.address())) {
                    switch (l.state()) {
                        case BOUND -> bound++;
                        case OFFERED -> offered++;
                        case DECLINED -> declined++;
                        case FREE -> { } // not live
                    }
                }
            }
            int free = 0;
            for (int position = 0; position < s.poolSize(); position++) {
                Inet4Address a = nth(s, position);
                if (usable(s, serverAddress, a) && leases.at(a).filter(l -> l.live(now)).isEmpty()) {
                    free++;
                }
            }
            usage.add(new SubnetUsage(s.network(), bound, offered, declined, free));
        }
        return List.copyOf(usage);
    }

    /** Whether {@code a} is the configured server identifier, a router or a resolver of {@code s}. */
    private static boolean infrastructure(Subnet s, Inet4Address a) {
        for (int code : new int[] {DhcpMessage.OPT_SERVER_ID, DhcpMessage.OPT_ROUTER, DhcpMessage.OPT_DNS}) {
            Bytes list = s.options().get(code);
            for (int i = 0; list != null && i + 4 <= list.size(); i += 4) {
                if (Wire.ipv4(list, i).equals(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean assignable(Request r, Inet4Address a) {
        if (!r.subnet().contains(a) || !usable(r, a)) {
            return false;
        }
        Optional<Lease> l = r.leases().at(a);
        return l.isEmpty() || !l.get().live(r.now()) || (owner(l.get(), r) && l.get().state() != Lease.State.DECLINED);
    }

    // ---- REQUEST (RFC 2131 4.3.2) ----

    private Outcome request(Request r) {
        DhcpMessage m = r.m();
        Optional<Inet4Address> serverId = m.address(DhcpMessage.OPT_SERVER_ID);
        Optional<Inet4Address> requested = m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (serverId.isPresent()) {
            // SELECTING: the client answers one OFFER and names its server.
            if (!serverId.get().equals(r.serverId())) {
                r.leases().at(requested.orElse(ZERO))
                        .filter(l -> owner(l, r) && l.state() == Lease.State.OFFERED)
                        .ifPresent(l -> r.change(new LeaseChange.Transient(l.freedAt(r.now()))));
                return r.ignored(m.chaddr() + " chose server " + serverId.get().getHostAddress());
            }
            if (requested.isEmpty()) {
                if (!m.ciaddr().equals(ZERO)) {
                    // A renewal that names its server, against RFC 2131 4.3.2 but sent by some
                    // embedded clients: it extends ciaddr like any RENEWING request.
                    return grant(r, m.ciaddr());
                }
                return new Outcome.Malformed("REQUEST in SELECTING state without a requested address (option 50)");
            }
            return grant(r, requested.get());
        }
        if (requested.isPresent()) {
            // INIT-REBOOT: the client remembers an address. ACK if it is right for this network and
            // client, NAK if not. The RFC lets a server with no record stay silent; we are
            // authoritative for our pools, so a free address in the pool is granted.
            return grant(r, requested.get());
        }
        if (!m.ciaddr().equals(ZERO)) {
            // RENEWING (unicast) or REBINDING (broadcast): extend the lease on ciaddr.
            return grant(r, m.ciaddr());
        }
        return new Outcome.Malformed("REQUEST with neither a requested address nor ciaddr");
    }

    private Outcome grant(Request r, Inet4Address a) {
        Subnet s = r.subnet();
        if (!s.contains(a)) {
            return nak(r, a.getHostAddress() + " is not on network " + s.network());
        }
        if (r.host().isPresent()) {
            if (!a.equals(r.host().get().fixedAddress())) {
                return nak(r, "static host " + r.host().get().name() + " has " + r.host().get().fixedAddress().getHostAddress());
            }
        } else if (fixed.contains(a)) {
            return nak(r, a.getHostAddress() + " is reserved for a static host");
        } else if (!usable(r, a)) {
            return nak(r, a.getHostAddress() + " is not in the pool");
        }
        Optional<Lease> current = r.leases().at(a);
        if (current.isPresent() && current.get().live(r.now())) {
            if (!owner(current.get(), r)) {
                return nak(r, a.getHostAddress() + " is held by another client");
            }
            if (current.get().state() == Lease.State.DECLINED) {
                return nak(r, a.getHostAddress() + " was declined");
            }
        }
        // A client that takes another address gives back what it was merely offered. An address it
        // was granted stays its own until the lease ends or it releases it: the client was told so.
        r.leases().of(r.client())
                .filter(l -> !l.address().equals(a) && owner(l, r) && l.state() == Lease.State.OFFERED && l.live(r.now()))
                .ifPresent(old -> r.change(new LeaseChange.Transient(old.freedAt(r.now()))));
        Duration time = leaseTime(r);
        if (!confirmed(current, r.now()) && !settings.firstLease().isZero() && time.compareTo(settings.firstLease()) > 0) {
            // A new binding is short until the client renews it (RFC 2131 4.4.5: at T1, half of it):
            // a real client does so within minutes and then gets the full time; a starvation tool
            // that binds the pool with one REQUEST per made-up MAC and never renews holds it for
            // this long, not for a day.
            time = settings.firstLease();
        }
        // A renewal keeps the binding's name: a client need not repeat it, and with updates turned
        // off by a reload the name stays on the record, to be removed at a later boot with them on.
        Optional<Name> fqdn = current.filter(l -> l.state() == Lease.State.BOUND && owner(l, r)).flatMap(Lease::fqdn);
        Optional<Bytes> fqdnAnswer = Optional.empty();
        if (config.ddns().isPresent()) {
            switch (HostNames.asked(r.m())) {
                case HostNames.Asked.Label(String label, Optional<ClientFqdn> sent) -> {
                    fqdn = HostNames.under(label, config.ddns().get().domain()) instanceof Result.Ok<Name, NameError>(Name n)
                            ? Optional.of(n) : Optional.empty();
                    // RFC 4702 4: the server that updates the A RR says so, with the name it used
                    Optional<Name> used = fqdn;
                    fqdnAnswer = sent.flatMap(f -> used.map(n -> ClientFqdn.answer(f, HostNames.labels(n)).encode(true)));
                }
                case HostNames.Asked.Nothing() -> { }
                case HostNames.Asked.Refused _ -> fqdn = Optional.empty(); // no name in DNS; the shell logs why
            }
        }
        Lease bound = new Lease(a, r.client(), r.m().chaddr(), Lease.State.BOUND, r.now().plus(time), fqdn);
        r.change(new LeaseChange.Durable(bound));
        return reply(r, DhcpMessage.ACK, a, r.m().ciaddr(), Optional.of(time),
                fqdnAnswer.map(answer -> Map.of(ClientFqdn.OPTION, answer)).orElse(Map.of()));
    }

    /**
     * Whether a REQUEST for {@code current} (the requester's own, checked before) extends a lease the
     * client has proven it uses: a full lease, or a first lease renewed once 40% of it has passed
     * (renewing at T1 = 50%, with slack for early timers). Asking again right after the ACK does not
     * count, so a flood cannot confirm its bindings by sending each REQUEST twice.
     */
    private boolean confirmed(Optional<Lease> current, Instant now) {
        if (current.isEmpty() || current.get().state() != Lease.State.BOUND || !current.get().live(now)) {
            return false;
        }
        Duration left = Duration.between(now, current.get().until());
        Duration first = settings.firstLease();
        return left.compareTo(first) > 0 || left.compareTo(first.multipliedBy(3).dividedBy(5)) <= 0;
    }

    private Outcome nak(Request r, String why) {
        DhcpMessage m = r.m();
        Map<Integer, Bytes> options = new LinkedHashMap<>();
        options.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.NAK));
        options.put(DhcpMessage.OPT_SERVER_ID, Bytes.adopt(r.serverId().getAddress()));
        options.put(DhcpMessage.OPT_MESSAGE, Bytes.utf8(why));
        echoClientId(m, options);
        echoRelayAgent(m, options);
        boolean relayed = !m.giaddr().equals(ZERO);
        // RFC 2131 4.3.2: a NAK through a relay sets the broadcast bit; without one it is broadcast.
        DhcpMessage nak = new DhcpMessage(DhcpMessage.BOOTREPLY, m.xid(), relayed ? m.flags() | DhcpMessage.FLAG_BROADCAST : m.flags(),
                ZERO, ZERO, ZERO, m.chaddr(), options, 0, 0, m.giaddr(), Bytes.EMPTY, Bytes.EMPTY);
        return new Outcome.Reply(nak, relayed ? new Destination.Relay(m.giaddr()) : new Destination.Broadcast(), r.changes());
    }

    // ---- DECLINE, RELEASE, INFORM (RFC 2131 4.3.3 - 4.3.5) ----

    private Outcome decline(Request r) {
        Optional<Inet4Address> a = r.m().address(DhcpMessage.OPT_REQUESTED_IP);
        if (a.isEmpty()) {
            return new Outcome.Malformed("DECLINE without the declined address (option 50)");
        }
        if (!ours(r)) {
            return r.ignored("DECLINE for another server");
        }
        Optional<Lease> l = r.leases().at(a.get());
        // Only the client we gave the address to can take it out of the pool.
        if (l.isEmpty() || !owner(l.get(), r) || l.get().state() == Lease.State.DECLINED) {
            return r.ignored("DECLINE of " + a.get().getHostAddress() + " by a client that does not hold it");
        }
        // the name stays on the record until the shell has removed it from DNS (RFC 4703 5.5)
        Lease declined = new Lease(a.get(), r.client(), r.m().chaddr(), Lease.State.DECLINED, r.now().plus(settings.declineHold()),
                l.get().fqdn());
        r.change(new LeaseChange.Durable(declined));
        return new Outcome.Update(r.changes());
    }

    private Outcome release(Request r) {
        Inet4Address a = r.m().ciaddr();
        if (!ours(r)) {
            return r.ignored("RELEASE for another server");
        }
        Optional<Lease> l = r.leases().at(a);
        if (l.isEmpty() || !owner(l.get(), r) || l.get().state() != Lease.State.BOUND) {
            return r.ignored("RELEASE of " + a.getHostAddress() + " by a client that does not hold it");
        }
        // the name stays on the record until the shell has removed it from DNS (RFC 4703 5.5)
        Lease freed = new Lease(a, r.client(), l.get().mac(), Lease.State.FREE, r.now(), l.get().fqdn());
        r.change(new LeaseChange.Durable(freed));
        return new Outcome.Update(r.changes());
    }

    /**
     * Whether {@code l} is this requester's. The client is its identifier (option 61), but a live
     * lease is also tied to the hardware address it was given to: two machines sending one client
     * identifier (cloned images with one machine-id, hence one DUID) are two machines, and must not
     * be told the same address (RFC 2131 4.2 asks identifiers to be unique; clones break that).
     * A lease taken by the bare hardware address (no option 61) is that hardware's, whatever
     * identifier it sends later.
     */
    private static boolean owner(Lease l, Request r) {
        if (!l.mac().equals(r.m().chaddr())) {
            return false;
        }
        // Held by this hardware address without an identifier: a client on the same machine that
        // now sends option 61 (firmware, then an OS) is that machine.
        return l.client().equals(r.client()) || l.client().equals(ClientKey.ofMac(l.mac()));
    }

    private boolean ours(Request r) {
        return r.m().address(DhcpMessage.OPT_SERVER_ID).map(id -> id.equals(r.serverId())).orElse(true);
    }

    private Outcome inform(Request r) {
        // RFC 2131 4.3.5: configuration only, no lease, no check of the address; to ciaddr.
        return reply(r, DhcpMessage.ACK, ZERO, r.m().ciaddr(), Optional.empty());
    }

    // ---- replies ----

    private Duration leaseTime(Request r) {
        Subnet s = r.subnet();
        Optional<Long> asked = r.m().seconds(DhcpMessage.OPT_LEASE_TIME);
        if (asked.isEmpty()) {
            return s.defaultLease();
        }
        Duration d = Duration.ofSeconds(asked.get());
        if (d.compareTo(s.maxLease()) > 0) {
            return s.maxLease();
        }
        return d.compareTo(settings.minLease()) < 0 ? settings.minLease() : d;
    }

    private Outcome reply(Request r, int type, Inet4Address yiaddr, Inet4Address ciaddr, Optional<Duration> lease) {
        return reply(r, type, yiaddr, ciaddr, lease, Map.of());
    }

    /** A reply with {@code answers}: options that answer the client's own (option 81), after the configured ones. */
    private Outcome reply(Request r, int type, Inet4Address yiaddr, Inet4Address ciaddr, Optional<Duration> lease,
            Map<Integer, Bytes> answers) {
        DhcpMessage m = r.m();
        Map<Integer, Bytes> available = new LinkedHashMap<>(r.subnet().options());
        r.host().ifPresent(h -> available.putAll(h.options()));
        available.putIfAbsent(DhcpMessage.OPT_SUBNET_MASK, u32(Wire.ipv4Mask(r.subnet().network().length())));
        available.remove(DhcpMessage.OPT_SERVER_ID);

        Map<Integer, Bytes> options = new LinkedHashMap<>();
        options.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) type));
        options.put(DhcpMessage.OPT_SERVER_ID, Bytes.adopt(r.serverId().getAddress()));
        lease.ifPresent(d -> {
            long s = Math.min(d.toSeconds(), 0xfffffffeL);
            options.put(DhcpMessage.OPT_LEASE_TIME, u32(s));
            options.put(DhcpMessage.OPT_RENEWAL_T1, u32(s / 2)); // RFC 2131 4.4.5: 0.5 and 0.875 of the lease
            options.put(DhcpMessage.OPT_REBINDING_T2, u32(s * 7 / 8));
        });
        Bytes asked = m.options().get(DhcpMessage.OPT_PARAMETERS);
        if (asked == null) {
            options.putAll(available); // no list: everything configured
        } else {
            // RFC 2131 4.3.1: the options asked for, in the client's order; and the basics a client
            // cannot work without, which some clients forget to ask for.
            for (int i = 0; i < asked.size(); i++) {
                Bytes v = available.get(asked.getUnsigned(i));
                if (v != null) {
                    options.putIfAbsent(asked.getUnsigned(i), v);
                }
            }
            for (int basic : new int[] {DhcpMessage.OPT_SUBNET_MASK, DhcpMessage.OPT_ROUTER, DhcpMessage.OPT_DNS,
                    DhcpMessage.OPT_DOMAIN_NAME}) {
                Bytes v = available.get(basic);
                if (v != null) {
                    options.putIfAbsent(basic, v);
                }
            }
        }
        options.putAll(answers);
        echoClientId(m, options);
        echoRelayAgent(m, options);
        DhcpMessage reply = fit(m, new DhcpMessage(DhcpMessage.BOOTREPLY, m.xid(), m.flags(), ciaddr, yiaddr, ZERO, m.chaddr(),
                options, 0, 0, m.giaddr(), Bytes.EMPTY, Bytes.EMPTY));
        Destination to;
        if (!m.giaddr().equals(ZERO)) {
            to = new Destination.Relay(m.giaddr());
        } else if (!m.ciaddr().equals(ZERO)) {
            to = new Destination.Client(m.ciaddr());
        } else if (!m.broadcastFlag() && !yiaddr.equals(ZERO)) {
            to = new Destination.Hardware(yiaddr, m.chaddr());
        } else {
            to = new Destination.Broadcast();
        }
        return new Outcome.Reply(reply, to, r.changes());
    }

    /** Options a reply keeps whatever its size: the protocol's own, the address and the route. */
    private static final Set<Integer> ESSENTIAL = Set.of(DhcpMessage.OPT_MESSAGE_TYPE, DhcpMessage.OPT_SERVER_ID,
            DhcpMessage.OPT_LEASE_TIME, DhcpMessage.OPT_RENEWAL_T1, DhcpMessage.OPT_REBINDING_T2, DhcpMessage.OPT_SUBNET_MASK,
            DhcpMessage.OPT_ROUTER, DhcpMessage.OPT_CLIENT_ID, DhcpMessage.OPT_RELAY_AGENT);
    /** IPv4 and UDP headers, which option 57's size includes. */
    private static final int IP_UDP_HEADERS = 28;

    /**
     * RFC 2131 2 / RFC 2132 9.10: a client accepts 576-byte datagrams, or the maximum it gives in
     * option 57; optional options are dropped from the end until the reply fits.
     */
    private static DhcpMessage fit(DhcpMessage request, DhcpMessage reply) {
        int limit = 576;
        Bytes max = request.options().get(DhcpMessage.OPT_MAX_MESSAGE_SIZE);
        if (max != null && max.size() == 2) {
            limit = Math.max(limit, Wire.u16(max, 0));
        }
        limit -= IP_UDP_HEADERS;
        DhcpMessage fitted = reply;
        while (fitted.encode().size() > limit) {
            List<Integer> optional = fitted.options().keySet().stream().filter(c -> !ESSENTIAL.contains(c)).toList();
            if (optional.isEmpty()) {
                break;
            }
            Map<Integer, Bytes> fewer = new LinkedHashMap<>(fitted.options());
            fewer.remove(optional.getLast());
            fitted = new DhcpMessage(fitted.op(), fitted.xid(), fitted.flags(), fitted.ciaddr(), fitted.yiaddr(), fitted.siaddr(),
                    fitted.chaddr(), fewer, fitted.hops(), fitted.secs(), fitted.giaddr(), fitted.sname(), fitted.file());
        }
        return fitted;
    }

    /** RFC 6842 3: the client identifier the client sent goes back unaltered, in every reply. */
    private static void echoClientId(DhcpMessage m, Map<Integer, Bytes> options) {
        Bytes id = m.options().get(DhcpMessage.OPT_CLIENT_ID);
        if (id != null) {
            options.put(DhcpMessage.OPT_CLIENT_ID, id);
        }
    }

    /** RFC 3046 2.2: the relay agent information goes back unchanged, last. */
    private static void echoRelayAgent(DhcpMessage m, Map<Integer, Bytes> options) {
        Bytes agent = m.options().get(DhcpMessage.OPT_RELAY_AGENT);
        if (agent != null) {
            options.put(DhcpMessage.OPT_RELAY_AGENT, agent);
        }
    }

    private static Bytes u32(long v) {
        byte[] b = new byte[4];
        Wire.putU32(b, 0, v & 0xffffffffL);
        return Bytes.adopt(b);
    }
}
