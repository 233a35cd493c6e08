package jmirage.resolver.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Type;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Over random names (few labels from a small alphabet, so that lists, triggers and questions meet
 * often): a hosts-listed name is blocked in any case and only it; an RPZ wildcard trigger
 * {@code *.T} filters every name strictly below T, T only when it is a trigger itself; every other
 * name passes to recursion.
 */
class PolicyPropertiesTest {

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> label = Arbitraries.of("a", "b", "ads", "x-1", "Track", "cdn");
        return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<List<String>> lists() {
        return names().list().ofMaxSize(12);
    }

    static boolean blocked(Policy p, String name) {
        return p.decide(new Question(Name.of(name + "."), Type.A)) instanceof Policy.Decision.Rewrite;
    }

    @Property(tries = 300)
    void aHostsListBlocksExactlyItsNames(@ForAll("lists") List<String> listed, @ForAll("lists") List<String> asked) {
        String hosts = listed.stream().map(n -> "0.0.0.0 " + n + ".example\n").collect(Collectors.joining());
        Policy p = Policy.of(new PolicyFiles(List.of(new PolicyFiles.File("list", hosts)), List.of(), List.of(), List.of()))
                .orElseThrow();
        Set<String> lower = listed.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String q : concat(asked, listed)) {
            assertEquals(lower.contains(q.toLowerCase(Locale.ROOT)), blocked(p, q + ".example"), q);
            assertEquals(lower.contains(q.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT)),
                    blocked(p, q.toUpperCase(Locale.ROOT) + ".example"), q);
        }
    }

    @Property(tries = 300)
    void aWildcardTriggerFiltersEveryNameBelowIt(@ForAll("lists") List<String> wild, @ForAll("lists") List<String> exact,
            @ForAll("lists") List<String> asked) {
        String zone = "$TTL 60\n" + wild.stream().map(n -> "*." + n + " CNAME .\n").collect(Collectors.joining())
                + exact.stream().map(n -> n + " CNAME .\n").collect(Collectors.joining());
        Policy p = Policy.of(new PolicyFiles(List.of(), List.of(new PolicyFiles.File("rpz.test", zone)), List.of(), List.of()))
                .orElseThrow();
        Set<Name> wildNames = new HashSet<>(wild.stream().map(n -> Name.of(n + ".")).toList());
        Set<Name> exactNames = new HashSet<>(exact.stream().map(n -> Name.of(n + ".")).toList());
        for (String q : concat(concat(asked, wild), asked.stream().flatMap(a -> wild.stream().map(w -> a + "." + w)).toList())) {
            Name name = Name.of(q + ".");
            boolean below = false;
            for (int strip = 1; strip <= name.labelCount(); strip++) {
                below |= wildNames.contains(name.parent(strip));
            }
            assertEquals(exactNames.contains(name) || below, blocked(p, q), q);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
