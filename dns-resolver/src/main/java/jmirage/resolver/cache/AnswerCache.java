package jmirage.resolver.cache;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.RdataCodec;
import jmirage.dns.Record;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/**
 * The resolver's memory of answers, positive and negative (RFC 2308), with TTLs capped, a bound on
 * the bytes it holds (least recently used entries evicted, never growth), entries kept past expiry
 * for serve-stale (RFC 8767), and a prefetch hint for popular entries near expiry. Times are the
 * Clock's monotonic nanoseconds. Owned by the loop: no locks.
 *
 * <p>What is kept, and for how long:
 * <ul>
 * <li>an answer: the smallest TTL of its answer records, at most {@link Config#maxTtlSeconds};
 * <li>NODATA (RFC 2308 2.2) per name and type, NXDOMAIN (2.1) per name for every type: the SOA's
 *     min(TTL, MINIMUM) (RFC 2308 5), at most {@link Config#maxNegativeTtlSeconds}; a negative
 *     answer without an SOA is not kept (RFC 2308 5);
 * <li>bogus data (kept with its status, so a CD client gets it and the others SERVFAIL) at most
 *     {@link Config#bogusTtlSeconds} (RFC 4035 4.7), never served stale;
 * <li>a failure (SERVFAIL, no reachable authority) for {@link Config#failureTtlSeconds} (RFC 9520
 *     3.2: at least 1 s, at most 5 min), only where nothing better is known; where an expired
 *     answer is known the failure instead starts RFC 8767's failure-recheck timer: for
 *     {@link Config#failureRecheckSeconds} the stale answer is given without asking again.
 * </ul>
 * Every record of an entry carries at most the entry's TTL, counted down on the way out, so TTLs
 * a client sees never grow. One entry serves clients with and without CD: it holds the security
 * status, and the resolver shapes the answer (SERVFAIL for bogus unless CD).
 */
public final class AnswerCache {

    /**
     * @param maxBytes the bound on the heap the entries hold, approximately ({@link #size})
     * @param maxTtlSeconds cap of positive TTLs (unbound's cache-max-ttl: 1 day)
     * @param maxNegativeTtlSeconds cap of negative TTLs (unbound's cache-max-negative-ttl: 1 hour)
     * @param minTtlSeconds floor of TTLs (0: an answer with TTL 0 is not kept)
     * @param bogusTtlSeconds how long bogus data is kept (60 s, as unbound's val-bogus-ttl)
     * @param failureTtlSeconds how long a failure is remembered where nothing else is known
     * @param staleSeconds how long past expiry an answer may still be served stale (RFC 8767 5: 1 to 3 days)
     * @param staleAnswerTtlSeconds the TTL of a stale answer (RFC 8767 4: 30 s)
     * @param failureRecheckSeconds after a failure, how long stale data is served without asking (RFC 8767 4: 30 s)
     * @param prefetchHits hits in the last tenth of an entry's TTL that make it worth refreshing early
     */
    public record Config(long maxBytes, long maxTtlSeconds, long maxNegativeTtlSeconds, long minTtlSeconds,
            long bogusTtlSeconds, long failureTtlSeconds, long staleSeconds, long staleAnswerTtlSeconds,
            long failureRecheckSeconds, int prefetchHits) {

        public Config {
            if (maxBytes < 1 || maxTtlSeconds < 1 || maxNegativeTtlSeconds < 0 || minTtlSeconds < 0
                    || minTtlSeconds > maxTtlSeconds || bogusTtlSeconds < 0 || staleSeconds < 0
                    || staleAnswerTtlSeconds < 1 || failureRecheckSeconds < 0 || prefetchHits < 1) {
                throw new IllegalArgumentException("bad cache limits");
            }
            if (failureTtlSeconds < 1 || failureTtlSeconds > 300) {
                throw new IllegalArgumentException("RFC 9520 3.2: a failure is cached from 1 s to 5 min");
            }
        }

        /** 64 MiB, unbound's TTL caps and serve-stale as RFC 8767 suggests. */
        public static Config defaults() {
            return new Config(64L << 20, 86_400, 3_600, 0, 60, 5, 86_400, 30, 30, 2);
        }

        public Config withMaxBytes(long bytes) {
            return new Config(bytes, maxTtlSeconds, maxNegativeTtlSeconds, minTtlSeconds, bogusTtlSeconds,
                    failureTtlSeconds, staleSeconds, staleAnswerTtlSeconds, failureRecheckSeconds, prefetchHits);
        }

        public Config withTtls(long maxTtl, long maxNegativeTtl, long minTtl) {
            return new Config(maxBytes, maxTtl, maxNegativeTtl, minTtl, bogusTtlSeconds, failureTtlSeconds,
                    staleSeconds, staleAnswerTtlSeconds, failureRecheckSeconds, prefetchHits);
        }

        public Config withStaleSeconds(long seconds) {
            return new Config(maxBytes, maxTtlSeconds, maxNegativeTtlSeconds, minTtlSeconds, bogusTtlSeconds,
                    failureTtlSeconds, seconds, staleAnswerTtlSeconds, failureRecheckSeconds, prefetchHits);
        }
    }

