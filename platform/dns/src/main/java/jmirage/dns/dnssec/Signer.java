package jmirage.dns.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Base32Hex;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * Signs a zone, pure (RFC 4035 2): given its records and keys it adds the DNSKEY RRset, an RRSIG
 * over every authoritative RRset (not glue nor anything below a cut, not the NS of a delegation,
 * whose DS is signed here as the parent), and the chain of NSEC (RFC 4034 4) or NSEC3 (RFC 5155 7.1)
 * records with NSEC3PARAM; and gives the DS records of its KSKs for the parent. Records of types
 * RRSIG, NSEC, NSEC3 and NSEC3PARAM in the input are dropped and made again.
 *
 * <p>With keys that have the SEP flag and keys that do not, the first sign the DNSKEY RRset and
 * the others the rest (KSK and ZSK); otherwise every key signs everything (a CSK).
 */
public final class Signer {

    private Signer() {}

    /** How non-existence is proved. */
    public sealed interface Denial {
        /** RFC 4034 4. */
        record Nsec() implements Denial {}

        /**
         * RFC 5155; {@link #RFC9276} is what to use (RFC 9276 3.1: no extra iterations, no salt);
         * other values are for testing a validator's limits.
         *
         * @param optOut RFC 5155 6: delegations without DS stay out of the chain
         */
        record Nsec3(int iterations, Bytes salt, boolean optOut) implements Denial {
            public Nsec3 {
                Objects.requireNonNull(salt);
            }

            public Rdata.Nsec3param param() {
                return new Rdata.Nsec3param(1, 0, iterations, salt);
            }
        }

        Denial NSEC = new Nsec();
        Denial RFC9276 = new Nsec3(0, Bytes.EMPTY, false);
        Denial RFC9276_OPT_OUT = new Nsec3(0, Bytes.EMPTY, true);
    }

    /** RRSIG validity (RFC 4034 3.1.5), whole seconds. */
    public record Validity(Instant inception, Instant expiration) {
        public Validity {
            Objects.requireNonNull(inception);
            Objects.requireNonNull(expiration);
            if (!expiration.isAfter(inception)) {
                throw new IllegalArgumentException("expiration not after inception");
            }
        }
    }

    /**
     * @param records the whole signed zone, in canonical order of owner
     * @param ds the DS records (SHA-256) of the keys that sign the DNSKEY RRset, for the parent zone
     */
    public record Signed(List<Record> records, List<Record> ds) {
        public Signed {
            records = List.copyOf(records);
            ds = List.copyOf(ds);
        }
    }

    /** RFC 5155 7.1: the flag of NSEC3 records that may skip unsigned delegations. */
    public static final int NSEC3_OPT_OUT = 1;

