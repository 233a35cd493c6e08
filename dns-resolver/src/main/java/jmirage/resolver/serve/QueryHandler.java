package jmirage.resolver.serve;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Promise;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.server.Handler;
import jmirage.dns.server.RateLimiter;
import jmirage.dns.server.Request;
import jmirage.dns.server.RequestDecoder;
import jmirage.dns.server.Responses;
import jmirage.dns.server.SourceLog;
import jmirage.dns.server.UdpShortcut;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;

/**
 * The resolver's serving layer, as the server shell's {@link Handler} (UDP, TCP, DNS over TLS and
 * over HTTPS alike): access control first ({@link AccessControl}), then the client's rate limit,
 * then {@link Answers#precheck}, then the core ({@link Resolve}, with the client's CD bit as
 * {@code checkingDisabled}, RFC 4035 3.2.2), then {@link Answers#response} within the transport's
 * size (UDP: TC and the client retries over TCP, RFC 2181 9, RFC 7766 5). Every decodable query
 * gets exactly one answer, but a UDP one over its client's rate limit (silence, or now and then an
 * empty TC answer: the slip). A response made in the current second for the same resolution is
 * copied rather than made again ({@link Rendered}).
 *
 * <p>As the shell's {@link UdpShortcut}, it answers a UDP query whose very bytes (but the ID) it
 * answered from the cache earlier in the second with the same response, before anything is decoded
 * ({@link RecentAnswers}), after the same access check and rate limit. Such an answer is not a
 * cache lookup: the cache sees at most one hit a second per query form, so its prefetch (hits in
 * the last tenth of a TTL) counts seconds with hits rather than hits.
 *
 * <p>An UPDATE (RFC 2136) from an allowed client within its rate goes to the {@link LocalPolicy}
 * (the local zones' dynamic updates); when it takes none, it gets NOTIMP as any other opcode. A
 * query with RD clear is not answered from the cache (cache snooping) nor resolved, but local data
 * answers it, as Unbound's {@code allow} does: it involves no recursion.
 */
public final class QueryHandler implements Handler, UdpShortcut {

    /** One line a minute per refused client, however many queries it sends. */
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_CLIENTS_TRACKED = 100_000;

    private final Resolve resolve;
    private final AccessControl access;
    private final RateLimiter perClient;
    private final Clock clock;
    private final ResolverStats stats;
    private final SourceLog refusals;
    private final Rendered rendered = new Rendered();
    private final RecentAnswers recent;
    private final LocalPolicy local;

    /**
     * @param queriesPerSecond the rate each client address gets (a burst of as many); 0: no limit
     * @param hashSeed a random number (from the Random device) that seeds the hash of {@link RecentAnswers}
     * @param local local data for non-recursive queries, and where UPDATE messages go ({@link LocalPolicy#NONE}: none)
     */
    public QueryHandler(Resolve resolve, AccessControl access, int queriesPerSecond, Clock clock, ResolverStats stats,
            SourceLog refusals, int hashSeed, LocalPolicy local) {
        this.recent = new RecentAnswers(RecentAnswers.MAX_ENTRIES, hashSeed);
        this.local = local;
        this.resolve = resolve;
        this.access = access;
        // per address (/32, /128): at a retreat every laptop shares one /24
        this.perClient = new RateLimiter(queriesPerSecond, 2, MAX_CLIENTS_TRACKED, 32, 128);
        this.clock = clock;
        this.stats = stats;
        this.refusals = refusals;
    }

    @Override
    public Promise<List<Bytes>> handle(Request request) {
        Message query = request.message();
        if (!access.allows(request.source().address())) {
            stats.refused(ResolverStats.Refusal.ACCESS);
            refusals.warn(request.source().address(), "refused: not in an allowed prefix (--allow)", clock.monotonicNanos());
            return answer(request, Answers.prohibited(query));
        }
        switch (perClient.check(request.source().address(), clock.monotonicNanos())) {
            case ANSWER -> { }
            case DROP -> {
                stats.refused(ResolverStats.Refusal.RATE_LIMIT);
                return request.transport() == Request.Transport.UDP ? Promise.resolved(List.of())
                        : answer(request, Answers.rateLimited(query));
            }
            case SLIP -> {
                stats.refused(ResolverStats.Refusal.RATE_LIMIT);
                return request.transport() == Request.Transport.UDP ? answer(request, Responses.truncated(query))
                        : answer(request, Answers.rateLimited(query));
            }
        }
        if (query.header().opcode() == Header.UPDATE) {
            Optional<Promise<List<Bytes>>> updated = local.update(request);
            if (updated.isPresent()) {
                // a local zone may have changed: what was answered from the old one is not answered again from its bytes
                return updated.get().map(answers -> {
                    recent.forget();
                    return answers;
                });
            }
        }
        Optional<Message> refused = Answers.precheck(query);
        if (refused.isPresent()) {
            return answer(request, refused.get());
        }
        Question question = query.questions().getFirst();
        if (!query.header().rd()) {
            Optional<Resolution> mine = local.localAnswer(question);
            if (mine.isEmpty()) {
                return answer(request, Answers.recursionNotDesired(query));
            }
            stats.resolved(mine.get());
            return Promise.resolved(List.of(rendered.response(query, mine.get(), request.maxResponseSize(),
                    clock.monotonicNanos())));
        }
        Promise<Resolution> resolving = resolve.resolve(question, query.header().cd());
        // at once: from the cache (or local data), what every query of this second gets; later: from the authorities
        boolean fromCache = resolving.isDone();
        return resolving.map(resolution -> {
            stats.resolved(resolution);
            long now = clock.monotonicNanos();
            Bytes response = rendered.response(query, resolution, request.maxResponseSize(), now);
            if (fromCache && request.transport() == Request.Transport.UDP && RecentAnswers.mayKeep(resolution)) {
                recent.keep(request.wire(), response, resolution, now);
            }
            return List.of(response);
        });
    }

    /** After a reload (policy, hints, anchors): what was answered before is not answered again from its bytes. */
    public void forgetRecentAnswers() {
        recent.forget();
    }

    /** What {@link #handle} would answer to a UDP query it answered earlier in the second; the same checks first. */
    @Override
    public Optional<List<Bytes>> answer(Bytes query, InetAddress source, long nowNanos) {
        int slot = recent.find(query, nowNanos);
        if (slot < 0 || !access.allows(source)) {
            return Optional.empty(); // a refusal is counted and logged the usual way
        }
        return Optional.of(switch (perClient.check(source, nowNanos)) {
            case ANSWER -> {
                stats.resolved(recent.resolution(slot));
                yield List.of(recent.response(slot, query));
            }
            case DROP -> {
                stats.refused(ResolverStats.Refusal.RATE_LIMIT);
                yield List.of();
            }
            case SLIP -> {
                stats.refused(ResolverStats.Refusal.RATE_LIMIT);
                // the bytes decoded when they were kept
                Message message = RequestDecoder.decode(query).orElseThrow();
                yield List.of(Responses.encodeWithin(Responses.truncated(message), Responses.udpLimit(message)));
            }
        });
    }

    private static Promise<List<Bytes>> answer(Request request, Message response) {
        return Promise.resolved(List.of(Responses.encodeWithin(response, request.maxResponseSize())));
    }
}
