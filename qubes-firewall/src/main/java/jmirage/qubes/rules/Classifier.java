package jmirage.qubes.rules;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jmirage.qubes.rules.Rule.Action;
import jmirage.qubes.rules.Rule.Destination;
import jmirage.qubes.rules.Rule.Protocol;

/**
 * The verdict of a client's rules on a datagram: the first rule whose every predicate matches decides,
 * else the policy (Qubes 4.x, "firewall rules in 4.x"). Pure: the DNS servers the clients are given
 * ({@code specialtarget=dns}) and the addresses each {@code dsthost} name resolves to now are inputs.
 */
public final class Classifier {

    /** RFC 1035 4.2: DNS over UDP and TCP, port 53. */
    static final int DNS_PORT = 53;

    private Classifier() {}

    /** Which rule decided: its number, or none (the policy). */
    public record Verdict(Action action, Optional<Integer> rule) {}

    /**
     * @param dnsServers the addresses {@code specialtarget=dns} stands for
     * @param resolved the addresses a {@code dsthost} name has now; empty when it is not resolved (yet,
     *     or at all), and then its rules match nothing, as the anchor (qubes-mirage-firewall) does
     */
    public static Verdict classify(ClientRules rules, Probe probe, Set<InetAddress> dnsServers,
                                   Function<String, Optional<Set<InetAddress>>> resolved) {
        for (Rule rule : rules.rules()) {
            if (matches(rule, probe, dnsServers, resolved)) {
                return new Verdict(rule.action(), Optional.of(rule.number()));
            }
        }
        return new Verdict(rules.policy(), Optional.empty());
    }

    static boolean matches(Rule rule, Probe probe, Set<InetAddress> dnsServers, Function<String, Optional<Set<InetAddress>>> resolved) {
        if (rule.protocol().isPresent() && rule.protocol().get().number != probe.protocol()) {
            return false;
        }
        // specialtarget=dns: TCP or UDP to port 53 of a DNS server, narrowed by the rule's protocol and
        // destination. With dstports other than 53 alone the rule matches nothing, as in Qubes' Linux
        // firewall (qubesagent/firewall.py skips it), even when the range holds 53.
        if (rule.dns() && (!(dnsServers.contains(probe.destination()) && probe.port() == DNS_PORT
                && (probe.protocol() == Protocol.TCP.number || probe.protocol() == Protocol.UDP.number))
                || rule.ports().filter(r -> !(r.low() == DNS_PORT && r.high() == DNS_PORT)).isPresent())) {
            return false;
        }
        if (rule.ports().isPresent() && !rule.ports().get().contains(probe.port())) {
            return false;
        }
        if (rule.icmpType().isPresent() && rule.icmpType().get() != probe.icmpType()) {
            return false;
        }
        return switch (rule.destination()) {
            case Destination.Any() -> true;
            case Destination.Prefix(var prefix) -> prefix.contains(probe.destination());
            case Destination.Host(String name) -> resolved.apply(name).map(a -> a.contains(probe.destination())).orElse(false);
        };
    }
}
