package jmirage.net.nat;

/**
 * What a mapping is, for its idle timeout and for who goes first when the table is full. Within a
 * class every mapping has the same timeout, so the table keeps one list per class in order of last
 * use: the expired and the least recently used are always at a list's head.
 */
public enum FlowClass {
    /** A RST was seen (and nothing since): the connection is over. */
    TCP_RESET(Tier.CLOSED),
    /** FIN seen in both directions: TIME-WAIT's worth of stray segments may still come. */
    TCP_CLOSING(Tier.CLOSED),
    /** SYN seen in one direction only, or FIN in one direction only ("transitory", RFC 5382 5). */
    TCP_TRANSITORY(Tier.PROVISIONAL),
    /** An outbound UDP datagram and no answer yet. */
    UDP_UNANSWERED(Tier.PROVISIONAL),
    /** An ICMP echo (query) mapping. */
    ICMP_QUERY(Tier.PROVISIONAL),
    /** UDP that the remote answered. */
    UDP_ANSWERED(Tier.ASSURED),
    /** SYN seen in both directions, no FIN or RST since. */
    TCP_ESTABLISHED(Tier.ASSURED);

    /** The eviction order: a full table evicts from the lowest tier that has a mapping. */
    public enum Tier { CLOSED, PROVISIONAL, ASSURED }

    private final Tier tier;

    FlowClass(Tier tier) {
        this.tier = tier;
    }

    public Tier tier() {
        return tier;
    }
}
