package jmirage.dhcpd;

import static jmirage.dhcpd.Msg.ip;
import static jmirage.dhcpd.Msg.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.net.IpPrefix;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.DhcpCore.Outcome;
import jmirage.dhcpd.core.DhcpCore.SubnetUsage;
import jmirage.dhcpd.core.LeaseDb;
import jmirage.dhcpd.core.LeaseEvent;
import jmirage.net.dhcp.DhcpMessage;
import org.junit.jupiter.api.Test;

/**
 * The pure parts behind the counters: which lease event an outcome is (granted, renewed, released,
 * declined; expired from the leases and the time), and a subnet's usage (live leases by state, the
 * dynamic addresses still free, reserved ones never counted free).
 */
class LeaseEventsAndUsageTest {

    static final String CONF = """
            default-lease-time 3600;
            subnet 10.0.0.0 netmask 255.255.255.0 {
              option routers 10.0.0.101;
              range 10.0.0.100 10.0.0.109;
              host printer { hardware ethernet 02:00:00:00:0f:01; fixed-address 10.0.0.105; }
            }
            """;
    /** In the range, as are the router and the printer's fixed address: ten addresses, seven of them dynamic. */
    static final Inet4Address SERVER = ip("10.0.0.102");
    static final IpPrefix SUBNET = IpPrefix.parseIpv4WithLength("10.0.0.0/24").orElseThrow();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final DhcpCore.Settings FULL_AT_ONCE = new DhcpCore.Settings(DhcpCore.Settings.DEFAULT.offerHold(),
            DhcpCore.Settings.DEFAULT.declineHold(), DhcpCore.Settings.DEFAULT.minLease(), Duration.ZERO);

    final DhcpCore core = new DhcpCore(ConfigParser.parse(CONF).orElseThrow(), FULL_AT_ONCE);
    final LeaseDb leases = new LeaseDb();

    /** The message's events, decided against the leases before it; then its changes applied, as the shell does. */
    List<LeaseEvent> events(DhcpMessage m, Instant now) {
        Outcome outcome = core.handle(leases, new DhcpCore.Inbound(m, SERVER), now);
        List<LeaseEvent> events = LeaseEvent.of(leases, outcome, now);
        leases.apply(outcome.changes());
        return events;
    }

    SubnetUsage usage(Instant now) {
        return core.usage(leases, SERVER, now).getFirst();
    }

    @Test
    void eachOutcomeIsTheLeaseEventAnOperatorCounts() {
        Inet4Address a = ip("10.0.0.100");
        assertEquals(List.of(), events(Msg.discover(mac(1), 1), T0));
        assertEquals(List.of(new LeaseEvent.Granted(a, mac(1), Duration.ofHours(1))), events(Msg.select(mac(1), 1, SERVER, a), T0));
        assertEquals(List.of(new LeaseEvent.Renewed(a, mac(1), Duration.ofHours(1))),
                events(Msg.renew(mac(1), 2, a), T0.plusSeconds(1800)));
        // The binding ended (at T0 + 90 min) before the client came back: granted again, not renewed.
        Instant late = T0.plusSeconds(6000);
        assertEquals(List.of(new LeaseEvent.Granted(a, mac(1), Duration.ofHours(1))), events(Msg.initReboot(mac(1), 3, a), late));
        // Another client asking for it while it is held: a NAK, no event.
        assertEquals(List.of(), events(Msg.initReboot(mac(2), 4, a), late));
        assertEquals(List.of(new LeaseEvent.Declined(a, mac(1), FULL_AT_ONCE.declineHold())),
                events(Msg.decline(mac(1), 5, SERVER, a), late));
        Inet4Address b = ip("10.0.0.103");
        events(Msg.discover(mac(3), 6), late);
        assertEquals(List.of(new LeaseEvent.Granted(b, mac(3), Duration.ofHours(1))), events(Msg.select(mac(3), 6, SERVER, b), late));
        assertEquals(List.of(new LeaseEvent.Released(b, mac(3))), events(Msg.release(mac(3), 7, SERVER, b), late));
        assertEquals(List.of(), events(Msg.inform(mac(4), 8, ip("10.0.0.50")), late));
    }

    @Test
    void expiredAreTheBindingsThatEndedInTheIntervalUnrenewedAndUnreleased() {
        Inet4Address a = ip("10.0.0.100");
        Inet4Address b = ip("10.0.0.103");
        events(Msg.discover(mac(1), 1), T0);
        events(Msg.select(mac(1), 1, SERVER, a), T0);
        events(Msg.discover(mac(2), 2), T0);
        events(Msg.select(mac(2), 2, SERVER, b), T0);
        events(Msg.release(mac(2), 3, SERVER, b), T0.plusSeconds(60));
        Instant end = T0.plusSeconds(3600);
        assertEquals(List.of(), LeaseEvent.expired(leases, T0, end.minusSeconds(1)));
        assertEquals(List.of(new LeaseEvent.Expired(a, mac(1), end)), LeaseEvent.expired(leases, end.minusSeconds(1), end));
        assertEquals(List.of(), LeaseEvent.expired(leases, end, end.plusSeconds(3600)), "counted once");
    }

    @Test
    void usageCountsLiveLeasesByStateAndOnlyDynamicAddressesAsFree() {
        // 10 in the range, less the router, the server and the printer's fixed address.
        assertEquals(new SubnetUsage(SUBNET, 0, 0, 0, 7), usage(T0));
        events(Msg.discover(mac(1), 1), T0);
        assertEquals(new SubnetUsage(SUBNET, 0, 1, 0, 6), usage(T0));
        events(Msg.select(mac(1), 1, SERVER, ip("10.0.0.100")), T0);
        assertEquals(new SubnetUsage(SUBNET, 1, 0, 0, 6), usage(T0));
        // The printer's fixed address is live and bound, but was never free.
        events(Msg.discover(mac(0xf01), 2), T0);
        events(Msg.select(mac(0xf01), 2, SERVER, ip("10.0.0.105")), T0);
        assertEquals(new SubnetUsage(SUBNET, 2, 0, 0, 6), usage(T0));
        events(Msg.decline(mac(1), 3, SERVER, ip("10.0.0.100")), T0);
        assertEquals(new SubnetUsage(SUBNET, 1, 0, 1, 6), usage(T0));
        // Everything ends: an offer after 30 s, the bindings after an hour, the decline after its hold.
        assertEquals(new SubnetUsage(SUBNET, 0, 0, 0, 7), usage(T0.plus(FULL_AT_ONCE.declineHold()).plusSeconds(3601)));
    }
}
