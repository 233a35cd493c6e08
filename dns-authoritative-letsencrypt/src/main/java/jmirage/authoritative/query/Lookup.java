package jmirage.authoritative.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zones;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * The authoritative lookup of RFC 1034 4.3.2, pure: zones and a question in, the sections of the
 * answer out. Delegations give referrals with glue, CNAME and DNAME (RFC 6672) are followed within
 * the zone, wildcards are expanded as RFC 4592 says, negative answers carry the SOA (RFC 2308 3),
 * and DS is answered from the parent side of a cut (RFC 4035 3.1.4.1).
 */
public final class Lookup {

    /** How many CNAME/DNAME links one answer follows before it stops (loops end here too). */
    public static final int MAX_CHAIN = 12;

    private Lookup() {}

    /** The sections and flags of an answer, before it is put into a message. */
    public record Answer(Rcode rcode, boolean authoritative, List<Record> answer, List<Record> authority,
            List<Record> additional) {
        public Answer {
            answer = List.copyOf(answer);
            authority = List.copyOf(authority);
            additional = List.copyOf(additional);
        }

        static Answer refused() {
            return new Answer(Rcode.REFUSED, false, List.of(), List.of(), List.of());
        }
    }

    /** What ANY gets (RFC 8482 4.1): one RRset of the name, or every RRset (over TCP, as operators expect). */
    public enum AnyPolicy { ONE_RRSET, ALL }

    /** One step of the walk down a zone toward a name. */
    private sealed interface Step {
        /** The name's RRsets answer the question (possibly synthesized from a wildcard). */
        record Found(List<RRset> sets, Optional<Wildcard> wildcard) implements Step {}

        /** A CNAME (real, wildcard-synthesized or DNAME-synthesized) points elsewhere. */
        record Alias(List<Record> records, Name target, Optional<Wildcard> wildcard) implements Step {}

        /** A cut above or at the name: the referral. */
        record Referral(RRset ns) implements Step {}

        record NoData(Optional<Wildcard> wildcard) implements Step {}

        record NxDomain(Name closestEncloser) implements Step {}

        /** RFC 6672 2.2: the DNAME substitution made a name too long. */
        record YxDomain(Record dname) implements Step {}
    }

    /** RFC 4592 3.3.1: a name answered from the wildcard {@code source} below its closest encloser. */
    record Wildcard(Name closestEncloser, Name source) {}

    public static Answer answer(Zones zones, Name qname, int qtype, AnyPolicy anyPolicy) {
        return answer(zones, qname, qtype, anyPolicy, false);
    }

    /**
     * The answer; with {@code dnssecOk} (the query's DO bit, RFC 3225) and a signed zone, with the
     * RRSIGs and the NSEC or NSEC3 proofs of RFC 4035 3.1 and RFC 5155 7.2 ({@link SignedAnswer}).
     */
    public static Answer answer(Zones zones, Name qname, int qtype, AnyPolicy anyPolicy, boolean dnssecOk) {
        Optional<Zones.Indexed> found = zones.lookup(qname);
        if (found.isEmpty()) {
            return Answer.refused(); // not authoritative for it: no recursion here
        }
        Zones.Indexed zone = found.get();
        if (qtype == Type.DS && qname.equals(zone.origin()) && !qname.isRoot()) {
            // RFC 4035 3.1.4.1: DS lives on the parent side of the cut; answer from the parent if served.
            Optional<Zones.Indexed> parent = zones.lookup(qname.parent(1));
            if (parent.isPresent()) {
                zone = parent.get();
            }
        }
        SignedAnswer signed = dnssecOk ? SignedAnswer.of(zone) : SignedAnswer.none();
        List<Record> answer = new ArrayList<>();
        Set<Name> visited = new HashSet<>();
        Name name = qname;
        for (int links = 0; ; links++) {
            visited.add(name);
            Step step = walk(zone, name, qtype, anyPolicy);
            switch (step) {
                case Step.Found f -> {
                    for (RRset set : f.sets()) {
                        answer.addAll(set.records());
                        answer.addAll(signed.signatures(set.records(), f.wildcard()));
                    }
                    Name answered = name;
                    f.wildcard().ifPresent(w -> signed.wildcardAnswer(answered, w));
                    return new Answer(Rcode.NOERROR, true, answer, signed.authority(), signed.withSignatures(additional(zone, answer,
                            List.of())));
                }
                case Step.Alias a -> {
                    answer.addAll(a.records());
                    for (Record r : a.records()) {
                        answer.addAll(signed.signatures(List.of(r), a.wildcard()));
                    }
                    Name aliased = name;
                    a.wildcard().ifPresent(w -> signed.wildcardAnswer(aliased, w));
                    if (qtype == Type.CNAME) {
                        // a DNAME-synthesized CNAME answers a CNAME question; it is not followed (RFC 6672 3.2)
                        return new Answer(Rcode.NOERROR, true, answer, signed.authority(), List.of());
                    }
                    // RFC 1034 4.3.2 step 3a: restart at the canonical name, here only within this zone
                    if (!a.target().isSubdomainOf(zone.origin()) || visited.contains(a.target()) || links + 1 >= MAX_CHAIN) {
                        return new Answer(Rcode.NOERROR, true, answer, signed.authority(), List.of());
                    }
                    name = a.target();
                }
                case Step.Referral r -> {
                    List<Record> ns = r.ns().records();
                    List<Record> authority = new ArrayList<>(ns);
                    authority.addAll(signed.delegation(r.ns().owner()));
                    return new Answer(Rcode.NOERROR, !answer.isEmpty(), answer, authority, signed.withSignatures(glue(zone, ns)));
                }
                case Step.NoData n -> {
                    signed.noData(name, qtype, n.wildcard());
                    return new Answer(Rcode.NOERROR, true, answer, negative(zone, signed), List.of());
                }
                case Step.NxDomain n -> {
                    signed.nameError(name, n.closestEncloser());
                    return new Answer(Rcode.NXDOMAIN, true, answer, negative(zone, signed), List.of());
                }
                case Step.YxDomain y -> {
                    answer.add(y.dname());
                    return new Answer(Rcode.YXDOMAIN, true, answer, List.of(), List.of());
                }
            }
        }
    }

