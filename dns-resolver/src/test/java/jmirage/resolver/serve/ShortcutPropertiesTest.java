package jmirage.resolver.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.net.Endpoint;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.server.Responses;
import jmirage.dns.server.SourceLog;
import jmirage.resolver.cache.AnswerCache;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;
import jmirage.sim.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The UDP shortcut ({@link QueryHandler#answer}, {@link RecentAnswers}) never answers other than
 * the handler would: two identical resolvers over a real {@link AnswerCache} see the same queries at
 * the same times, one answering every query the slow way ({@link QueryHandler#handle}), the other
 * trying the shortcut first, and every answer is byte for byte the same. The queries repeat in
 * every spelling, flag and EDNS shape, from clients inside and outside the allowed prefixes, over a
 * per-client rate limit low enough to drop and slip; time moves by nothing, a nanosecond, parts of a
 * second and whole seconds, across TTLs of 1 to 4 s, so entries expire and come back. The counters
 * match too, and over all tries the shortcut answered hundreds of the queries (about one in twelve).
 */
class ShortcutPropertiesTest {

    private static final Endpoint US = new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 53);
    private static final List<InetAddress> CLIENTS = List.of(InetAddress.ofLiteral("127.0.0.1"),
            InetAddress.ofLiteral("127.0.0.2"), InetAddress.ofLiteral("192.0.2.7"));
    private static final List<Name> SPELLINGS = List.of(Name.of("www.example."), Name.of("WwW.Example."), Name.of("mail.example."),
            Name.of("nx.example."), Name.of("NX.example."));
    private static final AtomicLong SHORTCUTS = new AtomicLong(), ASKED = new AtomicLong();
    private static final long[] STEPS = {0, 0, 0, 0, 1, 1, 37_000_000, 137_000_000, 500_000_000, 999_999_999, 1_000_000_000,
        3_000_000_000L};

    /** The bytes of a query but its ID. */
    record Shape(int spelling, int type, boolean rd, boolean cd, Optional<Edns> edns) {}

    record Ask(int client, int id, int shape, int step) {}

    @Provide
    Arbitrary<List<Shape>> shapes() {
        Arbitrary<Optional<Edns>> edns = Arbitraries.of(Optional.empty(), Optional.of(Edns.of(1232)),
                Optional.of(new Edns(4096, 0, true, 0, List.of())));
        return Combinators.combine(Arbitraries.integers().between(0, SPELLINGS.size() - 1), Arbitraries.of(Type.A, Type.AAAA),
                Arbitraries.of(true, true, false), Arbitraries.of(false, false, true), edns)
                .as(Shape::new).list().ofSize(5);
    }

    @Provide
    Arbitrary<List<Ask>> asks() {
        return Combinators.combine(Arbitraries.integers().between(0, CLIENTS.size() - 1), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, STEPS.length - 1))
                .as(Ask::new).list().ofMinSize(20).ofMaxSize(120);
    }

    @Property(tries = 200)
    void theShortcutAnswersAsTheHandlerWould(@ForAll("shapes") List<Shape> shapes, @ForAll("asks") List<Ask> asks,
            @ForAll("ttls") List<Integer> ttls) {
        Simulation sim = new Simulation(7, Instant.parse("2027-01-01T00:00:00Z"));
        World slow = new World(sim, ttls);
        World fast = new World(sim, ttls);
        int shortcuts = 0;
        for (Ask a : asks) {
            sim.scheduler().runFor(Duration.ofNanos(STEPS[a.step()]));
            Shape q = shapes.get(a.shape());
            Header h = new Header(a.id(), false, Header.QUERY, false, false, q.rd(), false, false, false, q.cd(), 0);
            Message query = new Message(h, List.of(new Question(SPELLINGS.get(q.spelling()), q.type(), DnsClass.IN)), List.of(),
                    List.of(), List.of(), q.edns());
            Bytes wire = MessageCodec.encode(query);
            InetAddress client = CLIENTS.get(a.client());
            List<Bytes> expected = slow.handle(query, wire, client);
            Optional<List<Bytes>> quick = fast.handler.answer(wire, client, sim.clock().monotonicNanos());
            List<Bytes> got = quick.isPresent() ? quick.get() : fast.handle(query, wire, client);
            if (quick.isPresent()) {
                shortcuts++;
            }
            assertEquals(expected, got, a + " " + q + " at " + sim.clock().monotonicNanos() + " ns");
        }
        assertEquals(slow.counted, fast.counted);
        SHORTCUTS.addAndGet(shortcuts);
        ASKED.addAndGet(asks.size());
    }

    /** Across the tries the shortcut answered hundreds of queries: the property did not hold by never taking it. */
    @AfterContainer
    static void theShortcutWasTaken() {
        assertTrue(SHORTCUTS.get() >= 200, SHORTCUTS + " of " + ASKED + " answered by the shortcut");
    }

    @Provide
    Arbitrary<List<Integer>> ttls() {
        return Arbitraries.integers().between(1, 4).list().ofSize(4);
    }

    /** A resolver: the serving layer over an answer cache whose misses the authorities answer a moment later. */
    private static final class World implements Resolve, ResolverStats {
        final Simulation sim;
        final AnswerCache cache = new AnswerCache(AnswerCache.Config.defaults());
        final QueryHandler handler;
        final List<Integer> ttls;
        final Map<String, Integer> counted = new HashMap<>();
        private final List<Runnable> authorities = new ArrayList<>();

        World(Simulation sim, List<Integer> ttls) {
            this.sim = sim;
            this.ttls = ttls;
            this.handler = new QueryHandler(this, AccessControl.loopbackAnd(List.of()), 8, sim.clock(), this,
                    new SourceLog(sim.log("access", LogLevel.ERROR), 60_000_000_000L), 99, LocalPolicy.NONE);
        }

        List<Bytes> handle(Message query, Bytes wire, InetAddress client) {
            Promise<List<Bytes>> answered = handler.handle(new Request(query, wire, new Endpoint(client, 5300), US,
                    Request.Transport.UDP, Responses.udpLimit(query), sim.clock().now()));
            List.copyOf(authorities).forEach(Runnable::run);
            authorities.clear();
            return answered.value();
        }

        @Override
        public Promise<Resolution> resolve(Question question, boolean checkingDisabled) {
            long now = sim.clock().monotonicNanos();
            Optional<AnswerCache.Hit> hit = cache.get(question, now);
            if (hit.isPresent() && hit.get().fresh()) {
                return Promise.resolved(hit.get().resolution().askedAs(question));
            }
            Promise<Resolution> later = Promise.pending();
            authorities.add(() -> {
                Resolution r = authority(question);
                cache.put(r, sim.clock().monotonicNanos());
                later.resolve(r.askedAs(question));
            });
            return later;
        }

        private Resolution authority(Question q) {
            Name name = q.name().toLowerCase();
            Name zone = Name.of("example.");
            Record soa = Record.in(zone, ttls.get(3), new Rdata.Soa(Name.of("ns.example."), Name.of("admin.example."), 1, 3600,
                    600, 86400, ttls.get(3)));
            Question asked = new Question(name, q.qtype(), q.qclass());
            if (name.equals(Name.of("nx.example."))) {
                return new Resolution(asked, Header.NXDOMAIN, List.of(), List.of(soa), List.of(), Security.INSECURE,
                        Optional.empty(), false);
            }
            if (q.qtype() == Type.AAAA) {
                return new Resolution(asked, Header.NOERROR, List.of(), List.of(soa), List.of(), Security.INSECURE,
                        Optional.empty(), false);
            }
            int ttl = ttls.get(name.equals(Name.of("www.example.")) ? 0 : 1);
            List<Record> answer = List.of(
                    Record.in(name, ttl, new Rdata.A((Inet4Address) InetAddress.ofLiteral("192.0.2.1"))),
                    Record.in(name, ttl + ttls.get(2), new Rdata.A((Inet4Address) InetAddress.ofLiteral("192.0.2.2"))));
            return new Resolution(asked, Header.NOERROR, answer, List.of(Record.in(zone, 3600, new Rdata.Ns(Name.of("ns.example.")))),
                    List.of(), Security.INSECURE, Optional.empty(), false);
        }

        @Override
        public void refused(Refusal why) {
            counted.merge(why.name(), 1, Integer::sum);
        }

        @Override
        public void resolved(Resolution resolution) {
            counted.merge("resolved " + resolution.rcode(), 1, Integer::sum);
        }
    }
}
