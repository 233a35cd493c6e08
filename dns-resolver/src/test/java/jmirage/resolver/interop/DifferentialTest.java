package jmirage.resolver.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.RdataText;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.interop.PeerResolvers.UnderTest;
import jmirage.resolver.interop.QuerySet.Asked;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbound, Knot Resolver and ours (booted in-process, {@link OurResolver}), given the same root hints and trust anchor of the same
 * {@link Hierarchy} of real authorities, are asked the same {@link QuerySet} (each case with and
 * without DO, CD and AD): they must give the same rcode, the same AD bit and the same answer RRsets
 * (compared as sets, names with their case, TTLs ignored since each counts down its own). And
 * each must give what the hierarchy was built to give, so that agreement cannot hide a hierarchy
 * that tests nothing.
 *
 * <p>Documented differences, each normalised in {@link #comparable} and nothing else forgiven:
 * <ul>
 * <li>The AD bit of an answer to a query with CD set is not compared. Unbound validates with CD
 * too and sets AD when the data is secure; Knot Resolver skips validation with CD and never sets
 * it. RFC 4035 3.2.3 allows both (AD says the server considers the data authentic; with CD it is
 * not asked to check), and RFC 6840 5.9 leaves it open. Rcode and answer are still compared.
 * </ul>
 */
@Tag("peer")
class DifferentialTest {

    /** How long a resolver may take over one question (a lame server's timeout included). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    static final int CACHE_MEGABYTES = 16;

    @TempDir
    static Path temp;

    private static Hierarchy hierarchy;
    private static final List<UnderTest> resolvers = new ArrayList<>();
    /** Each resolver's outcome for each question, asked once, in the order of the query set. */
    private static final Map<Asked, Map<String, Outcome>> outcomes = new LinkedHashMap<>();

    /**
     * What is compared: rcode, AD, and the answer section as a set of records without TTLs, names
     * with their case: DNS compares names without it (RFC 4343), but a client is shown them as they
     * come, and a resolver's own 0x20 randomisation must not show through.
     */
    record Outcome(int rcode, boolean ad, Set<String> answer) {
        static Outcome of(Message m) {
            Set<String> answer = new TreeSet<>();
            for (Record r : m.answers()) {
                answer.add(r.name() + " " + Type.name(r.type()) + " " + RdataText.print(r.rdata()));
            }
            return new Outcome(m.header().rcode(), m.header().ad(), answer);
        }

        static final Outcome NO_ANSWER = new Outcome(-1, false, Set.of());

        /** What of it one resolver must share with another: the documented differences taken out. */
        Outcome comparable(Asked asked) {
            return asked.variant().flags.cd() ? new Outcome(rcode, false, answer) : this;
        }

        /** The same with every name in lower case: to tell a difference of case from one of data. */
        Outcome caseFolded() {
            Set<String> folded = new TreeSet<>();
            answer.forEach(r -> folded.add(r.toLowerCase(java.util.Locale.ROOT)));
            return new Outcome(rcode, ad, folded);
        }

        /** What differs from {@code other}, briefly. */
        String differences(Outcome other) {
            List<String> d = new ArrayList<>();
            if (caseFolded().equals(other.caseFolded())) {
                d.add("only the case of names differs");
            }
            if (rcode != other.rcode) {
                d.add("rcode " + rcode + " vs " + other.rcode);
            }
            if (ad != other.ad) {
                d.add("AD " + ad + " vs " + other.ad);
            }
            if (!answer.equals(other.answer)) {
                Set<String> onlyHere = new TreeSet<>(answer);
                onlyHere.removeAll(other.answer);
                Set<String> onlyThere = new TreeSet<>(other.answer);
                onlyThere.removeAll(answer);
                d.add("answer only in the first " + onlyHere + ", only in the second " + onlyThere);
            }
            return String.join("; ", d);
        }

        @Override
        public String toString() {
            return this == NO_ANSWER ? "no answer" : "rcode " + rcode + (ad ? " AD" : "") + " " + answer;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        hierarchy = Hierarchy.start(temp.resolve("hierarchy"));
        resolvers.add(PeerResolvers.unbound(temp.resolve("unbound"), hierarchy, PeerResolvers.resolverAddress(1), CACHE_MEGABYTES));
        resolvers.add(PeerResolvers.kresd(temp.resolve("kresd"), hierarchy, PeerResolvers.resolverAddress(2), CACHE_MEGABYTES));
        try {
            resolvers.add(OurResolver.start(hierarchy, PeerResolvers.resolverAddress(3), 0, 0));
        } catch (Exception | Error e) {
            oursFailedToStart = Optional.of(e); // the peers' tests still run; ours fail with this
        }
        for (Asked asked : QuerySet.all()) {
            Map<String, Outcome> byResolver = new LinkedHashMap<>();
            for (UnderTest resolver : resolvers) {
                Optional<Message> m = Probe.ask(resolver.address(), Probe.query(asked.c().name(), asked.c().type(), asked.variant().flags),
                        ANSWER_WITHIN);
                byResolver.put(resolver.name(), m.map(Outcome::of).orElse(Outcome.NO_ANSWER));
            }
            outcomes.put(asked, byResolver);
        }
    }

    private static Optional<Throwable> oursFailedToStart = Optional.empty();

    @AfterAll
    static void stop() throws Exception {
        for (UnderTest r : resolvers) {
            r.close();
        }
        if (hierarchy != null) {
            hierarchy.close();
        }
    }

    @Test
    void unboundAndKnotResolverGiveWhatTheHierarchyWasBuiltFor() {
        List<String> wrong = unexpected(List.of(UNBOUND, KRESD));
        assertEquals(List.of(), wrong, String.join("\n", wrong) + logs());
    }

    @Test
    void unboundAndKnotResolverAgree() {
        List<String> differences = differences(UNBOUND, KRESD);
        assertEquals(List.of(), differences, String.join("\n", differences) + logs());
    }

    @Test
    void oursGivesWhatTheHierarchyWasBuiltFor() {
        assertOursStarted();
        List<String> wrong = unexpected(List.of(OURS));
        assertEquals(List.of(), wrong, String.join("\n", wrong) + logs());
    }

    @Test
    void oursAgreesWithUnboundAndKnotResolver() {
        assertOursStarted();
        List<String> differences = new ArrayList<>(differences(UNBOUND, OURS));
        differences.addAll(differences(KRESD, OURS));
        assertEquals(List.of(), differences, String.join("\n", differences) + logs());
    }

    static final String UNBOUND = "unbound", KRESD = "kresd", OURS = "ours";

    private static void assertOursStarted() {
        oursFailedToStart.ifPresent(e -> {
            throw new AssertionError("our resolver did not start: " + e, e);
        });
    }

    /** Where the named resolvers' outcomes are not what the hierarchy was built to give. */
    private static List<String> unexpected(List<String> names) {
        List<String> wrong = new ArrayList<>();
        outcomes.forEach((asked, byResolver) -> names.forEach(name -> {
            Outcome got = byResolver.get(name);
            if (got.rcode() != asked.expectedRcode()) {
                wrong.add(name + ": " + asked + ": rcode " + got.rcode() + ", expected " + asked.expectedRcode());
            }
            // with CD the AD bit is each resolver's choice (see the documented differences)
            if (!asked.variant().flags.cd() && got.ad() != asked.expectedAd()) {
                wrong.add(name + ": " + asked + ": AD " + got.ad() + ", expected " + asked.expectedAd());
            }
            // RFC 4035 3.2.2: with CD the client gets the data that failed validation
            if (asked.c().name().equals(Name.of("www.bogus.example.")) && asked.variant().flags.cd()
                    && !got.answer().contains("www.bogus.example. A " + Hierarchy.TAMPERED_ADDRESS)) {
                wrong.add(name + ": " + asked + ": with CD the bogus data itself is expected, got " + got);
            }
        }));
        return wrong;
    }

    /** Every question where {@code other} differs from {@code reference}, the documented differences aside. */
    private static List<String> differences(String reference, String other) {
        List<String> differences = new ArrayList<>();
        outcomes.forEach((asked, byResolver) -> {
            Outcome expected = byResolver.get(reference).comparable(asked);
            Outcome got = byResolver.get(other).comparable(asked);
            if (!got.equals(expected)) {
                differences.add(asked + ": " + reference + " vs " + other + ": " + expected.differences(got));
            }
        });
        return differences;
    }

    private static String logs() {
        StringBuilder all = new StringBuilder();
        resolvers.forEach(r -> {
            String log = r.log().get();
            all.append("\n--- log of ").append(r.name()).append(" (last 4000 characters):\n")
                    .append(log.substring(Math.max(0, log.length() - 4000)));
        });
        return all.toString();
    }

    @Test
    void thePeersPositiveAnswersCarryTheZonesData() {
        Map<String, Outcome> www = outcomes.get(new Asked(QuerySet.CASES.getFirst(), QuerySet.Variant.DO));
        for (String name : List.of(UNBOUND, KRESD)) {
            Outcome got = www.get(name);
            assertTrue(got.answer().contains("www.secure.example. A 192.0.2.1"), name + ": " + got);
            assertTrue(got.answer().stream().anyMatch(r -> r.startsWith("www.secure.example. RRSIG A 13 3 3600")),
                    name + " gives the RRSIG with DO: " + got);
            Outcome plain = outcomes.get(new Asked(QuerySet.CASES.getFirst(), QuerySet.Variant.PLAIN)).get(name);
            assertEquals(Set.of("www.secure.example. A 192.0.2.1"), plain.answer(), name + " without DO");
        }
    }
}
