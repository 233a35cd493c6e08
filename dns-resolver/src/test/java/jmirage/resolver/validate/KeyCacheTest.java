package jmirage.resolver.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import jmirage.dns.Name;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void entriesLastTheirTtl() {
        KeyCache cache = new KeyCache(10);
        ZoneKeys insecure = new ZoneKeys.Insecure(Name.of("example."));
        cache.put(Name.of("example."), insecure, 60, 0);
        assertEquals(Optional.of(insecure), cache.get(Name.of("EXAMPLE."), 59 * SECOND));
        assertEquals(Optional.empty(), cache.get(Name.of("example."), 60 * SECOND));
        assertEquals(0, cache.size());
    }

    @Test
    void theLeastRecentlyUsedZoneGoesFirst() {
        KeyCache cache = new KeyCache(2);
        cache.put(Name.of("a."), new ZoneKeys.Insecure(Name.of("a.")), 60, 0);
        cache.put(Name.of("b."), new ZoneKeys.Insecure(Name.of("b.")), 60, 0);
        cache.get(Name.of("a."), 0);
        cache.put(Name.of("c."), new ZoneKeys.Insecure(Name.of("c.")), 60, 0);
        assertEquals(2, cache.size());
        assertEquals(Optional.empty(), cache.get(Name.of("b."), 0));
        assertEquals(Optional.of(new ZoneKeys.Insecure(Name.of("a."))), cache.get(Name.of("a."), 0));
    }
}
