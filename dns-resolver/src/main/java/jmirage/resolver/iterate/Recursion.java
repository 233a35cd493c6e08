package jmirage.resolver.iterate;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.upstream.Throttle;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.upstream.UpstreamError;

/**
 * Iterative resolution (RFC 1034 5.3.3) from the hints over an {@code Upstream}: referrals, glue
 * within bailiwick, out-of-zone name servers, CNAME and DNAME chains across zones, lame and
 * unreachable servers, server selection by smoothed round trip, TCP on truncation, QNAME
 * minimisation (RFC 9156); or forwarding to the configured forwarders. It returns what the
 * authorities said, unvalidated: the validator and the cache sit above it.
 *
 * <p>Time comes only from the {@link Clock}, randomness only from the {@link Random}, authorities
 * only through the {@link Upstream}: with a scripted upstream and a manual clock it is
 * deterministic. Every loop is bounded by the per-question {@link Config#maxQueries work budget},
 * the sub-resolution depth, the referral count and the chain length. Call it on the loop.
 */
public final class Recursion {

    /**
     * @param port the port of authorities found by iteration (53)
     * @param initialTimeout the timeout for a server never measured; later ones follow its round trip
     * @param ednsPayload the UDP payload size offered (1232: DNS flag day 2020, no fragmentation)
     * @param dnssecOk the DO bit (RFC 3225), on when validating, so RRSIGs and NSEC come back
     * @param qnameMinimisation RFC 9156, relaxed: a badly answered minimised query is asked in full
     * @param primeRoot ask the root hints for the root's NS set before the first query (RFC 8109);
     *     off for a stub zone "." whose servers are given (unbound's stub-prime: no)
     * @param maxQueries the work budget: queries one question may cause, sub-resolutions included
     * @param maxDepth how deep name server names may be resolved inside a resolution
     * @param maxReferrals referrals followed for one name
     * @param maxChain CNAME and DNAME links followed
     * @param attemptsPerServer sends to one server for one query after timeouts, each backed off (5, as
     *     unbound retries); a lame or unreachable server is asked once
     * @param infrastructureEntries the bound of each map of the infrastructure cache
     * @param maxDelegationTtl the longest a learned delegation is kept
     * @param tlsForwarders the forwarders to reach over DNS over TLS (RFC 7858)
     * @param maxOutstanding queries in flight to authorities at once, over all questions ({@link Throttle})
     * @param maxQueued queries waiting for one of those; beyond, a question fails at once (TooMuchWork)
     */
    public record Config(int port, Duration initialTimeout, Duration minTimeout, Duration maxTimeout, int ednsPayload,
            boolean dnssecOk, boolean qnameMinimisation, boolean primeRoot, int maxQueries, int maxDepth, int maxReferrals,
            int maxChain, int attemptsPerServer, int infrastructureEntries, Duration maxDelegationTtl, Set<Endpoint> tlsForwarders,
            int maxOutstanding, int maxQueued) {

        public Config {
            Objects.requireNonNull(initialTimeout);
            Objects.requireNonNull(minTimeout);
            Objects.requireNonNull(maxTimeout);
            Objects.requireNonNull(maxDelegationTtl);
            tlsForwarders = Set.copyOf(tlsForwarders);
            if (maxQueries < 1 || maxChain < 0 || maxDepth < 0 || maxReferrals < 1 || attemptsPerServer < 1 || infrastructureEntries < 1
                    || maxOutstanding < 1 || maxQueued < 0) {
                throw new IllegalArgumentException("budgets must be positive");
            }
        }

        /** Unbound's choices where the RFCs leave them open. */
        public static Config defaults() {
            return new Config(53, Duration.ofMillis(400), Duration.ofMillis(50), Duration.ofSeconds(5), 1232, false, true, true,
                    100, 4, 32, 16, 5, 10_000, Duration.ofDays(1), Set.of(), 1024, 4096);
        }

        public Config withDnssecOk(boolean on) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, on, qnameMinimisation, primeRoot, maxQueries,
                    maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withQnameMinimisation(boolean on) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, on, primeRoot, maxQueries,
                    maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withPrimeRoot(boolean on) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, on, maxQueries,
                    maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withMaxQueries(int budget) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, primeRoot, budget,
                    maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withPort(int authorityPort) {
            return new Config(authorityPort, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, primeRoot,
                    maxQueries, maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withInfrastructureEntries(int entries) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, primeRoot,
                    maxQueries, maxDepth, maxReferrals, maxChain, attemptsPerServer, entries, maxDelegationTtl, tlsForwarders, maxOutstanding, maxQueued);
        }

        public Config withOutstandingLimit(int outstanding, int queued) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, primeRoot,
                    maxQueries, maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, tlsForwarders,
                    outstanding, queued);
        }

        public Config withTlsForwarders(Set<Endpoint> forwarders) {
            return new Config(port, initialTimeout, minTimeout, maxTimeout, ednsPayload, dnssecOk, qnameMinimisation, primeRoot,
                    maxQueries, maxDepth, maxReferrals, maxChain, attemptsPerServer, infrastructureEntries, maxDelegationTtl, forwarders, maxOutstanding, maxQueued);
        }
    }

    /** RFC 9156 2.3: at most this many minimised queries for one name, then the full name. */
    private static final int MAX_MINIMISE_COUNT = 10;
    /** Timeouts of a minimised query after which the full name is asked instead (unbound's MAX_MINIMISE_TIMEOUT_COUNT). */
    private static final int MAX_MINIMISE_TIMEOUT_COUNT = 3;
    /** How long the hints stand in for the root's NS set after priming failed. */
    private static final long FAILED_PRIMING_TTL = 60;

    private final Hints hints;
    private final Upstream upstream;
    private final Throttle throttle;
    private final Clock clock;
    private final Random random;
    private final Config config;
    private final Infrastructure infrastructure;
    private final ReferralProofs referralProofs;
    private Promise<Unit> priming;
    private final Map<Question, Promise<Result<Answer, RecursionError>>> inFlight = new HashMap<>();

    public Recursion(Hints hints, Upstream upstream, Clock clock, Random random, Config config) {
        this.hints = Objects.requireNonNull(hints);
        this.throttle = new Throttle(upstream, config.maxOutstanding(), config.maxQueued());
        this.upstream = throttle;
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.config = Objects.requireNonNull(config);
        this.referralProofs = new ReferralProofs(config.infrastructureEntries());
        this.infrastructure = new Infrastructure(config.infrastructureEntries(), config.initialTimeout(), config.minTimeout(),
                config.maxTimeout());
    }

    /** Queries to authorities in flight now, over all questions (at most {@link Config#maxOutstanding}). */
    public int outstanding() {
        return throttle.outstanding();
    }

    /** Entries held by the infrastructure cache (servers, delegations, addresses), for metrics and tests. */
    public int infrastructureSize() {
        return infrastructure.size();
    }

    /**
     * Resolves {@code question}; the promise never fails for anything the network sends. A question
     * already being resolved is not asked again: its askers share the one resolution (as unbound's
     * mesh does), so a burst of clients asking one name costs the authorities one query.
     */
    public Promise<Result<Answer, RecursionError>> resolve(Question question) {
        return resolve(question, budget());
    }

    /**
     * A fresh work budget of {@link Config#maxQueries} queries. A client's question gets one, and
     * every resolution it causes draws on it: its own, the name servers' addresses, and the DS and
     * DNSKEY questions its validation asks (as unbound's global quota per client query does since
     * the NRDelegation and KeyTrap attacks), so one question never costs more than that in all.
     */
    public Budget budget() {
        return new Budget(new Work(config.maxQueries()));
    }

    /** Queries a client's question may still cause, shared by everything it makes the resolver ask. */
    public static final class Budget {
        private final Work work;

        private Budget(Work work) {
            this.work = work;
        }

        /** Queries left. */
        public int left() {
            return work.queriesLeft;
        }
    }

    /** {@link #resolve(Question)} drawing on {@code budget}; a question already in flight costs nothing more. */
    public Promise<Result<Answer, RecursionError>> resolve(Question question, Budget budget) {
        Optional<Answer> kept = referralProofs.answer(question, clock.monotonicNanos());
        if (kept.isPresent()) {
            return Promise.resolved(Result.ok(kept.get())); // a DS the parent gave with its referral
        }
        Promise<Result<Answer, RecursionError>> pending = inFlight.get(question);
        if (pending != null) {
            return pending;
        }
        Work work = budget.work;
        Promise<Result<Answer, RecursionError>> resolution = primed().flatMap(ignored -> resolve(work, question, 0));
        if (!resolution.isDone()) {
            inFlight.put(question, resolution);
            resolution.onComplete((v, e) -> inFlight.remove(question, resolution));
        }
        return resolution;
    }

    /** The work budget of one question, shared with the sub-resolutions it causes. */
    private static final class Work {
        int queriesLeft;
        /** Why the resolver refused to send more for this question (its query bound reached), or null. */
        String overloaded;
        final Set<Name> resolvingServers = new HashSet<>();

        Work(int queries) {
            this.queriesLeft = queries;
        }
    }

    // ---- priming (RFC 8109) ----

    /** Primes the root's NS set when it is not known; questions asked meanwhile wait for the same priming. */
    private Promise<Unit> primed() {
        Optional<List<Hints.Server>> root = Optional.ofNullable(hints.stubs().get(Name.ROOT));
        if (!config.primeRoot() || root.isEmpty() || infrastructure.delegation(Name.ROOT, clock.monotonicNanos()).isPresent()) {
            return Promise.done();
        }
        if (priming != null && !priming.isDone()) {
            return priming;
        }
        Delegation fromHints = new Delegation(Name.ROOT, root.get());
        Question question = new Question(Name.ROOT, Type.NS);
        priming = new ZoneQuery(new Work(config.maxQueries()), fromHints, question, 0, List.of()).next().map(r -> {
            if (r instanceof Result.Ok<Reply, RecursionError>(Reply.Final(Name zone, Message m)) && m.header().rcode() == Header.NOERROR) {
                Optional<Delegation> primed = rootFrom(m);
                if (primed.isPresent()) {
                    infrastructure.delegation(primed.get(), ttl(nsTtl(m.answers())), clock.monotonicNanos());
                    return Unit.UNIT;
                }
            }
            infrastructure.delegation(fromHints, FAILED_PRIMING_TTL, clock.monotonicNanos());
            return Unit.UNIT;
        });
        return priming;
    }

    /** RFC 8109 4: the root's NS RRset from the answer, with the addresses of the additional section. */
    private static Optional<Delegation> rootFrom(Message m) {
        Map<Name, List<InetAddress>> servers = new LinkedHashMap<>();
        for (Record r : m.answers()) {
            if (r.name().isRoot() && r.rdata() instanceof Rdata.Ns(Name host)) {
                servers.putIfAbsent(host, new ArrayList<>());
            }
        }
        for (Record r : m.additional()) {
            List<InetAddress> addresses = servers.get(r.name());
            if (addresses != null && r.rdata() instanceof Rdata.A(var a)) {
                addresses.add(a);
            } else if (addresses != null && r.rdata() instanceof Rdata.Aaaa(var a)) {
                addresses.add(a);
            }
        }
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        List<Hints.Server> list = new ArrayList<>();
        servers.forEach((name, addresses) -> list.add(new Hints.Server(name, addresses)));
        return Optional.of(new Delegation(Name.ROOT, list));
    }

    private static long nsTtl(List<Record> records) {
        long ttl = Long.MAX_VALUE;
        for (Record r : records) {
            if (r.type() == Type.NS) {
                ttl = Math.min(ttl, r.ttl());
            }
        }
        return ttl == Long.MAX_VALUE ? 0 : ttl;
    }

    private long ttl(long seconds) {
        return Math.min(seconds, config.maxDelegationTtl().toSeconds());
    }

    // ---- one question, its chain of aliases ----

    private Promise<Result<Answer, RecursionError>> resolve(Work work, Question question, int depth) {
        Set<Name> seen = new HashSet<>();
        seen.add(question.name());
        return chase(work, question, question.name(), List.of(), List.of(), seen, 0, depth);
    }

    /**
     * Resolves {@code name} (the question's, or where its chain led) and follows the chain on.
     * {@code proofs} are the NSEC and NSEC3 records (with their RRSIGs) of the links' authority
     * sections: a link expanded from a wildcard is proved by them (RFC 4035 5.3.4).
     */
    private Promise<Result<Answer, RecursionError>> chase(Work work, Question question, Name name, List<Record> chain,
            List<Record> proofs, Set<Name> seen, int links, int depth) {
        Question current = new Question(name, question.qtype(), question.qclass());
        return find(work, current, depth).flatMap(found -> switch (found) {
            case Result.Err<Reply.Final, RecursionError>(RecursionError e) -> Promise.resolved(Result.err(e));
            case Result.Ok<Reply.Final, RecursionError>(Reply.Final(Name zone, Message response)) -> {
                List<Record> sofar = new ArrayList<>(chain);
                yield switch (Chain.follow(current, zone, response, seen, config.maxChain() - links)) {
                    case Result.Err<Chain.Followed, Chain.Broken>(Chain.Broken.Loop(Name at)) ->
                            Promise.resolved(Result.err(new RecursionError.TooMuchWork("a CNAME/DNAME loop at " + at)));
                    case Result.Err<Chain.Followed, Chain.Broken>(Chain.Broken.TooLong(int n)) ->
                            Promise.resolved(Result.err(new RecursionError.TooMuchWork("a chain of more than " + config.maxChain() + " links")));
                    case Result.Err<Chain.Followed, Chain.Broken>(Chain.Broken.Overflow(Name at, List<Record> dname)) -> {
                        sofar.addAll(dname); // RFC 6672 2.2: the substituted name does not fit: YXDOMAIN
                        yield Promise.resolved(Result.ok(new Answer(assemble(question, response, Rcode.YXDOMAIN.value(), sofar, List.of()), zone)));
                    }
                    case Result.Ok<Chain.Followed, Chain.Broken>(Chain.Followed f) -> {
                        sofar.addAll(f.records());
                        if (f.done()) {
                            List<Record> authority = new ArrayList<>(proofs);
                            authority.addAll(response.authority());
                            yield Promise.resolved(Result.ok(new Answer(
                                    assemble(question, response, response.header().rcode(), sofar, authority), zone)));
                        }
                        List<Record> moreProofs = new ArrayList<>(proofs);
                        for (Record r : response.authority()) {
                            int type = r.rdata() instanceof Rdata.Rrsig sig ? sig.typeCovered() : r.type();
                            if ((type == Type.NSEC || type == Type.NSEC3) && !moreProofs.contains(r)) {
                                moreProofs.add(r);
                            }
                        }
                        yield chase(work, question, f.reached(), sofar, moreProofs, seen, links + f.links(), depth);
                    }
                };
            }
        });
    }

    /** The answer to the original question: the chain's records and the last zone's rcode and authority section. */
    private static Message assemble(Question question, Message last, int rcode, List<Record> answers, List<Record> authority) {
        Header h = last.header();
        Header header = new Header(h.id(), true, Header.QUERY, h.aa(), false, h.rd(), h.ra(), false, h.ad(), h.cd(), rcode);
        return new Message(header, List.of(question), answers, authority, List.of(), Optional.empty());
    }

    // ---- one name: from the closest known zone cut down to the answer ----

    /** The final response for {@code question} (no alias followed), from forwarders or by iteration. */
    private Promise<Result<Reply.Final, RecursionError>> find(Work work, Question question, int depth) {
        Optional<Answer> kept = referralProofs.answer(question, clock.monotonicNanos());
        if (kept.isPresent()) {
            // a DS the parent gave with its referral: also where a chain leads (a CNAME to a zone cut, asked for DS)
            return Promise.resolved(Result.ok(new Reply.Final(kept.get().zone(), kept.get().message())));
        }
        Optional<Delegation> start = closestDelegation(question);
        Optional<Map.Entry<Name, List<Endpoint>>> forward = closestForward(question);
        if (forward.isPresent() && (start.isEmpty() || forward.get().getKey().labelCount() >= start.get().zone().labelCount())) {
            Delegation forwarders = new Delegation(forward.get().getKey(), List.of());
            return new ZoneQuery(work, forwarders, question, depth, forward.get().getValue()).next().map(r -> r.map(Reply.Final.class::cast));
        }
        if (start.isEmpty()) {
            return Promise.resolved(Result.err(new RecursionError.NoReachableAuthority(question.name().toString())));
        }
        int firstLabels = config.qnameMinimisation() ? start.get().zone().labelCount() + 1 : Integer.MAX_VALUE;
        return descend(work, question, start.get(), firstLabels, 0, 0, depth);
    }

    /**
     * The deepest zone cut known above the name: a delegation learned and not expired, or a stub
     * zone (the root hints among them). For DS, strictly above the name: the DS RRset lives in the
     * parent zone (RFC 4035 3.1.4.1).
     */
    private Optional<Delegation> closestDelegation(Question question) {
        Name name = question.name();
        int skip = question.qtype() == Type.DS && !name.isRoot() ? 1 : 0;
        long now = clock.monotonicNanos();
        for (int i = skip; i <= name.labelCount(); i++) {
            Name zone = name.parent(i);
            Optional<Delegation> learned = infrastructure.delegation(zone, now);
            if (learned.isPresent()) {
                return learned;
            }
            List<Hints.Server> stub = hints.stubs().get(zone);
            if (stub != null) {
                return Optional.of(new Delegation(zone, stub));
            }
        }
        return Optional.empty();
    }

    /**
     * The forward zone holding the name; for DS strictly above it, as for delegations: the DS of a
     * forward zone's apex is its parent's (unbound asks it there too, not of the forwarder).
     */
    private Optional<Map.Entry<Name, List<Endpoint>>> closestForward(Question question) {
        Name name = question.name();
        int skip = question.qtype() == Type.DS && !name.isRoot() ? 1 : 0;
        for (int i = skip; i <= name.labelCount(); i++) {
            Name zone = name.parent(i);
            List<Endpoint> forwarders = hints.forwards().get(zone);
            if (forwarders != null) {
                return Optional.of(Map.entry(zone, forwarders));
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the servers of {@code zone} and follows referrals down. With QNAME minimisation
     * ({@code labels} below the full name's count) the question asked is the name cut to
     * {@code labels} labels with type A (RFC 9156: A rather than NS, which some servers mishandle);
     * a NOERROR answer means no cut there and one more label is asked; anything else, and the
     * eleventh step, ask the full name (the relaxed mode).
     */
    private Promise<Result<Reply.Final, RecursionError>> descend(Work work, Question question, Delegation zone, int labels,
            int minimised, int referrals, int depth) {
        boolean minimising = labels < question.name().labelCount() && minimised < MAX_MINIMISE_COUNT;
        Question asked = minimising
                ? new Question(question.name().parent(question.name().labelCount() - labels), Type.A, question.qclass())
                : question;
        ZoneQuery query = new ZoneQuery(work, zone, asked, depth, List.of());
        if (minimising) {
            query.fallBackTo(question);
        }
        return query.next().flatMap(r -> switch (r) {
            // servers that answered the minimised name badly may answer the full one (silent ones will not)
            case Result.Err<Reply, RecursionError>(RecursionError e) when query.minimised() && query.answeredBadly
                    && e instanceof RecursionError.NoReachableAuthority ->
                    descend(work, question, zone, Integer.MAX_VALUE, minimised, referrals, depth);
            case Result.Err<Reply, RecursionError>(RecursionError e) -> Promise.resolved(Result.err(e));
            case Result.Ok<Reply, RecursionError>(Reply.Referral(Delegation child, long ttl)) -> {
                infrastructure.delegation(child, ttl(ttl), clock.monotonicNanos());
                if (referrals + 1 > config.maxReferrals()) {
                    yield Promise.resolved(Result.err(new RecursionError.TooMuchWork("more than " + config.maxReferrals() + " referrals")));
                }
                int next = labels == Integer.MAX_VALUE || !query.minimised() ? Integer.MAX_VALUE : child.zone().labelCount() + 1;
                yield descend(work, question, child, next, minimised, referrals + 1, depth);
            }
            case Result.Ok<Reply, RecursionError>(Reply.Final f) when query.minimised() -> f.response().header().rcode() == Header.NOERROR
                    ? descend(work, question, zone, labels + 1, minimised + 1, referrals, depth)
                    : descend(work, question, zone, Integer.MAX_VALUE, minimised + 1, referrals, depth);
            case Result.Ok<Reply, RecursionError>(Reply.Final f) -> Promise.resolved(Result.ok(f));
            case Result.Ok<Reply, RecursionError>(Reply.Lame lame) -> throw new IllegalStateException("a zone query returns no lame reply");
        });
    }

    // ---- one query to the servers of one zone ----

    /** What one send to one server gave: a reply to act on, or nothing usable from that server. */
    private sealed interface Sent {
        record Replied(Reply reply) implements Sent {}

        /** @param network the network refused (no route, port unreachable), rather than silence or a bad answer */
        record Lost(String why, boolean timedOut, boolean network) implements Sent {}
    }

    /**
     * One question to the servers of one zone (or to forwarders): the best server first by smoothed
     * round trip, the next on a timeout, an error or a lame reply; a server that timed out is tried
     * again after the others, with its timeout doubled; name servers without a known address are
     * resolved (one at a time, bounded depth) only when those with one failed.
     */
    private final class ZoneQuery {
        private final Work work;
        private final Delegation zone;
        private Question asked;
        /** The full question a minimised query falls back to after timeouts; null when not minimised. */
        private Question full;
        private int timeouts;
        private final int depth;
        private final boolean forwarded;
        private final List<Endpoint> candidates = new ArrayList<>();
        private final Map<Endpoint, Integer> attempts = new HashMap<>();
        private final List<Name> unresolved = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private boolean onlyNetworkErrors = true;
        /** A server answered, but with nothing usable (lame, malformed): not only silence. */
        boolean answeredBadly;

        ZoneQuery(Work work, Delegation zone, Question asked, int depth, List<Endpoint> forwarders) {
            this.work = work;
            this.zone = zone;
            this.asked = asked;
            this.depth = depth;
            this.forwarded = !forwarders.isEmpty();
            candidates.addAll(forwarders);
            long now = clock.monotonicNanos();
            for (Hints.Server s : zone.servers()) {
                List<InetAddress> known = s.addresses().isEmpty() ? infrastructure.addresses(s.name(), now) : s.addresses();
                if (known.isEmpty()) {
                    unresolved.add(s.name());
                }
                for (InetAddress a : known) {
                    Endpoint e = new Endpoint(a, config.port());
                    if (!candidates.contains(e)) {
                        candidates.add(e);
                    }
                }
            }
        }

        /** Minimised: after {@link #MAX_MINIMISE_TIMEOUT_COUNT} timeouts, ask {@code question} itself. */
        void fallBackTo(Question question) {
            this.full = question;
        }

        /** Whether the question asked (last) was a minimised one. */
        boolean minimised() {
            return full != null;
        }

        Promise<Result<Reply, RecursionError>> next() {
            if (work.overloaded != null) {
                return Promise.resolved(Result.err(new RecursionError.TooMuchWork("the resolver is overloaded: " + work.overloaded)));
            }
            Optional<Endpoint> server = pick();
            if (server.isPresent()) {
                if (work.queriesLeft <= 0) {
                    return Promise.resolved(Result.err(budgetSpent()));
                }
                Endpoint e = server.get();
                return send(e).flatMap(sent -> switch (sent) {
                    case Sent.Replied(Reply.Lame(String why)) -> {
                        attempts.put(e, config.attemptsPerServer());
                        failures.add(e + ": " + why);
                        onlyNetworkErrors = false;
                        answeredBadly = true;
                        yield next();
                    }
                    case Sent.Replied(Reply reply) -> Promise.resolved(Result.ok(reply));
                    case Sent.Lost(String why, boolean timedOut, boolean network) -> {
                        if (!timedOut) {
                            attempts.put(e, config.attemptsPerServer());
                        } else if (full != null && ++timeouts >= MAX_MINIMISE_TIMEOUT_COUNT) {
                            // unbound (iterator.c): servers or middleboxes that drop the minimised question
                            // (often its type A) are asked the full one; the remaining attempts go to it, so
                            // a server that is simply down costs no more queries than without minimisation
                            asked = full;
                            full = null;
                        }
                        failures.add(e + ": " + why);
                        onlyNetworkErrors &= network;
                        answeredBadly |= !timedOut && !network;
                        yield next();
                    }
                });
            }
            while (!unresolved.isEmpty() && depth < config.maxDepth()) {
                Name ns = unresolved.removeFirst();
                if (work.resolvingServers.add(ns)) {
                    return addresses(ns).flatMap(found -> {
                        work.resolvingServers.remove(ns);
                        for (InetAddress a : found) {
                            candidates.add(new Endpoint(a, config.port()));
                        }
                        return next();
                    });
                }
            }
            if (work.queriesLeft <= 0) {
                return Promise.resolved(Result.err(budgetSpent()));
            }
            if (!failures.isEmpty() && onlyNetworkErrors) {
                // every server refused at the network level: our side's network, most likely (EDE 23)
                return Promise.resolved(Result.err(new RecursionError.Network(zone.zone() + ": "
                        + String.join("; ", failures.subList(0, Math.min(3, failures.size()))))));
            }
            return Promise.resolved(Result.err(new RecursionError.NoReachableAuthority(zone.zone().toString())));
        }

        private RecursionError budgetSpent() {
            return new RecursionError.TooMuchWork("the work budget of " + config.maxQueries() + " queries is spent");
        }

        /** The candidate with the lowest expected wait among those with attempts left; ties broken at random. */
        private Optional<Endpoint> pick() {
            Endpoint best = null;
            long bestScore = Long.MAX_VALUE;
            int ties = 0;
            long now = clock.monotonicNanos();
            for (Endpoint e : candidates) {
                int tried = attempts.getOrDefault(e, 0);
                if (tried >= config.attemptsPerServer()) {
                    continue;
                }
                // a server already tried in this query goes after the untried ones
                long score = infrastructure.score(e, now) + (tried > 0 ? config.maxTimeout().toMillis() * 4 : 0);
                if (score < bestScore) {
                    best = e;
                    bestScore = score;
                    ties = 1;
                } else if (score == bestScore && random.nextInt(++ties) == 0) {
                    best = e;
                }
            }
            if (best != null) {
                attempts.merge(best, 1, Integer::sum);
            }
            return Optional.ofNullable(best);
        }

        /** The addresses of a name server by resolving its name (A, then AAAA when it has none). */
        private Promise<List<InetAddress>> addresses(Name ns) {
            return resolve(work, new Question(ns, Type.A), depth + 1).flatMap(a -> {
                List<InetAddress> found = addressesIn(ns, a);
                if (!found.isEmpty()) {
                    return Promise.resolved(found);
                }
                return resolve(work, new Question(ns, Type.AAAA), depth + 1).map(aaaa -> addressesIn(ns, aaaa));
            });
        }

        private List<InetAddress> addressesIn(Name ns, Result<Answer, RecursionError> r) {
            if (!(r instanceof Result.Ok<Answer, RecursionError>(Answer answer))) {
                return List.of();
            }
            List<InetAddress> found = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (Record rec : answer.message().answers()) {
                if (rec.rdata() instanceof Rdata.A(var a)) {
                    found.add(a);
                    ttl = Math.min(ttl, rec.ttl());
                } else if (rec.rdata() instanceof Rdata.Aaaa(var a)) {
                    found.add(a);
                    ttl = Math.min(ttl, rec.ttl());
                }
            }
            if (!found.isEmpty()) {
                infrastructure.addresses(ns, found, ttl(ttl), clock.monotonicNanos());
            }
            return found;
        }

        /** One exchange with one server: UDP, TCP again on TC (RFC 7766 5), once more without EDNS on FORMERR (RFC 6891 7). */
        private Promise<Sent> send(Endpoint server) {
            Upstream.Transport transport = forwarded && config.tlsForwarders().contains(server)
                    ? Upstream.Transport.TLS : Upstream.Transport.UDP;
            return exchange(server, transport, !infrastructure.noEdns(server, clock.monotonicNanos()));
        }

        private Promise<Sent> exchange(Endpoint server, Upstream.Transport transport, boolean edns) {
            work.queriesLeft--;
            Message query = query(edns);
            long started = clock.monotonicNanos();
            return upstream.ask(server, query, transport, infrastructure.timeout(server, started)).flatMap(r -> switch (r) {
                case Result.Err<Message, UpstreamError>(UpstreamError.TimedOut t) -> {
                    infrastructure.timedOut(server, clock.monotonicNanos());
                    yield Promise.resolved(new Sent.Lost(t.describe(), true, false));
                }
                case Result.Err<Message, UpstreamError>(UpstreamError.Unreachable u) -> Promise.resolved(new Sent.Lost(u.describe(), false, true));
                case Result.Err<Message, UpstreamError>(UpstreamError.Malformed m) -> Promise.resolved(new Sent.Lost(m.describe(), false, false));
                case Result.Err<Message, UpstreamError>(UpstreamError.Unauthenticated u) -> Promise.resolved(new Sent.Lost(u.describe(), false, false));
                case Result.Err<Message, UpstreamError>(UpstreamError.Overloaded o) -> {
                    work.queriesLeft++; // not sent
                    work.overloaded = o.describe();
                    yield Promise.resolved(new Sent.Lost(o.describe(), false, false));
                }
                case Result.Ok<Message, UpstreamError>(Message m) -> {
                    infrastructure.answered(server, (clock.monotonicNanos() - started) / 1_000_000, clock.monotonicNanos());
                    if (m.header().tc() && transport == Upstream.Transport.UDP) {
                        yield work.queriesLeft > 0 ? exchange(server, Upstream.Transport.TCP, edns)
                                : Promise.resolved(new Sent.Lost("truncated, and the work budget is spent", false, false));
                    }
                    if (m.header().rcode() == Header.FORMERR && edns && m.edns().isEmpty() && work.queriesLeft > 0) {
                        infrastructure.refusedEdns(server, clock.monotonicNanos());
                        yield exchange(server, transport, false);
                    }
                    Reply reply = Reply.classify(asked, zone.zone(), m, forwarded);
                    if (reply instanceof Reply.Referral(Delegation child, long ttl)) {
                        referralProofs.referral(zone.zone(), child.zone(), m, config.maxDelegationTtl().toSeconds(), clock.monotonicNanos());
                    }
                    yield Promise.resolved(new Sent.Replied(reply));
                }
            });
        }

        /**
         * The query: no RD to authorities (RFC 1034 5.3.1), RD and CD to forwarders (we validate
         * ourselves, RFC 4035 3.2.2), EDNS with the safe payload size and DO when validating.
         */
        private Message query(boolean edns) {
            Header header = new Header(0, false, Header.QUERY, false, false, forwarded, false, false, false,
                    forwarded && config.dnssecOk(), Header.NOERROR);
            Optional<Edns> opt = edns ? Optional.of(new Edns(config.ednsPayload(), 0, config.dnssecOk(), 0, List.of())) : Optional.empty();
            return new Message(header, List.of(asked), List.of(), List.of(), List.of(), opt);
        }
    }
}
