package jmirage.dhcpd;

import static jmirage.dhcpd.Msg.ip;
import static jmirage.dhcpd.Msg.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.DhcpCore.Destination;
import jmirage.dhcpd.core.DhcpCore.Outcome;
import jmirage.dhcpd.core.Lease;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.net.wire.Wire;
import org.junit.jupiter.api.Test;

class DhcpCoreTest {

    static final String CONF = """
            option domain-name "retreat.example";
            default-lease-time 3600;
            max-lease-time 7200;
            subnet 10.0.0.0 netmask 255.255.255.0 {
              option routers 10.0.0.1;
              option domain-name-servers 10.0.0.1, 9.9.9.9;
              option domain-search "retreat.example", "lan";
              option classless-static-routes 192.168.50.0/24 10.0.0.254, 0.0.0.0/0 10.0.0.1;
              option ntp-servers 10.0.0.1;
              option interface-mtu 1400;
              range 10.0.0.100 10.0.0.109;
              host printer { hardware ethernet 02:00:00:00:0f:01; fixed-address 10.0.0.5; }
              host byid { option dhcp-client-identifier "laptop-7"; fixed-address 10.0.0.6; }
            }
            subnet 10.1.0.0 netmask 255.255.0.0 {
              option routers 10.1.0.1;
              range 10.1.5.1 10.1.5.3;
            }
            """;
    static final Inet4Address SERVER = ip("10.0.0.2");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final DhcpConfig config = ConfigParser.parse(CONF).orElseThrow();
    /** The defaults but every binding at its full time at once (the short first lease has its own test). */
    static final DhcpCore.Settings FULL_AT_ONCE = new DhcpCore.Settings(DhcpCore.Settings.DEFAULT.offerHold(),
            DhcpCore.Settings.DEFAULT.declineHold(), DhcpCore.Settings.DEFAULT.minLease(), Duration.ZERO);
    DhcpCore core = new DhcpCore(config, FULL_AT_ONCE);
    /** The leases, changed as the shell changes them: by applying each outcome's changes. */
    LeaseDb leases = new LeaseDb();

    Outcome in(DhcpMessage m, Instant now) {
        return handle(new DhcpCore.Inbound(m, SERVER), now);
    }

    Outcome handle(DhcpCore.Inbound inbound, Instant now) {
        Outcome out = core.handle(leases, inbound, now);
        leases.apply(out.changes());
        return out;
    }

    DhcpMessage reply(Outcome o) {
        return assertInstanceOf(Outcome.Reply.class, o).message();
    }

    int type(Outcome o) {
        return reply(o).messageType().orElseThrow();
    }

    Inet4Address lease(long client, Instant now) {
        DhcpMessage offer = reply(in(Msg.discover(mac(client), 1), now));
        Outcome ack = in(Msg.select(mac(client), 2, SERVER, offer.yiaddr()), now);
        assertEquals(DhcpMessage.ACK, type(ack));
        return reply(ack).yiaddr();
    }

