package jmirage.qubes.rules;

import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * One firewall rule of a client, as QubesDB holds it at {@code /qubes-firewall/IP/NNNN} (Qubes 4.x,
 * "VM configuration interface", firewall rules in 4.x): it matches a datagram when every predicate
 * given matches, and then its action applies; the first rule that matches decides.
 *
 * @param number the rule's number, {@code NNNN}: the order of evaluation
 * @param destination {@code dst4}, {@code dst6} or {@code dsthost}; any destination when none was given
 * @param protocol {@code proto}; any when absent
 * @param dns {@code specialtarget=dns}: only DNS (TCP and UDP port 53) to the DNS servers the clients are given
 * @param ports {@code dstports}, only with TCP or UDP
 * @param icmpType {@code icmptype}, only with ICMP
 */
public record Rule(int number, Action action, Destination destination, Optional<Protocol> protocol, boolean dns,
                   Optional<PortRange> ports, Optional<Integer> icmpType) {

    /**
     * The rule as QubesDB holds it, options in the format's order ({@code action}, {@code dst4},
     * {@code dst6}, {@code dsthost}, {@code proto}, {@code specialtarget}, {@code dstports},
     * {@code icmptype}): what {@link ClientRules#parse} reads back as this rule.
     */
    public String text() {
        StringBuilder b = new StringBuilder("action=").append(action == Action.ACCEPT ? "accept" : "drop");
        switch (destination) {
            case Destination.Any() -> { }
            case Destination.Prefix(IpPrefix p) -> b.append(p.isIpv4() ? " dst4=" : " dst6=").append(p.address().getHostAddress())
                    .append('/').append(p.length());
            case Destination.Host(String name) -> b.append(" dsthost=").append(name);
        }
        protocol.ifPresent(p -> b.append(" proto=").append(p.name().toLowerCase(java.util.Locale.ROOT)));
        if (dns) {
            b.append(" specialtarget=dns");
        }
        ports.ifPresent(r -> b.append(" dstports=").append(r.low()).append('-').append(r.high()));
        icmpType.ifPresent(t -> b.append(" icmptype=").append(t));
        return b.toString();
    }

    /** What a matching rule does: let the datagram through (translated to the uplink), or drop it. */
    public enum Action { ACCEPT, DROP }

    /** {@code proto}: the three the format knows, with their IP protocol numbers (RFC 790). */
    public enum Protocol {
        TCP(6), UDP(17), ICMP(1);

        public final int number;

        Protocol(int number) {
            this.number = number;
        }
    }

    /** Where a rule applies. */
    public sealed interface Destination {
        /** No destination given: every one. */
        record Any() implements Destination {}

        /** {@code dst4} or {@code dst6}: an address with a mask (a bare address is the full-length prefix). */
        record Prefix(IpPrefix prefix) implements Destination {}

        /** {@code dsthost}: a DNS name, resolved by the firewall, matched against the addresses it has now. */
        record Host(String name) implements Destination {}
    }

    /** {@code dstports}: {@code low-high}, inclusive. */
    public record PortRange(int low, int high) {
        public PortRange {
            if (low < 0 || high > 65535 || low > high) {
                throw new IllegalArgumentException("port range " + low + "-" + high);
            }
        }

        public boolean contains(int port) {
            return low <= port && port <= high;
        }
    }
}
