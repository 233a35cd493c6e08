package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.UdpSocket;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.DnsServer;
import jmirage.dns.server.QueryObserver;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigError;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The server's dynamic DNS on the sim target, in virtual time, against a primary (platform/dns's server, a test handler) that applies
 * RFC 2136 prerequisites and updates to one in-memory zone and checks and signs TSIG: the ACK leaves
 * while the primary is still down and the update gets there by its retries; a lease left to expire
 * leaves DNS within the 10 s sweep and its stored record loses the name; a lease that ended while
 * the server was stopped is removed at the next boot; a name the zone holds without our DHCID is a
 * conflict, left alone.
 */
class DdnsSimTest {

    static final Inet4Address SERVER = Msg.ip("10.60.0.1");
    static final String PRIMARY = "10.60.0.53";
    static final TsigKey KEY = new TsigKey(Name.of("dhcp-updater."), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("a secret of thirty-two bytes ...."));
    static final String CONF = """
            ddns-update-style standard;
            ddns-domainname "retreat.lan";
            key dhcp-updater { algorithm hmac-sha256; secret "%s"; };
            zone retreat.lan { primary %s; key dhcp-updater; }
            zone 60.10.in-addr.arpa { primary %s; key dhcp-updater; }
            subnet 10.60.0.0 netmask 255.255.255.0 {
              range 10.60.0.10 10.60.0.20;
            }
            """.formatted(java.util.Base64.getEncoder().encodeToString(KEY.secret().toArray()), PRIMARY, PRIMARY);

    final Simulation sim = new Simulation(21);
    final VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final Kv kv = new MemKv(sim.clock());
    final DirectStack serverStack = stack(0x01, "10.60.0.1");
    final DirectStack primaryStack = stack(0x53, PRIMARY);
    /** The zone's records: owner, then type, then the data (RRsets as sets). */
    final Map<Name, Map<Integer, Set<Rdata>>> zone = new HashMap<>();
    Metrics metrics;
    UdpSocket peer;

