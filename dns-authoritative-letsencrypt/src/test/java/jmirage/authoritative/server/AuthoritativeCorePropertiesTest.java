package jmirage.authoritative.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.transfer.Journal;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The pure core driven by random request sequences (queries, signed and unsigned updates that add,
 * delete or fail their prerequisites, notifies, transfers): replaying only its commit effects on a
 * fresh state gives the state it reached, so no change escapes the effects the shell runs; requests
 * other than accepted updates leave the state as it was; and the same state and request always give
 * the same outcome.
 */
class AuthoritativeCorePropertiesTest {

    static final Name ZONE = Name.of("example.test.");
    static final TsigKey KEY = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.of(Base64.getDecoder().decode(SampleZone.TEST_SECRET)));
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Endpoint CLIENT = new Endpoint(IpAddresses.parse("192.0.2.7").orElseThrow(), 5353);
    static final Endpoint SERVER = new Endpoint(IpAddresses.parse("192.0.2.1").orElseThrow(), 53);

    static AuthoritativeCore.State fresh() {
        Zones zones = Zones.of(List.of(Zone.parse(SampleZone.ZONE, ZONE).orElseThrow()));
        return new AuthoritativeCore.State(zones, zones, Keys.parse(SampleZone.KEYS, Name.ROOT).orElseThrow(), Journal.EMPTY,
                new AuthoritativeCore.Policy(List.of(), Map.of(), Optional.empty()));
    }

    /** One request as the shell would hand it over. */
    record Sent(String what, Request request) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Sent sent(String what, Message m, boolean signed, Request.Transport transport) {
        Bytes wire = signed ? Tsig.signRequest(m, KEY, NOW, Tsig.DEFAULT_FUDGE).wire() : MessageCodec.encode(m);
        return new Sent(what, new Request(MessageCodec.decode(wire).orElseThrow(), wire, CLIENT, SERVER, transport,
                transport == Request.Transport.TCP ? 65535 : 1232, NOW));
    }

    static Header header(int opcode) {
        return new Header(42, false, opcode, false, false, false, false, false, false, false, 0);
    }

    static Name label(int i) {
        return Name.of("p" + i + ".example.test.");
    }

    static Rdata.A address(int i) {
        return new Rdata.A((Inet4Address) IpAddresses.parse("198.51.100." + (i + 1)).orElseThrow());
    }

    /** An UPDATE: add an address, delete a name's RRsets, or add under a prerequisite that may fail. */
    static Arbitrary<Sent> updates() {
        Arbitrary<Integer> name = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> value = Arbitraries.integers().between(0, 9);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        Arbitrary<Boolean> signed = Arbitraries.of(true, true, true, false);
        return Combinators.combine(kind, name, value, signed).as((k, n, v, s) -> {
            List<Record> prerequisites = new ArrayList<>();
            List<Record> updates = new ArrayList<>();
            String what;
            switch (k) {
                case 0 -> {
                    updates.add(Record.in(label(n), 300, address(v)));
                    what = "add " + label(n) + " A " + v;
                }
                case 1 -> {
                    updates.add(new Record(label(n), DnsClass.ANY, 0, new Rdata.Opaque(Type.ANY, Bytes.EMPTY)));
                    what = "delete " + label(n);
                }
                case 2 -> {
                    // RFC 2136 2.4.4: the name must be in use, which it may not be
                    prerequisites.add(new Record(label(n), DnsClass.ANY, 0, new Rdata.Opaque(Type.ANY, Bytes.EMPTY)));
                    updates.add(Record.in(label(n), 300, address(v)));
                    what = "add " + label(n) + " A " + v + " if in use";
                }
                default -> {
                    updates.add(new Record(label(n), DnsClass.NONE, 0, address(v)));
                    what = "delete " + label(n) + " A " + v;
                }
            }
            Message m = new Message(header(Header.UPDATE), List.of(new Question(ZONE, Type.SOA, DnsClass.IN)),
                    prerequisites, updates, List.of(), Optional.empty());
            return sent((s ? "signed " : "unsigned ") + what, m, s, Request.Transport.UDP);
        });
    }

    static Arbitrary<Sent> others() {
        Arbitrary<Sent> queries = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.of(Type.A, Type.TXT, Type.ANY, Type.SOA), Arbitraries.of(true, false)).as((n, t, s) ->
                sent("query " + label(n) + " " + Type.name(t), new Message(header(Header.QUERY),
                        List.of(new Question(label(n), t, DnsClass.IN)), List.of(), List.of(), List.of(), Optional.empty()),
                        s, Request.Transport.UDP));
        Arbitrary<Sent> notifies = Arbitraries.of(true, false).map(s -> sent("notify", new Message(header(Header.NOTIFY),
                List.of(new Question(ZONE, Type.SOA, DnsClass.IN)), List.of(), List.of(), List.of(), Optional.empty()),
                s, Request.Transport.UDP));
        Arbitrary<Sent> transfers = Arbitraries.of(Type.AXFR, Type.IXFR).map(t -> sent(Type.name(t), new Message(
                header(Header.QUERY), List.of(new Question(ZONE, t, DnsClass.IN)), List.of(),
                t == Type.IXFR ? List.of(Record.in(ZONE, 0, new Rdata.Soa(Name.of("ns1.example.test."),
                        Name.of("hostmaster.example.test."), 2026010101L, 7200, 900, 1209600, 300))) : List.of(),
                List.of(), Optional.empty()), true, Request.Transport.TCP));
        return Arbitraries.oneOf(queries, notifies, transfers);
    }

    @Provide
    Arbitrary<List<Sent>> sequences() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, updates()), net.jqwik.api.Tuple.of(2, others()))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 200)
    void replayingTheCommitsOnAFreshStateGivesTheSameState(@ForAll("sequences") List<Sent> requests) {
        AuthoritativeCore.State state = fresh();
        List<AuthoritativeCore.Effect.Commit> commits = new ArrayList<>();
        for (Sent s : requests) {
            AuthoritativeCore.Outcome outcome = AuthoritativeCore.handle(state, s.request());
            assertEquals(outcome.replies(), AuthoritativeCore.handle(state, s.request()).replies(), "deterministic: " + s);
            List<AuthoritativeCore.Effect.Commit> committed = outcome.effects().stream()
                    .filter(e -> e instanceof AuthoritativeCore.Effect.Commit)
                    .map(e -> (AuthoritativeCore.Effect.Commit) e).toList();
            if (committed.isEmpty()) {
                assertSame(state, outcome.state(), "no commit, no change: " + s);
                assertTrue(!outcome.replies().isEmpty(), "answered at once: " + s);
            } else {
                assertEquals(1, committed.size());
                assertEquals(state.primaries().get(ZONE).orElseThrow(), committed.getFirst().before(), "built on the state: " + s);
                assertTrue(outcome.replies().isEmpty(), "an update is answered once its commit is stored: " + s);
                assertEquals(Header.NOERROR,
                        MessageCodec.decode(committed.getFirst().whenStored()).orElseThrow().header().rcode());
                commits.addAll(committed);
            }
            state = outcome.state();
        }
        Statistics.collect(commits.isEmpty() ? "no commit" : "commits");
        Statistics.coverage(c -> c.check("commits").percentage(p -> p > 30));
        AuthoritativeCore.State replayed = fresh();
        for (AuthoritativeCore.Effect.Commit c : commits) {
            replayed = replayed.committed(c.before(), c.after());
        }
        assertEquals(new HashSet<>(state.zones().all()), new HashSet<>(replayed.zones().all()));
        assertEquals(new HashSet<>(state.primaries().all()), new HashSet<>(replayed.primaries().all()));
        assertEquals(state.journal(), replayed.journal());
    }

    @Property(tries = 50)
    void aFailedCommitGoesBackToTheZoneBefore(@ForAll("sequences") List<Sent> requests) {
        AuthoritativeCore.State state = fresh();
        for (Sent s : requests) {
            AuthoritativeCore.State before = state;
            AuthoritativeCore.Outcome outcome = AuthoritativeCore.handle(state, s.request());
            state = outcome.state();
            for (AuthoritativeCore.Effect e : outcome.effects()) {
                if (e instanceof AuthoritativeCore.Effect.Commit c) {
                    AuthoritativeCore.State failed = AuthoritativeCore.failed(state, c);
                    assertEquals(before.primaries().get(ZONE), failed.primaries().get(ZONE));
                    assertEquals(before.zones().get(ZONE), failed.zones().get(ZONE));
                }
            }
        }
    }
}
