package jmirage.resolver.validate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.core.Security;

/**
 * DNSSEC validation (RFC 4033-4035, 5155, 6840) of what recursion returned for a question: the
 * chain of trust from the closest trust anchor down to each signer (DS, DNSKEY, RRSIG), positive
 * answers, CNAME/DNAME chains, wildcard expansion, and the NSEC/NSEC3 proofs of NXDOMAIN and NODATA
 * (RFC 9276 limits on NSEC3 iterations). Pure but for the {@link KeyFetcher} it asks for keys, the
 * clock it reads and the key cache it keeps (owned by the loop).
 */
public final class Validator {

    /** Longest chain of zone cuts walked for one name: a name has at most 127 labels. */
    private static final int MAX_LABELS = 128;
    /** DS and DNSKEY questions one validation may ask: an answer naming many signers costs no more. */
    static final int MAX_FETCHES = 32;
    /** Cap on how long validated keys are kept, whatever their TTL. */
    private static final long MAX_KEY_TTL = 86_400;

    private final TrustAnchors anchors;
    private final KeyFetcher fetcher;
    private final Clock clock;
    private final ValidatorConfig config;
    private final Signatures signatures;
    private final KeyCache cache;

    public Validator(TrustAnchors anchors, KeyFetcher fetcher, Clock clock, ValidatorConfig config) {
        this.anchors = anchors;
        this.fetcher = fetcher;
        this.clock = clock;
        this.config = config;
        this.signatures = new Signatures(config);
        this.cache = new KeyCache(config.keyCacheEntries());
    }

    /** How many zones the key cache holds (for statistics and tests). */
    public int cachedZones() {
        return cache.size();
    }

    public Promise<Validated> validate(Question question, Message response) {
        return validate(question, response, fetcher);
    }

    /**
     * The same, asking {@code keyFetcher} for the DS and DNSKEY RRsets it does not hold (the resolver
     * passes one that draws on the client question's work budget).
     */
    public Promise<Validated> validate(Question question, Message response, KeyFetcher keyFetcher) {
        if (question.qtype() == Type.RRSIG) {
            // RFC 4035 5.3: an RRSIG RRset is not signed itself; what it covers is validated when asked for
            return Promise.resolved(new Validated(Security.INDETERMINATE, response));
        }
        List<Name> targets = new ArrayList<>(keyTargets(question, response));
        Map<Name, ZoneKeys> keys = new HashMap<>();
        return collect(targets, 0, keys, new Job(response, keyFetcher))
                .map(done -> evaluate(question, response, keys))
                .recover(bug -> new Validated(new Security.Bogus(6, "validator failure: " + bug), response));
    }

    // ---- which zones' keys a response needs --------------------------------------------------------

    /** The name whose zone keys verify an RRset: its signer, or, unsigned, the zone holding it (a DS is in the parent). */
    private static Name keyName(Rrset rrset) {
        return rrset.signer().orElseGet(() -> rrset.type() == Type.DS && !rrset.name().isRoot()
                ? rrset.name().parent(1) : rrset.name());
    }

    private static Name holder(Name name, int qtype) {
        return qtype == Type.DS && !name.isRoot() ? name.parent(1) : name;
    }

    private static Set<Name> keyTargets(Question q, Message m) {
        Set<Name> out = new LinkedHashSet<>();
        Chain chain = Chain.follow(q, Rrset.group(m.answers()));
        chain.links().forEach(r -> out.add(keyName(r)));
        chain.answer().forEach(r -> out.add(keyName(r)));
        boolean signedAuthority = false;
        for (Rrset r : Rrset.group(m.authority())) {
            if (r.type() == Type.NSEC || r.type() == Type.NSEC3 || r.type() == Type.SOA) {
                out.add(keyName(r));
                signedAuthority |= !r.sigs().isEmpty();
            }
        }
        if (chain.answer().isEmpty() && !signedAuthority && !overflowed(m)) {
            out.add(holder(chain.last(), q.qtype()));
        }
        return out;
    }

    /** RFC 6672 2.2: YXDOMAIN, a DNAME whose substitution does not fit; the DNAME is the whole answer, there is no denial. */
    private static boolean overflowed(Message m) {
        return m.header().rcode() == jmirage.dns.Rcode.YXDOMAIN.value();
    }

