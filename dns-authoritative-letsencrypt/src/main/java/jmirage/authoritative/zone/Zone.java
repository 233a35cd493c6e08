package jmirage.authoritative.zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * One zone's data, immutable: its origin and its RRsets by owner name in canonical order (RFC 4034
 * 6.1), which keeps every name's descendants right after it. A change gives a new Zone; the checks
 * of {@link #of} hold for every Zone that exists.
 */
public final class Zone {

    private final Name origin;
    private final NavigableMap<Name, Map<Integer, RRset>> nodes;

    private Zone(Name origin, NavigableMap<Name, Map<Integer, RRset>> nodes) {
        this.origin = origin;
        this.nodes = Collections.unmodifiableNavigableMap(nodes);
    }

    /** Parses a master file (RFC 1035 5) for {@code origin}; {@code $INCLUDE} is refused. */
    public static Result<Zone, String> parse(String text, Name origin) {
        return MasterFile.parse(text, origin, MasterFile.IncludeResolver.NONE)
                .mapError(ZoneFileError::describe)
                .flatMap(records -> of(origin, records));
    }

    /**
     * Builds a zone from records, checked: class IN only; every owner at or below the origin;
     * exactly one SOA, at the apex; NS at the apex; a CNAME alone at its name (RFC 1034 3.6.2, RFC
     * 2181 10.1) but for DNSSEC records; one DNAME per name, nothing below it and no NS beside it but at
     * the apex (RFC 6672 2.3, 2.4).
     * Duplicate records are merged (RFC 2181 5); an RRset whose TTLs differ takes the lowest (RFC
     * 2181 5.2 forbids the difference; the lowest is the safe reading).
     */
    public static Result<Zone, String> of(Name origin, Collection<Record> records) {
        NavigableMap<Name, Map<Integer, Building>> building = new TreeMap<>();
        for (Record r : records) {
            if (r.rrClass() != DnsClass.IN) {
                return Result.err(r.name() + ": class " + DnsClass.name(r.rrClass()) + " is not served (only IN)");
            }
            if (!r.name().isSubdomainOf(origin)) {
                return Result.err(r.name() + " is outside the zone " + origin);
            }
            if (r.type() == Type.OPT || r.type() == Type.TSIG || r.type() == Type.AXFR || r.type() == Type.IXFR
                    || r.type() == Type.ANY) {
                return Result.err(r.name() + ": " + Type.name(r.type()) + " cannot be zone data");
            }
            building.computeIfAbsent(r.name(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(r.type(), t -> new Building(r.name(), t, r.ttl()))
                    .add(r);
        }
        NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
        building.forEach((name, types) -> {
            Map<Integer, RRset> sets = new LinkedHashMap<>();
            types.forEach((type, b) -> sets.put(type, b.build()));
            nodes.put(name, Collections.unmodifiableMap(sets));
        });
        return check(origin, nodes).map(u -> new Zone(origin, nodes));
    }

    private static Result<Unit, String> check(Name origin, NavigableMap<Name, Map<Integer, RRset>> nodes) {
        Map<Integer, RRset> apex = nodes.get(origin);
        RRset soa = apex == null ? null : apex.get(Type.SOA);
        if (soa == null) {
            return Result.err(origin + " has no SOA at its apex");
        }
        if (soa.rdata().size() != 1) {
            return Result.err(origin + " has " + soa.rdata().size() + " SOA records; a zone has exactly one");
        }
        if (!apex.containsKey(Type.NS)) {
            return Result.err(origin + " has no NS records at its apex");
        }
        for (Map.Entry<Name, Map<Integer, RRset>> node : nodes.entrySet()) {
            Name name = node.getKey();
            Map<Integer, RRset> sets = node.getValue();
            if (!name.equals(origin) && sets.containsKey(Type.SOA)) {
                return Result.err(name + ": an SOA below the apex of " + origin);
            }
            RRset cname = sets.get(Type.CNAME);
            if (cname != null) {
                if (cname.rdata().size() > 1) {
                    return Result.err(name + " has " + cname.rdata().size() + " CNAME records; at most one is allowed");
                }
                for (int type : sets.keySet()) {
                    if (type != Type.CNAME && type != Type.RRSIG && type != Type.NSEC) {
                        return Result.err(name + " has a CNAME and " + Type.name(type) + " data (RFC 2181 10.1)");
                    }
                }
            }
            RRset dname = sets.get(Type.DNAME);
            if (dname != null) {
                if (dname.rdata().size() > 1) {
                    return Result.err(name + " has " + dname.rdata().size() + " DNAME records; at most one is allowed");
                }
                Name below = nodes.higherKey(name);
                if (below != null && below.isSubdomainOf(name)) {
                    return Result.err(below + " is below the DNAME at " + name + " (RFC 6672 2.4)");
                }
                if (!name.equals(origin) && sets.containsKey(Type.NS)) {
                    return Result.err(name + " has a DNAME and NS records; only the apex may (RFC 6672 2.3)");
                }
            }
        }
        return Result.ok(Unit.UNIT);
    }

    public Name origin() {
        return origin;
    }

    public Rdata.Soa soa() {
        return (Rdata.Soa) soaSet().rdata().getFirst();
    }

    public RRset soaSet() {
        return nodes.get(origin).get(Type.SOA);
    }

    public long serial() {
        return soa().serial();
    }

    /** The RRsets at exactly this name, empty when the name has none (absent or an empty non-terminal). */
    public Map<Integer, RRset> node(Name name) {
        return nodes.getOrDefault(name, Map.of());
    }

    public Optional<RRset> rrset(Name name, int type) {
        return Optional.ofNullable(node(name).get(type));
    }

    /** Whether the name exists in the zone: it owns data, or a name below it does (an empty non-terminal, RFC 4592 2.2.2). */
    public boolean exists(Name name) {
        Name next = nodes.ceilingKey(name);
        return next != null && next.isSubdomainOf(name);
    }

    /** Every owner name with its RRsets, in canonical order. */
    public NavigableMap<Name, Map<Integer, RRset>> nodes() {
        return nodes;
    }

    /** Every record, SOA first, then in canonical order (the order of an AXFR, RFC 5936 2.2). */
    public List<Record> records() {
        List<Record> all = new ArrayList<>(soaSet().records());
        nodes.forEach((name, sets) -> sets.forEach((type, set) -> {
            if (type != Type.SOA || !name.equals(origin)) {
                all.addAll(set.records());
            }
        }));
        return all;
    }

    /**
     * This zone with {@code removed} taken out (matched by name and data, whatever their TTL, as RFC
     * 2136 2.5.4 deletes), then {@code added} put in, checked again.
     */
    public Result<Zone, String> withChanges(Collection<Record> removed, Collection<Record> added) {
        Set<Key> gone = new LinkedHashSet<>();
        removed.forEach(r -> gone.add(Key.ignoringTtl(r)));
        List<Record> next = new ArrayList<>();
        for (Record r : records()) {
            if (!gone.contains(Key.ignoringTtl(r))) {
                next.add(r);
            }
        }
        next.addAll(added);
        return of(origin, next);
    }

    /** What turns this zone into {@code newer}: records only here, records only there (IXFR, RFC 1995). */
    public Diff diff(Zone newer) {
        Set<Key> mine = keys(this);
        Set<Key> theirs = keys(newer);
        List<Record> removed = records().stream().filter(r -> !theirs.contains(Key.of(r))).toList();
        List<Record> added = newer.records().stream().filter(r -> !mine.contains(Key.of(r))).toList();
        return new Diff(removed, added);
    }

    /** A change between two versions of a zone; TTL changes show as a removal and an addition. */
    public record Diff(List<Record> removed, List<Record> added) {
        public Diff {
            removed = List.copyOf(removed);
            added = List.copyOf(added);
        }
    }

    /** The zone as a master file in canonical text (MasterFile.print): what goes into the Kv. */
    public String toMasterFile() {
        return MasterFile.print(records());
    }

    private static Set<Key> keys(Zone zone) {
        Set<Key> keys = new LinkedHashSet<>();
        zone.records().forEach(r -> keys.add(Key.of(r)));
        return keys;
    }

    /** A record's identity: name (case-insensitive), type, TTL and data. */
    private record Key(Name name, long ttl, Rdata rdata) {
        static Key of(Record r) {
            return new Key(r.name(), r.ttl(), r.rdata());
        }

        static Key ignoringTtl(Record r) {
            return new Key(r.name(), 0, r.rdata());
        }
    }

    /** Zones are equal when they hold the same records for the same origin. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && z.origin.equals(origin) && keys(z).equals(keys(this));
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + keys(this).hashCode();
    }

    @Override
    public String toString() {
        return "zone " + origin + " serial " + serial() + " (" + nodes.size() + " names)";
    }

    private static final class Building {
        final Name owner;
        final int type;
        long ttl;
        final LinkedHashSet<Rdata> rdata = new LinkedHashSet<>();

        Building(Name owner, int type, long ttl) {
            this.owner = owner;
            this.type = type;
            this.ttl = ttl;
        }

        void add(Record r) {
            ttl = Math.min(ttl, r.ttl());
            rdata.add(r.rdata());
        }

        RRset build() {
            return new RRset(owner, type, ttl, new ArrayList<>(rdata));
        }
    }
}