    /** Walks from the zone's apex down to {@code qname}: cuts, DNAMEs, then the name or a wildcard. */
    private static Step walk(Zones.Indexed zone, Name qname, int qtype, AnyPolicy anyPolicy) {
        int depth = qname.labelCount() - zone.origin().labelCount();
        for (int strip = depth; strip >= 0; strip--) {
            Name n = qname.parent(strip);
            Map<Integer, RRset> node = zone.node(n);
            boolean atApex = strip == depth;
            boolean atQname = strip == 0;
            RRset ns = node.get(Type.NS);
            if (!atApex && ns != null && !(atQname && qtype == Type.DS)) {
                return new Step.Referral(ns); // RFC 1034 4.3.2 step 3b
            }
            RRset dname = node.get(Type.DNAME);
            if (dname != null && !atQname) {
                return substitute(qname, n, dname); // RFC 6672 3.2
            }
            if (!atApex && !exists(zone, n, qtype)) {
                return wildcard(zone, qname, qname.parent(strip + 1), qtype, anyPolicy);
            }
        }
        return at(zone.node(qname), qname, qtype, anyPolicy, Optional.empty());
    }

    /**
     * RFC 4592 3.3.1: the closest encloser exists, the name does not; its wildcard child, the source
     * of synthesis, answers if it exists. A source that is an empty non-terminal (it has only names
     * below it) still matches, and gives NODATA (RFC 4592 4.9).
     */
    private static Step wildcard(Zones.Indexed zone, Name qname, Name closestEncloser, int qtype, AnyPolicy anyPolicy) {
        Name source = closestEncloser.prepend(new byte[] {'*'}).orElse(null);
        if (source == null || !zone.exists(source)) {
            return new Step.NxDomain(closestEncloser);
        }
        return at(zone.node(source), qname, qtype, anyPolicy, Optional.of(new Wildcard(closestEncloser, source)));
    }

    /** The answer at a node that exists, with its records owned by {@code owner} (wildcards: the query name). */
    private static Step at(Map<Integer, RRset> node, Name owner, int qtype, AnyPolicy anyPolicy,
            Optional<Wildcard> wildcard) {
        if (qtype == Type.ANY) {
            // RRSIGs go with the RRsets they cover, for a requester with DO (RFC 4035 3.1.1); NSEC last
            List<RRset> sets = node.values().stream().filter(s -> s.type() != Type.RRSIG)
                    .sorted((a, b) -> Integer.compare(a.type() == Type.NSEC ? Integer.MAX_VALUE : a.type(),
                            b.type() == Type.NSEC ? Integer.MAX_VALUE : b.type()))
                    .map(s -> rename(s, owner)).toList();
            if (sets.isEmpty()) {
                return new Step.NoData(wildcard);
            }
            RRset cname = node.get(Type.CNAME);
            if (anyPolicy == AnyPolicy.ONE_RRSET) {
                // RFC 8482 4.1: one RRset is enough; a CNAME is the one a client would follow
                return new Step.Found(List.of(cname != null ? rename(cname, owner) : sets.getFirst()), wildcard);
            }
            return new Step.Found(sets, wildcard);
        }
        RRset wanted = node.get(qtype);
        if (wanted != null) {
            return new Step.Found(List.of(rename(wanted, owner)), wildcard);
        }
        RRset cname = node.get(Type.CNAME);
        if (cname != null && qtype != Type.RRSIG && qtype != Type.NSEC) {
            // RFC 2181 10.1, RFC 4035 2.5: RRSIG and NSEC live beside a CNAME, so a question for them is not redirected
            Name target = ((Rdata.Cname) cname.rdata().getFirst()).target();
            return new Step.Alias(rename(cname, owner).records(), target, wildcard);
        }
        return new Step.NoData(wildcard);
    }

