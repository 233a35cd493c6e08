package jmirage.dhcpd;

import static jmirage.dhcpd.Msg.ip;
import static jmirage.dhcpd.Msg.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.Ddns;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.ClientFqdn;
import jmirage.dhcpd.core.ClientKey;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.DhcpCore.Outcome;
import jmirage.dhcpd.core.Dhcid;
import jmirage.dhcpd.core.DnsChange;
import jmirage.dhcpd.core.DnsUpdatePlan;
import jmirage.dhcpd.core.DnsUpdatePlan.Kind;
import jmirage.dhcpd.core.DnsUpdatePlan.Next;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.Update.Change;
import jmirage.dns.client.Update.Prerequisite;
import jmirage.dns.client.UpdateError;
import jmirage.net.dhcp.DhcpMessage;
import org.junit.jupiter.api.Test;

/**
 * Clients' names in DNS as values: the name a REQUEST gives its binding (options 81 and 12), the
 * option 81 answer, what each lease change asks of DNS (RFC 4703: a renewal nothing, a new name the
 * old one's removal, a release, decline or expiry the removal), the UPDATEs of each and what every
 * answer leads to (conflicts included), and the DHCID of RFC 4701's examples.
 */
class DdnsCoreTest {

    static final String CONF = """
            ddns-update-style standard;
            ddns-domainname "retreat.lan";
            key dhcp-updater { algorithm hmac-sha256; secret "c2VjcmV0IG9mIHRoZSB0ZXN0cw=="; };
            zone retreat.lan { primary 10.0.0.53; key dhcp-updater; }
            zone 0.10.in-addr.arpa { primary 10.0.0.53:5353; key dhcp-updater; }
            default-lease-time 3600;
            subnet 10.0.0.0 netmask 255.255.255.0 {
              range 10.0.0.100 10.0.0.109;
            }
            """;
    static final Inet4Address SERVER = ip("10.0.0.2");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Name ALICE = Name.of("alice.retreat.lan.");

    final DhcpConfig config = ConfigParser.parse(CONF).orElseThrow();
    final Ddns ddns = config.ddns().orElseThrow();
    final DhcpCore core = new DhcpCore(config, DhcpCore.Settings.DEFAULT);
    final LeaseDb leases = new LeaseDb();

    static DhcpMessage with(DhcpMessage m, int code, Bytes value) {
        Map<Integer, Bytes> o = new LinkedHashMap<>(m.options());
        o.put(code, value);
        return new DhcpMessage(m.op(), m.xid(), m.flags(), m.ciaddr(), m.yiaddr(), m.siaddr(), m.chaddr(), o);
    }

    /** The outcome of {@code m} at {@code now}, its changes applied; and what it asks of DNS. */
    List<DnsChange> handle(DhcpMessage m, Instant now, Outcome[] out) {
        Outcome o = core.handle(leases, new DhcpCore.Inbound(m, SERVER), now);
        List<DnsChange> dns = DnsChange.of(leases, o.durable(), now);
        leases.apply(o.changes());
        out[0] = o;
        return dns;
    }

    List<DnsChange> bind(MacAddress mac, String hostName, Instant now) {
        DhcpMessage request = Msg.initReboot(mac, 1, ip("10.0.0.100"));
        return handle(hostName == null ? request : with(request, DhcpMessage.OPT_HOSTNAME, Bytes.utf8(hostName)), now, new Outcome[1]);
    }

    @Test
    void theFirstLabelOfTheHostNameLowerCasedGoesUnderTheDomain() {
        List<DnsChange> dns = bind(mac(1), "Alice.example.com", T0);
        Lease bound = leases.at(ip("10.0.0.100")).orElseThrow();
        assertEquals(Optional.of(ALICE), bound.fqdn());
        assertEquals(List.of(new DnsChange.Register(bound, Duration.ofMinutes(10))), dns, "a first lease of 10 min");
    }

    @Test
    void aNameThatIsNotAHostNameLabelIsNotPutInDns() {
        List<DnsChange> dns = bind(mac(1), "alice's laptop", T0);
        assertEquals(Optional.empty(), leases.at(ip("10.0.0.100")).orElseThrow().fqdn());
        assertEquals(List.of(), dns);
        assertEquals(List.of(), bind(mac(2), "-alice", T0));
    }

