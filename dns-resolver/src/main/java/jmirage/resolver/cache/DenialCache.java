package jmirage.resolver.cache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/**
 * Aggressive use of DNSSEC-validated cache (RFC 8198): the NSEC records of validated negative
 * answers, per signed zone, in canonical order (RFC 4034 6.1), so that a later question for a name
 * they prove absent (NXDOMAIN: an NSEC covering the name and one covering the wildcard at its closest
 * encloser) or a type they prove absent (NODATA: the name's own NSEC without the type or CNAME, or
 * a span over an empty non-terminal) is
 * answered without asking. Only Secure answers feed it (RFC 8198 4), and what it answers is Secure.
 * A record lasts min(its TTL, the SOA's TTL and MINIMUM) (RFC 8198 5.4, RFC 9077).
 *
 * <p>NSEC3 (RFC 8198 4.2, hashed names) is not used here: a NSEC3-signed zone is asked each time,
 * the negative answer itself still cached per name by {@link AnswerCache}. Nor are positive
 * wildcard answers synthesised (RFC 8198 5.3): where the wildcard exists, the authorities are asked.
 * Owned by the loop; bounded by {@code maxRecords} NSEC records, least recently used zones dropped first,
 * then the oldest records of the zone used last.
 */
public final class DenialCache {

    private static final long NANOS = 1_000_000_000L;

    private record Signed(Record record, List<Record> signatures, long expiresNanos) {}

    private static final class Zone {
        final TreeMap<Name, Signed> nsecs = new TreeMap<>(); // canonical order
        final ArrayDeque<Name> learned = new ArrayDeque<>(); // the owners of nsecs, oldest first
        Signed soa;
    }

    private final int maxRecords;
    private final LinkedHashMap<Name, Zone> zones = new LinkedHashMap<>(16, 0.75f, true);
    private int records;

    private final Set<Name> negativeAnchors;

    public DenialCache(int maxRecords) {
        this(maxRecords, Set.of());
    }

