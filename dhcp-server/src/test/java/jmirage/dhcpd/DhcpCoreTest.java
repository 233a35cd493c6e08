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
    DhcpCore core = new DhcpCore(config, new LeaseDb(), DhcpCore.Settings.DEFAULT);

    Outcome in(DhcpMessage m, Instant now) {
        return core.handle(new DhcpCore.Inbound(m, SERVER), now);
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
        assertTrue(core.leases().live(T0).isEmpty(), "the offered address is free again at once");
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
        assertTrue(core.leases().live(T0.plusSeconds(10)).isEmpty());
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
        assertEquals(1, core.leases().live(later).size());
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
        core = new DhcpCore(changed, core.leases(), DhcpCore.Settings.DEFAULT);
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
        core = new DhcpCore(big, new LeaseDb(), DhcpCore.Settings.DEFAULT);
        DhcpMessage offer = reply(in(Msg.discover(mac(1), 1), T0));
        assertTrue(offer.encode().size() <= 548, "size " + offer.encode().size());
        assertTrue(!offer.options().containsKey(DhcpMessage.OPT_DOMAIN_SEARCH), "the long search list was left out");
        assertTrue(offer.options().containsKey(DhcpMessage.OPT_ROUTER));
        var o = new java.util.LinkedHashMap<>(Msg.discover(mac(2), 1).options());
        o.put(DhcpMessage.OPT_MAX_MESSAGE_SIZE, Bytes.fromHex("05dc")); // 1500
        DhcpMessage large = reply(in(new DhcpMessage(1, 1, 0, Msg.ZERO, Msg.ZERO, Msg.ZERO, mac(2), o), T0));
        assertTrue(large.options().containsKey(DhcpMessage.OPT_DOMAIN_SEARCH), "fits in what the client accepts");
    }
}