    @Test
    void option81IsPreferredAndAnsweredWithSAndO() {
        // E set, S clear (the client would update the A RR itself): the server does, so S and O
        ClientFqdn sent = new ClientFqdn(false, false, true, false, List.of("Bob", "elsewhere", "org"), true);
        DhcpMessage request = with(with(Msg.initReboot(mac(1), 1, ip("10.0.0.100")), ClientFqdn.OPTION, sent.encode(false)),
                DhcpMessage.OPT_HOSTNAME, Bytes.utf8("alice"));
        Outcome[] out = new Outcome[1];
        handle(request, T0, out);
        assertEquals(Optional.of(Name.of("bob.retreat.lan.")), leases.at(ip("10.0.0.100")).orElseThrow().fqdn());
        DhcpMessage ack = ((Outcome.Reply) out[0]).message();
        ClientFqdn answer = ClientFqdn.parse(ack.options().get(ClientFqdn.OPTION)).orElseThrow();
        assertEquals(new ClientFqdn(true, true, true, false, List.of("bob", "retreat", "lan"), true), answer);
    }

    @Test
    void aRenewalWithTheSameNameAsksNothingAndWithoutANameKeepsIt() {
        bind(mac(1), "alice", T0);
        assertEquals(List.of(), bind(mac(1), "alice", T0.plusSeconds(300)));
        assertEquals(List.of(), bind(mac(1), null, T0.plusSeconds(600)));
        assertEquals(Optional.of(ALICE), leases.at(ip("10.0.0.100")).orElseThrow().fqdn());
    }

    @Test
    void withUpdatesTurnedOffARenewalKeepsTheNameForALaterRemoval() {
        bind(mac(1), "alice", T0);
        DhcpCore off = new DhcpCore(ConfigParser.parse(CONF.replace("ddns-update-style standard;", "ddns-update-style none;"))
                .orElseThrow(), DhcpCore.Settings.DEFAULT);
        Outcome o = off.handle(leases, new DhcpCore.Inbound(with(Msg.initReboot(mac(1), 5, ip("10.0.0.100")),
                DhcpMessage.OPT_HOSTNAME, Bytes.utf8("carol")), SERVER), T0.plusSeconds(300));
        assertEquals(List.of(), DnsChange.of(leases, o.durable(), T0.plusSeconds(300)));
        assertEquals(Optional.of(ALICE), o.durable().getFirst().fqdn());
        assertFalse(((Outcome.Reply) o).message().options().containsKey(ClientFqdn.OPTION));
    }

    @Test
    void aNewNameRemovesTheOldOneFirst() {
        bind(mac(1), "alice", T0);
        Lease old = leases.at(ip("10.0.0.100")).orElseThrow();
        List<DnsChange> dns = bind(mac(1), "carol", T0.plusSeconds(300));
        Lease now = leases.at(ip("10.0.0.100")).orElseThrow();
        assertEquals(List.of(new DnsChange.Unregister(old, true), new DnsChange.Register(now, Duration.ofHours(1))), dns);
    }

    @Test
    void releaseAndDeclineRemoveTheNameWhichStaysOnTheRecordUntilThen() {
        bind(mac(1), "alice", T0);
        Outcome[] out = new Outcome[1];
        List<DnsChange> released = handle(Msg.release(mac(1), 2, SERVER, ip("10.0.0.100")), T0.plusSeconds(60), out);
        Lease free = leases.at(ip("10.0.0.100")).orElseThrow();
        assertEquals(Lease.State.FREE, free.state());
        assertEquals(Optional.of(ALICE), free.fqdn(), "kept until DNS has forgotten it");
        assertEquals(List.of(new DnsChange.Unregister(free, true)), released);

        bind(mac(2), "dave", T0.plusSeconds(120)); // the address changes hands: the old name's removal first
        Lease dave = leases.at(ip("10.0.0.100")).orElseThrow();
        List<DnsChange> declined = handle(Msg.decline(mac(2), 3, SERVER, ip("10.0.0.100")), T0.plusSeconds(180), out);
        Lease quarantined = leases.at(ip("10.0.0.100")).orElseThrow();
        assertEquals(Optional.of(dave.fqdn().orElseThrow()), quarantined.fqdn());
        assertEquals(List.of(new DnsChange.Unregister(quarantined, true)), declined);
    }

    @Test
    void expiryRemovesAndBootRegistersTheLiveAndRemovesTheRest() {
        bind(mac(1), "alice", T0);
        Lease bound = leases.at(ip("10.0.0.100")).orElseThrow();
        Instant end = bound.until();
        assertEquals(List.of(), DnsChange.expired(leases, T0, end.minusSeconds(1)));
        assertEquals(List.of(new DnsChange.Unregister(bound, true)), DnsChange.expired(leases, end.minusSeconds(1), end));
        assertEquals(List.of(new DnsChange.Register(bound, Duration.ofMinutes(5))), DnsChange.atBoot(leases, end.minusSeconds(300)));
        assertEquals(List.of(new DnsChange.Unregister(bound, true)), DnsChange.atBoot(leases, end.plusSeconds(1)));
        leases.apply(new jmirage.dhcpd.core.LeaseChange.Durable(bound.withoutName()));
        assertEquals(List.of(), DnsChange.atBoot(leases, end.plusSeconds(1)), "a name out of DNS is not removed again");
    }