    /**
     * @param negativeAnchors the validator's negative trust anchors (RFC 7646): nothing is
     *     synthesised for a name under one, whose answers are not validated (unbound does the same)
     */
    public DenialCache(int maxRecords, Set<Name> negativeAnchors) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be positive");
        }
        this.maxRecords = maxRecords;
        this.negativeAnchors = negativeAnchors.stream().map(Name::toLowerCase).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Learns the NSEC records and SOA of a Secure NXDOMAIN or NODATA answer; anything else is ignored. */
    public void put(Resolution r, long nowNanos) {
        boolean negative = r.rcode() == Header.NXDOMAIN || r.rcode() == Header.NOERROR && r.answer().isEmpty();
        if (!(r.security() instanceof Security.Secure) || !negative || !r.answer().isEmpty() || r.stale()) {
            return;
        }
        Optional<Long> negativeTtl = AnswerCache.negativeTtl(r.authority());
        if (negativeTtl.isEmpty()) {
            return;
        }
        for (Record rec : r.authority()) {
            if (rec.type() != Type.NSEC && rec.type() != Type.SOA) {
                continue;
            }
            List<Record> sigs = signatures(r.authority(), rec);
            if (sigs.isEmpty()) {
                continue;
            }
            Name signer = ((Rdata.Rrsig) sigs.getFirst().rdata()).signer();
            if (!rec.name().isSubdomainOf(signer)) {
                continue;
            }
            long ttl = Math.min(rec.ttl(), negativeTtl.get());
            // at a second boundary of the clock, as the answer cache counts TTLs (AnswerCache's elapsedSeconds)
            Signed signed = new Signed(rec, sigs, (Math.floorDiv(nowNanos, NANOS) + ttl) * NANOS);
            Zone zone = zones.computeIfAbsent(signer.toLowerCase(), z -> new Zone());
            if (rec.type() == Type.SOA) {
                zone.soa = signed;
            } else {
                Name owner = rec.name().toLowerCase();
                if (zone.nsecs.put(owner, signed) == null) {
                    zone.learned.addLast(owner);
                    records++;
                }
            }
        }
        evict();
    }

    /** A Secure NXDOMAIN or NODATA for {@code q} from the NSEC records held, if they prove one. */
    public Optional<Resolution> answer(Question q, long nowNanos) {
        Name name = q.name().toLowerCase();
        for (int strip = 0; strip <= name.labelCount(); strip++) {
            if (negativeAnchors.contains(name.parent(strip))) {
                return Optional.empty();
            }
        }
        for (int strip = 0; strip <= name.labelCount(); strip++) {
            Zone zone = zones.get(name.parent(strip));
            if (zone != null) {
                return answer(q, name, name.parent(strip), zone, nowNanos);
            }
        }
        return Optional.empty();
    }

    /** NSEC records held (for the statistics). */
    public int size() {
        return records;
    }

    private Optional<Resolution> answer(Question q, Name name, Name apex, Zone zone, long now) {
        if (zone.soa == null || zone.soa.expiresNanos() <= now) {
            return Optional.empty();
        }
        Signed own = live(zone, name, now);
        if (own != null) {
            List<Integer> types = ((Rdata.Nsec) own.record().rdata()).types();
            if (q.qtype() == Type.DS) {
                // the DS is the parent's: the child apex's NSEC proves nothing about it (RFC 4035 5.4)
                if (name.equals(apex)) {
                    return Optional.empty();
                }
            } else if (types.contains(Type.NS) && !types.contains(Type.SOA)) {
                // a parent's NSEC at a delegation proves only the DS absent (RFC 6840 4.4)
                return Optional.empty();
            }
            if (types.contains(q.qtype()) || types.contains(Type.CNAME)) {
                return Optional.empty();
            }
            return Optional.of(reply(q, Header.NOERROR, zone.soa, List.of(own), now));
        }
        Signed cover = covering(zone, name, apex, now);
        if (cover == null) {
            return Optional.empty();
        }
        Name next = ((Rdata.Nsec) cover.record().rdata()).next();
        if (next.isSubdomainOf(name)) {
            // an empty non-terminal: the name exists with no data (RFC 4035 3.1.3.2), whatever the type
            return Optional.of(reply(q, Header.NOERROR, zone.soa, List.of(cover), now));
        }
        Name encloser = deeper(commonAncestor(name, cover.record().name()), commonAncestor(name, next));
        Name wildcard = encloser.prepend(new byte[] {'*'}).orElse(null);
        if (wildcard == null) {
            return Optional.empty(); // the encloser is as long as a name can be: no wildcard to disprove
        }
        Signed noWildcard = covering(zone, wildcard.toLowerCase(), apex, now);
        if (noWildcard == null) {
            return Optional.empty(); // the wildcard may exist: ask (RFC 8198 5.3 synthesis is not done here)
        }
        List<Signed> proof = noWildcard.record().name().equals(cover.record().name()) ? List.of(cover) : List.of(cover, noWildcard);
        return Optional.of(reply(q, Header.NXDOMAIN, zone.soa, proof, now));
    }

    /** The NSEC owned by {@code name}, unexpired. */
    private static Signed live(Zone zone, Name name, long now) {
        Signed s = zone.nsecs.get(name);
        return s != null && s.expiresNanos() > now ? s : null;
    }

    /**
     * The unexpired NSEC whose span covers {@code name} (owner &lt; name &lt; next, or the last NSEC
     * of the zone whose next is the apex), unless its owner is a delegation or a DNAME above the name
     * (RFC 4035 5.4: the span proves nothing below a zone cut).
     */
    private static Signed covering(Zone zone, Name name, Name apex, long now) {
        Map.Entry<Name, Signed> floor = zone.nsecs.lowerEntry(name);
        if (floor == null || floor.getValue().expiresNanos() <= now) {
            return null;
        }
        Record nsec = floor.getValue().record();
        Rdata.Nsec data = (Rdata.Nsec) nsec.rdata();
        Name next = data.next().toLowerCase();
        boolean last = next.compareTo(nsec.name().toLowerCase()) <= 0;
        if (!(name.compareTo(next) < 0 || last && next.equals(apex))) {
            return null;
        }
        boolean cut = data.types().contains(Type.NS) && !data.types().contains(Type.SOA) || data.types().contains(Type.DNAME);
        if (cut && name.isSubdomainOf(nsec.name())) {
            return null;
        }
        return floor.getValue();
    }

    private static Name commonAncestor(Name a, Name b) {
        for (int strip = 0; strip <= a.labelCount(); strip++) {
            Name candidate = a.parent(strip);
            if (b.isSubdomainOf(candidate)) {
                return candidate;
            }
        }
        return Name.ROOT;
    }

    private static Name deeper(Name a, Name b) {
        return a.labelCount() >= b.labelCount() ? a : b;
    }

    private static List<Record> signatures(List<Record> section, Record of) {
        List<Record> out = new ArrayList<>();
        for (Record r : section) {
            if (r.rdata() instanceof Rdata.Rrsig sig && sig.typeCovered() == of.type() && r.name().equals(of.name())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The synthesised answer: the SOA and the proof with their signatures, TTLs counted down. */
    private static Resolution reply(Question q, int rcode, Signed soa, List<Signed> proof, long now) {
        List<Record> authority = new ArrayList<>();
        for (Signed s : concat(soa, proof)) {
            long remaining = Math.max(0, s.expiresNanos() / NANOS - Math.floorDiv(now, NANOS));
            authority.add(withTtl(s.record(), remaining));
            for (Record sig : s.signatures()) {
                authority.add(withTtl(sig, remaining));
            }
        }
        return new Resolution(q, rcode, List.of(), authority, List.of(), Security.SECURE, Optional.empty(), false);
    }

    private static List<Signed> concat(Signed first, List<Signed> rest) {
        List<Signed> out = new ArrayList<>(rest.size() + 1);
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static Record withTtl(Record r, long ttl) {
        return new Record(r.name(), r.rrClass(), Math.min(r.ttl(), ttl), r.rdata());
    }

    /**
     * Back within the bound: the least recently used zones go whole, but not the zone used last,
     * which loses its oldest records instead; so a zone with more NSEC records than the bound (a
     * random-subdomain flood against a large NSEC zone, which RFC 8198 is for) keeps the newest
     * rather than losing all and learning them again.
     */
    private void evict() {
        Iterator<Map.Entry<Name, Zone>> lru = zones.entrySet().iterator();
        while (records > maxRecords && zones.size() > 1 && lru.hasNext()) {
            records -= lru.next().getValue().nsecs.size();
            lru.remove();
        }
        if (records > maxRecords) {
            Zone last = zones.values().iterator().next();
            while (records > maxRecords && !last.learned.isEmpty()) {
                last.nsecs.remove(last.learned.pollFirst());
                records--;
            }
        }
    }
}