    @Test
    void discoverRequestGivesAnAckWithTheConfiguredOptionsAndTimers() {
        Outcome offer = in(Msg.discover(mac(1), 7), T0);
        DhcpMessage o = reply(offer);
        assertEquals(DhcpMessage.OFFER, o.messageType().orElseThrow());
        assertEquals(7, o.xid());
        assertEquals(ip("10.0.0.100"), o.yiaddr());
        assertTrue(offer.durable().isEmpty(), "an offer is not written to the store");
        assertEquals(new Destination.Hardware(o.yiaddr(), mac(1)), ((Outcome.Reply) offer).to(),
                "RFC 2131 4.1: no broadcast bit, no address: unicast to yiaddr at chaddr");
        DhcpMessage d = Msg.discover(mac(2), 9);
        DhcpMessage withBit = new DhcpMessage(1, 9, DhcpMessage.FLAG_BROADCAST, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(2), d.options());
        assertEquals(new Destination.Broadcast(), ((Outcome.Reply) in(withBit, T0)).to(), "the broadcast bit is honoured");

        Outcome ack = in(Msg.select(mac(1), 8, SERVER, o.yiaddr()), T0.plusSeconds(1));
        DhcpMessage a = reply(ack);
        assertEquals(DhcpMessage.ACK, a.messageType().orElseThrow());
        assertEquals(o.yiaddr(), a.yiaddr());
        assertEquals(1, ack.durable().size());
        assertEquals(Lease.State.BOUND, ack.durable().getFirst().state());
        assertEquals(Wire.ipv4(0xffffff00), a.address(DhcpMessage.OPT_SUBNET_MASK).orElseThrow());
        assertEquals(ip("10.0.0.1"), a.address(DhcpMessage.OPT_ROUTER).orElseThrow());
        assertEquals(Bytes.fromHex("0a000001" + "09090909"), a.options().get(DhcpMessage.OPT_DNS));
        assertEquals("retreat.example", a.options().get(DhcpMessage.OPT_DOMAIN_NAME).toUtf8());
        assertEquals(SERVER, a.address(DhcpMessage.OPT_SERVER_ID).orElseThrow());
        assertEquals(3600L, a.seconds(DhcpMessage.OPT_LEASE_TIME).orElseThrow());
        assertEquals(1800L, a.seconds(DhcpMessage.OPT_RENEWAL_T1).orElseThrow());
        assertEquals(3150L, a.seconds(DhcpMessage.OPT_REBINDING_T2).orElseThrow());
        // RFC 3397: uncompressed labels; RFC 3442: width, significant octets, router.
        assertEquals(Bytes.fromHex("0772657472656174076578616d706c6500" + "036c616e00"), a.options().get(DhcpMessage.OPT_DOMAIN_SEARCH));
        assertEquals(Bytes.fromHex("18c0a832" + "0a0000fe" + "00" + "0a000001"), a.options().get(DhcpMessage.OPT_CLASSLESS_ROUTES));
        assertEquals(Bytes.fromHex("0578"), a.options().get(DhcpMessage.OPT_INTERFACE_MTU));
    }

    @Test
    void requestedLeaseTimeIsCappedByMaxLeaseTime() {
        DhcpMessage offer = reply(in(Msg.discover(mac(1), 1), T0));
        DhcpMessage r = Msg.select(mac(1), 2, SERVER, offer.yiaddr());
        var o = new java.util.LinkedHashMap<>(r.options());
        o.put(DhcpMessage.OPT_LEASE_TIME, Bytes.fromHex("00ffffff"));
        DhcpMessage ack = reply(in(new DhcpMessage(1, 2, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(1), o), T0));
        assertEquals(7200L, ack.seconds(DhcpMessage.OPT_LEASE_TIME).orElseThrow());
    }

    @Test
    void aParameterListSelectsOptionsInTheClientsOrder() {
        DhcpMessage d = Msg.discover(mac(1), 1);
        var o = new java.util.LinkedHashMap<>(d.options());
        o.put(DhcpMessage.OPT_PARAMETERS, Bytes.of((byte) 42, (byte) 1));
        DhcpMessage offer = reply(in(new DhcpMessage(1, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(1), o), T0));
        assertTrue(offer.options().containsKey(DhcpMessage.OPT_NTP));
        assertTrue(offer.options().containsKey(DhcpMessage.OPT_ROUTER), "routers always go out");
        assertTrue(!offer.options().containsKey(DhcpMessage.OPT_INTERFACE_MTU), "MTU was not asked for");
    }

    @Test
    void aSecondClientGetsAnotherAddressAndTheSameClientKeepsItsOwn() {
        Inet4Address a = lease(1, T0);
        Inet4Address b = lease(2, T0);
        assertNotEquals(a, b);
        assertEquals(a, lease(1, T0.plusSeconds(10)), "RFC 2131 4.3.1: the client's current address again");
    }

