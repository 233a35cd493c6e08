package jmirage.qubes.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import jmirage.core.Result;
import jmirage.core.net.AddressError;
import jmirage.core.net.IpPrefix;
import jmirage.qubes.rules.Rule.Action;
import jmirage.qubes.rules.Rule.Destination;
import jmirage.qubes.rules.Rule.PortRange;
import jmirage.qubes.rules.Rule.Protocol;

/**
 * A client's rules as QubesDB holds them under {@code /qubes-firewall/IP/}: {@code policy}, the action
 * when no rule matches, and the rules {@code 0000}, {@code 0001}... in the order of their numbers
 * (QubesDB itself keeps no order). Each rule is {@code key=value} pairs separated by a space: {@code
 * action} (always), then at most one of {@code dst4}, {@code dst6}, {@code dsthost}, and {@code proto},
 * {@code specialtarget}, {@code dstports} (with TCP or UDP only), {@code icmptype} (with ICMP only);
 * an option given twice, an unknown one or a bad value is a parse error, and then all the client's
 * traffic is dropped (Qubes 4.x, "firewall rules in 4.x"; as Qubes' own Linux firewall,
 * qubes-core-agent-linux's {@code qubesagent/firewall.py}, does, the options are taken in any order).
 */
public record ClientRules(List<Rule> rules, Action policy) {

    /** RFC 1035 2.3.1 and RFC 1123 2.1: labels of letters, digits and inner hyphens, 253 characters at most. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern NUMBER = Pattern.compile("\\d{4}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");

    public ClientRules {
        rules = List.copyOf(rules);
    }

    /** What a client whose rules do not parse gets: no rule, and drop. */
    public static final ClientRules DROP_ALL = new ClientRules(List.of(), Action.DROP);

