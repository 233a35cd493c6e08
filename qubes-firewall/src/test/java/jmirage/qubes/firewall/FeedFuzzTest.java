package jmirage.qubes.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arbitrary feeds into {@link Feed#read}: only clients and problems come out, never an exception (which
 * would leave the firewall on its old feed); every client is an address of the link with a unicast MAC
 * of its own, found by that MAC.
 */
class FeedFuzzTest {

    /** The input's lines, each {@code KEY=VALUE} (a line without '=' is a key with an empty value). */
    @FuzzTest(maxDuration = "20s")
    void arbitraryFeedsReadCleanly(FuzzedDataProvider data) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : data.consumeRemainingAsString().split("\n", -1)) {
            int equals = line.indexOf('=');
            entries.put(equals < 0 ? line : line.substring(0, equals), equals < 0 ? "" : line.substring(equals + 1));
        }
        Feed feed = Feed.read(entries, Packets.LINK);
        assertEquals(feed.clients().size(), feed.byMac().size());
        for (Client c : feed.clients().values()) {
            assertTrue(Packets.LINK.contains(c.address()) && !c.address().equals(Packets.GATEWAY), c.toString());
            assertEquals(0, c.mac().value() & 0x0100_0000_0000L, c.toString());
            assertEquals(c, feed.byMac().get(c.mac()));
        }
    }
}