    /**
     * @param resolution the cached answer with its TTLs counted down to now (0 when stale), or, for a
     *     stale answer within the failure-recheck time, the stale answer as it is given (TTL 30, EDE 3)
     * @param fresh whether to answer with it without asking the authorities: within its TTL, or a
     *     stale answer after a recent failure ({@code resolution.stale()}); false for an expired
     *     answer kept for serve-stale, to give only if asking fails (see {@link #stale})
     * @param prefetch a popular entry near expiry: refresh it in the background
     */
    public record Hit(Resolution resolution, boolean fresh, boolean prefetch) {}

    /** Counters for the statistics page. */
    public record Stats(int entries, long bytes, long hits, long misses, long evictions) {}

    /** RFC 8914 4.4: Stale Answer. */
    public static final int EDE_STALE_ANSWER = 3;
    /**
     * What an entry costs in this JVM's heap besides its names and records (the map's node, the key,
     * the entry, the resolution and the copy last served with their lists), what a record costs
     * besides its name and rdata (it and its copy in the one served, the rdata object), and what a
     * name costs besides its wire form (the name object, its array of labels; each label an array).
     * Calibrated against the heap itself: {@code AnswerCacheHeapTest}.
     */
    static final int ENTRY_OVERHEAD = 400, RECORD_OVERHEAD = 104, NAME_OVERHEAD = 40, LABEL_OVERHEAD = 24;
    private static final long NANOS = 1_000_000_000L;

    /** NXDOMAIN is kept for the name (any type), everything else for the name and type. */
    private record Key(Name name, int qtype, int qclass, boolean wholeName) {
        static Key of(Question q) {
            return new Key(q.name(), q.qtype(), q.qclass(), false);
        }

        static Key nxdomain(Question q) {
            return new Key(q.name(), 0, q.qclass(), true);
        }
    }

    private static final class Entry {
        final Resolution resolution; // record TTLs at most ttlSeconds
        final long storedNanos;
        final long ttlSeconds;
        final long staleSeconds;
        final long bytes;
        int hitsNearExpiry;
        boolean prefetchAnnounced;
        long recheckAfterNanos = Long.MIN_VALUE;
        /**
         * The resolution last served fresh, with its TTLs counted down by {@code servedElapsed}
         * seconds, for {@code servedType} and {@code servedClass}: every hit within the same second
         * gets this same object, which spares the copies and lets the serving layer keep the wire
         * form it made of it ({@code jmirage.resolver.serve.Rendered}). Counted in {@link #bytes}.
         */
        Resolution served;
        long servedElapsed = -1;
        int servedType;
        int servedClass;

        Entry(Resolution resolution, long storedNanos, long ttlSeconds, long staleSeconds, long bytes) {
            this.resolution = resolution;
            this.storedNanos = storedNanos;
            this.ttlSeconds = ttlSeconds;
            this.staleSeconds = staleSeconds;
            this.bytes = bytes;
        }