    public static Result<Signed, SignerError> sign(Name origin, Collection<Record> records, List<SigningKey> keys,
            Validity validity, Denial denial) {
        if (keys.isEmpty()) {
            return Result.err(new SignerError.NoKeys());
        }
        for (SigningKey k : keys) {
            if ((k.dnskey().flags() & SigningKey.ZONE) == 0) {
                return Result.err(new SignerError.NotZoneKey(k.keyTag(), k.dnskey().flags()));
            }
        }
        // owner -> type -> RRset under construction (lowest TTL wins, RFC 2181 5.2)
        NavigableMap<Name, Map<Integer, List<Record>>> sets = new TreeMap<>();
        for (Record r : records) {
            if (!r.name().isSubdomainOf(origin)) {
                return Result.err(new SignerError.OutsideZone(r.name(), origin));
            }
            int t = r.type();
            if (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3 || t == Type.NSEC3PARAM) {
                continue;
            }
            add(sets, r);
        }
        Map<Integer, List<Record>> apex = sets.get(origin);
        if (apex == null || !apex.containsKey(Type.SOA)) {
            return Result.err(new SignerError.NoSoa(origin));
        }
        Record soa = apex.get(Type.SOA).getFirst();
        long soaTtl = soa.ttl();
        // RFC 9077 3: NSEC and NSEC3 TTL is the lower of the SOA's TTL and MINIMUM
        long negativeTtl = Math.min(soaTtl, ((Rdata.Soa) soa.rdata()).minimum());
        for (SigningKey k : keys) {
            add(sets, Record.in(origin, soaTtl, k.dnskey()));
        }
        if (denial instanceof Denial.Nsec3 n3) {
            add(sets, new Record(origin, DnsClass.IN, 0, n3.param())); // RFC 5155 4: TTL 0 is usual (BIND, Knot)
        }

        Set<Name> cuts = new TreeSet<>();
        NavigableMap<Name, Map<Integer, List<Record>>> authoritative = new TreeMap<>();
        for (Map.Entry<Name, Map<Integer, List<Record>>> e : sets.entrySet()) {
            Name name = e.getKey();
            if (belowCut(name, cuts)) {
                continue; // glue or occluded data: not the zone's to sign (RFC 4035 2.2)
            }
            if (!name.equals(origin) && e.getValue().containsKey(Type.NS)) {
                cuts.add(name);
            }
            authoritative.put(name, e.getValue());
        }

        List<Record> out = new ArrayList<>();
        List<SigningKey> zoneSigners = keys.stream().filter(k -> !k.isSep()).toList();
        List<SigningKey> keySigners = keys.stream().filter(SigningKey::isSep).toList();
        if (zoneSigners.isEmpty()) {
            zoneSigners = keys;
        }
        if (keySigners.isEmpty()) {
            keySigners = keys;
        }
        List<List<Record>> toSign = new ArrayList<>();
        for (Map.Entry<Name, Map<Integer, List<Record>>> e : sets.entrySet()) {
            Name name = e.getKey();
            boolean isCut = cuts.contains(name);
            boolean below = !isCut && belowCut(name, cuts);
            for (List<Record> rrset : e.getValue().values()) {
                out.addAll(rrset);
                int type = rrset.getFirst().type();
                // RFC 4035 2.2: at a cut only DS (and NSEC) are authoritative
                if (!below && (!isCut || type == Type.DS)) {
                    toSign.add(rrset);
                }
            }
        }
        // the denial records, signed like the rest
        Result<List<Record>, SignerError> chain = switch (denial) {
            case Denial.Nsec n -> Result.ok(nsecChain(origin, authoritative, cuts, negativeTtl));
            case Denial.Nsec3 n3 -> nsec3Chain(origin, authoritative, cuts, negativeTtl, n3);
        };
        if (chain instanceof Result.Err<List<Record>, SignerError>(SignerError err)) {
            return Result.err(err);
        }
        for (Record r : chain.orElseThrow()) {
            out.add(r);
            toSign.add(List.of(r));
        }
        for (List<Record> rrset : toSign) {
            List<SigningKey> signers = rrset.getFirst().type() == Type.DNSKEY ? keySigners : zoneSigners;
            for (SigningKey k : signers) {
                Result<Record, SignerError> sig = signRrset(origin, rrset, k, validity);
                if (sig instanceof Result.Err<Record, SignerError>(SignerError err)) {
                    return Result.err(err);
                }
                out.add(sig.orElseThrow());
            }
        }
        List<Record> ds = new ArrayList<>();
        for (SigningKey k : keySigners) {
            Result<Rdata.Ds, DnssecError> d = Dnssec.ds(origin, k.dnskey(), Dnssec.DIGEST_SHA256);
            ds.add(Record.in(origin, soaTtl, d.orElseThrow()));
        }
        out.sort((a, b) -> {
            int c = a.name().compareTo(b.name());
            return c != 0 ? c : Integer.compare(a.type(), b.type());
        });
        return Result.ok(new Signed(out, ds));
    }

    /**
     * One RRSIG over {@code rrset} (RFC 4034 3, RFC 4035 2.2): labels without a leading wildcard
     * label, the RRset's TTL as original TTL, the zone as signer.
     */
    public static Result<Record, SignerError> signRrset(Name origin, List<Record> rrset, SigningKey key,
            Validity validity) {
        Record first = rrset.getFirst();
        int labels = first.name().labelCount() - (first.name().isWildcard() ? 1 : 0);
        long ttl = rrset.stream().mapToLong(Record::ttl).min().orElseThrow();
        Rdata.Rrsig unsigned = new Rdata.Rrsig(first.type(), key.dnskey().algorithm(), labels, ttl,
                validity.expiration().getEpochSecond() & 0xffffffffL, validity.inception().getEpochSecond() & 0xffffffffL,
                key.keyTag(), origin, Bytes.EMPTY);
        return Dnssec.signedData(unsigned, rrset).<SignerError>mapError(SignerError.Computation::new)
                .flatMap(key::sign)
                .map(sig -> new Record(first.name(), first.rrClass(), ttl, new Rdata.Rrsig(unsigned.typeCovered(),
                        unsigned.algorithm(), labels, ttl, unsigned.expiration(), unsigned.inception(), unsigned.keyTag(),
                        origin, sig)));
    }