    /** One validation's context: the response (whose records may prove DS steps) and its fetch budget. */
    private static final class Job {
        final Message evidence;
        final KeyFetcher fetcher;
        int fetchesLeft = MAX_FETCHES;

        Job(Message evidence, KeyFetcher fetcher) {
            this.evidence = evidence;
            this.fetcher = fetcher;
        }
    }

    private Promise<Boolean> collect(List<Name> targets, int i, Map<Name, ZoneKeys> into, Job job) {
        if (i == targets.size()) {
            return Promise.resolved(true);
        }
        return keysFor(targets.get(i), job).flatMap(k -> {
            into.put(targets.get(i), k);
            return collect(targets, i + 1, into, job);
        });
    }

    // ---- the chain of trust ------------------------------------------------------------------------

    /**
     * The keys of the zone holding {@code target} (RFC 4035 5): from the closest trust anchor, DS by
     * DS down the labels to {@code target}. A name that is not a zone cut is in its parent's zone.
     */
    private Promise<ZoneKeys> keysFor(Name target, Job job) {
        for (Name nta : config.negativeAnchors()) {
            if (target.isSubdomainOf(nta)) {
                return Promise.resolved(new ZoneKeys.Insecure(nta)); // RFC 7646 2: a negative trust anchor
            }
        }
        Optional<Name> anchor = anchors.closest(target);
        if (anchor.isEmpty()) {
            return Promise.resolved(new ZoneKeys.Unanchored());
        }
        long now = clock.monotonicNanos();
        for (int strip = 0; strip <= target.labelCount() - anchor.get().labelCount(); strip++) {
            Name at = target.parent(strip);
            Optional<ZoneKeys> cached = cache.get(at, now);
            if (cached.isPresent()) {
                return switch (cached.get()) {
                    case ZoneKeys.Secure s -> walk(s, at, target, 0, job);
                    default -> Promise.resolved(cached.get());
                };
            }
        }
        return primeAnchor(anchor.get(), job).flatMap(k -> k instanceof ZoneKeys.Secure s
                ? walk(s, anchor.get(), target, 0, job) : Promise.resolved(k));
    }

    /**
     * One DS step per label from {@code at} (in {@code keys}' zone) down to {@code target}: from the
     * DS or NSEC/NSEC3 records the response under validation carries (as a referral's authority
     * section does), else asked for.
     */
    private Promise<ZoneKeys> walk(ZoneKeys.Secure keys, Name at, Name target, int depth, Job job) {
        if (at.equals(target) || depth > MAX_LABELS) {
            return Promise.resolved(keys);
        }
        Name next = target.parent(target.labelCount() - at.labelCount() - 1);
        Optional<DsStep> carried = carried(keys, next, job.evidence);
        Promise<DsStep> step = carried.isPresent() ? Promise.resolved(carried.get())
                : fetch(new Question(next, Type.DS), job).map(r -> switch (r) {
                    case Result.Err<Message, String>(String why) -> new DsStep.Unreachable(why);
                    case Result.Ok<Message, String>(Message m) -> dsStep(keys, next, m);
                });
        return step.flatMap(found -> switch (found) {
            case DsStep.Unreachable(String why) -> Promise.resolved(bogus(next, 9, "DS of " + next + " not fetched: " + why));
            case DsStep.Cut(List<Rdata.Ds> ds, long ttl) -> fetchKeys(next, ds, List.of(), ttl, job)
                    .flatMap(k -> k instanceof ZoneKeys.Secure s ? walk(s, next, target, depth + 1, job) : Promise.resolved(k));
            case DsStep.NoCut(long ttl) -> {
                remember(next, keys, ttl);
                yield walk(keys, next, target, depth + 1, job);
            }
            case DsStep.Unsigned(long ttl) -> Promise.resolved(remember(next, new ZoneKeys.Insecure(next), ttl));
            case DsStep.Broken(Security.Bogus b) ->
                    Promise.resolved(remember(next, new ZoneKeys.Bogus(next, b), config.bogusTtlSeconds()));
        });
    }