    /**
     * The rules from the entries under the tree of {@code client} (its address), keyed without the
     * tree ({@code policy}, {@code 0000}...); or what is wrong with them (then the caller drops
     * everything: {@link #DROP_ALL}). A destination of the other address family than the client's is
     * an error, as in Qubes' own Linux firewall: dom0 writes an IPv4 client's tree without its IPv6
     * rules, so one there is a tree it did not mean.
     */
    public static Result<ClientRules, RuleError> read(InetAddress client, Map<String, String> entries) {
        String policyText = entries.get("policy");
        Optional<Action> policy = action(policyText);
        if (policy.isEmpty()) {
            return Result.err(new RuleError.BadPolicy(policyText));
        }
        TreeMap<Integer, String> numbered = new TreeMap<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (entry.getKey().equals("policy")) {
                continue;
            }
            if (!NUMBER.matcher(entry.getKey()).matches()) {
                return Result.err(new RuleError.NotARule(entry.getKey()));
            }
            numbered.put(Integer.parseInt(entry.getKey()), entry.getValue());
        }
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<Integer, String> entry : numbered.entrySet()) {
            switch (parse(entry.getKey(), entry.getValue())) {
                case Result.Ok<Rule, RuleError>(Rule rule) when rule.destination() instanceof Destination.Prefix(IpPrefix p)
                        && p.isIpv4() != (client instanceof Inet4Address) ->
                    { return Result.err(new RuleError.BadRule(rule.number(), entry.getValue(),
                            (p.isIpv4() ? "dst4" : "dst6") + " in the rules of an IPv" + (client instanceof Inet4Address ? "4" : "6")
                                    + " client")); }
                case Result.Ok<Rule, RuleError>(Rule rule) -> rules.add(rule);
                case Result.Err<Rule, RuleError>(RuleError e) -> {
                    return Result.err(e);
                }
            }
        }
        return Result.ok(new ClientRules(rules, policy.get()));
    }

    /** One rule, {@code number} being its {@code NNNN}. */
    public static Result<Rule, RuleError> parse(int number, String text) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : text.split(" ", -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                return bad(number, text, "'" + pair + "' is not key=value");
            }
            if (options.put(pair.substring(0, equals), pair.substring(equals + 1)) != null) {
                return bad(number, text, pair.substring(0, equals) + " is given twice");
            }
        }
        Optional<Action> action = action(options.remove("action"));
        if (action.isEmpty()) {
            return bad(number, text, "no action=accept or action=drop");
        }
        Destination destination = new Destination.Any();
        int destinations = 0;
        for (String key : List.of("dst4", "dst6", "dsthost")) {
            String value = options.remove(key);
            if (value == null) {
                continue;
            }
            destinations++;
            Result<Destination, String> parsed = destination(key, value);
            if (parsed instanceof Result.Err<Destination, String>(String reason)) {
                return bad(number, text, reason);
            }
            destination = parsed.orElseThrow();
        }
        if (destinations > 1) {
            return bad(number, text, "only one of dst4, dst6 and dsthost may be given");
        }
        Optional<Protocol> protocol = Optional.empty();
        String proto = options.remove("proto");
        if (proto != null) {
            protocol = switch (proto) {
                case "tcp" -> Optional.of(Protocol.TCP);
                case "udp" -> Optional.of(Protocol.UDP);
                case "icmp" -> Optional.of(Protocol.ICMP);
                default -> Optional.empty();
            };
            if (protocol.isEmpty()) {
                return bad(number, text, "proto=" + proto + " is none of tcp, udp, icmp");
            }
        }
        boolean dns = false;
        String special = options.remove("specialtarget");
        if (special != null) {
            if (!special.equals("dns")) {
                return bad(number, text, "specialtarget=" + special + " is not dns");
            }
            dns = true;
        }
        Optional<PortRange> ports = Optional.empty();
        String portsText = options.remove("dstports");
        if (portsText != null) {
            if (protocol.isEmpty() || protocol.get() == Protocol.ICMP) {
                return bad(number, text, "dstports goes with proto=tcp or proto=udp");
            }
            ports = ports(portsText);
            if (ports.isEmpty()) {
                return bad(number, text, "dstports=" + portsText + " is not PORT or LOW-HIGH within 0-65535");
            }
        }
        Optional<Integer> icmpType = Optional.empty();
        String icmp = options.remove("icmptype");
        if (icmp != null) {
            if (protocol.isEmpty() || protocol.get() != Protocol.ICMP) {
                return bad(number, text, "icmptype goes with proto=icmp");
            }
            if (!DIGITS.matcher(icmp).matches() || Integer.parseInt(icmp) > 255) {
                return bad(number, text, "icmptype=" + icmp + " is not a number within 0-255");
            }
            icmpType = Optional.of(Integer.parseInt(icmp));
        }
        if (!options.isEmpty()) {
            return bad(number, text, "unknown option " + String.join(", ", options.keySet()));
        }
        return Result.ok(new Rule(number, action.get(), destination, protocol, dns, ports, icmpType));
    }

    private static Result<Destination, String> destination(String key, String value) {
        if (key.equals("dsthost")) {
            return HOST_NAME.matcher(value).matches()
                    ? Result.ok(new Destination.Host(value.endsWith(".") ? value.substring(0, value.length() - 1) : value))
                    : Result.err("dsthost=" + value + " is not a host name");
        }
        Result<IpPrefix, AddressError> prefix = IpPrefix.parse(value);
        if (prefix instanceof Result.Err<IpPrefix, AddressError>(AddressError e)) {
            return Result.err(key + ": " + e.describe());
        }
        IpPrefix p = prefix.orElseThrow();
        if (p.isIpv4() != key.equals("dst4")) {
            return Result.err(key + "=" + value + " is not an IPv" + (key.equals("dst4") ? "4" : "6") + " prefix");
        }
        return Result.ok(new Destination.Prefix(p.network()));
    }

    private static Optional<PortRange> ports(String text) {
        int dash = text.indexOf('-');
        String low = dash < 0 ? text : text.substring(0, dash);
        String high = dash < 0 ? text : text.substring(dash + 1);
        if (!DIGITS.matcher(low).matches() || !DIGITS.matcher(high).matches()) {
            return Optional.empty();
        }
        int l = Integer.parseInt(low);
        int h = Integer.parseInt(high);
        return l <= h && h <= 65535 ? Optional.of(new PortRange(l, h)) : Optional.empty();
    }

    private static Optional<Action> action(String text) {
        return text == null ? Optional.empty() : switch (text) {
            case "accept" -> Optional.of(Action.ACCEPT);
            case "drop" -> Optional.of(Action.DROP);
            default -> Optional.empty();
        };
    }

    private static Result<Rule, RuleError> bad(int number, String text, String reason) {
        return Result.err(new RuleError.BadRule(number, text, reason));
    }
}
