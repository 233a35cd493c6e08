package jmirage.resolver.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Base32Hex;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;

/**
 * Denial of existence with NSEC3 records already verified (RFC 5155 8, RFC 9276). Each record is
 * read with its own parameters (iterations, salt), as unbound does: a zone changing its parameters
 * serves both sets for a while (RFC 5155 10.4), and a record whose owner only collides under other
 * parameters matches nothing.
 */
final class Nsec3Proofs {

    /** An NSEC3 of {@code zone}: its owner's hash decoded. */
    record Nsec3(Name zone, Bytes ownerHash, Rdata.Nsec3 data) {
        boolean has(int type) {
            return data.types().contains(type);
        }

        boolean optOut() {
            return (data.flags() & 1) != 0;
        }
    }

    /** The NSEC3 of a record, if its owner is a hash label directly under the signer zone (RFC 5155 3). */
    static Optional<Nsec3> of(Name owner, Name zone, Rdata.Nsec3 data) {
        if (owner.labelCount() != zone.labelCount() + 1 || !owner.isSubdomainOf(zone)) {
            return Optional.empty();
        }
        return Base32Hex.decode(new String(owner.label(0), java.nio.charset.StandardCharsets.US_ASCII))
                .filter(h -> h.size() == data.nextHashedOwner().size())
                .map(h -> new Nsec3(zone, h, data));
    }

    private record HashKey(Name name, int iterations, Bytes salt) {}

    private final List<Nsec3> usable = new ArrayList<>();
    private final boolean tooManyIterations;
    private final Map<HashKey, Bytes> hashes = new HashMap<>();

    /** Keeps the NSEC3s with SHA-1 hashes (RFC 5155 8.1: other algorithms are ignored). */
    Nsec3Proofs(List<Nsec3> all, int maxIterations) {
        boolean tooMany = false;
        for (Nsec3 n : all) {
            if (n.data().hashAlgorithm() == 1) {
                usable.add(n);
                tooMany |= n.data().iterations() > maxIterations;
            }
        }
        this.tooManyIterations = tooMany;
    }

    boolean isEmpty() {
        return usable.isEmpty();
    }

    private Bytes hash(Name name, Nsec3 under) {
        Rdata.Nsec3 d = under.data();
        return hashes.computeIfAbsent(new HashKey(name.toLowerCase(), d.iterations(), d.salt()), k -> {
            Result<Bytes, ?> r = Dnssec.nsec3Hash(k.name(), 1, k.iterations(), k.salt());
            return r.orElse(Bytes.EMPTY);
        });
    }

    /** The NSEC3 whose owner is the hash of {@code name}. */
    Optional<Nsec3> matching(Name name) {
        return usable.stream().filter(n -> name.isSubdomainOf(n.zone()) && n.ownerHash().equals(hash(name, n))).findFirst();
    }