        /**
         * Whole seconds of the clock since the entry was stored, as Unbound counts them (its time is
         * a {@code time_t}): every entry's TTLs tick down together at the clock's second boundaries,
         * so all hits within one second of the clock get the same resolution, which the serving
         * layer relies on to send the bytes it made earlier in the second again
         * ({@code jmirage.resolver.serve.RecentAnswers}). An entry lives up to a second less than
         * its TTL, never longer.
         */
        long elapsedSeconds(long now) {
            return Math.max(0, Math.floorDiv(now, NANOS) - Math.floorDiv(storedNanos, NANOS));
        }

        boolean fresh(long now) {
            return elapsedSeconds(now) < ttlSeconds;
        }

        boolean gone(long now) {
            return elapsedSeconds(now) >= ttlSeconds + staleSeconds;
        }

        Resolution served(Question asked, long elapsed) {
            if (served == null || servedElapsed != elapsed || servedType != asked.qtype() || servedClass != asked.qclass()) {
                served = countedDown(resolution, asked, elapsed);
                servedElapsed = elapsed;
                servedType = asked.qtype();
                servedClass = asked.qclass();
            }
            return served;
        }

        boolean isFailure() {
            return resolution.rcode() != Header.NOERROR && resolution.rcode() != Header.NXDOMAIN;
        }
    }