    @Test
    void initRebootWithTheRightAddressIsAckedAndTheWrongOneNaked() {
        Inet4Address a = lease(1, T0);
        Outcome ok = in(Msg.initReboot(mac(1), 3, a), T0.plusSeconds(100));
        assertEquals(DhcpMessage.ACK, type(ok));
        assertEquals(a, reply(ok).yiaddr());
        assertEquals(1, ok.durable().size());
        Outcome wrongNet = in(Msg.initReboot(mac(1), 4, ip("192.168.9.9")), T0.plusSeconds(100));
        assertEquals(DhcpMessage.NAK, type(wrongNet));
        assertInstanceOf(Destination.Broadcast.class, ((Outcome.Reply) wrongNet).to());
        Outcome someoneElses = in(Msg.initReboot(mac(2), 5, a), T0.plusSeconds(100));
        assertEquals(DhcpMessage.NAK, type(someoneElses));
    }

    @Test
    void renewingIsUnicastToCiaddrAndExtendsTheLease() {
        Inet4Address a = lease(1, T0);
        Outcome renew = in(Msg.renew(mac(1), 9, a), T0.plusSeconds(1800));
        assertEquals(DhcpMessage.ACK, type(renew));
        assertEquals(new Destination.Client(a), ((Outcome.Reply) renew).to());
        assertEquals(a, reply(renew).ciaddr());
        assertEquals(T0.plusSeconds(1800 + 3600), renew.durable().getFirst().until());
        assertEquals(DhcpMessage.NAK, type(in(Msg.renew(mac(2), 9, a), T0.plusSeconds(1800))), "not its lease");
    }

    @Test
    void selectingAnotherServerDropsOurOfferAndStaysSilent() {
        DhcpMessage offer = reply(in(Msg.discover(mac(1), 1), T0));
        Outcome other = in(Msg.select(mac(1), 2, ip("10.0.0.3"), offer.yiaddr()), T0);
        assertInstanceOf(Outcome.Ignored.class, other);
        assertTrue(leases.live(T0).isEmpty(), "the offered address is free again at once");
    }

    @Test
    void staticHostsGetTheirFixedAddressAndNobodyElseDoes() {
        assertEquals(ip("10.0.0.5"), lease(0x0f01, T0));
        DhcpMessage offer = reply(in(Msg.discover(Msg.mac(0x0f01), 1), T0));
        assertEquals(ip("10.0.0.5"), offer.yiaddr());
        var o = Msg.discover(mac(77), 1).options();
        var withId = new java.util.LinkedHashMap<>(o);
        withId.put(DhcpMessage.OPT_CLIENT_ID, Bytes.utf8("laptop-7"));
        assertEquals(ip("10.0.0.6"), reply(in(new DhcpMessage(1, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(77), withId), T0)).yiaddr());
        assertEquals(DhcpMessage.NAK, type(in(Msg.initReboot(mac(3), 1, ip("10.0.0.5")), T0)));
        assertEquals(DhcpMessage.NAK, type(in(Msg.select(mac(3), 1, SERVER, ip("10.0.0.6")), T0)));
        assertEquals(DhcpMessage.NAK, type(in(Msg.initReboot(Msg.mac(0x0f01), 1, ip("10.0.0.100")), T0)),
                "a static host is told its fixed address, not another");
    }

    @Test
    void declineQuarantinesTheAddressAndTheClientGetsAnother() {
        Inet4Address a = lease(1, T0);
        Outcome declined = in(Msg.decline(mac(1), 5, SERVER, a), T0.plusSeconds(1));
        assertInstanceOf(Outcome.Update.class, declined);
        assertEquals(Lease.State.DECLINED, declined.durable().getFirst().state());
        Inet4Address next = reply(in(Msg.discover(mac(1), 6), T0.plusSeconds(2))).yiaddr();
        assertNotEquals(a, next);
        assertInstanceOf(Outcome.Ignored.class, in(Msg.decline(mac(9), 5, SERVER, next), T0.plusSeconds(3)),
                "a client cannot take someone else's address out of the pool");
    }

