package jmirage.authoritative;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.dns.Name;

/** The test zone of src/test/resources/zones, as text and parsed. */
public final class TestZones {

    public static final Name ORIGIN = Name.of("example.test.");

    private TestZones() {}

    public static String text() {
        try (InputStream in = TestZones.class.getResourceAsStream("/zones/example.test")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Zone zone() {
        return Zone.parse(text(), ORIGIN).orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    public static Zones zones() {
        return Zones.of(List.of(zone()));
    }
}