    /** RFC 5155 3.1.7: owner hash < hash < next hashed owner, the last wrapping around. */
    Optional<Nsec3> covering(Name name) {
        for (Nsec3 n : usable) {
            if (!name.isSubdomainOf(n.zone())) {
                continue;
            }
            Bytes h = hash(name, n);
            Bytes owner = n.ownerHash(), next = n.data().nextHashedOwner();
            boolean covered = owner.compareTo(next) < 0
                    ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                    : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
            if (covered) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** RFC 5155 8.3: the closest encloser (matched) and the next closer name (covered). */
    record Encloser(Name closest, Name nextCloser, Nsec3 nextCloserCover) {}

    Result<Encloser, String> closestEncloser(Name qname) {
        Name zone = usable.getFirst().zone();
        if (!qname.isSubdomainOf(zone)) {
            return Result.err(qname + " is not in the NSEC3 zone " + zone);
        }
        for (int strip = 1; strip <= qname.labelCount() - zone.labelCount(); strip++) {
            Name candidate = qname.parent(strip);
            Optional<Nsec3> m = matching(candidate);
            if (m.isPresent()) {
                // RFC 5155 8.3: a delegation's or a DNAME's NSEC3 says nothing about the names below it
                if ((m.get().has(Type.NS) && !m.get().has(Type.SOA)) || m.get().has(Type.DNAME)) {
                    return Result.err("the closest encloser " + candidate + " is a delegation or DNAME");
                }
                Name nextCloser = qname.parent(strip - 1);
                Optional<Nsec3> cover = covering(nextCloser);
                return cover.<Result<Encloser, String>>map(c -> Result.ok(new Encloser(candidate, nextCloser, c)))
                        .orElseGet(() -> Result.err("no NSEC3 covers the next closer name " + nextCloser));
            }
        }
        return Result.err("no NSEC3 proves a closest encloser of " + qname);
    }

    /** No usable NSEC3 fails the proof; iterations above the limit make it insecure (RFC 9276 3.2). */
    Optional<Denial> limits() {
        if (usable.isEmpty()) {
            return Optional.of(new Denial.Failed("no NSEC3 with a supported hash"));
        }
        if (tooManyIterations) {
            return Optional.of(new Denial.Insecure("NSEC3 iterations above the limit (RFC 9276)"));
        }
        return Optional.empty();
    }

    /** RFC 5155 8.4: closest encloser, next closer covered, wildcard at the closest encloser covered. */
    Denial nameError(Name qname) {
        Optional<Denial> limit = limits();
        if (limit.isPresent()) {
            return limit.get();
        }
        return switch (closestEncloser(qname)) {
            case Result.Err<Encloser, String>(String why) -> new Denial.Failed(why);
            case Result.Ok<Encloser, String>(Encloser e) -> {
                if (covering(NsecProofs.wildcard(e.closest())).isEmpty()) {
                    yield new Denial.Failed("no NSEC3 covers the wildcard at " + e.closest());
                }
                // RFC 5155 9.2: an opt-out span may hide an unsigned delegation the name is under
                yield e.nextCloserCover().optOut() ? new Denial.Insecure("opt-out span covers " + e.nextCloser())
                        : Denial.PROVED;
            }
        };
    }

    /**
     * RFC 5155 8.5-8.7: a matching NSEC3 without the type (nor CNAME); for DS, a closest encloser
     * whose next closer name is in an opt-out span (insecure); a wildcard NODATA.
     */
    Denial noData(Name qname, int qtype) {
        Optional<Denial> limit = limits();
        if (limit.isPresent()) {
            return limit.get();
        }
        Optional<Nsec3> m = matching(qname);
        if (m.isPresent()) {
            Nsec3 n = m.get();
            if (n.has(qtype) || n.has(Type.CNAME)) {
                return new Denial.Failed("the NSEC3 of " + qname + " lists " + Type.name(n.has(qtype) ? qtype : Type.CNAME));
            }
            if (qtype != Type.DS && n.has(Type.NS) && !n.has(Type.SOA)) {
                return new Denial.Failed("the NSEC3 of " + qname + " is a delegation's");
            }
            if (qtype == Type.DS && n.has(Type.SOA) && !qname.isRoot()) {
                return new Denial.Failed("the NSEC3 of " + qname + " is from the child zone");
            }
            return Denial.PROVED;
        }
        return switch (closestEncloser(qname)) {
            case Result.Err<Encloser, String>(String why) -> new Denial.Failed(why);
            case Result.Ok<Encloser, String>(Encloser e) -> {
                Optional<Nsec3> wc = matching(NsecProofs.wildcard(e.closest()));
                if (wc.isPresent() && (wc.get().has(qtype) || wc.get().has(Type.CNAME))) {
                    yield new Denial.Failed("the wildcard at " + e.closest() + " has " + Type.name(qtype) + " or CNAME");
                }
                if (wc.isPresent()) {
                    // RFC 5155 8.7, and 9.2: an opt-out span over the next closer name proves only insecurely
                    yield e.nextCloserCover().optOut() ? new Denial.Insecure("opt-out span covers " + e.nextCloser())
                            : Denial.PROVED;
                }
                if (e.nextCloserCover().optOut()) {
                    yield new Denial.Insecure("opt-out span covers " + e.nextCloser()); // RFC 5155 8.6, RFC 6840 4.4
                }
                yield new Denial.Failed("no NSEC3 matches " + qname);
            }
        };
    }

    /** RFC 5155 8.8: an answer expanded from {@code *.wildcardParent}: the next closer name is covered. */
    Denial wildcardAnswer(Name owner, Name wildcardParent) {
        Optional<Denial> limit = limits();
        if (limit.isPresent()) {
            return limit.get();
        }
        Name nextCloser = owner.parent(owner.labelCount() - wildcardParent.labelCount() - 1);
        Optional<Nsec3> cover = covering(nextCloser);
        if (cover.isEmpty()) {
            return new Denial.Failed("no NSEC3 covers " + nextCloser);
        }
        // RFC 5155 9.2: an opt-out span may hide an unsigned delegation the name is under
        return cover.get().optOut() ? new Denial.Insecure("opt-out span covers " + nextCloser) : Denial.PROVED;
    }
}
