package jmirage.authoritative.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jmirage.authoritative.TestZones;
import jmirage.dns.Name;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ZonesTest {

    private static final Zone TEST = TestZones.zone();
    private static final Zones.Indexed INDEXED = Zones.of(List.of(TEST)).lookup(TEST.origin()).orElseThrow();

    @Provide
    Arbitrary<Name> names() {
        List<Name> owners = new ArrayList<>(TEST.nodes().keySet());
        Arbitrary<Name> owner = Arbitraries.of(owners);
        Arbitrary<Name> parent = owner.map(n -> n.parent(Math.min(1, n.labelCount())));
        Arbitrary<Name> child = owner.flatMap(n -> Arbitraries.of("a", "*", "ent", "WWW").map(l -> n.prepend(l.getBytes()).orElse(n)));
        // names at or below the origin: the only ones the answering path asks about
        return Arbitraries.oneOf(owner, parent, child).filter(n -> n.isSubdomainOf(TEST.origin()));
    }

    @Property(tries = 500)
    void theHashIndexAnswersLikeTheZone(@ForAll("names") Name name) {
        assertEquals(TEST.exists(name), INDEXED.exists(name), name::toString);
        assertEquals(TEST.node(name), INDEXED.node(name), name::toString);
    }

    private static Zone zone(String origin) {
        return Zone.parse("$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\n", Name.of(origin))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
    }

    @Test
    void theNearestEnclosingZoneIsFound() {
        Zones zones = Zones.of(List.of(zone("example.org."), zone("sub.example.org."), zone("net.")));
        assertEquals(Name.of("sub.example.org."), zones.find(Name.of("a.b.SUB.example.org.")).orElseThrow().origin());
        assertEquals(Name.of("example.org."), zones.find(Name.of("other.example.org.")).orElseThrow().origin());
        assertEquals(Name.of("example.org."), zones.find(Name.of("example.org.")).orElseThrow().origin());
        assertEquals(Name.of("net."), zones.find(Name.of("example.net.")).orElseThrow().origin());
        assertTrue(zones.find(Name.of("org.")).isEmpty());
        assertTrue(zones.find(Name.ROOT).isEmpty());
        assertTrue(zones.without(Name.of("net.")).find(Name.of("example.net.")).isEmpty());
        assertEquals(2, zones.without(Name.of("net.")).size());
    }

    @Test
    void aDnameBesideNsBelowTheApexIsRefused() {
        var bad = Zone.parse("$TTL 60\n@ SOA ns hm 1 1 1 1 1\n@ NS ns\nns A 192.0.2.1\nd NS ns.example.net.\nd DNAME example.net.\n",
                Name.of("example.org."));
        assertTrue(bad instanceof jmirage.core.Result.Err<Zone, ZoneError>(ZoneError.DnameAndNs(Name d)) && d.equals(Name.of("d.example.org.")),
                bad.toString());
    }
}
