package jmirage.authoritative.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;

/**
 * What a DNSSEC-aware answer from a pre-signed zone adds (RFC 4035 3.1): the RRSIGs of the RRsets
 * given, and in the authority section the NSEC (RFC 4035 3.1.3) or NSEC3 (RFC 5155 7.2) records,
 * with their RRSIGs, that prove a name or a type absent, a wildcard expansion right, or a
 * delegation unsigned; the signed DS of a secure delegation (RFC 4035 3.1.4). Without the DO bit or
 * for an unsigned zone it adds nothing. One lives for one answer and collects its proofs.
 */
final class SignedAnswer {

    private final Zones.Indexed zone;
    private final boolean active;
    private final Optional<Rdata.Nsec3param> nsec3;
    private final Set<Record> authority = new LinkedHashSet<>();

    private SignedAnswer(Zones.Indexed zone, boolean active) {
        this.zone = zone;
        this.active = active;
        this.nsec3 = zone == null ? Optional.empty()
                : zone.rrset(zone.origin(), Type.NSEC3PARAM).map(s -> (Rdata.Nsec3param) s.rdata().getFirst());
    }

    /** For a query with DO: active when the zone is signed (its apex has RRSIGs). */
    static SignedAnswer of(Zones.Indexed zone) {
        return new SignedAnswer(zone, zone.node(zone.origin()).containsKey(Type.RRSIG));
    }

    /** Inactive, it never collects anything: one instance serves every answer without DO. */
    private static final SignedAnswer NONE = new SignedAnswer(null, false);

    static SignedAnswer none() {
        return NONE;
    }

    /**
     * The RRSIGs over {@code rrset} (one owner and type), from the wildcard's source when it was
     * synthesized (RFC 4035 3.1.3.3: the signature of the wildcard, with the query name as owner),
     * with the RRset's TTL. A DNAME-synthesized CNAME has none (RFC 6672 5.3).
     */
    List<Record> signatures(List<Record> rrset, Optional<Lookup.Wildcard> wildcard) {
        if (!active || rrset.isEmpty()) {
            return List.of();
        }
        Record first = rrset.getFirst();
        Name source = wildcard.map(Lookup.Wildcard::source).orElse(first.name());
        Optional<RRset> sigs = zone.rrset(source, Type.RRSIG);
        if (sigs.isEmpty()) {
            return List.of();
        }
        List<Record> out = new ArrayList<>();
        for (Rdata r : sigs.get().rdata()) {
            if (r instanceof Rdata.Rrsig sig && sig.typeCovered() == first.type()) {
                out.add(new Record(first.name(), DnsClass.IN, first.ttl(), sig));
            }
        }
        return out;
    }

    /**
     * RFC 4035 3.1.1: the records of the additional section with the RRSIGs of their RRsets (glue
     * has none: it is not the zone's data).
     */
    List<Record> withSignatures(List<Record> records) {
        if (!active) {
            return records;
        }
        Map<String, List<Record>> sets = new java.util.LinkedHashMap<>();
        for (Record r : records) {
            sets.computeIfAbsent(r.name().toLowerCase() + "/" + r.type(), k -> new ArrayList<>()).add(r);
        }
        List<Record> out = new ArrayList<>();
        for (List<Record> set : sets.values()) {
            out.addAll(set);
            out.addAll(signatures(set, Optional.empty()));
        }
        return out;
    }

    /** The proofs collected, each with its RRSIGs, for the authority section. */
    List<Record> authority() {
        return List.copyOf(authority);
    }

    /** RFC 4035 3.1.3.3, RFC 5155 7.2.6: no closer match than the wildcard (the next closer name does not exist). */
    void wildcardAnswer(Name qname, Lookup.Wildcard w) {
        if (!active) {
            return;
        }
        if (nsec3.isPresent()) {
            coveringNsec3(nextCloser(qname, w.closestEncloser()));
        } else {
            coveringNsec(qname);
        }
    }

    /**
     * NODATA: RFC 4035 3.1.3.1 (the NSEC of the name; the covering one for an empty non-terminal)
     * and 3.1.3.4 (wildcard: the source's NSEC and the one covering the name); RFC 5155 7.2.3 (the
     * matching NSEC3), 7.2.4 (DS under opt-out: the closest encloser proof) and 7.2.5 (wildcard: the
     * closest encloser proof and the source's NSEC3).
     */
    void noData(Name qname, int qtype, Optional<Lookup.Wildcard> wildcard) {
        if (!active) {
            return;
        }
        if (nsec3.isPresent()) {
            if (wildcard.isPresent()) {
                closestEncloserProof(qname, wildcard.get().closestEncloser());
                matchingNsec3(wildcard.get().source());
            } else if (!matchingNsec3(qname)) {
                closestEncloserProof(qname, provableEncloser(qname));
            }
        } else if (wildcard.isPresent()) {
            matchingNsec(wildcard.get().source());
            coveringNsec(qname);
        } else if (!matchingNsec(qname)) {
            coveringNsec(qname);
        }
    }

