package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.util.Optional;
import jmirage.core.net.MacAddress;
import jmirage.qubes.rules.ClientRules;
import jmirage.qubes.rules.RuleError;

/**
 * A client VM as the feed names it (decision 25): its address and hardware address, bound together,
 * and its rules; {@code error} is why its tree did not parse, and then {@code rules} is
 * {@link ClientRules#DROP_ALL}.
 */
public record Client(Inet4Address address, MacAddress mac, ClientRules rules, Optional<RuleError> error) {}
