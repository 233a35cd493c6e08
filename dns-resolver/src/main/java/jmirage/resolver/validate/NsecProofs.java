package jmirage.resolver.validate;

import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Type;

/** Denial of existence with NSEC records already verified (RFC 4035 5.4, RFC 6840 4). */
final class NsecProofs {

    /** An NSEC of {@code zone} (its signer). */
    record Nsec(Name zone, Name owner, Rdata.Nsec data) {
        boolean has(int type) {
            return data.types().contains(type);
        }

        /** RFC 6840 4.1: the parent side of a delegation, or a DNAME, says nothing about names below it. */
        boolean provesBelow() {
            return !(has(Type.NS) && !has(Type.SOA)) && !has(Type.DNAME);
        }
    }

    private final List<Nsec> nsecs;

    NsecProofs(List<Nsec> nsecs) {
        this.nsecs = List.copyOf(nsecs);
    }

    boolean isEmpty() {
        return nsecs.isEmpty();
    }

    /** RFC 4034 4.1.1: owner < name < next in canonical order; the last NSEC of a zone wraps to the apex. */
    static boolean covers(Nsec n, Name name) {
        Name owner = n.owner(), next = n.data().next();
        if (!next.isSubdomainOf(n.zone()) || !owner.isSubdomainOf(n.zone())) {
            return false; // an NSEC reaching outside its zone denies nothing (unbound's val_nx_overreach)
        }
        if (name.compareTo(owner) <= 0) {
            return false;
        }
        if (name.isSubdomainOf(owner) && !n.provesBelow()) {
            return false;
        }
        if (owner.compareTo(next) < 0) {
            return name.compareTo(next) < 0;
        }
        return name.isSubdomainOf(next); // the last NSEC: next is the apex
    }

    /** The closest encloser an NSEC covering {@code name} implies (RFC 4035 5.4): the longest ancestor shared with its owner or next name. */
    static Name closestEncloser(Nsec n, Name name) {
        Name a = commonAncestor(name, n.owner());
        Name b = commonAncestor(name, n.data().next());
        return a.labelCount() >= b.labelCount() ? a : b;
    }

    static Name commonAncestor(Name a, Name b) {
        for (int strip = 0; strip <= a.labelCount(); strip++) {
            Name candidate = a.parent(strip);
            if (b.isSubdomainOf(candidate)) {
                return candidate;
            }
        }
        return Name.ROOT;
    }

    Optional<Nsec> covering(Name name) {
        return nsecs.stream().filter(n -> covers(n, name)).findFirst();
    }

    Optional<Nsec> at(Name name) {
        return nsecs.stream().filter(n -> n.owner().equals(name)).findFirst();
    }

    static Name wildcard(Name encloser) {
        return encloser.prepend(new byte[] {'*'}).orElse(encloser);
    }

    /** RFC 4035 5.4: the name is covered and so is the wildcard at its closest encloser. */
    Denial nameError(Name qname) {
        Optional<Nsec> n = covering(qname);
        if (n.isEmpty()) {
            return new Denial.Failed("no NSEC covers " + qname);
        }
        Name ce = closestEncloser(n.get(), qname);
        if (ce.equals(qname)) {
            return new Denial.Failed(qname + " is an empty non-terminal"); // names exist below it
        }
        Name wc = wildcard(ce);
        if (covering(wc).isEmpty() && !wc.equals(qname)) {
            return new Denial.Failed("no NSEC covers the wildcard " + wc);
        }
        return Denial.PROVED;
    }

    /**
     * RFC 4035 5.4 and RFC 4035 3.1.3.2: an NSEC at the name without the type (nor CNAME); an empty
     * non-terminal (an NSEC covering the name whose next name is below it); or a wildcard NODATA
     * (the name covered, an NSEC at the wildcard of its closest encloser without the type).
     */
    Denial noData(Name qname, int qtype) {
        Optional<Nsec> at = at(qname);
        if (at.isPresent()) {
            Nsec n = at.get();
            if (n.has(qtype) || n.has(Type.CNAME)) {
                return new Denial.Failed("the NSEC at " + qname + " lists " + Type.name(n.has(qtype) ? qtype : Type.CNAME));
            }
            // RFC 4035 5.4: the parent side of a delegation proves no DS, nothing about the child's data
            if (qtype != Type.DS && n.has(Type.NS) && !n.has(Type.SOA)) {
                return new Denial.Failed("the NSEC at " + qname + " is a delegation's");
            }
            if (qtype == Type.DS && n.has(Type.SOA) && !qname.isRoot()) {
                return new Denial.Failed("the NSEC at " + qname + " is from the child zone");
            }
            return Denial.PROVED;
        }
        Optional<Nsec> cover = covering(qname);
        if (cover.isEmpty()) {
            return new Denial.Failed("no NSEC at or covering " + qname);
        }
        Name next = cover.get().data().next();
        if (next.isSubdomainOf(qname) && !next.equals(qname)) {
            return Denial.PROVED; // an empty non-terminal
        }
        Name wc = wildcard(closestEncloser(cover.get(), qname));
        Optional<Nsec> atWildcard = at(wc);
        if (atWildcard.isPresent() && !atWildcard.get().has(qtype) && !atWildcard.get().has(Type.CNAME)) {
            return Denial.PROVED;
        }
        return new Denial.Failed("no NSEC proves " + qname + " has no " + Type.name(qtype));
    }

    /** RFC 4035 5.3.4: an answer expanded from {@code *.wildcardParent} needs the name itself denied. */
    Denial wildcardAnswer(Name owner, Name wildcardParent) {
        Optional<Nsec> n = covering(owner);
        if (n.isEmpty()) {
            return new Denial.Failed("no NSEC proves " + owner + " does not exist");
        }
        if (!closestEncloser(n.get(), owner).equals(wildcardParent)) {
            return new Denial.Failed("a name closer to " + owner + " than " + wildcardParent + " exists");
        }
        return Denial.PROVED;
    }
}
