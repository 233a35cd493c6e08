package jmirage.authoritative.update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.dns.DnsClass;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * Dynamic update (RFC 2136), pure: a zone and an UPDATE message in, the new zone or the rcode out.
 * Sections are read as RFC 2136 2 names them: the question is the zone, the answers are the
 * prerequisites, the authority records are the updates. Who may update is the caller's business
 * (3.3: the TSIG key's privilege).
 */
public final class UpdateCore {

    private UpdateCore() {}

    /** What an update did. */
    public sealed interface Outcome {
        /** Applied: {@code zone} is the new zone (the same as before when nothing changed). */
        record Applied(Zone zone, boolean changed) implements Outcome {}

        /** Refused with {@code rcode}; the zone is unchanged. */
        record Rejected(Rcode rcode, String reason) implements Outcome {}
    }

    /** RFC 2136 3.1.1: the zone section names one zone, type SOA, class IN. Empty when fine. */
    public static Optional<Outcome.Rejected> checkZoneSection(Message update) {
        if (update.questions().size() != 1) {
            return Optional.of(new Outcome.Rejected(Rcode.FORMERR, "the zone section holds "
                    + update.questions().size() + " records, not one"));
        }
        var q = update.questions().getFirst();
        if (q.qtype() != Type.SOA) {
            return Optional.of(new Outcome.Rejected(Rcode.FORMERR, "the zone section's type is " + Type.name(q.qtype())));
        }
        if (q.qclass() != DnsClass.IN) {
            return Optional.of(new Outcome.Rejected(Rcode.NOTAUTH, "class " + DnsClass.name(q.qclass()) + " is not served"));
        }
        return Optional.empty();
    }

    /** Applies the update to {@code zone}: RFC 2136 3.2 prerequisites, 3.4 updates, 3.6 serial, then the zone checks. */
    public static Outcome apply(Zone zone, Message update) {
        Optional<Outcome.Rejected> bad = checkZoneSection(update);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (!update.questions().getFirst().name().equals(zone.origin())) {
            return new Outcome.Rejected(Rcode.NOTAUTH, update.questions().getFirst().name() + " is not " + zone.origin());
        }
        Optional<Outcome.Rejected> failed = prerequisites(zone, update.answers());
        if (failed.isPresent()) {
            return failed.get();
        }
        failed = prescan(zone, update.authority());
        if (failed.isPresent()) {
            return failed.get();
        }
        Model model = new Model(zone);
        for (Record r : update.authority()) {
            model.apply(r);
        }
        if (!model.changed) {
            return new Outcome.Applied(zone, false);
        }
        // RFC 2136 3.6: the serial grows with every change, unless the update raised it itself
        Rdata.Soa soa = (Rdata.Soa) model.sets(zone.origin()).get(Type.SOA).rdata.iterator().next();
        if (!Serial.greater(soa.serial(), zone.serial())) {
            model.replaceSoa(new Rdata.Soa(soa.mname(), soa.rname(), Serial.next(zone.serial()), soa.refresh(),
                    soa.retry(), soa.expire(), soa.minimum()));
        }
        var built = Zone.of(zone.origin(), model.records());
        return switch (built) {
            case jmirage.core.Result.Ok<Zone, ZoneError>(Zone z) -> z.equals(zone)
                    ? new Outcome.Applied(zone, false) : new Outcome.Applied(z, true);
            case jmirage.core.Result.Err<Zone, ZoneError>(ZoneError broken) ->
                    new Outcome.Rejected(Rcode.REFUSED, "the zone would be broken: " + broken.describe());
        };
    }

    /** RFC 2136 3.2. */
    static Optional<Outcome.Rejected> prerequisites(Zone zone, List<Record> prereqs) {
        Map<Name, Map<Integer, LinkedHashSet<Rdata>>> temp = new LinkedHashMap<>();
        for (Record r : prereqs) {
            if (r.ttl() != 0) {
                return rejected(Rcode.FORMERR, "prerequisite " + r.name() + " has a TTL");
            }
            if (!r.name().isSubdomainOf(zone.origin())) {
                return rejected(Rcode.NOTZONE, "prerequisite " + r.name() + " is outside " + zone.origin());
            }
            boolean empty = isEmpty(r.rdata());
            switch (r.rrClass()) {
                case DnsClass.ANY -> {
                    if (!empty) {
                        return rejected(Rcode.FORMERR, "prerequisite " + r.name() + " of class ANY has data");
                    }
                    if (r.type() == Type.ANY) {
                        if (zone.node(r.name()).isEmpty()) {
                            return rejected(Rcode.NXDOMAIN, r.name() + " is not in use");
                        }
                    } else if (zone.rrset(r.name(), r.type()).isEmpty()) {
                        return rejected(Rcode.NXRRSET, r.name() + " has no " + Type.name(r.type()));
                    }
                }
                case DnsClass.NONE -> {
                    if (!empty) {
                        return rejected(Rcode.FORMERR, "prerequisite " + r.name() + " of class NONE has data");
                    }
                    if (r.type() == Type.ANY) {
                        if (!zone.node(r.name()).isEmpty()) {
                            return rejected(Rcode.YXDOMAIN, r.name() + " is in use");
                        }
                    } else if (zone.rrset(r.name(), r.type()).isPresent()) {
                        return rejected(Rcode.YXRRSET, r.name() + " has " + Type.name(r.type()));
                    }
                }
                case DnsClass.IN -> {
                    if (empty || r.type() == Type.ANY) {
                        return rejected(Rcode.FORMERR, "prerequisite " + r.name() + " of class IN has no data");
                    }
                    temp.computeIfAbsent(r.name(), n -> new LinkedHashMap<>())
                            .computeIfAbsent(r.type(), t -> new LinkedHashSet<>()).add(r.rdata());
                }
                default -> {
                    return rejected(Rcode.FORMERR, "prerequisite " + r.name() + " of class " + DnsClass.name(r.rrClass()));
                }
            }
        }
        for (var byName : temp.entrySet()) {
            for (var byType : byName.getValue().entrySet()) {
                Optional<RRset> have = zone.rrset(byName.getKey(), byType.getKey());
                if (have.isEmpty() || !new LinkedHashSet<>(have.get().rdata()).equals(byType.getValue())) {
                    return rejected(Rcode.NXRRSET, byName.getKey() + " " + Type.name(byType.getKey()) + " differs");
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 2136 3.4.1. */
    static Optional<Outcome.Rejected> prescan(Zone zone, List<Record> updates) {
        for (Record r : updates) {
            if (!r.name().isSubdomainOf(zone.origin())) {
                return rejected(Rcode.NOTZONE, "update " + r.name() + " is outside " + zone.origin());
            }
            int t = r.type();
            boolean meta = t == Type.ANY || t == Type.AXFR || t == Type.IXFR || t == 253 || t == 254
                    || t == Type.OPT || t == Type.TSIG;
            switch (r.rrClass()) {
                case DnsClass.IN -> {
                    if (meta || isEmpty(r.rdata())) {
                        return rejected(Rcode.FORMERR, "update " + r.name() + ": cannot add " + Type.name(t));
                    }
                }
                case DnsClass.ANY -> {
                    if (r.ttl() != 0 || !isEmpty(r.rdata()) || (meta && t != Type.ANY)) {
                        return rejected(Rcode.FORMERR, "update " + r.name() + ": a delete of class ANY with a TTL or data");
                    }
                }
                case DnsClass.NONE -> {
                    if (r.ttl() != 0 || meta || isEmpty(r.rdata())) {
                        return rejected(Rcode.FORMERR, "update " + r.name() + ": a delete of class NONE needs data and no TTL");
                    }
                }
                default -> {
                    return rejected(Rcode.FORMERR, "update " + r.name() + " of class " + DnsClass.name(r.rrClass()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isEmpty(Rdata rdata) {
        return rdata instanceof Rdata.Empty || rdata instanceof Rdata.Opaque o && o.data().isEmpty();
    }

    private static Optional<Outcome.Rejected> rejected(Rcode rcode, String reason) {
        return Optional.of(new Outcome.Rejected(rcode, reason));
    }

    /** The zone being changed, RRset by RRset (RFC 2136 3.4.2). */
    private static final class Model {
        final Name origin;
        final Rdata.Soa oldSoa;
        final TreeMap<Name, Map<Integer, Set>> nodes = new TreeMap<>();
        boolean changed;

        static final class Set {
            long ttl;
            final LinkedHashSet<Rdata> rdata;

            Set(long ttl, LinkedHashSet<Rdata> rdata) {
                this.ttl = ttl;
                this.rdata = rdata;
            }
        }

        Model(Zone zone) {
            origin = zone.origin();
            oldSoa = zone.soa();
            zone.nodes().forEach((name, sets) -> {
                Map<Integer, Set> copy = new LinkedHashMap<>();
                sets.forEach((type, set) -> copy.put(type, new Set(set.ttl(), new LinkedHashSet<>(set.rdata()))));
                nodes.put(name, copy);
            });
        }

        Map<Integer, Set> sets(Name name) {
            return nodes.getOrDefault(name, Map.of());
        }

        void apply(Record r) {
            Name name = r.name();
            int type = r.type();
            switch (r.rrClass()) {
                case DnsClass.IN -> add(r);
                case DnsClass.ANY -> {
                    Map<Integer, Set> sets = nodes.get(name);
                    if (sets == null) {
                        return;
                    }
                    if (type == Type.ANY) {
                        // 3.4.2.3: all RRsets at the name, but the apex keeps its SOA and NS
                        boolean apex = name.equals(origin);
                        boolean removed = sets.keySet().removeIf(t -> !apex || (t != Type.SOA && t != Type.NS));
                        changed |= removed;
                    } else if (name.equals(origin) && (type == Type.SOA || type == Type.NS)) {
                        return; // 3.4.2.3: the apex SOA and NS RRsets are never deleted whole
                    } else {
                        changed |= sets.remove(type) != null;
                    }
                    if (sets.isEmpty()) {
                        nodes.remove(name);
                    }
                }
                case DnsClass.NONE -> {
                    Map<Integer, Set> sets = nodes.get(name);
                    if (sets == null || type == Type.SOA) {
                        return; // 3.4.2.4: an SOA is never deleted
                    }
                    Set set = sets.get(type);
                    if (set == null || !set.rdata.contains(r.rdata())) {
                        return;
                    }
                    if (type == Type.NS && name.equals(origin) && set.rdata.size() == 1) {
                        return; // 3.4.2.4: the last NS of the apex stays
                    }
                    set.rdata.remove(r.rdata());
                    changed = true;
                    if (set.rdata.isEmpty()) {
                        sets.remove(type);
                        if (sets.isEmpty()) {
                            nodes.remove(name);
                        }
                    }
                }
                default -> throw new IllegalStateException("prescan let class " + r.rrClass() + " through");
            }
        }

        /** 3.4.2.2: add, replacing the SOA, with the CNAME rules of RFC 1034 3.6.2. */
        private void add(Record r) {
            Name name = r.name();
            int type = r.type();
            Map<Integer, Set> sets = nodes.get(name);
            if (type == Type.SOA) {
                Rdata.Soa soa = (Rdata.Soa) r.rdata();
                if (!name.equals(origin) || !Serial.greater(soa.serial(), oldSoa.serial())) {
                    return; // a lower or equal serial is ignored
                }
                Set current = sets.get(Type.SOA);
                if (!current.rdata.contains(soa) || current.ttl != r.ttl()) {
                    replaceSoa(soa);
                    current.ttl = r.ttl();
                }
                return;
            }
            if (sets != null) {
                boolean hasCname = sets.containsKey(Type.CNAME);
                boolean hasOther = sets.keySet().stream().anyMatch(t -> t != Type.CNAME && !dnssec(t));
                if (type == Type.CNAME && hasOther || type != Type.CNAME && !dnssec(type) && hasCname) {
                    return; // a CNAME and other data cannot share a name: the update RR is ignored
                }
                if (type == Type.CNAME && hasCname) {
                    Set cname = sets.get(Type.CNAME);
                    if (!cname.rdata.contains(r.rdata()) || cname.ttl != r.ttl()) {
                        sets.put(Type.CNAME, new Set(r.ttl(), new LinkedHashSet<>(List.of(r.rdata()))));
                        changed = true;
                    }
                    return;
                }
            }
            Set set = nodes.computeIfAbsent(name, n -> new LinkedHashMap<>())
                    .computeIfAbsent(type, t -> new Set(r.ttl(), new LinkedHashSet<>()));
            // RFC 2181 5.2: one TTL per RRset; the newest record's TTL applies to the whole set
            if (set.rdata.add(r.rdata()) || set.ttl != r.ttl()) {
                set.ttl = r.ttl();
                changed = true;
            }
        }

        private static boolean dnssec(int type) {
            return type == Type.RRSIG || type == Type.NSEC;
        }

        void replaceSoa(Rdata.Soa soa) {
            Set set = nodes.get(origin).get(Type.SOA);
            set.rdata.clear();
            set.rdata.add(soa);
            changed = true;
        }

        List<Record> records() {
            List<Record> out = new ArrayList<>();
            nodes.forEach((name, sets) -> sets.forEach((type, set) -> set.rdata.forEach(
                    rd -> out.add(new Record(name, DnsClass.IN, set.ttl, rd)))));
            return out;
        }
    }

}
