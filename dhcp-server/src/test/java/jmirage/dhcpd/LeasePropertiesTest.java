package jmirage.dhcpd;

import static jmirage.dhcpd.Msg.ip;
import static jmirage.dhcpd.Msg.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.DhcpCore.Outcome;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseChange;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dhcpd.core.LeaseView;
import jmirage.core.net.IpPrefix;
import jmirage.net.dhcp.DhcpMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the messages, their order, the clock and the restarts (which keep only what was written
 * to the store): no address is ever granted to two clients at once, a static address goes to its
 * host only, and nothing is offered that is granted to someone else. And the lease changes the core
 * returns are the whole story: it leaves the leases it is handed as they were, applying every change
 * it returned to a fresh database gives the leases the server holds, and every binding and decline
 * it holds is in the store.
 */
class LeasePropertiesTest {

    static final String CONF = """
            default-lease-time 600;
            max-lease-time 1200;
            subnet 10.0.0.0 netmask 255.255.255.0 {
              option routers 10.0.0.1;
              range 10.0.0.100 10.0.0.104;
              range 10.0.0.5 10.0.0.5;
              host fixed { hardware ethernet 02:00:00:00:00:00; fixed-address 10.0.0.5; }
            }
            subnet 10.1.0.0 netmask 255.255.0.0 {
              range 10.1.0.10 10.1.0.12;
            }
            """;
    static final DhcpConfig CONFIG = ConfigParser.parse(CONF).orElseThrow();
    static final Inet4Address SERVER = ip("10.0.0.2");
    static final java.util.Set<Inet4Address> POOL = java.util.Set.of(ip("10.0.0.5"), ip("10.0.0.100"), ip("10.0.0.101"),
            ip("10.0.0.102"), ip("10.0.0.103"), ip("10.0.0.104"), ip("10.1.0.10"), ip("10.1.0.11"), ip("10.1.0.12"));
    static final Inet4Address RELAY = ip("10.1.0.1");
    static final List<Inet4Address> ADDRESSES = List.of(ip("10.0.0.5"), ip("10.0.0.100"), ip("10.0.0.101"), ip("10.0.0.102"),
            ip("10.0.0.103"), ip("10.0.0.104"), ip("10.0.0.200"), ip("192.168.0.1"), ip("10.1.0.10"), ip("10.1.0.11"));

    sealed interface Step {}

    /**
     * A message from one of 8 clients ({@code kind}: DISCOVER, REQUEST in each state, RELEASE, DECLINE,
     * INFORM); {@code relayed}: through the relay agent of the second subnet.
     */
    record Send(int kind, int client, int address, boolean relayed) implements Step {}

    record Advance(int seconds) implements Step {}

