package jmirage.qubes.firewall;

import static jmirage.qubes.firewall.Packets.CLIENT_A;
import static jmirage.qubes.firewall.Packets.CLIENT_B;
import static jmirage.qubes.firewall.Packets.LINK;
import static jmirage.qubes.firewall.Packets.MAC_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.qubes.rules.ClientRules;
import jmirage.qubes.rules.RuleError;
import org.junit.jupiter.api.Test;

/** The feed's layout (decision 25): bindings beside the rules, and every way it can be wrong. */
class FeedTest {

    @Test
    void twoClientsWithTheirBindingsAndRules() {
        Feed feed = Feed.read(Packets.feed(), LINK);
        assertEquals(List.of(), feed.problems());
        assertEquals(2, feed.clients().size());
        Client a = feed.clients().get(CLIENT_A);
        assertEquals(MAC_A, a.mac());
        assertEquals(9, a.rules().rules().size());
        assertEquals(a, feed.byMac().get(MAC_A));
        assertEquals(jmirage.qubes.rules.Rule.Action.ACCEPT, feed.clients().get(CLIENT_B).rules().policy());
    }

    @Test
    void aTreeThatDoesNotParseDropsAllOfThatClientAndSaysWhy() {
        Map<String, String> entries = new LinkedHashMap<>(Packets.feed());
        entries.put("qubes-firewall/10.33.0.2/0003", "action=accept proto=icmp dstports=80");
        Feed feed = Feed.read(entries, LINK);
        Client a = feed.clients().get(CLIENT_A);
        assertEquals(ClientRules.DROP_ALL, a.rules());
        assertEquals(Optional.of(new RuleError.BadRule(3, "action=accept proto=icmp dstports=80",
                "dstports goes with proto=tcp or proto=udp")), a.error());
        assertEquals(List.of("qubes-firewall/10.33.0.2: rule 0003 'action=accept proto=icmp dstports=80': dstports goes with"
                + " proto=tcp or proto=udp; dropping all its traffic"), feed.problems());
    }

    @Test
    void aClientWithoutRulesHasNoPolicyAndDropsAll() {
        Feed feed = Feed.read(Map.of("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02"), LINK);
        assertEquals(ClientRules.DROP_ALL, feed.clients().get(CLIENT_A).rules());
        assertEquals(List.of("qubes-firewall/10.33.0.2: no policy; dropping all its traffic"), feed.problems());
    }

    @Test
    void wrongBindingsMakeNoClient() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("qubes-clients/10.33.0.2/mac", "02:00:00:00:00:02");
        entries.put("qubes-clients/10.33.0.3/mac", "02:00:00:00:00:02"); // A's MAC again
        entries.put("qubes-clients/10.33.0.4/mac", "01:00:5e:00:00:01"); // multicast
        entries.put("qubes-clients/10.33.0.5/mac", "not a mac");
        entries.put("qubes-clients/10.33.0.1/mac", "02:00:00:00:00:01"); // the firewall's own address
        entries.put("qubes-clients/10.34.0.9/mac", "02:00:00:00:00:09"); // off the link
        entries.put("qubes-clients/fd00::2/mac", "02:00:00:00:00:0a");
        entries.put("qubes-clients/10.33.0.6/ip", "10.33.0.6");
        entries.put("qubes-clients/10.33.2/mac", "02:00:00:00:00:0b"); // 10.33.0.2 spelt otherwise
        entries.put("qubes-clients/10.33.0.0/mac", "02:00:00:00:00:0c"); // the link's network address
        entries.put("qubes-clients/10.33.0.255/mac", "02:00:00:00:00:0d"); // and its broadcast
        entries.put("qubes-firewall/10.33.0.2/policy", "accept");
        entries.put("qubes-firewall/10.33.0.8/policy", "accept"); // rules for no client
        Feed feed = Feed.read(entries, LINK);
        assertEquals(List.of(CLIENT_A), List.copyOf(feed.clients().keySet()));
        assertEquals(List.of(
                "qubes-clients/10.33.0.6/ip: not a key of the feed (qubes-clients/IP/mac, qubes-firewall/IP/policy, qubes-firewall/IP/NNNN)",
                "qubes-clients/10.33.0.0/mac: 10.33.0.0 is not a client address of 10.33.0.1/24",
                "qubes-clients/10.33.0.1/mac: 10.33.0.1 is not a client address of 10.33.0.1/24",
                "qubes-clients/10.33.0.255/mac: 10.33.0.255 is not a client address of 10.33.0.1/24",
                "qubes-clients/10.33.0.3/mac: 02:00:00:00:00:02 is already 10.33.0.2's",
                "qubes-clients/10.33.0.4/mac: '01:00:5e:00:00:01' is not a unicast MAC address",
                "qubes-clients/10.33.0.5/mac: 'not a mac' is not a unicast MAC address",
                "qubes-clients/10.33.2/mac: '10.33.2' is not an IPv4 address as A.B.C.D (IPv6 clients are not supported)",
                "qubes-clients/10.34.0.9/mac: 10.34.0.9 is not a client address of 10.33.0.1/24",
                "qubes-clients/fd00::2/mac: 'fd00::2' is not an IPv4 address as A.B.C.D (IPv6 clients are not supported)",
                "qubes-firewall/10.33.0.8: rules for no client (no qubes-clients/10.33.0.8/mac)"), feed.problems());
    }
}