    @Test
    void releaseFreesTheAddressAndIsStored() {
        Inet4Address a = lease(1, T0);
        Outcome released = in(Msg.release(mac(1), 5, SERVER, a), T0.plusSeconds(10));
        assertEquals(Lease.State.FREE, assertInstanceOf(Outcome.Update.class, released).durable().getFirst().state());
        assertTrue(leases.live(T0.plusSeconds(10)).isEmpty());
        assertInstanceOf(Outcome.Ignored.class, in(Msg.release(mac(2), 5, SERVER, a), T0.plusSeconds(10)));
    }

    @Test
    void informGetsOptionsButNoLease() {
        Outcome o = in(Msg.inform(mac(1), 5, ip("10.0.0.50")), T0);
        DhcpMessage ack = reply(o);
        assertEquals(DhcpMessage.ACK, ack.messageType().orElseThrow());
        assertEquals(Msg.ZERO, ack.yiaddr());
        assertTrue(!ack.options().containsKey(DhcpMessage.OPT_LEASE_TIME));
        assertEquals(new Destination.Client(ip("10.0.0.50")), ((Outcome.Reply) o).to());
        assertTrue(o.durable().isEmpty());
    }

    @Test
    void relayedRequestsPickTheSubnetByGiaddrAndEchoOption82() {
        Bytes agent = Bytes.fromHex("0104deadbeef");
        Outcome offer = in(Msg.relayed(Msg.discover(mac(1), 1), ip("10.1.0.1"), agent), T0);
        DhcpMessage o = reply(offer);
        assertEquals(ip("10.1.5.1"), o.yiaddr());
        assertEquals(ip("10.1.0.1"), o.giaddr());
        assertEquals(agent, o.options().get(DhcpMessage.OPT_RELAY_AGENT));
        assertEquals(new Destination.Relay(ip("10.1.0.1")), ((Outcome.Reply) offer).to());
        Outcome ack = in(Msg.relayed(Msg.select(mac(1), 2, SERVER, o.yiaddr()), ip("10.1.0.1"), agent), T0);
        assertEquals(DhcpMessage.ACK, type(ack));
        assertEquals(ip("10.1.0.1"), reply(ack).address(DhcpMessage.OPT_ROUTER).orElseThrow());
        Outcome unknown = in(Msg.relayed(Msg.discover(mac(2), 1), ip("172.16.0.1"), agent), T0);
        assertInstanceOf(Outcome.Ignored.class, unknown);
        Outcome nak = in(Msg.relayed(Msg.initReboot(mac(3), 1, ip("10.0.0.100")), ip("10.1.0.1"), agent), T0);
        assertEquals(DhcpMessage.NAK, type(nak));
        assertTrue(reply(nak).broadcastFlag(), "RFC 2131 4.3.2: a relayed NAK sets the broadcast bit");
    }