    record Restart() implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> send = Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, ADDRESSES.size() - 1), Arbitraries.of(false, false, true)).as(Send::new);
        Arbitrary<Step> advance = Arbitraries.integers().between(1, 900).map(Advance::new);
        Arbitrary<Step> restart = Arbitraries.just(new Restart());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, send), net.jqwik.api.Tuple.of(3, advance), net.jqwik.api.Tuple.of(1, restart))
                .list().ofMinSize(1).ofMaxSize(120);
    }

    record Grant(MacAddress client, Instant until) {}

    static final java.util.concurrent.atomic.AtomicInteger ACKS_DIRECT = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger ACKS_RELAYED = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger INFORMS_ACKED = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Everything of a lease database that the core reads: the records, the offers in order, each
     * client's lease, and per subnet where the next search starts and whether it is known full.
     */
    record State(Set<Lease> records, List<Lease> offers, Map<ClientKey, Optional<Lease>> byClient, Map<IpPrefix, Integer> cursors,
            Map<IpPrefix, Boolean> full) {
        static State of(LeaseView leases, Instant now) {
            Map<ClientKey, Optional<Lease>> byClient = new HashMap<>();
            leases.all().forEach(l -> byClient.put(l.client(), leases.of(l.client())));
            Map<IpPrefix, Integer> cursors = new HashMap<>();
            Map<IpPrefix, Boolean> full = new HashMap<>();
            for (DhcpConfig.Subnet s : CONFIG.subnets()) {
                cursors.put(s.network(), leases.cursor(s.network()));
                full.put(s.network(), leases.knownFull(s.network(), now));
            }
            return new State(Set.copyOf(leases.all()), List.copyOf(leases.offers()), byClient, cursors, full);
        }
    }

    /** The property is not vacuous: across the tries, both subnets granted leases. */
    @net.jqwik.api.lifecycle.AfterProperty
    void bothSubnetsWereExercised() {
        assertTrue(ACKS_DIRECT.get() > 20 && ACKS_RELAYED.get() > 20, ACKS_DIRECT + " direct, " + ACKS_RELAYED + " relayed ACKs");
        assertTrue(INFORMS_ACKED.get() > 20, INFORMS_ACKED + " INFORMs answered");
    }

    @Property(tries = 400)
    void neverTwoClientsOnOneAddress(@ForAll("steps") List<Step> steps) {
        Map<Inet4Address, Lease> store = new HashMap<>();
        Map<Inet4Address, Grant> granted = new HashMap<>();
        Map<Integer, Inet4Address> lastOffer = new HashMap<>();
        Map<Integer, Inet4Address> bound = new HashMap<>();
        DhcpCore core = new DhcpCore(CONFIG, DhcpCore.Settings.DEFAULT);
        LeaseDb db = new LeaseDb();
        // Every change since the server started: the records it loaded, then what the core returned.
        List<LeaseChange> history = new ArrayList<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        int xid = 0;
        for (Step step : steps) {
            switch (step) {
                case Advance(int s) -> now = now.plusSeconds(s);
                case Restart() -> {
                    db = new LeaseDb();
                    history.clear();
                    store.values().forEach(l -> history.add(new LeaseChange.Durable(l)));
                    db.apply(history);
                }
                case Send(int kind, int client, int a, boolean relayed) -> {
                    MacAddress mac = mac(client);
                    Inet4Address some = ADDRESSES.get(a);
                    Inet4Address mine = bound.getOrDefault(client, some);
                    DhcpMessage m0 = switch (kind) {
                        case 0, 1 -> Msg.discover(mac, ++xid);
                        case 2, 3 -> Msg.select(mac, ++xid, SERVER, lastOffer.getOrDefault(client, some));
                        case 4 -> Msg.initReboot(mac, ++xid, some);
                        case 5 -> Msg.renew(mac, ++xid, mine);
                        case 6 -> Msg.release(mac, ++xid, SERVER, mine);
                        case 7 -> Msg.decline(mac, ++xid, SERVER, mine);
                        default -> Msg.inform(mac, ++xid, mine);
                    };
                    DhcpMessage m = m0;
                    if (client >= 6) {
                        // Two machines cloned from one image: one client identifier, two MACs.
                        m = DhcpCoreTest.withClientId(m, "clone");
                    }
                    if (relayed) {
                        m = Msg.relayed(m, RELAY, jmirage.core.Bytes.fromHex("0100"));
                    }
                    // A renewal is unicast (RFC 2131 4.3.2), also by a client behind the relay.
                    State before = State.of(db, now);
                    Outcome out = core.handle(db, new DhcpCore.Inbound(m, SERVER, !(kind == 5 && !relayed)), now);
                    assertEquals(before, State.of(db, now), "the core changed the leases it was handed");
                    // The shell: changes in effect at once, the durable ones in the store before the reply.
                    db.apply(out.changes());
                    history.addAll(out.changes());
                    out.durable().forEach(l -> store.put(l.address(), l));
                    LeaseDb replayed = new LeaseDb();
                    replayed.apply(history);
                    assertEquals(State.of(db, now), State.of(replayed, now), "the returned changes, replayed, give other leases");
                    for (Lease l : db.all()) {
                        if (l.live(now) && l.state() != Lease.State.OFFERED) {
                            assertEquals(l, store.get(l.address()), "held but not in the store");
                        }
                    }
                    if ((kind == 0 || kind == 1) && out instanceof Outcome.Ignored(String why, var _) && why.startsWith("no free address")) {
                        // Liveness: "no address" only when every dynamic address of the subnet is taken, and
                        // none of them merely offered to someone else (that offer would have been taken).
                        List<Inet4Address> dynamic = relayed ? List.of(ip("10.1.0.10"), ip("10.1.0.11"), ip("10.1.0.12"))
                                : List.of(ip("10.0.0.100"), ip("10.0.0.101"), ip("10.0.0.102"), ip("10.0.0.103"), ip("10.0.0.104"));
                        for (Inet4Address d : dynamic) {
                            Lease l = db.at(d).orElse(null);
                            final Instant at = now;
                            assertTrue(l != null && l.live(at) && (l.state() != Lease.State.OFFERED || l.mac().equals(mac)),
                                    "no offer although " + d + " is " + l);
                        }
                    }
                    if (out instanceof Outcome.Reply(DhcpMessage r, var to, var _)) {
                        int type = r.messageType().orElseThrow();
                        if (kind == 8) {
                            assertEquals(DhcpMessage.ACK, type, "an INFORM is answered by an ACK");
                            assertEquals(List.of(), out.changes(), "an INFORM changes no lease (RFC 2131 4.3.5)");
                            INFORMS_ACKED.incrementAndGet();
                        }
                        Inet4Address y = r.yiaddr();
                        if (type != DhcpMessage.NAK && !y.equals(Msg.ZERO)) {
                            assertTrue(POOL.contains(y), y + " is neither in the pool nor a fixed address");
                        }
                        if (y.equals(ip("10.0.0.5"))) {
                            assertEquals(mac(0), mac, "the static address went to another client");
                        }
                        Grant g = granted.get(y);
                        boolean takenByOther = g != null && !g.client().equals(mac) && g.until().isAfter(now);
                        if (type == DhcpMessage.OFFER) {
                            lastOffer.put(client, y);
                            assertTrue(!takenByOther, "offered " + y + " granted to " + g);
                        } else if (type == DhcpMessage.ACK && !y.equals(Msg.ZERO)) {
                            assertTrue(!takenByOther, "granted " + y + " to " + mac + " while " + g + " holds it");
                            assertTrue(out.durable().stream().anyMatch(l -> l.address().equals(y) && l.state() == Lease.State.BOUND),
                                    "an ACK without its lease record to store first");
                            long seconds = r.seconds(DhcpMessage.OPT_LEASE_TIME).orElseThrow();
                            granted.put(y, new Grant(mac, now.plusSeconds(seconds)));
                            (y.getAddress()[1] == 1 ? ACKS_RELAYED : ACKS_DIRECT).incrementAndGet();
                            bound.put(client, y);
                        }
                    }
                    if (out instanceof Outcome.Update u && u.durable().getFirst().state() != Lease.State.BOUND) {
                        Lease l = u.durable().getFirst();
                        Grant g = granted.get(l.address());
                        if (g != null && g.client().equals(l.mac()) && l.state() == Lease.State.FREE) {
                            granted.remove(l.address()); // released: the client gave it back
                        }
                    }
                }
            }
        }
    }
}