    @Test
    void anEndedBindingLeavesTheNameToTheClientsNewOne() {
        bind(mac(1), "alice", T0);
        Lease first = leases.at(ip("10.0.0.100")).orElseThrow();
        // the same client bound to another address with the same name: the first lease's end removes its PTR only
        handle(with(Msg.initReboot(mac(1), 4, ip("10.0.0.101")), DhcpMessage.OPT_HOSTNAME, Bytes.utf8("alice")), T0.plusSeconds(1),
                new Outcome[1]);
        assertEquals(List.of(new DnsChange.Unregister(first, false)), DnsChange.expired(leases, T0, first.until()));
        Next next = DnsUpdatePlan.first(new DnsChange.Unregister(first, false), ddns);
        assertEquals(Kind.REMOVE_PTR, next.step().orElseThrow().kind());
    }

    @Test
    void registrationAddsIfTheNameIsFreeElseReplacesOnlyIfItsDhcidIsOurs() {
        bind(mac(1), "alice", T0);
        DnsChange change = new DnsChange.Register(leases.at(ip("10.0.0.100")).orElseThrow(), Duration.ofHours(1));
        Bytes dhcid = Dhcid.of(ClientKey.ofMac(mac(1)), mac(1), ALICE);
        Record a = Record.in(ALICE, 1800, new Rdata.A(ip("10.0.0.100")));
        Record ours = Record.in(ALICE, 1800, new Rdata.Opaque(Type.DHCID, dhcid));

        DnsUpdatePlan.Step add = DnsUpdatePlan.first(change, ddns).step().orElseThrow();
        assertEquals(Kind.ADD, add.kind());
        assertEquals(Name.of("retreat.lan."), add.zone().name());
        // RFC 4703 5.3.1: name not in use; A and DHCID added, TTL half the lease (ISC's default)
        assertEquals(List.of(new Prerequisite.NameNotInUse(ALICE)), add.prerequisites());
        assertEquals(List.of(new Change.Add(a), new Change.Add(ours)), add.changes());

        Next added = DnsUpdatePlan.after(change, add, Result.ok(), ddns);
        assertEquals(Optional.of(DnsUpdatePlan.Outcome.ADDED), added.outcome());
        DnsUpdatePlan.Step ptr = added.step().orElseThrow();
        Name reverse = Name.of("100.0.0.10.in-addr.arpa.");
        assertEquals(new DnsUpdatePlan.Step(Kind.SET_PTR, ptr.zone(), reverse, List.of(),
                List.of(new Change.DeleteRrset(reverse, Type.PTR), new Change.Add(Record.in(reverse, 1800, new Rdata.Ptr(ALICE))))), ptr);
        assertEquals(5353, ptr.zone().primary().port(), "the reverse zone's own primary");
        assertEquals(new Next(Optional.of(DnsUpdatePlan.Outcome.PTR_SET), Optional.empty()),
                DnsUpdatePlan.after(change, ptr, Result.ok(), ddns));

        // YXDOMAIN: the name is in use; replace only if the DHCID is ours (5.3.2)
        Next inUse = DnsUpdatePlan.after(change, add, Result.err(new UpdateError.Rejected(Rcode.YXDOMAIN)), ddns);
        assertEquals(Optional.empty(), inUse.outcome());
        DnsUpdatePlan.Step replace = inUse.step().orElseThrow();
        assertEquals(List.of(new Prerequisite.RrsetIs(ours)), replace.prerequisites());
        assertEquals(List.of(new Change.DeleteRrset(ALICE, Type.A), new Change.Add(a)), replace.changes());
        assertEquals(Optional.of(DnsUpdatePlan.Outcome.REPLACED), DnsUpdatePlan.after(change, replace, Result.ok(), ddns).outcome());
        // NXRRSET: another client's name: a conflict, left alone, no PTR
        assertEquals(new Next(Optional.of(DnsUpdatePlan.Outcome.CONFLICT), Optional.empty()),
                DnsUpdatePlan.after(change, replace, Result.err(new UpdateError.Rejected(Rcode.NXRRSET)), ddns));
        // a refusal (a key without the right) is a failure, nothing more sent
        assertEquals(new Next(Optional.of(DnsUpdatePlan.Outcome.FAILED), Optional.empty()),
                DnsUpdatePlan.after(change, add, Result.err(new UpdateError.Rejected(Rcode.REFUSED)), ddns));
    }