    @Test
    void offersExpireAndAFloodOfDiscoversCannotLockOutARealClient() {
        // The 10.1/16 pool has 3 addresses; a flood of made-up MACs takes them all as offers.
        Bytes agent = Bytes.fromHex("0100");
        Inet4Address relay = ip("10.1.0.1");
        Set<Inet4Address> offered = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Outcome o = in(Msg.relayed(Msg.discover(mac(1000 + i), i), relay, agent), T0.plusMillis(i));
            offered.add(reply(o).yiaddr());
        }
        assertEquals(3, offered.size());
        // A real client still gets an offer (the oldest flood offer is taken) and its REQUEST is acked.
        DhcpMessage offer = reply(in(Msg.relayed(Msg.discover(mac(1), 1), relay, agent), T0.plusSeconds(2)));
        assertEquals(DhcpMessage.ACK, type(in(Msg.relayed(Msg.select(mac(1), 2, SERVER, offer.yiaddr()), relay, agent), T0.plusSeconds(2))));
        // After the hold, flood offers are gone: two addresses are free again.
        Instant later = T0.plus(DhcpCore.Settings.DEFAULT.offerHold()).plusSeconds(3);
        assertEquals(1, leases.live(later).size());
    }

    @Test
    void noAddressWhenThePoolIsBound() {
        Bytes agent = Bytes.fromHex("0100");
        Inet4Address relay = ip("10.1.0.1");
        for (int i = 0; i < 3; i++) {
            DhcpMessage offer = reply(in(Msg.relayed(Msg.discover(mac(i), i), relay, agent), T0));
            assertEquals(DhcpMessage.ACK, type(in(Msg.relayed(Msg.select(mac(i), i, SERVER, offer.yiaddr()), relay, agent), T0)));
        }
        assertInstanceOf(Outcome.Ignored.class, in(Msg.relayed(Msg.discover(mac(9), 9), relay, agent), T0));
        Instant afterExpiry = T0.plus(Duration.ofSeconds(3601));
        assertEquals(DhcpMessage.OFFER, type(in(Msg.relayed(Msg.discover(mac(9), 9), relay, agent), afterExpiry)));
    }

    @Test
    void plainBootpAndRepliesAreNotServed() {
        DhcpMessage bootp = new DhcpMessage(1, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(1), java.util.Map.of());
        assertInstanceOf(Outcome.Malformed.class, in(bootp, T0));
        DhcpMessage reply = new DhcpMessage(2, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(1), Msg.type(DhcpMessage.OFFER));
        assertInstanceOf(Outcome.Ignored.class, in(reply, T0));
    }

    @Test
    void aFixedAddressStillLeasedToAnotherClientWaitsForThatLeaseToEnd() {
        // 10.0.0.100 was leased dynamically, then the configuration made it a host's fixed address.
        Inet4Address a = lease(1, T0);
        assertEquals(ip("10.0.0.100"), a);
        DhcpConfig changed = ConfigParser.parse(CONF.replace("fixed-address 10.0.0.5;", "fixed-address 10.0.0.100;")).orElseThrow();
        core = new DhcpCore(changed, FULL_AT_ONCE);
        assertInstanceOf(Outcome.Ignored.class, in(Msg.discover(mac(0x0f01), 1), T0.plusSeconds(10)));
        assertEquals(DhcpMessage.NAK, type(in(Msg.initReboot(mac(0x0f01), 2, a), T0.plusSeconds(10))));
        assertEquals(DhcpMessage.NAK, type(in(Msg.renew(mac(1), 3, a), T0.plusSeconds(20))), "the holder is told to move on");
        assertEquals(a, reply(in(Msg.discover(mac(0x0f01), 4), T0.plusSeconds(20 + 3601))).yiaddr());
    }

    @Test
    void aReplyFitsIn576BytesOrTheClientsMaximum() {
        StringBuilder search = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            search.append(i == 0 ? "" : ", ").append("\"d").append(i).append(".retreat.example\"");
        }
        DhcpConfig big = ConfigParser.parse(CONF.replace("option domain-search \"retreat.example\", \"lan\";",
                "option domain-search " + search + ";")).orElseThrow();
        core = new DhcpCore(big, FULL_AT_ONCE);
        leases = new LeaseDb();
        DhcpMessage offer = reply(in(Msg.discover(mac(1), 1), T0));
        assertTrue(offer.encode().size() <= 548, "size " + offer.encode().size());
        assertTrue(!offer.options().containsKey(DhcpMessage.OPT_DOMAIN_SEARCH), "the long search list was left out");
        assertTrue(offer.options().containsKey(DhcpMessage.OPT_ROUTER));
        var o = new java.util.LinkedHashMap<>(Msg.discover(mac(2), 1).options());
        o.put(DhcpMessage.OPT_MAX_MESSAGE_SIZE, Bytes.fromHex("05dc")); // 1500
        DhcpMessage large = reply(in(new DhcpMessage(1, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(2), o), T0));
        assertTrue(large.options().containsKey(DhcpMessage.OPT_DOMAIN_SEARCH), "fits in what the client accepts");
    }

    static DhcpMessage withClientId(DhcpMessage m, String id) {
        var o = new java.util.LinkedHashMap<>(m.options());
        o.put(DhcpMessage.OPT_CLIENT_ID, Bytes.utf8(id));
        return new DhcpMessage(m.op(), m.xid(), m.flags(), m.ciaddr(), m.yiaddr(), m.siaddr(), m.chaddr(), o);
    }

    @Test
    void twoMachinesSendingOneClientIdentifierDoNotShareAnAddress() {
        // Cloned images (same machine-id, so the same DUID-based option 61) on two machines: while
        // the first one's lease is live, the other hardware address is another machine.
        DhcpMessage offer = reply(in(withClientId(Msg.discover(mac(1), 1), "clone"), T0));
        assertEquals(DhcpMessage.ACK, type(in(withClientId(Msg.select(mac(1), 2, SERVER, offer.yiaddr()), "clone"), T0)));
        Inet4Address first = offer.yiaddr();
        DhcpMessage second = reply(in(withClientId(Msg.discover(mac(2), 3), "clone"), T0.plusSeconds(5)));
        assertNotEquals(first, second.yiaddr(), "the second machine is offered another address");
        assertEquals(DhcpMessage.ACK, type(in(withClientId(Msg.select(mac(2), 4, SERVER, second.yiaddr()), "clone"), T0.plusSeconds(5))));
        assertEquals(DhcpMessage.NAK, type(in(withClientId(Msg.initReboot(mac(2), 5, first), "clone"), T0.plusSeconds(6))),
                "the first machine's address is not granted to the second");
        assertEquals(DhcpMessage.NAK, type(in(withClientId(Msg.renew(mac(2), 6, first), "clone"), T0.plusSeconds(6))));
        assertEquals(DhcpMessage.ACK, type(in(withClientId(Msg.renew(mac(1), 7, first), "clone"), T0.plusSeconds(7))),
                "the first machine keeps renewing its own");
        assertInstanceOf(Outcome.Ignored.class, in(withClientId(Msg.release(mac(2), 8, SERVER, first), "clone"), T0.plusSeconds(8)));
        assertInstanceOf(Outcome.Ignored.class, in(withClientId(Msg.decline(mac(2), 9, SERVER, first), "clone"), T0.plusSeconds(8)));
    }

    @Test
    void theServersOwnAddressAndTheRouterAreNeverLeasedEvenInsideARange() {
        core = new DhcpCore(ConfigParser.parse("""
                subnet 10.2.0.0 netmask 255.255.255.0 {
                  option routers 10.2.0.1;
                  range 10.2.0.1 10.2.0.4;
                }""").orElseThrow(), DhcpCore.Settings.DEFAULT);
        leases = new LeaseDb();
        Inet4Address server = ip("10.2.0.2");
        Set<Inet4Address> given = new HashSet<>();
        for (int c = 1; c <= 4; c++) {
            Outcome offer = handle(new DhcpCore.Inbound(Msg.discover(mac(c), c), server), T0);
            if (offer instanceof Outcome.Reply r) {
                Outcome ack = handle(new DhcpCore.Inbound(Msg.select(mac(c), c, server, r.message().yiaddr()), server), T0);
                assertEquals(DhcpMessage.ACK, type(ack));
                given.add(reply(ack).yiaddr());
            }
        }
        assertEquals(Set.of(ip("10.2.0.3"), ip("10.2.0.4")), given);
        assertEquals(DhcpMessage.NAK, type(handle(new DhcpCore.Inbound(Msg.initReboot(mac(9), 1, server), server), T0)));
        assertEquals(DhcpMessage.NAK, type(handle(new DhcpCore.Inbound(Msg.initReboot(mac(9), 1, ip("10.2.0.1")), server), T0)));
    }

    @Test
    void aNewBindingIsShortUntilTheClientRenewsItSoAOneShotRequestFloodLapses() {
        core = new DhcpCore(config, DhcpCore.Settings.DEFAULT);
        leases = new LeaseDb();
        long first = DhcpCore.Settings.DEFAULT.firstLease().toSeconds();
        assertTrue(first > 0 && first < 3600);
        Inet4Address a = lease(1, T0);
        DhcpMessage ack = reply(in(Msg.initReboot(mac(1), 3, a), T0.plusSeconds(1)));
        assertEquals(first, ack.seconds(DhcpMessage.OPT_LEASE_TIME).orElseThrow(), "still unconfirmed: short");
        Outcome renew = in(Msg.renew(mac(1), 4, a), T0.plusSeconds(first / 2));
        assertEquals(3600L, reply(renew).seconds(DhcpMessage.OPT_LEASE_TIME).orElseThrow(), "renewed at T1: the full time");
        // A starvation tool: one REQUEST per made-up MAC for every address of the second subnet, never renewed.
        for (int i = 1; i <= 3; i++) {
            Outcome o = handle(new DhcpCore.Inbound(Msg.relayed(Msg.initReboot(mac(500 + i), i, ip("10.1.5." + i)),
                    ip("10.1.0.1"), Bytes.fromHex("0104616263")), SERVER), T0);
            assertEquals(DhcpMessage.ACK, type(o));
        }
        assertInstanceOf(Outcome.Ignored.class, handle(new DhcpCore.Inbound(Msg.relayed(Msg.discover(mac(9), 1),
                ip("10.1.0.1"), Bytes.fromHex("0104616263")), SERVER), T0.plusSeconds(60)), "the flood holds the pool...");
        Outcome later = handle(new DhcpCore.Inbound(Msg.relayed(Msg.discover(mac(9), 1), ip("10.1.0.1"),
                Bytes.fromHex("0104616263")), SERVER), T0.plusSeconds(first + 1));
        assertEquals(DhcpMessage.OFFER, type(later), "...for the first lease time only, not the full one");
    }

    @Test
    void theClientIdentifierIsEchoedInEveryReply() {
        // RFC 6842 3: a server MUST return option 61 unaltered in its replies, NAKs included.
        Bytes id = Bytes.utf8("clone");
        DhcpMessage offer = reply(in(withClientId(Msg.discover(mac(1), 1), "clone"), T0));
        assertEquals(id, offer.options().get(DhcpMessage.OPT_CLIENT_ID));
        DhcpMessage ack = reply(in(withClientId(Msg.select(mac(1), 2, SERVER, offer.yiaddr()), "clone"), T0));
        assertEquals(id, ack.options().get(DhcpMessage.OPT_CLIENT_ID));
        DhcpMessage nak = reply(in(withClientId(Msg.initReboot(mac(1), 3, ip("192.168.9.9")), "clone"), T0));
        assertEquals(DhcpMessage.NAK, nak.messageType().orElseThrow());
        assertEquals(id, nak.options().get(DhcpMessage.OPT_CLIENT_ID));
        DhcpMessage inform = reply(in(withClientId(Msg.inform(mac(1), 4, offer.yiaddr()), "clone"), T0));
        assertEquals(id, inform.options().get(DhcpMessage.OPT_CLIENT_ID));
        assertTrue(!reply(in(Msg.discover(mac(2), 5), T0)).options().containsKey(DhcpMessage.OPT_CLIENT_ID), "none sent, none back");
    }

    @Test
    void aRenewalThatAlsoNamesTheServerIsARenewal() {
        // RFC 2131 4.3.2 says a RENEWING client leaves option 54 out; some embedded clients send it
        // with ciaddr and no option 50. That is a renewal of ciaddr, not a malformed SELECTING.
        Inet4Address a = lease(1, T0);
        var o = new java.util.LinkedHashMap<>(Msg.renew(mac(1), 9, a).options());
        o.put(DhcpMessage.OPT_SERVER_ID, Msg.addr(SERVER));
        Outcome renew = in(new DhcpMessage(1, 9, 0, a, Msg.ZERO, Msg.ZERO, mac(1), o), T0.plusSeconds(1800));
        assertEquals(DhcpMessage.ACK, type(renew));
        assertEquals(new Destination.Client(a), ((Outcome.Reply) renew).to());
        o.put(DhcpMessage.OPT_SERVER_ID, Msg.addr(ip("10.0.0.3")));
        assertInstanceOf(Outcome.Ignored.class, in(new DhcpMessage(1, 10, 0, a, Msg.ZERO, Msg.ZERO, mac(1), o), T0.plusSeconds(1800)),
                "another server's renewal");
    }

    @Test
    void aClientThatStartsSendingAnIdentifierKeepsWhatItsHardwareAddressHeld() {
        // Firmware or a first OS without option 61, then an OS that sends one, on the same machine:
        // what the bare hardware address holds is this machine's.
        DhcpMessage offer = reply(in(Msg.discover(mac(1), 1), T0));
        Outcome ack = in(withClientId(Msg.select(mac(1), 2, SERVER, offer.yiaddr()), "duid-of-linux"), T0);
        assertEquals(DhcpMessage.ACK, type(ack), "not a NAK for its own offer");
        assertEquals(offer.yiaddr(), reply(ack).yiaddr());
        Inet4Address bare = lease(2, T0);
        assertEquals(bare, reply(in(withClientId(Msg.discover(mac(2), 7), "duid-of-mac-2"), T0.plusSeconds(1))).yiaddr(),
                "and is offered it again (RFC 2131 4.3.1: the client's current address)");
        // The other way round stays apart: an identifier's lease is not given to a bare MAC, which
        // could be a second machine cloned from the first.
        assertEquals(DhcpMessage.NAK, type(in(Msg.initReboot(mac(1), 3, offer.yiaddr()), T0.plusSeconds(1))));
    }

    @Test
    void aClientBehindARelayRenewsDirectlyByUnicast() {
        // RFC 2131 4.3.2 RENEWING: unicast, so no relay and giaddr 0; the server trusts ciaddr.
        Bytes agent = Bytes.fromHex("0104deadbeef");
        DhcpMessage o = reply(in(Msg.relayed(Msg.discover(mac(1), 1), ip("10.1.0.1"), agent), T0));
        assertEquals(DhcpMessage.ACK, type(in(Msg.relayed(Msg.select(mac(1), 2, SERVER, o.yiaddr()), ip("10.1.0.1"), agent), T0)));
        Outcome renew = handle(new DhcpCore.Inbound(Msg.renew(mac(1), 3, o.yiaddr()), SERVER, false), T0.plusSeconds(1800));
        assertEquals(DhcpMessage.ACK, type(renew), "not a NAK at every T1 for every client behind a relay");
        assertEquals(new Destination.Client(o.yiaddr()), ((Outcome.Reply) renew).to());
        assertEquals(ip("10.1.0.1"), reply(renew).address(DhcpMessage.OPT_ROUTER).orElseThrow(), "the options of its own subnet");
        // Broadcast on our own segment (REBINDING after moving here): ciaddr is on another network.
        Outcome moved = handle(new DhcpCore.Inbound(Msg.renew(mac(1), 4, o.yiaddr()), SERVER, true), T0.plusSeconds(1800));
        assertEquals(DhcpMessage.NAK, type(moved));
    }
}
