package jmirage.resolver;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.metrics.Counter;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.resolver.cache.AnswerCache;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.AnswerMatch;
import jmirage.resolver.upstream.StackUpstream;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.upstream.UpstreamError;
import jmirage.resolver.validate.KeyFetcher;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.resolver.validate.Validator;
import jmirage.resolver.validate.ValidatorConfig;

/**
 * The real core: {@link Resolver} over recursion on the unikernel's Stack ({@link StackUpstream}),
 * the validator, and the caches ({@link Resolver.Caching#standard}: the answer cache bounded
 * by {@code --cache-size}, 64 MB by default, and aggressive NSEC, RFC 8198). The upstream
 * lives as long as the core; recursion, validator and cache are made again when the hints or the
 * anchors change (a reload, a rollover), so no answer validated under the old anchors is served
 * after. Its statistics go to the Metrics device: upstream queries by transport, answers dropped
 * as spoofed or broken by reason, and the cache's lookups, entries and bytes (read at each scrape).
 */
final class RecursiveCore implements Core {

    private final DnsResolver.Devices devices;
    private final StackUpstream stack;
    /** The forwarders asked over DNS over TLS (their settings are the StackUpstream's). */
    private final java.util.Set<jmirage.core.net.Endpoint> tlsForwarders;
    /** The answer cache's bound ({@code --cache-size}). */
    private final long cacheBytes;
    private final Upstream upstream;
    /** The counts of the caches already replaced, so that the counters only go up. */
    private AnswerCache.Stats retired = new AnswerCache.Stats(0, 0, 0, 0, 0);
    private Hints hints;
    private TrustAnchors anchors;
    private Recursion recursion;
    private AnswerCache cache;
    private Resolver resolver;

    RecursiveCore(DnsResolver.CoreSetup setup) {
        this.devices = setup.devices();
        this.stack = new StackUpstream(devices.stack(), devices.scheduler(), devices.clock(), devices.random(),
                new StackUpstream.Config(Duration.ofSeconds(2), setup.tlsForwarders()));
        this.tlsForwarders = setup.tlsForwarders().keySet();
        this.cacheBytes = setup.cacheBytes();
        Metrics metrics = devices.metrics();
        this.upstream = counted(stack, metrics.counter("jmirage_resolver_upstream_queries_total",
                "Queries sent to authorities or forwarders, by transport (udp, tcp, tls).", "transport"));
        metrics.counter("jmirage_resolver_upstream_dropped_total",
                "Answers from upstream dropped before recursion saw them (RFC 5452: wrong source, ID, question or case; "
                        + "malformed), by reason.", List.of("reason"), this::dropped);
        metrics.counter("jmirage_resolver_cache_total", "Answer cache lookups, by result (hit, miss).", List.of("result"),
                () -> Map.of(List.of("hit"), retired.hits() + cache.stats().hits(),
                        List.of("miss"), retired.misses() + cache.stats().misses()));
        metrics.counter("jmirage_resolver_cache_evictions_total", "Answers evicted from the cache to stay within its bound.",
                List.of(), () -> Map.of(List.of(), retired.evictions() + cache.stats().evictions()));
        metrics.gauge("jmirage_resolver_cache_entries", "Answers held in the cache.", () -> cache.stats().entries());
        metrics.gauge("jmirage_resolver_cache_bytes", "Approximate bytes held by the answer cache.", () -> cache.bytes());
        build(setup.hints(), setup.anchors());
    }

    @Override
    public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
        return resolver.resolve(question, checkingDisabled);
    }

    @Override
    public void reconfigure(Hints hints, TrustAnchors anchors) {
        if (!hints.equals(this.hints) || !anchors.equals(this.anchors)) {
            AnswerCache.Stats old = cache.stats();
            retired = new AnswerCache.Stats(0, 0, retired.hits() + old.hits(), retired.misses() + old.misses(),
                    retired.evictions() + old.evictions());
            build(hints, anchors);
        }
    }

    /** Through the recursion of the moment, unvalidated: {@code Rollover} checks the signatures itself. */
    @Override
    public Optional<KeyFetcher> keys() {
        return Optional.of(question -> Resolver.keyFetcher(recursion).fetch(question));
    }

    private void build(Hints hints, TrustAnchors anchors) {
        this.hints = hints;
        this.anchors = anchors;
        this.recursion = new Recursion(hints, upstream, devices.clock(), devices.random(),
                Recursion.Config.defaults().withDnssecOk(true).withTlsForwarders(tlsForwarders));
        ValidatorConfig config = ValidatorConfig.defaults();
        Resolver.Caching caching = Resolver.Caching.standard(devices.clock(), config.negativeAnchors(), cacheBytes);
        this.cache = caching.answers();
        // the validator's DS and DNSKEY questions read fresh cached answers first
        Validator validator = new Validator(anchors, Resolver.keyFetcher(recursion, caching), devices.clock(), config);
        this.resolver = new Resolver(recursion, Optional.of(validator::validate), Optional.of(caching));
    }

    private Map<List<String>, Long> dropped() {
        Map<AnswerMatch.Dropped, Long> now = stack.dropped();
        Map<List<String>, Long> series = new LinkedHashMap<>();
        for (AnswerMatch.Dropped why : AnswerMatch.Dropped.values()) {
            series.put(List.of(why.name().toLowerCase(Locale.ROOT)), now.getOrDefault(why, 0L));
        }
        return series;
    }

    /** {@code inner}, counting each query by transport. */
    private static Upstream counted(Upstream inner, Counter queries) {
        return new Upstream() {
            @Override
            public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport) {
                queries.labels(transport.name().toLowerCase(Locale.ROOT)).inc();
                return inner.ask(server, query, transport);
            }

            @Override
            public Promise<Result<Message, UpstreamError>> ask(Endpoint server, Message query, Transport transport, Duration timeout) {
                queries.labels(transport.name().toLowerCase(Locale.ROOT)).inc();
                return inner.ask(server, query, transport, timeout);
            }
        };
    }
}
