package jmirage.qubes.differential;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import jmirage.qubes.rules.ClientRules;
import jmirage.qubes.rules.Rule;
import jmirage.qubes.rules.Rule.Action;
import jmirage.qubes.rules.Rule.Destination;

/**
 * A client's rules as Qubes' own Linux firewall loads them into nftables (qubes-core-agent-linux,
 * {@code qubesagent/firewall.py}, {@code NftablesWorker}: {@code init}, {@code create_chain},
 * {@code prepare_rules}), for an IPv4 client: a forward chain that drops by default, lets established
 * flows and what does not come from a {@code vif*} interface through, and sends the client's datagrams
 * to its own chain, where each rule is one or two nftables rules and the policy the last.
 */
final class Nftables {

    private Nftables() {}

    static String script(InetAddress client, ClientRules rules, Set<InetAddress> dns, Map<String, Set<InetAddress>> resolved) {
        String chain = "qbs-" + client.getHostAddress().replace('.', '-');
        List<String> lines = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            lines.addAll(rule(rule, dns, resolved));
        }
        lines.add(action(rules.policy()));
        return """
                table ip qubes-firewall {
                  chain forward {
                    type filter hook forward priority 0;
                    policy drop;
                    ct state established,related accept
                    meta iifname != "vif*" accept
                    ip saddr %s jump %s
                  }
                  chain %s {
                    %s
                  }
                }
                """.formatted(client.getHostAddress(), chain, chain, String.join("\n    ", lines));
    }

    /** {@code prepare_rules} for one rule: none, one, or one per protocol. */
    static List<String> rule(Rule rule, Set<InetAddress> dns, Map<String, Set<InetAddress>> resolved) {
        StringBuilder match = new StringBuilder();
        rule.protocol().ifPresent(p -> match.append(" ip protocol ").append(p.name().toLowerCase(java.util.Locale.ROOT)));
        switch (rule.destination()) {
            case Destination.Any() -> { }
            case Destination.Prefix(var prefix) -> match.append(" ip daddr ").append(prefix.address().getHostAddress())
                    .append('/').append(prefix.length());
            case Destination.Host(String name) -> match.append(" ip daddr ").append(set(resolved.get(name)));
        }
        Optional<String> ports = rule.ports().map(r -> r.low() == r.high() ? Integer.toString(r.low()) : r.low() + "-" + r.high());
        if (rule.dns()) {
            if (ports.isPresent() && !ports.get().equals("53")) {
                return List.of();
            }
            ports = Optional.of("53");
            match.append(" ip daddr ").append(set(dns));
        }
        rule.icmpType().ifPresent(t -> match.append(" icmp type ").append(t));
        String action = action(rule.action());
        if (ports.isEmpty()) {
            return List.of((match + " " + action).strip());
        }
        if (rule.protocol().isEmpty()) {
            return List.of((match + " tcp dport " + ports.get() + " " + action).strip(),
                    (match + " udp dport " + ports.get() + " " + action).strip());
        }
        return List.of((match + " " + rule.protocol().get().name().toLowerCase(java.util.Locale.ROOT) + " dport " + ports.get() + " "
                + action).strip());
    }

    static String action(Action action) {
        return action == Action.ACCEPT ? "accept" : "reject with icmp type admin-prohibited";
    }

    static String set(Set<InetAddress> addresses) {
        TreeSet<String> sorted = new TreeSet<>();
        addresses.forEach(a -> sorted.add(a.getHostAddress() + "/32"));
        return "{ " + String.join(", ", sorted) + " }";
    }
}