    /** NXDOMAIN: RFC 4035 3.1.3.2 (NSECs covering the name and the wildcard), RFC 5155 7.2.2. */
    void nameError(Name qname, Name closestEncloser) {
        if (!active) {
            return;
        }
        Optional<Name> wildcard = closestEncloser.prepend(new byte[] {'*'}).map(Optional::of).orElse(Optional.empty());
        if (nsec3.isPresent()) {
            closestEncloserProof(qname, closestEncloser);
            wildcard.ifPresent(this::coveringNsec3);
        } else {
            coveringNsec(qname);
            wildcard.ifPresent(this::coveringNsec);
        }
    }

    /**
     * For a referral, the proofs collected so far and, after RFC 4035 3.1.4: the signed DS of the child, or the proof it has none: the NSEC at the cut, or
     * the NSEC3 matching it, or under opt-out the closest encloser proof (RFC 5155 7.2.7).
     */
    List<Record> delegation(Name cut) {
        if (!active) {
            return List.of();
        }
        Optional<RRset> ds = zone.rrset(cut, Type.DS);
        if (ds.isPresent()) {
            addWithSignatures(ds.get());
        } else if (nsec3.isPresent()) {
            if (!matchingNsec3(cut)) {
                closestEncloserProof(cut, provableEncloser(cut));
            }
        } else {
            matchingNsec(cut);
        }
        return authority();
    }

    private boolean matchingNsec(Name name) {
        Optional<RRset> nsec = zone.rrset(name, Type.NSEC);
        nsec.ifPresent(this::addWithSignatures);
        return nsec.isPresent();
    }

    /** RFC 4035 3.1.3.2: the NSEC whose owner comes last before {@code name} in canonical order. */
    private void coveringNsec(Name name) {
        NavigableMap<Name, Map<Integer, RRset>> nodes = zone.zone().nodes();
        for (Map.Entry<Name, Map<Integer, RRset>> e = nodes.lowerEntry(name); e != null; e = nodes.lowerEntry(e.getKey())) {
            RRset nsec = e.getValue().get(Type.NSEC);
            if (nsec != null) {
                addWithSignatures(nsec);
                return;
            }
        }
    }

    private boolean matchingNsec3(Name name) {
        Optional<Bytes> hash = hash(name);
        Name owner = hash.map(h -> zone.nsec3Owners().get(h)).orElse(null);
        if (owner == null) {
            return false;
        }
        zone.rrset(owner, Type.NSEC3).ifPresent(this::addWithSignatures);
        return true;
    }

    /** RFC 5155 1.3: the NSEC3 whose owner hash comes last before the name's hash, the last one wrapping. */
    private void coveringNsec3(Name name) {
        hash(name).ifPresent(h -> {
            NavigableMap<Bytes, Name> chain = zone.nsec3Owners();
            Map.Entry<Bytes, Name> e = chain.lowerEntry(h);
            if (e == null) {
                e = chain.lastEntry();
            }
            if (e != null) {
                zone.rrset(e.getValue(), Type.NSEC3).ifPresent(this::addWithSignatures);
            }
        });
    }

    /** RFC 5155 7.2.1: the NSEC3 matching the closest encloser and the one covering the next closer name. */
    private void closestEncloserProof(Name qname, Name closestEncloser) {
        matchingNsec3(closestEncloser);
        if (!qname.equals(closestEncloser)) {
            coveringNsec3(nextCloser(qname, closestEncloser));
        }
    }

    /** The nearest ancestor of {@code name} (or itself) that has an NSEC3: under opt-out, an unsigned cut has none. */
    private Name provableEncloser(Name name) {
        Name n = name;
        while (!n.equals(zone.origin()) && hash(n).map(h -> zone.nsec3Owners().get(h)).isEmpty()) {
            n = n.parent(1);
        }
        return n;
    }

    /** RFC 5155 1.3: the name one label longer than the closest encloser, on the way to {@code qname}. */
    private static Name nextCloser(Name qname, Name closestEncloser) {
        return qname.parent(qname.labelCount() - closestEncloser.labelCount() - 1);
    }

    private Optional<Bytes> hash(Name name) {
        Rdata.Nsec3param p = nsec3.orElseThrow();
        return Dnssec.nsec3Hash(name, p.hashAlgorithm(), p.iterations(), p.salt()).map(Optional::of).orElse(Optional.empty());
    }

    private void addWithSignatures(RRset set) {
        authority.addAll(set.records());
        authority.addAll(signatures(set.records(), Optional.empty()));
    }
}