    private final Config config;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true); // access order: LRU first
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    public AnswerCache(Config config) {
        this.config = Objects.requireNonNull(config);
    }

    public Config config() {
        return config;
    }

    /**
     * The cached answer to {@code question}: fresh with its TTLs counted down, or expired but within
     * the serve-stale window; an NXDOMAIN cached for the name answers every type.
     */
    public Optional<Hit> get(Question question, long nowNanos) {
        Key key = Key.of(question);
        Entry e = live(key, nowNanos);
        if (e == null) {
            key = Key.nxdomain(question);
            e = live(key, nowNanos);
        }
        if (e == null) {
            misses++;
            return Optional.empty();
        }
        long elapsed = e.elapsedSeconds(nowNanos);
        if (e.fresh(nowNanos)) {
            hits++;
            long remaining = e.ttlSeconds - elapsed;
            // unbound's prefetch: popular entries in the last tenth of their TTL are refreshed early
            if (remaining * 10 <= e.ttlSeconds) {
                e.hitsNearExpiry++;
            }
            boolean prefetch = !e.prefetchAnnounced && e.hitsNearExpiry >= config.prefetchHits();
            if (prefetch) {
                e.prefetchAnnounced = true;
            }
            return Optional.of(new Hit(e.served(question, elapsed), true, prefetch));
        }
        if (nowNanos < e.recheckAfterNanos) {
            hits++;
            return Optional.of(new Hit(asStale(countedDown(e.resolution, question, Long.MAX_VALUE)), true, false));
        }
        misses++;
        return Optional.of(new Hit(countedDown(e.resolution, question, Long.MAX_VALUE), false, false));
    }

    /** The stale answer to give when asking failed (RFC 8767 4): TTL 30, EDE 3, {@code stale}. */
    public Resolution stale(Resolution expired) {
        return asStale(expired);
    }

    private Resolution asStale(Resolution r) {
        long ttl = config.staleAnswerTtlSeconds();
        return new Resolution(r.question(), r.rcode(), withTtl(r.answer(), ttl), withTtl(r.authority(), ttl),
                withTtl(r.additional(), ttl), r.security(),
                Optional.of(new EdnsOption.ExtendedError(EDE_STALE_ANSWER, "")), true);
    }

    /** Keeps a resolution (see the class comment for what is kept and for how long). */
    public void put(Resolution resolution, long nowNanos) {
        if (resolution.stale()) {
            return; // never as fresh what was already stale
        }
        resolution = synthesisedLikeTheirDname(resolution);
        Question q = resolution.question();
        int rcode = resolution.rcode();
        boolean failure = rcode != Header.NOERROR && rcode != Header.NXDOMAIN;
        if (failure) {
            rememberFailure(resolution, nowNanos);
            return;
        }
        boolean bogus = resolution.security() instanceof Security.Bogus;
        Optional<Long> negative = negativeTtl(resolution.authority());
        long ttl;
        Key key = Key.of(q);
        if (resolution.answer().isEmpty()) {
            if (negative.isEmpty()) {
                return; // RFC 2308 5: no SOA, no negative caching
            }
            ttl = Math.min(negative.get(), config.maxNegativeTtlSeconds());
            if (rcode == Header.NXDOMAIN) {
                key = Key.nxdomain(q);
            }
        } else {
            ttl = Math.min(minTtl(resolution.answer()), config.maxTtlSeconds());
            if (rcode == Header.NXDOMAIN || !answers(resolution)) {
                // a chain ending in NXDOMAIN or NODATA: the negative part lasts its own TTL
                ttl = Math.min(ttl, negative.map(n -> Math.min(n, config.maxNegativeTtlSeconds())).orElse(0L));
            }
        }
        ttl = Math.max(ttl, config.minTtlSeconds());
        if (bogus) {
            ttl = Math.min(ttl, config.bogusTtlSeconds());
        }
        if (ttl <= 0) {
            return;
        }
        Resolution clamped = clamp(resolution, ttl);
        long size = size(clamped);
        if (size > config.maxBytes()) {
            return;
        }
        store(key, new Entry(clamped, nowNanos, ttl, bogus ? 0 : config.staleSeconds(), size), nowNanos);
        if (rcode == Header.NXDOMAIN && key.wholeName()) {
            remove(Key.of(q)); // the name's older per-type entries are superseded
        } else if (!key.wholeName()) {
            // newer data says the name exists (an answer, a NODATA, a chain from it): an older
            // NXDOMAIN for it no longer holds, and must not come back once this entry expires
            remove(Key.nxdomain(q));
        }
    }

    /** Bytes held now (approximate). */
    public long bytes() {
        return bytes;
    }

    public Stats stats() {
        return new Stats(entries.size(), bytes, hits, misses, evictions);
    }

    // ------------------------------------------------------------------ internals

    private void rememberFailure(Resolution failure, long now) {
        Key key = Key.of(failure.question());
        Entry known = entries.get(key);
        if (known == null) {
            known = entries.get(Key.nxdomain(failure.question()));
        }
        if (known != null && !known.gone(now) && !known.isFailure()) {
            if (!known.fresh(now)) {
                known.recheckAfterNanos = now + config.failureRecheckSeconds() * NANOS;
            }
            return;
        }
        Resolution bare = new Resolution(failure.question(), failure.rcode(), List.of(), List.of(), List.of(),
                failure.security(), failure.error(), false);
        store(key, new Entry(bare, now, config.failureTtlSeconds(), 0, size(bare)), now);
    }

    private Entry live(Key key, long now) {
        Entry e = entries.get(key);
        if (e != null && e.gone(now)) {
            remove(key);
            return null;
        }
        return e;
    }

    private void store(Key key, Entry entry, long now) {
        remove(key);
        entries.put(key, entry);
        bytes += entry.bytes;
        Iterator<Map.Entry<Key, Entry>> lru = entries.entrySet().iterator();
        while (bytes > config.maxBytes() && lru.hasNext()) {
            Map.Entry<Key, Entry> eldest = lru.next();
            if (eldest.getValue() == entry) {
                continue;
            }
            bytes -= eldest.getValue().bytes;
            lru.remove();
            if (!eldest.getValue().gone(now)) {
                evictions++;
            }
        }
    }

    private void remove(Key key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes;
        }
    }

    /** Whether the answer section ends in records of the type asked (or the question is for a CNAME/ANY). */
    private static boolean answers(Resolution r) {
        int qtype = r.question().qtype();
        for (Record rec : r.answer()) {
            if (rec.type() == qtype || qtype == jmirage.dns.Type.ANY) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6672 3.1: a CNAME synthesised from a DNAME lasts as long as the DNAME (a resolver may have
     * given it TTL 0, as unbound does, which would keep the whole chain out of the cache).
     */
    static Resolution synthesisedLikeTheirDname(Resolution r) {
        List<Record> dnames = r.answer().stream().filter(x -> x.type() == jmirage.dns.Type.DNAME).toList();
        if (dnames.isEmpty()) {
            return r;
        }
        List<Record> answer = new ArrayList<>(r.answer().size());
        for (Record rec : r.answer()) {
            Record adjusted = rec;
            if (rec.type() == jmirage.dns.Type.CNAME) {
                for (Record d : dnames) {
                    if (rec.name().isSubdomainOf(d.name()) && !rec.name().equals(d.name())) {
                        adjusted = new Record(rec.name(), rec.rrClass(), d.ttl(), rec.rdata());
                        break;
                    }
                }
            }
            answer.add(adjusted);
        }
        return new Resolution(r.question(), r.rcode(), answer, r.authority(), r.additional(), r.security(), r.error(), r.stale());
    }

    /** RFC 2308 5: a negative answer lasts the SOA's min(TTL, MINIMUM). */
    static Optional<Long> negativeTtl(List<Record> authority) {
        for (Record r : authority) {
            if (r.rdata() instanceof Rdata.Soa soa) {
                return Optional.of(Math.min(r.ttl(), soa.minimum()));
            }
        }
        return Optional.empty();
    }

    private static long minTtl(List<Record> records) {
        long min = Long.MAX_VALUE;
        for (Record r : records) {
            min = Math.min(min, r.ttl());
        }
        return min;
    }

    private static Resolution clamp(Resolution r, long ttl) {
        return new Resolution(r.question(), r.rcode(), capped(r.answer(), ttl), capped(r.authority(), ttl),
                capped(r.additional(), ttl), r.security(), r.error(), false);
    }

    private static List<Record> capped(List<Record> records, long ttl) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(r.ttl() <= ttl ? r : new Record(r.name(), r.rrClass(), ttl, r.rdata()));
        }
        return out;
    }

    /**
     * The kept resolution with its TTLs counted down, for {@code asked} (an NXDOMAIN answers every
     * type), its name still in the case of its first asker: the names in the records are written in
     * that case, and {@link Resolution#askedAs} turns both to the asker's.
     */
    private static Resolution countedDown(Resolution r, Question asked, long elapsed) {
        return new Resolution(new Question(r.question().name(), asked.qtype(), asked.qclass()), r.rcode(), minus(r.answer(), elapsed), minus(r.authority(), elapsed),
                minus(r.additional(), elapsed), r.security(), r.error(), false);
    }

    private static List<Record> minus(List<Record> records, long elapsed) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            long ttl = elapsed >= r.ttl() ? 0 : r.ttl() - elapsed;
            out.add(ttl == r.ttl() ? r : new Record(r.name(), r.rrClass(), ttl, r.rdata()));
        }
        return out;
    }

    private static List<Record> withTtl(List<Record> records, long ttl) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(new Record(r.name(), r.rrClass(), ttl, r.rdata()));
        }
        return out;
    }

    /**
     * The heap an entry holds, approximately, so that {@code --cache-size} bounds memory and not only
     * the answers' wire bytes (counted with small fixed costs until 2026-12-07, that was under half of
     * it: a signed A answer counted 530 bytes and holds 1,200): the entry's fixed cost, each name as a name object with an
     * array per label, each record with the copy last served ({@link Entry#served}, which shares its
     * name and rdata), each rdata at twice its wire form (the names and byte arrays inside it).
     */
    static long size(Resolution r) {
        long size = ENTRY_OVERHEAD + nameSize(r.question().name());
        for (List<Record> section : List.of(r.answer(), r.authority(), r.additional())) {
            for (Record rec : section) {
                size += RECORD_OVERHEAD + nameSize(rec.name()) + 2L * RdataCodec.toWire(rec.rdata(), false).size();
            }
        }
        return size;
    }

    private static long nameSize(Name name) {
        return NAME_OVERHEAD + (long) LABEL_OVERHEAD * name.labelCount() + name.wireLength();
    }
}