    /** The DS step the response's own records prove, if they prove one (the DS or its absence beside a referral). */
    private Optional<DsStep> carried(ZoneKeys.Secure keys, Name next, Message evidence) {
        List<Record> ds = new ArrayList<>();
        List<Record> denial = new ArrayList<>();
        for (Record r : concat(evidence.answers(), evidence.authority())) {
            int type = r.rdata() instanceof Rdata.Rrsig sig ? sig.typeCovered() : r.type();
            if (type == Type.DS && r.name().equals(next)) {
                ds.add(r);
            } else if (type == Type.NSEC || type == Type.NSEC3) {
                denial.add(r);
            }
        }
        if (ds.isEmpty() && denial.isEmpty()) {
            return Optional.empty();
        }
        Message m = new Message(withRcode(evidence.header(), Header.NOERROR), List.of(), ds, denial, List.of(), Optional.empty());
        DsStep step = dsStep(keys, next, m);
        return step instanceof DsStep.Broken ? Optional.empty() : Optional.of(step);
    }

    private static List<Record> concat(List<Record> a, List<Record> b) {
        List<Record> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private Promise<Result<Message, String>> fetch(Question q, Job job) {
        if (job.fetchesLeft-- <= 0) {
            return Promise.resolved(Result.err("more than " + MAX_FETCHES + " key questions for one answer"));
        }
        return job.fetcher.fetch(q).recover(t -> Result.err(String.valueOf(t.getMessage())));
    }

    private ZoneKeys remember(Name name, ZoneKeys keys, long ttl) {
        cache.put(name, keys, Math.min(ttl, MAX_KEY_TTL), clock.monotonicNanos());
        return keys;
    }

    /** A DNSKEY RRset that could not be had: bogus (EDE 9), or insecure without harden-dnssec-stripped. */
    private ZoneKeys stripped(Name zone, String reason) {
        return config.hardenDnssecStripped() ? bogus(zone, 9, reason) : new ZoneKeys.Insecure(zone);
    }

    private static ZoneKeys bogus(Name zone, int ede, String reason) {
        return new ZoneKeys.Bogus(zone, new Security.Bogus(ede, reason));
    }

    /** What a DS answer says about the name one label below a secure zone. */
    private sealed interface DsStep {
        record Cut(List<Rdata.Ds> ds, long ttl) implements DsStep {}
        record NoCut(long ttl) implements DsStep {}
        record Unsigned(long ttl) implements DsStep {}
        record Broken(Security.Bogus failure) implements DsStep {}
        record Unreachable(String why) implements DsStep {}
    }

    private DsStep dsStep(ZoneKeys.Secure keys, Name next, Message m) {
        Instant now = clock.now();
        List<Rrset> answer = Rrset.group(m.answers());
        Optional<Rrset> ds = answer.stream().filter(r -> r.type() == Type.DS && r.name().equals(next)).findFirst();
        if (m.header().rcode() == Header.NOERROR && ds.isPresent()) {
            return switch (signatures.verify(ds.get(), keys.zone(), keys.keys(), now)) {
                case Result.Err<Signatures.Verified, Security.Bogus>(Security.Bogus b) -> new DsStep.Broken(b);
                case Result.Ok<Signatures.Verified, Security.Bogus> ok -> new DsStep.Cut(
                        ds.get().records().stream().map(r -> (Rdata.Ds) r.rdata()).toList(), minTtl(ds.get().records()));
            };
        }
        Optional<Rrset> cname = answer.stream().filter(r -> r.type() == Type.CNAME && r.name().equals(next)).findFirst();
        if (m.header().rcode() == Header.NOERROR && cname.isPresent()) {
            // RFC 1034 3.6.2: a CNAME owner has no other data, so no zone cut
            return switch (signatures.verify(cname.get(), keys.zone(), keys.keys(), now)) {
                case Result.Err<Signatures.Verified, Security.Bogus>(Security.Bogus b) -> new DsStep.Broken(b);
                case Result.Ok<Signatures.Verified, Security.Bogus> ok -> new DsStep.NoCut(minTtl(cname.get().records()));
            };
        }
        if (m.header().rcode() != Header.NOERROR && m.header().rcode() != Header.NXDOMAIN) {
            return new DsStep.Broken(new Security.Bogus(6, "DS query for " + next + " answered rcode " + m.header().rcode()));
        }
        Proofs proofs = proofs(m.authority(), keys, now);
        if (proofs.failure().isPresent()) {
            return new DsStep.Broken(proofs.failure().get());
        }
        long ttl = proofs.ttl();
        if (m.header().rcode() == Header.NXDOMAIN) {
            if (proofs.noData(next, Type.DS) instanceof Denial.Proved) {
                return new DsStep.NoCut(ttl); // an empty non-terminal given as NXDOMAIN (unbound's val_ans_nx)
            }
            Denial d = proofs.nameError(next);
            return switch (d) {
                case Denial.Proved p -> new DsStep.NoCut(ttl); // nothing there, so no cut: the parent's zone goes on
                case Denial.Insecure i -> new DsStep.Unsigned(ttl);
                case Denial.Failed f -> new DsStep.Broken(new Security.Bogus(12, "NXDOMAIN for DS " + next + ": " + f.reason()));
            };
        }
        // RFC 4035 5.2: a proven absent DS at a delegation (NS in the bitmap) makes the child insecure
        Optional<NsecProofs.Nsec> nsec = proofs.nsec().at(next);
        if (nsec.isPresent()) {
            NsecProofs.Nsec n = nsec.get();
            if (n.has(Type.DS) || (n.has(Type.SOA) && !next.isRoot())) {
                return new DsStep.Broken(new Security.Bogus(6, "the NSEC at " + next + " does not deny its DS"));
            }
            return n.has(Type.NS) ? new DsStep.Unsigned(ttl) : new DsStep.NoCut(ttl);
        }
        if (!proofs.nsec3().isEmpty()) {
            Optional<Denial> limit = proofs.nsec3().limits();
            if (limit.isPresent() && limit.get() instanceof Denial.Insecure) {
                return new DsStep.Unsigned(ttl);
            }
            Optional<Nsec3Proofs.Nsec3> match = proofs.nsec3().matching(next);
            if (match.isPresent()) {
                Nsec3Proofs.Nsec3 n = match.get();
                if (n.has(Type.DS) || (n.has(Type.SOA) && !next.isRoot())) {
                    return new DsStep.Broken(new Security.Bogus(6, "the NSEC3 of " + next + " does not deny its DS"));
                }
                return n.has(Type.NS) ? new DsStep.Unsigned(ttl) : new DsStep.NoCut(ttl);
            }
            Denial d = proofs.nsec3().noData(next, Type.DS);
            if (d instanceof Denial.Insecure) {
                return new DsStep.Unsigned(ttl); // RFC 5155 8.6: an opt-out span, an unsigned delegation
            }
            return new DsStep.Broken(new Security.Bogus(12, "no NSEC3 denies the DS of " + next
                    + (d instanceof Denial.Failed(String r) ? ": " + r : "")));
        }
        if (proofs.nsec().covering(next).isPresent()) {
            Denial d = proofs.nsec().noData(next, Type.DS);
            if (d instanceof Denial.Proved) {
                return new DsStep.NoCut(ttl); // an empty non-terminal
            }
        }
        return new DsStep.Broken(new Security.Bogus(12, "nothing proves the DS of " + next + " absent"));
    }

    /** RFC 4035 5.2 and 4.4: the zone's DNSKEY RRset must hold a key matching a DS (or an anchor key) and be signed by it. */
    private Promise<ZoneKeys> fetchKeys(Name zone, List<Rdata.Ds> ds, List<Rdata.Dnskey> anchorKeys, long dsTtl, Job job) {
        List<Rdata.Ds> supported = supportedDs(ds);
        if (anchorKeys.isEmpty() && supported.isEmpty()) {
            return Promise.resolved(remember(zone, new ZoneKeys.Insecure(zone), dsTtl));
        }
        return fetch(new Question(zone, Type.DNSKEY), job).map(reply -> switch (reply) {
            case Result.Err<Message, String>(String why) -> stripped(zone, "DNSKEY of " + zone + " not fetched: " + why);
            case Result.Ok<Message, String>(Message m) -> {
                ZoneKeys k = dnskeys(zone, preferred(supported), anchorKeys, m);
                if (k instanceof ZoneKeys.Bogus && !config.hardenAlgorithmDowngrade() && preferred(supported).size() < supported.size()) {
                    k = dnskeys(zone, supported, anchorKeys, m); // not hardened: a SHA-1 DS that matches will do
                }
                long ttl = k instanceof ZoneKeys.Bogus ? config.bogusTtlSeconds()
                        : Math.min(dsTtl, minTtl(Rrset.group(m.answers()).stream().flatMap(r -> r.records().stream()).toList()));
                yield remember(zone, k, ttl);
            }
        });
    }

    /** RFC 8624 3.3: the DS records of enabled algorithms and digests. */
    private List<Rdata.Ds> supportedDs(List<Rdata.Ds> ds) {
        return ds.stream().filter(d -> config.algorithms().contains(d.algorithm())
                && config.digests().contains(d.digestType())
                && (d.digestType() == Dnssec.DIGEST_SHA1 || d.digestType() == Dnssec.DIGEST_SHA256
                        || d.digestType() == Dnssec.DIGEST_SHA384)).toList();
    }

    /** RFC 4509 3: SHA-1 DS records are ignored when the set has a stronger digest. */
    private static List<Rdata.Ds> preferred(List<Rdata.Ds> supported) {
        boolean stronger = supported.stream().anyMatch(d -> d.digestType() != Dnssec.DIGEST_SHA1);
        return stronger ? supported.stream().filter(d -> d.digestType() != Dnssec.DIGEST_SHA1).toList() : supported;
    }

    private ZoneKeys dnskeys(Name zone, List<Rdata.Ds> ds, List<Rdata.Dnskey> anchorKeys, Message m) {
        Optional<Rrset> set = Rrset.group(m.answers()).stream()
                .filter(r -> r.type() == Type.DNSKEY && r.name().equals(zone)).findFirst();
        if (set.isEmpty()) {
            return stripped(zone, "no DNSKEY RRset for " + zone);
        }
        List<Rdata.Dnskey> keys = set.get().records().stream().map(r -> (Rdata.Dnskey) r.rdata()).toList();
        List<Rdata.Dnskey> trusted = new ArrayList<>();
        boolean unusable = false;
        for (Rdata.Dnskey k : keys) {
            boolean anchored = anchorKeys.stream().anyMatch(a -> a.equals(k)) && config.algorithms().contains(k.algorithm());
            boolean matches = ds.stream().anyMatch(d -> d.keyTag() == Dnssec.keyTag(k) && d.algorithm() == k.algorithm()
                    && Dnssec.ds(zone, k, d.digestType()).map(x -> x.digest().equals(d.digest())).orElse(false));
            if (anchored || (matches && signatures.usable(k.algorithm(), k))) {
                trusted.add(k);
            } else if (matches || anchorKeys.contains(k)) {
                unusable = true;
            }
        }
        if (trusted.isEmpty()) {
            return unusable ? new ZoneKeys.Insecure(zone) // RFC 4035 5.2: only keys we cannot use
                    : bogus(zone, 9, "no DNSKEY of " + zone + " matches its DS or anchor");
        }
        Instant now = clock.now();
        Security.Bogus failure = null;
        Set<Integer> algorithms = new LinkedHashSet<>();
        for (Rdata.Dnskey k : trusted) {
            switch (signatures.verify(set.get(), zone, List.of(k), now)) {
                case Result.Ok<Signatures.Verified, Security.Bogus> ok -> algorithms.add(k.algorithm());
                case Result.Err<Signatures.Verified, Security.Bogus>(Security.Bogus b) -> failure = failure == null ? b : failure;
            }
        }
        if (algorithms.isEmpty()) {
            return new ZoneKeys.Bogus(zone, failure);
        }
        if (config.hardenAlgorithmDowngrade()) {
            for (Rdata.Ds d : ds) {
                if (!algorithms.contains(d.algorithm())) {
                    return bogus(zone, 6, "DNSKEY of " + zone + " not signed with DS algorithm " + d.algorithm());
                }
            }
        }
        return new ZoneKeys.Secure(zone, keys);
    }

    private Promise<ZoneKeys> primeAnchor(Name zone, Job job) {
        List<Rdata.Ds> ds = new ArrayList<>();
        List<Rdata.Dnskey> keys = new ArrayList<>();
        long ttl = MAX_KEY_TTL;
        for (Record r : anchors.at(zone)) {
            switch (r.rdata()) {
                case Rdata.Ds d -> ds.add(d);
                case Rdata.Dnskey k -> keys.add(k);
                default -> { }
            }
        }
        return fetchKeys(zone, ds, keys, ttl, job);
    }

    private static long minTtl(List<Record> records) {
        return records.stream().mapToLong(Record::ttl).min().orElse(0);
    }

    // ---- denial records of a section ---------------------------------------------------------------

    /** The NSEC and NSEC3 RRsets of a section that verify with {@code keys}; a failure if one does not. */
    private record Proofs(NsecProofs nsec, Nsec3Proofs nsec3, Optional<Security.Bogus> failure, long ttl) {
        Denial nameError(Name name) {
            return !nsec.isEmpty() ? nsec.nameError(name) : nsec3.nameError(name);
        }

        Denial noData(Name name, int qtype) {
            return !nsec.isEmpty() ? nsec.noData(name, qtype) : nsec3.noData(name, qtype);
        }

        Denial wildcardAnswer(Name owner, Name wildcardParent) {
            return !nsec.isEmpty() ? nsec.wildcardAnswer(owner, wildcardParent) : nsec3.wildcardAnswer(owner, wildcardParent);
        }
    }

    private Proofs proofs(List<Record> section, ZoneKeys.Secure keys, Instant now) {
        List<NsecProofs.Nsec> nsecs = new ArrayList<>();
        List<Nsec3Proofs.Nsec3> nsec3s = new ArrayList<>();
        Optional<Security.Bogus> failure = Optional.empty();
        long ttl = MAX_KEY_TTL;
        for (Rrset r : Rrset.group(section)) {
            if ((r.type() != Type.NSEC && r.type() != Type.NSEC3) || !keyName(r).equals(keys.zone())) {
                continue;
            }
            switch (signatures.verify(r, keys.zone(), keys.keys(), now)) {
                case Result.Err<Signatures.Verified, Security.Bogus>(Security.Bogus b) -> failure = Optional.of(b);
                // RFC 4035 5.3.4 and 5.4: an NSEC or NSEC3 expanded from a wildcard proves nothing
                case Result.Ok<Signatures.Verified, Security.Bogus>(Signatures.Verified v) when v.wildcardParent().isPresent() ->
                        failure = Optional.of(new Security.Bogus(6, Signatures.describe(r) + " is expanded from a wildcard"));
                case Result.Ok<Signatures.Verified, Security.Bogus> ok -> {
                    ttl = Math.min(ttl, minTtl(r.records()));
                    addDenial(r, keys.zone(), nsecs, nsec3s);
                }
            }
        }
        return new Proofs(new NsecProofs(nsecs), new Nsec3Proofs(nsec3s, config.maxNsec3Iterations()), failure, ttl);
    }

    private static void addDenial(Rrset r, Name zone, List<NsecProofs.Nsec> nsecs, List<Nsec3Proofs.Nsec3> nsec3s) {
        for (Record rec : r.records()) {
            switch (rec.rdata()) {
                case Rdata.Nsec n -> nsecs.add(new NsecProofs.Nsec(zone, rec.name(), n));
                case Rdata.Nsec3 n -> Nsec3Proofs.of(rec.name(), zone, n).ifPresent(nsec3s::add);
                default -> { }
            }
        }
    }

    // ---- the response ------------------------------------------------------------------------------

    private Validated evaluate(Question q, Message m, Map<Name, ZoneKeys> keys) {
        return new Evaluation(q, m, keys, clock.now()).run();
    }

    /** The checks of one response with the keys collected for it. */
    private final class Evaluation {
        private final Question q;
        private final Message m;
        private final Map<Name, ZoneKeys> keys;
        private final Instant now;
        private Security status = Security.SECURE;
        private int rcode;
        private final List<Record> keptAnswer = new ArrayList<>();
        private final List<Record> keptAuthority = new ArrayList<>();

        Evaluation(Question q, Message m, Map<Name, ZoneKeys> keys, Instant now) {
            this.q = q;
            this.m = m;
            this.keys = keys;
            this.now = now;
            this.rcode = m.header().rcode();
        }

        /** Worst first: bogus, insecure, indeterminate, secure (RFC 4035 4.3). */
        private void merge(Security s) {
            if (rank(s) > rank(status)) {
                status = s;
            }
        }

        private static int rank(Security s) {
            return switch (s) {
                case Security.Secure x -> 0;
                case Security.Indeterminate x -> 1;
                case Security.Insecure x -> 2;
                case Security.Bogus x -> 3;
            };
        }

        /** Verifies an RRset with its zone's keys; empty when secure and verified. */
        private Optional<Signatures.Verified> check(Rrset r) {
            ZoneKeys k = keys.getOrDefault(keyName(r), new ZoneKeys.Unanchored());
            switch (k) {
                case ZoneKeys.Unanchored u -> merge(Security.INDETERMINATE);
                case ZoneKeys.Insecure i -> merge(Security.INSECURE);
                case ZoneKeys.Bogus(Name zone, Security.Bogus b) -> merge(b);
                case ZoneKeys.Secure s -> {
                    if (r.sigs().isEmpty()) {
                        merge(new Security.Bogus(10, "no RRSIG for " + Signatures.describe(r) + " in secure zone " + s.zone()));
                    } else if (!s.zone().equals(keyName(r))) {
                        merge(new Security.Bogus(9, "signer " + keyName(r) + " of " + Signatures.describe(r) + " is not a zone"));
                    } else if (r.type() == Type.DS && r.name().equals(s.zone()) && !r.name().isRoot()) {
                        merge(new Security.Bogus(6, "DS " + r.name() + " signed by its own zone")); // RFC 4035 5.2
                    } else {
                        switch (signatures.verify(r, s.zone(), s.keys(), now)) {
                            case Result.Ok<Signatures.Verified, Security.Bogus>(Signatures.Verified v) -> {
                                return Optional.of(v);
                            }
                            case Result.Err<Signatures.Verified, Security.Bogus>(Security.Bogus b) -> merge(b);
                        }
                    }
                }
            }
            return Optional.empty();
        }

        Validated run() {
            Chain chain = Chain.follow(q, Rrset.group(m.answers()));
            List<Signatures.Verified> wildcards = new ArrayList<>();
            for (Rrset r : chain.links()) {
                keptAnswer.addAll(r.all());
                if (r.type() == Type.CNAME && chain.synthesised().contains(r)) {
                    continue; // RFC 6672 5.3.1: a CNAME synthesised from a DNAME, checked against the DNAME
                }
                Optional<Signatures.Verified> v = check(r);
                if (r.type() == Type.DNAME && v.isPresent() && v.get().wildcardParent().isPresent()) {
                    merge(new Security.Bogus(6, "DNAME " + r.name() + " expanded from a wildcard")); // RFC 4592 4.4: no synthesis from a wildcard DNAME
                }
                v.filter(x -> x.wildcardParent().isPresent()).ifPresent(wildcards::add);
            }
            for (Rrset r : chain.answer()) {
                keptAnswer.addAll(r.all());
                check(r).filter(v -> v.wildcardParent().isPresent()).ifPresent(wildcards::add);
            }
            List<Rrset> authority = Rrset.group(m.authority());
            boolean negative = chain.answer().isEmpty() && !overflowed(m);
            if (negative || !wildcards.isEmpty()) {
                denial(chain, authority, wildcards, negative);
            }
            Security security = status;
            Message out = m;
            if (security instanceof Security.Secure) {
                keepSecure(authority, keptAuthority);
                List<Record> additional = new ArrayList<>();
                keepSecure(Rrset.group(m.additional()), additional);
                out = new Message(withRcode(withAd(m.header(), true), rcode), m.questions(), keptAnswer, keptAuthority, additional,
                        m.edns());
            } else if (!(security instanceof Security.Bogus)) {
                out = m.withHeader(withAd(m.header(), false));
            }
            return new Validated(security, out);
        }

        /** The NXDOMAIN, NODATA and wildcard proofs from the authority section (RFC 4035 5.4). */
        private void denial(Chain chain, List<Rrset> authority, List<Signatures.Verified> wildcards, boolean negative) {
            Name last = chain.last();
            List<Rrset> records = authority.stream()
                    .filter(r -> r.type() == Type.NSEC || r.type() == Type.NSEC3 || r.type() == Type.SOA).toList();
            for (Rrset r : records) {
                if (check(r).isPresent()) {
                    keptAuthority.addAll(r.all());
                }
            }
            if (status instanceof Security.Bogus || status instanceof Security.Insecure) {
                return;
            }
            for (Signatures.Verified w : wildcards) {
                // the wildcard's own zone proves that the name it answers for does not exist
                if (keys.get(keyName(w.rrset())) instanceof ZoneKeys.Secure s) {
                    Proofs proofs = proofs(m.authority(), s, now);
                    if (proofs.nsec().isEmpty() && proofs.nsec3().isEmpty()) {
                        merge(new Security.Bogus(12, "no NSEC or NSEC3 proves the wildcard answer " + w.rrset().name()));
                    } else {
                        outcome(proofs.wildcardAnswer(w.rrset().name(), w.wildcardParent().orElseThrow()),
                                "wildcard answer " + w.rrset().name());
                    }
                }
            }
            if (!negative) {
                return;
            }
            // the zone of the final name: the deepest signer of an SOA or denial record above it
            Optional<Name> zone = records.stream().filter(r -> !r.sigs().isEmpty()).map(Validator::keyName)
                    .filter(last::isSubdomainOf).max(java.util.Comparator.comparingInt(Name::labelCount));
            ZoneKeys holder = keys.getOrDefault(zone.orElse(holder(last, q.qtype())), new ZoneKeys.Unanchored());
            switch (holder) {
                case ZoneKeys.Unanchored u -> merge(Security.INDETERMINATE);
                case ZoneKeys.Insecure i -> merge(Security.INSECURE);
                case ZoneKeys.Bogus(Name z, Security.Bogus b) -> merge(b);
                case ZoneKeys.Secure s when zone.isEmpty() ->
                        merge(new Security.Bogus(12, "no NSEC or NSEC3 for the negative answer for " + last));
                case ZoneKeys.Secure s -> negative(s, last);
            }
        }

        /** RFC 4035 5.4, RFC 5155 8.4-8.7: NXDOMAIN or NODATA for the last name of the chain. */
        private void negative(ZoneKeys.Secure s, Name last) {
            Proofs proofs = proofs(m.authority(), s, now);
            // RFC 4035 5.2: the zone's own proof of a delegation without DS above the name (a chain
            // that went on into an unsigned child) makes the answer insecure
            for (int strip = q.qtype() == Type.DS ? 1 : 0; strip < last.labelCount() - s.zone().labelCount(); strip++) {
                Name at = last.parent(strip);
                Optional<Boolean> unsignedCut = proofs.nsec().at(at).map(n -> n.has(Type.NS) && !n.has(Type.SOA) && !n.has(Type.DS))
                        .or(() -> proofs.nsec3().matching(at).map(n -> n.has(Type.NS) && !n.has(Type.SOA) && !n.has(Type.DS)));
                if (unsignedCut.orElse(false)) {
                    merge(Security.INSECURE);
                    return;
                }
            }
            if (m.header().rcode() == Header.NXDOMAIN) {
                Denial nx = proofs.nameError(last);
                if (nx instanceof Denial.Failed && proofs.noData(last, q.qtype()) instanceof Denial.Proved) {
                    rcode = Header.NOERROR; // an empty non-terminal given as NXDOMAIN: the proof says NODATA
                    return;
                }
                outcome(nx, "NXDOMAIN for " + last);
            } else if (q.qtype() != Type.ANY) {
                outcome(proofs.noData(last, q.qtype()), "NODATA for " + last);
            }
        }

        private void outcome(Denial d, String what) {
            switch (d) {
                case Denial.Proved p -> { }
                case Denial.Insecure(String why) -> merge(Security.INSECURE);
                case Denial.Failed(String why) -> merge(new Security.Bogus(12, what + ": " + why));
            }
        }

        /** RFC 4035 4.3: of the other sections, only what verifies with keys already validated stays. */
        private void keepSecure(List<Rrset> section, List<Record> into) {
            for (Rrset r : section) {
                if (into == keptAuthority && keptAuthority.containsAll(r.records())) {
                    continue;
                }
                ZoneKeys k = r.signer().flatMap(s -> Optional.ofNullable(keys.get(s))).orElse(null);
                if (k instanceof ZoneKeys.Secure s && s.zone().equals(keyName(r))
                        && signatures.verify(r, s.zone(), s.keys(), now).isOk()) {
                    into.addAll(r.all());
                }
            }
        }
    }

    private static Header withRcode(Header h, int rcode) {
        return new Header(h.id(), h.qr(), h.opcode(), h.aa(), h.tc(), h.rd(), h.ra(), h.z(), h.ad(), h.cd(), rcode);
    }

    private static Header withAd(Header h, boolean ad) {
        return new Header(h.id(), h.qr(), h.opcode(), h.aa(), h.tc(), h.rd(), h.ra(), h.z(), ad, h.cd(), h.rcode());
    }
}
