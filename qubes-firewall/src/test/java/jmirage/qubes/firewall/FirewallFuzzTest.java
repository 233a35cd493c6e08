package jmirage.qubes.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;

/**
 * Arbitrary datagrams from the clients' link through the firewall's packet path, as its shell calls it
 * (the link check on any datagram, the rules on a whole one): only verdicts come out, never an
 * exception, and what the link check accepts has the bound source.
 */
class FirewallFuzzTest {

    static final Firewall FIREWALL = new Firewall(Feed.read(Packets.feed(), Packets.LINK), Packets.LINK, Set.of(Packets.DNS),
            Map.of("bogus.example.org", Set.of(Packets.ip("203.0.113.7"))));

    /** The first byte picks the sender (A, B or a stranger); the rest is the datagram. */
    @FuzzTest(maxDuration = "20s")
    void arbitraryDatagramsGetAVerdict(FuzzedDataProvider data) {
        MacAddress[] senders = {Packets.MAC_A, Packets.MAC_B, new MacAddress(0x0200_0000_0099L)};
        MacAddress sender = senders[Math.floorMod(data.consumeByte(), 3)];
        Bytes datagram = Bytes.adopt(data.consumeRemainingAsBytes());
        ClientStatistics statistics = new ClientStatistics();
        Firewall.Verdict link = FIREWALL.link(sender, datagram);
        statistics.count(link);
        if (link instanceof Firewall.Verdict.Accept(Client c)) {
            assertEquals(sender, c.mac());
            Firewall.Verdict whole = FIREWALL.fromClient(datagram);
            assertNotNull(whole);
            statistics.count(whole);
        }
        assertEquals(link instanceof Firewall.Verdict.Accept ? 2 : 1, statistics.snapshot().values().stream().mapToLong(Long::longValue).sum());
    }
}