    @Test
    void removalTakesOurAThenTheDhcidIfNoAIsLeftThenThePtr() {
        bind(mac(1), "alice", T0);
        DnsChange change = new DnsChange.Unregister(leases.at(ip("10.0.0.100")).orElseThrow(), true);
        Record ours = Record.in(ALICE, 0, new Rdata.Opaque(Type.DHCID, Dhcid.of(ClientKey.ofMac(mac(1)), mac(1), ALICE)));
        DnsUpdatePlan.Step removeA = DnsUpdatePlan.first(change, ddns).step().orElseThrow();
        assertEquals(List.of(new Prerequisite.RrsetIs(ours)), removeA.prerequisites());
        assertEquals(List.of(new Change.DeleteRecord(Record.in(ALICE, 0, new Rdata.A(ip("10.0.0.100"))))), removeA.changes());
        DnsUpdatePlan.Step removeDhcid = DnsUpdatePlan.after(change, removeA, Result.ok(), ddns).step().orElseThrow();
        assertEquals(List.of(new Prerequisite.RrsetIs(ours), new Prerequisite.RrsetAbsent(ALICE, Type.A)), removeDhcid.prerequisites());
        assertEquals(List.of(new Change.DeleteRrset(ALICE, Type.DHCID)), removeDhcid.changes());
        Next removed = DnsUpdatePlan.after(change, removeDhcid, Result.ok(), ddns);
        assertEquals(Optional.of(DnsUpdatePlan.Outcome.REMOVED), removed.outcome());
        assertEquals(Kind.REMOVE_PTR, removed.step().orElseThrow().kind());
        // not ours any more: the forward name is left alone, our PTR still goes
        Next notOurs = DnsUpdatePlan.after(change, removeA, Result.err(new UpdateError.Rejected(Rcode.NXRRSET)), ddns);
        assertEquals(Optional.of(DnsUpdatePlan.Outcome.NOT_OURS), notOurs.outcome());
        assertEquals(List.of(new Change.DeleteRecord(Record.in(Name.of("100.0.0.10.in-addr.arpa."), 0, new Rdata.Ptr(ALICE)))),
                notOurs.step().orElseThrow().changes());
    }

    @Test
    void aNameInNoZoneSendsNothing() {
        Ddns elsewhere = new Ddns(ddns.domain(), ddns.reverseDomain(), Optional.empty(), List.of());
        bind(mac(1), "alice", T0);
        DnsChange change = new DnsChange.Register(leases.at(ip("10.0.0.100")).orElseThrow(), Duration.ofHours(1));
        assertEquals(new Next(Optional.of(DnsUpdatePlan.Outcome.NO_ZONE), Optional.empty()), DnsUpdatePlan.first(change, elsewhere));
    }

    @Test
    void theDhcidOfRfc4701sExamples() {
        // RFC 4701 3.5.2: a DHCPv4 client by its hardware address (htype 1, chaddr 01:02:03:04:05:06)
        MacAddress chaddr = MacAddress.parse("01:02:03:04:05:06").orElseThrow();
        assertEquals("AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY=", base64(Dhcid.of(ClientKey.ofMac(chaddr), chaddr,
                Name.of("client.example.com."))));
        // RFC 4701 3.5.3: a DHCPv4 client identifier 01:07:08:09:0a:0b:0c
        assertEquals("AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=", base64(Dhcid.of(new ClientKey(Bytes.fromHex("010708090a0b0c")),
                mac(9), Name.of("chi.example.com."))));
        // RFC 4701 3.5.1's DUID, carried in an RFC 4361 client identifier (type 255, IAID, DUID)
        assertEquals("AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=", base64(Dhcid.of(
                new ClientKey(Bytes.fromHex("ff00000001" + "00010006412df166010203040506")), mac(9),
                Name.of("chi6.example.com."))));
    }

    private static String base64(Bytes b) {
        return Base64.getEncoder().encodeToString(b.toArray());
    }