    /**
     * Whether a name exists for this question. RFC 5155 7.2.8: an NSEC3 owner name exists only for a
     * question of type NSEC3; for any other it is a name that does not exist.
     */
    private static boolean exists(Zones.Indexed zone, Name name, int qtype) {
        if (!zone.exists(name)) {
            return false;
        }
        Map<Integer, RRset> node = zone.node(name);
        boolean nsec3Only = node.containsKey(Type.NSEC3)
                && node.keySet().stream().allMatch(t -> t == Type.NSEC3 || t == Type.RRSIG);
        return !nsec3Only || qtype == Type.NSEC3;
    }

    /** RFC 6672 2.2: replace the DNAME owner suffix of the name by the DNAME target, and synthesize a CNAME. */
    private static Step substitute(Name qname, Name dnameOwner, RRset dname) {
        Name target = ((Rdata.Dname) dname.rdata().getFirst()).target();
        Record dnameRecord = dname.records().getFirst();
        int keep = qname.labelCount() - dnameOwner.labelCount();
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < keep; i++) {
            labels.add(qname.label(i));
        }
        for (int i = 0; i < target.labelCount(); i++) {
            labels.add(target.label(i));
        }
        Optional<Name> synthesized = Name.ofLabels(labels).map(Optional::of).orElse(Optional.empty());
        if (synthesized.isEmpty()) {
            return new Step.YxDomain(dnameRecord);
        }
        // RFC 6672 3.1: the synthesized CNAME has the DNAME's TTL
        Record cname = new Record(qname, DnsClass.IN, dname.ttl(), new Rdata.Cname(synthesized.get()));
        return new Step.Alias(List.of(dnameRecord, cname), synthesized.get(), Optional.empty());
    }

    private static RRset rename(RRset set, Name owner) {
        return set.owner().equalsExact(owner) ? set : new RRset(owner, set.type(), set.ttl(), set.rdata());
    }

    /** The authority section of a negative answer: the SOA, and with DNSSEC its RRSIG and the denial proofs. */
    private static List<Record> negative(Zones.Indexed zone, SignedAnswer signed) {
        Record soa = negativeSoa(zone);
        List<Record> out = new ArrayList<>();
        out.add(soa);
        out.addAll(signed.signatures(List.of(soa), Optional.empty()));
        out.addAll(signed.authority());
        return out;
    }

    /** RFC 2308 3: the SOA of a negative answer has the lower of its TTL and its MINIMUM field as TTL. */
    static Record negativeSoa(Zones.Indexed zone) {
        RRset soa = zone.zone().soaSet();
        Rdata.Soa data = zone.zone().soa();
        return new Record(soa.owner(), DnsClass.IN, Math.min(soa.ttl(), data.minimum()), data);
    }

    /** RFC 1034 4.3.2 step 3b: the addresses of the name servers of a referral that the zone holds, glue included. */
    private static List<Record> glue(Zones.Indexed zone, List<Record> ns) {
        Set<Record> out = new LinkedHashSet<>();
        for (Record r : ns) {
            Name host = ((Rdata.Ns) r.rdata()).host();
            if (host.isSubdomainOf(zone.origin())) {
                addresses(zone, host, out);
            }
        }
        return List.copyOf(out);
    }

    /**
     * RFC 1035 3.3.9, 3.3.11, RFC 2782, RFC 9460 4.1: addresses of the targets of NS, MX, SRV, SVCB and HTTPS answers, when this
     * zone holds them with authority (not below a cut).
     */
    private static List<Record> additional(Zones.Indexed zone, List<Record> answer, List<Record> already) {
        Set<Record> out = new LinkedHashSet<>();
        for (Record r : answer) {
            Name target = switch (r.rdata()) {
                case Rdata.Ns ns -> ns.host();
                case Rdata.Mx mx -> mx.exchange();
                case Rdata.Srv srv -> srv.target();
                // RFC 9460 4.1; a target of "." (the owner itself) adds nothing: the client asked about that name already
                case Rdata.Svcb svcb -> svcb.target().isRoot() ? null : svcb.target();
                default -> null;
            };
            if (target != null && target.isSubdomainOf(zone.origin()) && !belowCut(zone, target)) {
                addresses(zone, target, out);
            }
        }
        out.removeAll(answer);
        out.removeAll(already);
        return List.copyOf(out);
    }

    private static void addresses(Zones.Indexed zone, Name host, Set<Record> out) {
        zone.rrset(host, Type.A).ifPresent(s -> out.addAll(s.records()));
        zone.rrset(host, Type.AAAA).ifPresent(s -> out.addAll(s.records()));
    }

    private static boolean belowCut(Zones.Indexed zone, Name name) {
        int depth = name.labelCount() - zone.origin().labelCount();
        for (int strip = depth - 1; strip >= 0; strip--) {
            Name n = name.parent(strip);
            if (zone.node(n).containsKey(Type.NS) || zone.node(n).containsKey(Type.DNAME) && strip > 0) {
                return true;
            }
        }
        return false;
    }
}
