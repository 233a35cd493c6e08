package jmirage.net.nat;

import jmirage.core.Bytes;

/** What the NAT table made of one packet. */
public sealed interface NatVerdict {

    /** The packet rewritten: send it on (the IPv4 datagram, header included, checksums updated). */
    record Translated(Bytes packet) implements NatVerdict {}

    /**
     * An inbound packet that no mapping or forward claims, or of a kind the NAT does not translate
     * (another protocol, an ICMP error about something else): not the NAT's business, it may be for
     * the unikernel itself. Outbound packets are never left untranslated: a private address must not leak.
     */
    record Untranslated() implements NatVerdict {}

    /** Not to be sent, and why. */
    record Dropped(DropReason reason) implements NatVerdict {}
}