    DirectStack stack(long mac, String address) {
        return sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_00L | mac)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(address + "/24").orElseThrow(), Optional.empty()), sim.clock(),
                sim.scheduler(), sim.random(), sim.log("stack-" + address, LogLevel.WARN))).value().orElseThrow();
    }

    Unikernel.Running boot() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(CONF)));
        var provider = sim.devices("dhcp-server", s -> kv, s -> serverStack);
        DhcpServer server = new DhcpServer();
        metrics = provider.metrics();
        Unikernel.Running running = sim.scheduler().runUntil(server.start(server.claim(provider), new DhcpServer.Parameters()))
                .value().orElseThrow();
        if (peer == null) {
            peer = sim.scheduler().runUntil(stack(0x77, "10.60.0.77").bindUdp(68, d -> { })).value().orElseThrow();
        }
        return running;
    }

    /** The primary on {@code PRIMARY} port 53, platform/dns's server with {@link #answer} as its handler. */
    void primaryUp() {
        sim.scheduler().runUntil(DnsServer.start(primaryStack, sim.scheduler(), sim.clock(), sim.log("primary", LogLevel.WARN),
                request -> Promise.resolved(List.of(answer(request.wire()))), DnsServer.Config.defaults(53), QueryObserver.NONE))
                .value().orElseThrow();
    }

    /** A client {@code n} asks for {@code address} (INIT-REBOOT) with host name {@code name}. */
    void request(long n, String address, String name) {
        DhcpMessage m = Msg.initReboot(Msg.mac(n), (int) n, Msg.ip(address));
        Map<Integer, Bytes> o = new LinkedHashMap<>(m.options());
        o.put(DhcpMessage.OPT_HOSTNAME, Bytes.utf8(name));
        peer.send(new Endpoint(SERVER, 67), new DhcpMessage(m.op(), m.xid(), m.flags(), m.ciaddr(), m.yiaddr(), m.siaddr(),
                m.chaddr(), o).encode());
        sim.scheduler().runFor(Duration.ofMillis(200));
    }

    Set<Rdata> rrset(String owner, int type) {
        return zone.getOrDefault(Name.of(owner), Map.of()).getOrDefault(type, Set.of());
    }

    double counted(String series, String label) {
        return metrics.collect().stream().filter(f -> f.name().equals(series)).flatMap(f -> f.samples().stream())
                .filter(s -> s.labels().getFirst().value().equals(label)).mapToDouble(s -> s.value()).sum();
    }

    String stored(String address) {
        jmirage.dhcpd.core.LeaseDb db = new jmirage.dhcpd.core.LeaseDb();
        sim.scheduler().runUntil(LeaseStore.load(kv, db, sim.log("check", LogLevel.WARN), sim.clock().now()));
        return db.at(Msg.ip(address)).map(LeaseCodec::line).orElse("nothing");
    }

    @Test
    void theAckDoesNotWaitForDnsAndTheUpdateGetsThereByItsRetries() {
        boot();
        request(1, "10.60.0.10", "alice");
        assertEquals(1, counted("jmirage_dhcp_replies_sent_total", "ack"), "ACKed with the primary down");
        sim.scheduler().runFor(Duration.ofSeconds(2));
        assertEquals(Set.of(), rrset("alice.retreat.lan.", Type.A));
        primaryUp();
        sim.scheduler().runFor(Duration.ofSeconds(20)); // retries after 1, 2, 4, 8 s
        assertEquals(Set.of(new Rdata.A(Msg.ip("10.60.0.10"))), rrset("alice.retreat.lan.", Type.A));
        assertEquals(1, rrset("alice.retreat.lan.", Type.DHCID).size());
        assertEquals(Set.of(new Rdata.Ptr(Name.of("alice.retreat.lan."))), rrset("10.0.60.10.in-addr.arpa.", Type.PTR));
        assertEquals(1, counted("jmirage_dhcp_ddns_updates_total", "added"));
        assertEquals(1, counted("jmirage_dhcp_ddns_updates_total", "ptr_set"));
    }

    @Test
    void anExpiredLeaseLeavesDnsAndItsRecordLosesTheName() {
        primaryUp();
        boot();
        request(1, "10.60.0.10", "alice");
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(stored("10.60.0.10").endsWith(" alice.retreat.lan."), stored("10.60.0.10"));
        sim.scheduler().runFor(Duration.ofSeconds(600 + 11)); // the first lease is 10 min; the sweep looks every 10 s
        assertEquals(Map.of(), zone.get(Name.of("alice.retreat.lan.")) == null ? Map.of() : zone.get(Name.of("alice.retreat.lan.")));
        assertEquals(Set.of(), rrset("10.0.60.10.in-addr.arpa.", Type.PTR));
        assertEquals(1, counted("jmirage_dhcp_ddns_updates_total", "removed"));
        assertTrue(stored("10.60.0.10").startsWith("v1 "), "the name is out of the store: " + stored("10.60.0.10"));
    }

    @Test
    void aLeaseThatEndedWhileTheServerWasStoppedIsRemovedAtBoot() {
        primaryUp();
        Unikernel.Running first = boot();
        request(2, "10.60.0.11", "bob");
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(Set.of(new Rdata.A(Msg.ip("10.60.0.11"))), rrset("bob.retreat.lan.", Type.A));
        sim.scheduler().runUntil(first.stop());
        sim.scheduler().runFor(Duration.ofHours(1));
        assertEquals(Set.of(new Rdata.A(Msg.ip("10.60.0.11"))), rrset("bob.retreat.lan.", Type.A), "nobody removed it while down");
        boot();
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(Set.of(), rrset("bob.retreat.lan.", Type.A));
        assertEquals(Set.of(), rrset("bob.retreat.lan.", Type.DHCID));
        assertEquals(Set.of(), rrset("11.0.60.10.in-addr.arpa.", Type.PTR));
    }

    @Test
    void aNameTheZoneHoldsWithoutOurDhcidIsLeftAlone() {
        zone.computeIfAbsent(Name.of("carol.retreat.lan."), n -> new HashMap<>()).put(Type.A, new HashSet<>(Set.of(new Rdata.A(Msg.ip("192.0.2.7")))));
        primaryUp();
        boot();
        request(3, "10.60.0.12", "carol");
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(Set.of(new Rdata.A(Msg.ip("192.0.2.7"))), rrset("carol.retreat.lan.", Type.A));
        assertEquals(1, counted("jmirage_dhcp_ddns_updates_total", "conflict"));
        assertEquals(Set.of(), rrset("12.0.60.10.in-addr.arpa.", Type.PTR), "no PTR for a name that is not ours");
    }

    // ---- the primary: RFC 2136 3.2 (prerequisites) and 3.4 (updates) for the forms the server sends ----

    private Bytes answer(Bytes wire) {
        Result<Tsig.Verified, TsigError> verified = Tsig.verifyRequest(wire, n -> n.equals(KEY.name()) ? Optional.of(KEY) : Optional.empty(),
                sim.clock().now());
        Tsig.Verified v = verified.orElseThrow(e -> new IllegalStateException("the server's TSIG: " + e.describe()));
        Message m = v.message();
        Rcode rcode = apply(m);
        Header h = new Header(m.header().id(), true, Header.UPDATE, false, false, false, false, false, false, false, rcode.value());
        Message response = new Message(h, m.questions(), List.of(), List.of(), List.of(), Optional.empty());
        return Tsig.signResponse(response, KEY, sim.clock().now(), Tsig.DEFAULT_FUDGE, v.mac()).wire();
    }

    private Rcode apply(Message m) {
        Map<Name, Map<Integer, Set<Rdata>>> expected = new HashMap<>();
        for (Record p : m.answers()) {
            Map<Integer, Set<Rdata>> at = zone.getOrDefault(p.name(), Map.of());
            if (p.rrClass() == DnsClass.NONE && p.type() == Type.ANY) {
                if (at.values().stream().anyMatch(s -> !s.isEmpty())) {
                    return Rcode.YXDOMAIN; // RFC 2136 2.4.5
                }
            } else if (p.rrClass() == DnsClass.NONE) {
                if (!at.getOrDefault(p.type(), Set.of()).isEmpty()) {
                    return Rcode.YXRRSET; // 2.4.3
                }
            } else {
                expected.computeIfAbsent(p.name(), n -> new HashMap<>()).computeIfAbsent(p.type(), t -> new HashSet<>()).add(p.rdata());
            }
        }
        for (var owner : expected.entrySet()) {
            for (var rrset : owner.getValue().entrySet()) {
                if (!zone.getOrDefault(owner.getKey(), Map.of()).getOrDefault(rrset.getKey(), Set.of()).equals(rrset.getValue())) {
                    return Rcode.NXRRSET; // 2.4.2
                }
            }
        }
        for (Record u : m.authority()) {
            Map<Integer, Set<Rdata>> at = zone.computeIfAbsent(u.name(), n -> new HashMap<>());
            if (u.rrClass() == DnsClass.ANY) {
                at.remove(u.type()); // 2.5.2
            } else if (u.rrClass() == DnsClass.NONE) {
                at.getOrDefault(u.type(), new HashSet<>()).remove(u.rdata()); // 2.5.4
                at.values().removeIf(Set::isEmpty);
            } else {
                at.computeIfAbsent(u.type(), t -> new HashSet<>()).add(u.rdata()); // 2.5.1
            }
            if (at.isEmpty()) {
                zone.remove(u.name());
            }
        }
        return Rcode.NOERROR;
    }
}
