package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.qubes.rules.ClientRules;
import jmirage.qubes.rules.RuleError;

/**
 * What Qubes would tell the firewall, read from key-value entries in the QubesDB layout (decision 25):
 * {@code qubes-clients/IP/mac} binds a client's address to its MAC, {@code qubes-firewall/IP/policy}
 * and {@code qubes-firewall/IP/NNNN} are its rules (Qubes 4.x). Pure: the entries in, the clients and
 * the problems (for the log) out. A client whose rules do not parse keeps its binding and drops all its
 * traffic (the format's rule); a binding that is wrong makes no client, and its rules are then unused.
 *
 * @param clients by address
 * @param byMac the same clients by MAC
 */
public record Feed(Map<Inet4Address, Client> clients, Map<MacAddress, Client> byMac, List<String> problems) {

    /** The dictionary of bindings: {@code qubes-clients/IP/mac}. */
    public static final String CLIENTS = "qubes-clients";
    /** The dictionary of rules, as QubesDB's {@code /qubes-firewall/}. */
    public static final String RULES = "qubes-firewall";

    public static final Feed EMPTY = new Feed(Map.of(), Map.of(), List.of());

    public Feed {
        clients = Map.copyOf(clients);
        byMac = Map.copyOf(byMac);
        problems = List.copyOf(problems);
    }

    /**
     * Reads {@code entries}, keyed by their path from the store's root ({@code qubes-clients/10.33.0.2/mac}).
     * A client must be an IPv4 address of {@code link}, written A.B.C.D, other than the firewall's own and
     * the link's network and broadcast addresses, with a MAC of its own (unicast, no other client's):
     * anything else is a problem and no client.
     */
    public static Feed read(Map<String, String> entries, IpPrefix link) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> trees = new TreeMap<>();
        Map<String, String> macs = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
            String[] path = e.getKey().split("/", -1);
            if (path.length == 3 && path[0].equals(CLIENTS) && path[2].equals("mac")) {
                macs.put(path[1], e.getValue().strip());
            } else if (path.length == 3 && path[0].equals(RULES)) {
                trees.computeIfAbsent(path[1], k -> new HashMap<>()).put(path[2], e.getValue().strip());
            } else if (path[0].equals(CLIENTS) || path[0].equals(RULES)) {
                problems.add(e.getKey() + ": not a key of the feed (" + CLIENTS + "/IP/mac, " + RULES + "/IP/policy, "
                        + RULES + "/IP/NNNN)");
            }
        }
        Map<Inet4Address, Client> clients = new HashMap<>();
        Map<MacAddress, Client> byMac = new HashMap<>();
        for (Map.Entry<String, String> binding : macs.entrySet()) {
            String key = CLIENTS + "/" + binding.getKey() + "/mac";
            // Only the dotted quad QubesDB writes: two spellings of one address (10.33.0 and 10.33.0.0) would be two bindings.
            Optional<Inet4Address> address = IpAddresses.parseIpv4(binding.getKey()) instanceof Result.Ok<Inet4Address, ?>(Inet4Address a)
                    && a.getHostAddress().equals(binding.getKey()) ? Optional.of(a) : Optional.empty();
            if (address.isEmpty()) {
                problems.add(key + ": '" + binding.getKey() + "' is not an IPv4 address as A.B.C.D (IPv6 clients are not supported)");
                continue;
            }
            if (!link.contains(address.get()) || link.address().equals(address.get()) || link.network().address().equals(address.get())
                    || link.last().equals(address.get())) {
                problems.add(key + ": " + binding.getKey() + " is not a client address of " + link);
                continue;
            }
            Result<MacAddress, ?> mac = MacAddress.parse(binding.getValue());
            if (!(mac instanceof Result.Ok<MacAddress, ?>(MacAddress m)) || (m.value() & 0x0100_0000_0000L) != 0) {
                problems.add(key + ": '" + binding.getValue() + "' is not a unicast MAC address");
                continue;
            }
            if (byMac.containsKey(m)) {
                problems.add(key + ": " + m + " is already " + byMac.get(m).address().getHostAddress() + "'s");
                continue;
            }
            Map<String, String> tree = trees.getOrDefault(binding.getKey(), Map.of());
            Client client = switch (ClientRules.read(address.get(), tree)) {
                case Result.Ok<ClientRules, RuleError>(ClientRules rules) -> new Client(address.get(), m, rules, Optional.empty());
                case Result.Err<ClientRules, RuleError>(RuleError error) -> {
                    // Qubes 4.x: a tree that does not parse drops all the client's traffic; none at all is a missing policy.
                    problems.add(RULES + "/" + binding.getKey() + ": " + error.describe() + "; dropping all its traffic");
                    yield new Client(address.get(), m, ClientRules.DROP_ALL, Optional.of(error));
                }
            };
            clients.put(address.get(), client);
            byMac.put(m, client);
        }
        for (String tree : trees.keySet()) {
            if (!macs.containsKey(tree)) {
                problems.add(RULES + "/" + tree + ": rules for no client (no " + CLIENTS + "/" + tree + "/mac)");
            }
        }
        return new Feed(clients, byMac, problems);
    }
}
