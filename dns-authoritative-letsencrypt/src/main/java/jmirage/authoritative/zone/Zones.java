package jmirage.authoritative.zone;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.dns.Base32Hex;
import jmirage.dns.Name;
import jmirage.dns.Type;

/**
 * The set of zones a server is authoritative for, immutable. Lookup finds the zone that is the
 * nearest ancestor of a name (RFC 1034 4.3.2 step 2): with {@code example.org} and
 * {@code sub.example.org} both served, {@code a.sub.example.org} belongs to the second.
 *
 * <p>Each zone is held with hash indexes of its names ({@link Indexed}), built once when the zone
 * enters the set: the answering path asks "which RRsets here?" and "does this name exist?" for every
 * label of every question, and hashing beats the canonical-order comparisons of a tree by far.
 */
public final class Zones {

    public static final Zones EMPTY = new Zones(Map.of());

    private final Map<Name, Indexed> byOrigin;

    private Zones(Map<Name, Indexed> byOrigin) {
        this.byOrigin = Collections.unmodifiableMap(byOrigin);
    }

    /** The zones, the last one winning when two have the same origin. */
    public static Zones of(Collection<Zone> zones) {
        Map<Name, Indexed> map = new HashMap<>();
        zones.forEach(z -> map.put(z.origin(), new Indexed(z)));
        return new Zones(map);
    }

    /** This set with {@code zone} added or replacing the zone of the same origin. */
    public Zones with(Zone zone) {
        Map<Name, Indexed> map = new HashMap<>(byOrigin);
        map.put(zone.origin(), new Indexed(zone));
        return new Zones(map);
    }

    /** This set without the zone of {@code origin}. */
    public Zones without(Name origin) {
        Map<Name, Indexed> map = new HashMap<>(byOrigin);
        map.remove(origin);
        return new Zones(map);
    }

    /** The zone whose origin is exactly {@code origin}. */
    public Optional<Zone> get(Name origin) {
        return Optional.ofNullable(byOrigin.get(origin)).map(Indexed::zone);
    }

    /** The zone that is the nearest ancestor of {@code name} (or is at it), if any is served. */
    public Optional<Zone> find(Name name) {
        return lookup(name).map(Indexed::zone);
    }

    /** {@link #find}, with the zone's indexes. */
    public Optional<Indexed> lookup(Name name) {
        for (int strip = 0; strip <= name.labelCount(); strip++) {
            Indexed z = byOrigin.get(name.parent(strip));
            if (z != null) {
                return Optional.of(z);
            }
        }
        return Optional.empty();
    }

    public List<Zone> all() {
        return byOrigin.values().stream().map(Indexed::zone).toList();
    }

    /**
     * A zone with hash indexes: its RRsets by owner name, and every name that exists in it (owner
     * names, and the empty non-terminals between them and the origin, RFC 4592 2.2.2). Answers the
     * same as {@link Zone#node} and {@link Zone#exists} for names at or below the origin.
     */
    public static final class Indexed {
        private final Zone zone;
        private final Map<Name, Map<Integer, RRset>> nodes;
        private final Set<Name> names;
        private final NavigableMap<Bytes, Name> nsec3;

        Indexed(Zone zone) {
            this.zone = zone;
            this.nodes = new HashMap<>(zone.nodes());
            this.names = new HashSet<>();
            this.nsec3 = new TreeMap<>();
            int originLabels = zone.origin().labelCount();
            for (Map.Entry<Name, Map<Integer, RRset>> e : zone.nodes().entrySet()) {
                Name owner = e.getKey();
                if (e.getValue().containsKey(Type.NSEC3) && owner.labelCount() == originLabels + 1) {
                    Base32Hex.decode(new String(owner.label(0), StandardCharsets.US_ASCII))
                            .ifPresent(hash -> nsec3.put(hash, owner));
                }
            }
            for (Name owner : zone.nodes().keySet()) {
                for (int strip = 0; strip <= owner.labelCount() - originLabels; strip++) {
                    if (!names.add(owner.parent(strip))) {
                        break; // its ancestors are in already
                    }
                }
            }
        }

        public Zone zone() {
            return zone;
        }

        public Name origin() {
            return zone.origin();
        }

        /** The RRsets at exactly this name, empty when it has none. */
        public Map<Integer, RRset> node(Name name) {
            return nodes.getOrDefault(name, Map.of());
        }

        public Optional<RRset> rrset(Name name, int type) {
            return Optional.ofNullable(node(name).get(type));
        }

        /** The owners of the zone's NSEC3 records by hash (RFC 5155 3: the first label, base32hex), in hash order. */
        public NavigableMap<Bytes, Name> nsec3Owners() {
            return Collections.unmodifiableNavigableMap(nsec3);
        }

        /** Whether the name owns data or is an empty non-terminal. */
        public boolean exists(Name name) {
            return names.contains(name);
        }
    }

    public int size() {
        return byOrigin.size();
    }

    @Override
    public String toString() {
        return byOrigin.values().toString();
    }
}
