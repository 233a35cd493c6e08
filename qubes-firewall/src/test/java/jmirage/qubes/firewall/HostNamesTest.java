package jmirage.qubes.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which names the firewall resolves, and when again (the sim test watches it ask). */
class HostNamesTest {

    @Test
    void theNamesAreThoseOfEveryClientsDsthostRules() {
        assertEquals(Set.of("bogus.example.org", "denied.example.org"), HostNames.namesOf(Feed.read(Packets.feed(), Packets.LINK)));
    }

    @Test
    void aNameIsAskedAgainAfterItsTtlWithinBounds() {
        assertEquals(Duration.ofSeconds(300), HostNames.refreshAfter(300));
        assertEquals(HostNames.MIN_TTL, HostNames.refreshAfter(0), "a TTL of 0 does not ask without end");
        assertEquals(HostNames.MAX_TTL, HostNames.refreshAfter(86400 * 7));
        assertEquals(HostNames.MAX_TTL, HostNames.refreshAfter(Long.MAX_VALUE / 1_000_000_000L));
    }
}
