package jmirage.qubes.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.qubes.rules.Rule.Action;
import jmirage.qubes.rules.Rule.Destination;
import jmirage.qubes.rules.Rule.PortRange;
import jmirage.qubes.rules.Rule.Protocol;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ClientRulesTest {

    static final java.net.InetAddress CLIENT = jmirage.core.net.IpAddresses.parse("10.137.0.7").orElseThrow();

    static Rule rule(String text) {
        return ClientRules.parse(0, text).orElseThrow(e -> new IllegalArgumentException(e.describe()));
    }

    static String refused(String text) {
        return ((Result.Err<Rule, RuleError>) ClientRules.parse(7, text)).error().describe();
    }

    static RuleError errorOf(Result<ClientRules, RuleError> read) {
        return ((Result.Err<ClientRules, RuleError>) read).error();
    }

    @Test
    void theFormatsOwnExamplesParse() {
        assertEquals(new Rule(0, Action.ACCEPT, new Destination.Prefix(IpPrefix.parse("8.8.8.8/32").orElseThrow()),
                Optional.of(Protocol.UDP), false, Optional.of(new PortRange(53, 53)), Optional.empty()),
                rule("action=accept dst4=8.8.8.8 proto=udp dstports=53-53"));
        assertEquals(new Destination.Prefix(IpPrefix.parse("2a00:1450:4000::/37").orElseThrow()),
                rule("action=drop dst6=2a00:1450:4000::/37 proto=tcp").destination());
        assertTrue(rule("action=accept specialtarget=dns").dns());
        Rule tcpDns = rule("action=drop proto=tcp specialtarget=dns");
        assertEquals(Optional.of(Protocol.TCP), tcpDns.protocol());
        assertTrue(tcpDns.dns());
        assertEquals(new Rule(0, Action.DROP, new Destination.Any(), Optional.empty(), false, Optional.empty(), Optional.empty()),
                rule("action=drop"));
        assertEquals(Optional.of(8), rule("action=accept proto=icmp icmptype=8").icmpType());
        assertEquals(new Destination.Host("updates.example.org"), rule("action=accept dsthost=updates.example.org.").destination());
        assertEquals(Optional.of(new PortRange(443, 443)), rule("proto=tcp dstports=443 action=accept").ports(), "any order, one port");
        assertEquals(new Destination.Prefix(IpPrefix.parse("192.168.0.0/24").orElseThrow()),
                rule("action=accept dst4=192.168.0.77/24").destination(), "host bits cleared");
    }

    @Test
    void eachWayARuleCanBeWrongIsNamed() {
        assertTrue(refused("dst4=10.0.0.0/8").endsWith("no action=accept or action=drop"));
        assertTrue(refused("action=reject").endsWith("no action=accept or action=drop"));
        assertTrue(refused("action=accept action=drop").endsWith("action is given twice"));
        assertTrue(refused("action=accept  proto=tcp").contains("'' is not key=value"));
        assertTrue(refused("action=accept proto=").contains("'proto=' is not key=value"));
        assertTrue(refused("action=accept dst4=10.0.0.0/33").startsWith("rule 0007 'action=accept dst4=10.0.0.0/33': dst4: "));
        assertTrue(refused("action=accept dst4=::/0").endsWith("is not an IPv4 prefix"));
        assertTrue(refused("action=accept dst6=10.0.0.1").endsWith("is not an IPv6 prefix"));
        assertTrue(refused("action=accept dsthost=bad_name.org").endsWith("is not a host name"));
        assertTrue(refused("action=accept dst4=10.0.0.1 dsthost=a.org").endsWith("only one of dst4, dst6 and dsthost may be given"));
        assertTrue(refused("action=accept proto=sctp").endsWith("is none of tcp, udp, icmp"));
        assertTrue(refused("action=accept specialtarget=ntp").endsWith("is not dns"));
        assertTrue(refused("action=accept dstports=80-80").endsWith("dstports goes with proto=tcp or proto=udp"));
        assertTrue(refused("action=accept proto=icmp dstports=80").endsWith("dstports goes with proto=tcp or proto=udp"));
        assertTrue(refused("action=accept proto=tcp dstports=90-80").contains("is not PORT or LOW-HIGH"));
        assertTrue(refused("action=accept proto=tcp dstports=65536").contains("is not PORT or LOW-HIGH"));
        assertTrue(refused("action=accept proto=tcp icmptype=8").endsWith("icmptype goes with proto=icmp"));
        assertTrue(refused("action=accept proto=icmp icmptype=256").contains("is not a number within 0-255"));
        assertTrue(refused("action=accept expire=1700000000").endsWith("unknown option expire"));
    }

    @Test
    void aClientsRulesAreOrderedByNumberAndEndInThePolicy() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("0002", "action=drop");
        entries.put("policy", "accept");
        entries.put("0000", "action=accept proto=udp dstports=53");
        entries.put("0010", "action=accept proto=tcp");
        ClientRules rules = ClientRules.read(CLIENT, entries).orElseThrow();
        assertEquals(List.of(0, 2, 10), rules.rules().stream().map(Rule::number).toList());
        assertEquals(Action.ACCEPT, rules.policy());
    }

    @Test
    void anythingWrongInAClientsTreeIsAnError() {
        assertEquals(new RuleError.BadPolicy(null), errorOf(ClientRules.read(CLIENT, Map.of("0000", "action=accept"))));
        assertEquals(new RuleError.BadPolicy("reject"), errorOf(ClientRules.read(CLIENT, Map.of("policy", "reject"))));
        assertEquals(new RuleError.NotARule("12"), errorOf(ClientRules.read(CLIENT, Map.of("policy", "drop", "12", "action=accept"))));
        assertInstanceOf(RuleError.BadRule.class, errorOf(ClientRules.read(CLIENT, Map.of("policy", "accept", "0000", "action=accept",
                "0001", "action=accept proto=gre"))));
        assertEquals(ClientRules.DROP_ALL, new ClientRules(List.of(), Action.DROP));
        assertEquals("rule 0001 'action=accept dst6=2001:db8::/32': dst6 in the rules of an IPv4 client", errorOf(ClientRules.read(CLIENT,
                Map.of("policy", "accept", "0001", "action=accept dst6=2001:db8::/32"))).describe());
        java.net.InetAddress v6 = jmirage.core.net.IpAddresses.parse("fd09:24ef:4179::a89:7").orElseThrow();
        assertEquals("rule 0000 'action=accept dst4=10.0.0.0/8': dst4 in the rules of an IPv6 client", errorOf(ClientRules.read(v6,
                Map.of("policy", "accept", "0000", "action=accept dst4=10.0.0.0/8"))).describe());
        assertEquals(1, ClientRules.read(v6, Map.of("policy", "accept", "0000", "action=accept dst6=2001:db8::/32")).orElseThrow().rules().size());
    }

    @Property
    void aRuleWrittenOutReadsBackAsItself(@ForAll("rules") Rule rule) {
        assertEquals(Result.ok(rule), ClientRules.parse(rule.number(), rule.text()));
    }

    @Provide
    Arbitrary<Rule> rules() {
        Arbitrary<Destination> destinations = Arbitraries.oneOf(
                Arbitraries.just(new Destination.Any()),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32)).as((a, l) ->
                        new Destination.Prefix(IpPrefix.of(jmirage.core.net.IpAddresses.parse(
                                (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255)).orElseThrow(), l))),
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 128)).as((a, l) ->
                        new Destination.Prefix(IpPrefix.of(jmirage.core.net.IpAddresses.parse(
                                "2001:db8:" + Long.toHexString(a & 0xffff) + "::" + Long.toHexString((a >>> 16) & 0xffff)).orElseThrow(), l))),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                        .map(label -> new Destination.Host(label + ".example.org")));
        Arbitrary<Optional<Protocol>> protocols = Arbitraries.of(Protocol.class).optional();
        return Combinators.combine(Arbitraries.integers().between(0, 9999), Arbitraries.of(Action.class), destinations, protocols,
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 255)).as((n, action, destination, protocol, dns, a, b, icmp) -> {
                    boolean ported = protocol.isPresent() && protocol.get() != Protocol.ICMP;
                    boolean icmpRule = protocol.isPresent() && protocol.get() == Protocol.ICMP;
                    return new Rule(n, action, destination, protocol, dns,
                            ported && a % 2 == 0 ? Optional.of(new PortRange(Math.min(a, b), Math.max(a, b))) : Optional.empty(),
                            icmpRule && b % 2 == 0 ? Optional.of(icmp) : Optional.empty());
                });
    }
}
