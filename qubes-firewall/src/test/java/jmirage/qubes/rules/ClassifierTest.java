package jmirage.qubes.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jmirage.core.net.IpAddresses;
import jmirage.qubes.rules.Classifier.Verdict;
import jmirage.qubes.rules.Rule.Action;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The rules of the anchor's own test (qubes-mirage-firewall's {@code test/update-firewall.sh}: DNS
 * through specialtarget, UDP 1235 and 1338 and TCP 6668-6670 and ping to the server, a host allowed
 * and one denied by name, HTTPS anywhere, then drop), and the verdicts its test cases expect.
 */
class ClassifierTest {

    static final java.net.InetAddress CLIENT = jmirage.core.net.IpAddresses.parse("10.137.0.7").orElseThrow();

    static final InetAddress SERVER = ip("10.137.0.5");
    static final InetAddress ELSEWHERE = ip("198.51.100.9");
    static final InetAddress ALLOWED_HOST = ip("203.0.113.7");
    static final InetAddress DENIED_HOST = ip("203.0.113.66");
    static final Set<InetAddress> DNS = Set.of(ip("10.139.1.1"), ip("10.139.1.2"));
    static final Function<String, Optional<Set<InetAddress>>> RESOLVED = name -> switch (name) {
        case "bogus.example.org" -> Optional.of(Set.of(ALLOWED_HOST));
        case "denied.example.org" -> Optional.of(Set.of(DENIED_HOST));
        default -> Optional.empty();
    };

    static final ClientRules ANCHOR = rules(
            "action=accept specialtarget=dns",
            "action=accept dst4=10.137.0.5 proto=udp dstports=1235-1235",
            "action=accept dst4=10.137.0.5 proto=udp dstports=1338-1338",
            "action=accept dst4=10.137.0.5 proto=tcp dstports=6668-6670",
            "action=accept dst4=10.137.0.5 proto=icmp icmptype=8",
            "action=accept dsthost=bogus.example.org",
            "action=drop dsthost=denied.example.org",
            "action=accept proto=tcp dstports=443-443",
            "action=drop");