    @Test
    void dhcpdConfStatementsAndTheirErrors() {
        assertTrue(ConfigParser.parse(CONF.replace("ddns-update-style standard;", "ddns-update-style none;")).orElseThrow().ddns().isEmpty());
        assertTrue(ConfigParser.parse(CONF.replace("ddns-update-style standard;", "ddns-update-style standard; ddns-updates off;"))
                .orElseThrow().ddns().isEmpty());
        // tsig-keygen's output as it prints it
        String keygen = CONF.replace("key dhcp-updater { algorithm hmac-sha256; secret \"c2VjcmV0IG9mIHRoZSB0ZXN0cw==\"; };",
                "key \"dhcp-updater\" {\n\talgorithm hmac-sha512;\n\tsecret \"c2VjcmV0IG9mIHRoZSB0ZXN0cw==\";\n};");
        Ddns d = ConfigParser.parse(keygen).orElseThrow().ddns().orElseThrow();
        assertEquals(jmirage.dns.tsig.TsigAlgorithm.HMAC_SHA512, d.zones().getFirst().key().algorithm());
        assertEquals(Name.of("dhcp-updater."), d.zones().getFirst().key().name());
        assertEquals(53, d.zones().getFirst().primary().port());

        assertError("ddns-update-style standard;", "ddns-update-style interim;",
                "line 1: ddns-update-style interim is not supported: use ddns-update-style standard (RFC 4703, DHCID records)");
        assertError("ddns-update-style standard;", "ddns-update-style ad-hoc;", "line 1: ddns-update-style ad-hoc is not supported");
        assertError("zone retreat.lan { primary 10.0.0.53; key dhcp-updater; }", "zone retreat.lan { primary 10.0.0.53; key other; }",
                "line 4: key other is not declared");
        assertError("algorithm hmac-sha256", "algorithm hmac-sha999", "line 3: key dhcp-updater: unknown algorithm hmac-sha999");
        assertError("secret \"c2VjcmV0IG9mIHRoZSB0ZXN0cw==\"", "secret \"not base64!\"", "line 3: key dhcp-updater: the secret is not base64");
        assertError("ddns-domainname \"retreat.lan\";", "", "line 1: ddns-update-style standard needs ddns-domainname");
        assertError("ddns-domainname \"retreat.lan\";", "ddns-domainname \"other.lan\";", "line 2: ddns-domainname other.lan. is in no zone");
        assertError("ddns-domainname \"retreat.lan\";", "ddns-domainname \"my_lan\";", "line 2: bad domain name my_lan");
        assertError("primary 10.0.0.53;", "primary 10.0.0.53:0;", "line 4: expected an IPv4 address, got 10.0.0.53:0");
        assertError("primary 10.0.0.53;", "", "line 4: zone retreat.lan has no primary");
        assertError("ddns-update-style standard;", "ddns-update-style standard; ddns-updates maybe;", "line 1: expected on or off, got maybe");
        assertTrue(ConfigParser.parse(CONF.replace("ddns-update-style standard;", "ddns-update-style standard; ignore client-updates;"))
                .orElseThrow().ddns().isPresent(), "ISC's ignore client-updates is what this server does");
        assertError("ddns-update-style standard;", "ddns-update-style standard; allow client-updates;",
                "line 1: 'allow client-updates' is not supported in this server (it updates the A record itself");
    }

    private static void assertError(String replace, String with, String expected) {
        Result<DhcpConfig, jmirage.dhcpd.config.ConfigError> r = ConfigParser.parse(CONF.replace(replace, with));
        assertInstanceOf(Result.Err.class, r, with);
        String said = ((Result.Err<DhcpConfig, jmirage.dhcpd.config.ConfigError>) r).error().describe();
        assertTrue(said.startsWith(expected), said);
    }

    @Test
    void leaseRecordsWithANameAreV2AndV1RecordsStillRead() {
        Lease named = new Lease(ip("10.0.0.100"), ClientKey.ofMac(mac(7)), mac(7), Lease.State.BOUND, T0, Optional.of(ALICE));
        String line = jmirage.dhcpd.core.LeaseCodec.line(named);
        assertEquals("v2 10.0.0.100 BOUND 1767225600 02:00:00:00:00:07 01020000000007 alice.retreat.lan.", line);
        assertEquals(Result.ok(named), jmirage.dhcpd.core.LeaseCodec.decodeLine(line));
        assertEquals(Result.ok(named.withoutName()),
                jmirage.dhcpd.core.LeaseCodec.decodeLine("v1 10.0.0.100 BOUND 1767225600 02:00:00:00:00:07 01020000000007"));
        assertInstanceOf(Result.Err.class, jmirage.dhcpd.core.LeaseCodec.decodeLine(line.replace("alice.retreat.lan.", "Al_ice.lan.")));
        assertInstanceOf(Result.Err.class, jmirage.dhcpd.core.LeaseCodec.decodeLine(line.replace("alice.retreat.lan.", "alice.lan")));
        assertFalse(jmirage.dhcpd.core.LeaseCodec.line(named.withoutName()).startsWith("v2"));
    }
}