    /**
     * RFC 4034 4.1, RFC 4035 2.3: one NSEC per authoritative owner name (delegations included, glue
     * not), pointing to the next in canonical order and back to the apex from the last; its bitmap
     * holds the types there, NSEC and RRSIG.
     */
    private static List<Record> nsecChain(Name origin, NavigableMap<Name, Map<Integer, List<Record>>> names,
            Set<Name> cuts, long ttl) {
        List<Record> out = new ArrayList<>();
        List<Name> owners = new ArrayList<>(names.keySet());
        for (int i = 0; i < owners.size(); i++) {
            Name name = owners.get(i);
            Name next = i + 1 < owners.size() ? owners.get(i + 1) : origin;
            Set<Integer> types = new TreeSet<>(names.get(name).keySet());
            types.add(Type.NSEC);
            types.add(Type.RRSIG);
            out.add(Record.in(name, ttl, new Rdata.Nsec(next, List.copyOf(types))));
        }
        return out;
    }

    /**
     * RFC 5155 7.1: one NSEC3 per authoritative name and per empty non-terminal, named by the hash
     * of the name under the zone, linked in hash order; the bitmap holds the types at the original
     * name, RRSIG when they are signed (not at a delegation without DS). With opt-out, delegations
     * without DS and the empty non-terminals only they make are left out.
     */
    private static Result<List<Record>, SignerError> nsec3Chain(Name origin,
            NavigableMap<Name, Map<Integer, List<Record>>> names, Set<Name> cuts, long ttl, Denial.Nsec3 params) {
        Map<Name, Set<Integer>> covered = new TreeMap<>();
        for (Map.Entry<Name, Map<Integer, List<Record>>> e : names.entrySet()) {
            Name name = e.getKey();
            boolean unsignedCut = cuts.contains(name) && !e.getValue().containsKey(Type.DS);
            if (unsignedCut && params.optOut()) {
                continue;
            }
            Set<Integer> types = new TreeSet<>(e.getValue().keySet());
            if (!unsignedCut) {
                types.add(Type.RRSIG);
            }
            covered.put(name, types);
            for (Name up = name; !up.equals(origin); ) {
                up = up.parent(1);
                covered.putIfAbsent(up, new TreeSet<>()); // an empty non-terminal
            }
        }
        TreeMap<Bytes, Set<Integer>> byHash = new TreeMap<>();
        for (Map.Entry<Name, Set<Integer>> e : covered.entrySet()) {
            Result<Bytes, DnssecError> h = Dnssec.nsec3Hash(e.getKey(), 1, params.iterations(), params.salt());
            if (h instanceof Result.Err<Bytes, DnssecError>(DnssecError err)) {
                return Result.err(new SignerError.Computation(err));
            }
            byHash.put(h.orElseThrow(), e.getValue());
        }
        List<Record> out = new ArrayList<>();
        List<Bytes> hashes = new ArrayList<>(byHash.keySet());
        int flags = params.optOut() ? NSEC3_OPT_OUT : 0;
        for (int i = 0; i < hashes.size(); i++) {
            Bytes hash = hashes.get(i);
            Bytes next = hashes.get((i + 1) % hashes.size());
            Result<Name, SignerError> owner = Name.parse(Base32Hex.encode(hash), origin)
                    .mapError(e -> new SignerError.Computation(new DnssecError.Nsec3OwnerTooLong(e)));
            if (owner instanceof Result.Err<Name, SignerError>(SignerError err)) {
                return Result.err(err);
            }
            out.add(Record.in(owner.orElseThrow(), ttl, new Rdata.Nsec3(1, flags, params.iterations(), params.salt(), next,
                    List.copyOf(byHash.get(hash)))));
        }
        return Result.ok(out);
    }

    private static boolean belowCut(Name name, Set<Name> cuts) {
        for (Name cut : cuts) {
            if (!name.equals(cut) && name.isSubdomainOf(cut)) {
                return true;
            }
        }
        return false;
    }

    private static void add(NavigableMap<Name, Map<Integer, List<Record>>> sets, Record r) {
        List<Record> set = sets.computeIfAbsent(r.name(), n -> new TreeMap<>()).computeIfAbsent(r.type(), t -> new ArrayList<>());
        if (set.stream().noneMatch(x -> x.rdata().equals(r.rdata()))) {
            set.add(r);
        }
        // RFC 2181 5.2: one TTL per RRset, the lowest
        long ttl = set.stream().mapToLong(Record::ttl).min().orElseThrow();
        set.replaceAll(x -> x.ttl() == ttl ? x : new Record(x.name(), x.rrClass(), ttl, x.rdata()));
    }
}