    static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    static ClientRules rules(String... texts) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("policy", "drop");
        for (int i = 0; i < texts.length; i++) {
            entries.put("%04d".formatted(i), texts[i]);
        }
        return ClientRules.read(CLIENT, entries).orElseThrow(e -> new IllegalArgumentException(e.describe()));
    }

    static Verdict verdict(Probe probe) {
        return Classifier.classify(ANCHOR, probe, DNS, RESOLVED);
    }

    static Verdict accepted(int rule) {
        return new Verdict(Action.ACCEPT, Optional.of(rule));
    }

    static Verdict dropped(int rule) {
        return new Verdict(Action.DROP, Optional.of(rule));
    }

    @Test
    void theAnchorsCases() {
        assertEquals(accepted(1), verdict(Probe.udp(SERVER, 1235)), "UDP fetch allowed");
        assertEquals(dropped(8), verdict(Probe.udp(SERVER, 1236)), "another UDP port");
        assertEquals(accepted(4), verdict(Probe.icmp(SERVER, 8)), "ping to the server");
        assertEquals(dropped(8), verdict(Probe.icmp(ELSEWHERE, 8)), "ping elsewhere blocked");
        assertEquals(dropped(8), verdict(Probe.icmp(SERVER, 13)), "another ICMP type");
        assertEquals(accepted(3), verdict(Probe.tcp(SERVER, 6669)), "TCP within the range");
        assertEquals(dropped(8), verdict(Probe.tcp(SERVER, 6671)), "TCP past it");
        assertEquals(accepted(0), verdict(Probe.udp(ip("10.139.1.2"), 53)), "DNS to the special target");
        assertEquals(accepted(0), verdict(Probe.tcp(ip("10.139.1.1"), 53)), "over TCP too");
        assertEquals(dropped(8), verdict(Probe.udp(ELSEWHERE, 53)), "DNS to any other server");
        assertEquals(dropped(8), verdict(Probe.udp(ip("10.139.1.1"), 54)), "the special target on another port");
        assertEquals(accepted(5), verdict(Probe.tcp(ALLOWED_HOST, 80)), "a host allowed by name");
        assertEquals(dropped(6), verdict(Probe.tcp(DENIED_HOST, 443)), "denied by name before HTTPS anywhere");
        assertEquals(accepted(7), verdict(Probe.tcp(ip("192.0.2.1"), 443)), "HTTPS anywhere");
    }

    @Test
    void aNameNotResolvedMatchesNothingAndThePolicyDecidesWhenNoRuleDoes() {
        ClientRules unresolved = rules("action=accept dsthost=unknown.example.org");
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(unresolved, Probe.tcp(ALLOWED_HOST, 80), DNS, RESOLVED));
        ClientRules open = ClientRules.read(CLIENT, Map.of("policy", "accept", "0000", "action=drop proto=icmp")).orElseThrow();
        assertEquals(new Verdict(Action.ACCEPT, Optional.empty()), Classifier.classify(open, Probe.udp(SERVER, 9), DNS, RESOLVED));
        assertEquals(new Verdict(Action.DROP, Optional.of(0)), Classifier.classify(open, Probe.icmp(SERVER, 0), DNS, RESOLVED));
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(ClientRules.DROP_ALL, Probe.udp(SERVER, 53), DNS, RESOLVED));
    }

    @Test
    void specialtargetDnsNarrowsTheRulesOtherPredicates() {
        ClientRules tcpOnly = rules("action=accept proto=tcp specialtarget=dns");
        assertEquals(accepted(0), Classifier.classify(tcpOnly, Probe.tcp(ip("10.139.1.1"), 53), DNS, RESOLVED));
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(tcpOnly, Probe.udp(ip("10.139.1.1"), 53), DNS, RESOLVED));
        ClientRules otherPort = rules("action=accept proto=udp specialtarget=dns dstports=5353");
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(otherPort, Probe.udp(ip("10.139.1.1"), 53), DNS, RESOLVED),
                "no datagram is both to port 53 and to port 5353");
        ClientRules range = rules("action=accept proto=udp specialtarget=dns dstports=50-60");
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(range, Probe.udp(ip("10.139.1.1"), 53), DNS, RESOLVED),
                "dstports other than 53 alone: the rule matches nothing, as in Qubes' Linux firewall");
        ClientRules exact = rules("action=accept proto=udp specialtarget=dns dstports=53-53");
        assertEquals(accepted(0), Classifier.classify(exact, Probe.udp(ip("10.139.1.1"), 53), DNS, RESOLVED));
        ClientRules icmp = rules("action=accept proto=icmp specialtarget=dns");
        assertEquals(new Verdict(Action.DROP, Optional.empty()), Classifier.classify(icmp, Probe.icmp(ip("10.139.1.1"), 8), DNS, RESOLVED));
        ClientRules v4 = rules("action=accept dst4=0.0.0.0/0");
        assertEquals(accepted(0), Classifier.classify(v4, Probe.udp(SERVER, 53), DNS, RESOLVED));
    }

    @Property
    void theFirstMatchingRuleDecidesSoRulesAfterItChangeNothing(@ForAll("probes") Probe probe, @ForAll("extra") List<String> more) {
        Verdict before = verdict(probe);
        List<String> texts = new ArrayList<>();
        for (Rule r : ANCHOR.rules()) {
            texts.add(r.text());
        }
        if (before.rule().isPresent()) {
            texts.addAll(more);
            assertEquals(before, Classifier.classify(rules(texts.toArray(String[]::new)), probe, DNS, RESOLVED));
        }
        List<String> first = new ArrayList<>(List.of("action=accept"));
        first.addAll(texts);
        assertEquals(accepted(0), Classifier.classify(rules(first.toArray(String[]::new)), probe, DNS, RESOLVED),
                "a rule without predicates matches everything");
    }

    @Provide
    Arbitrary<Probe> probes() {
        Arbitrary<InetAddress> destinations = Arbitraries.of(SERVER, ELSEWHERE, ALLOWED_HOST, DENIED_HOST, ip("10.139.1.1"), ip("10.139.1.2"));
        Arbitrary<Integer> ports = Arbitraries.oneOf(Arbitraries.of(53, 443, 1235, 1338, 6667, 6668, 6670, 6671), Arbitraries.integers().between(0, 65535));
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(destinations, ports).as(Probe::tcp),
                net.jqwik.api.Combinators.combine(destinations, ports).as(Probe::udp),
                net.jqwik.api.Combinators.combine(destinations, Arbitraries.integers().between(0, 255)).as(Probe::icmp));
    }

    @Provide
    Arbitrary<List<String>> extra() {
        return Arbitraries.of("action=accept", "action=drop", "action=accept proto=udp", "action=drop dst4=10.0.0.0/8")
                .list().ofMaxSize(3);
    }
}
