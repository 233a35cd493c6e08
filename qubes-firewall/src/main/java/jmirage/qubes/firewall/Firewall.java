package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Bytes;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.net.wire.Wire;
import jmirage.qubes.rules.Classifier;
import jmirage.qubes.rules.Probe;
import jmirage.qubes.rules.Rule;

/**
 * The firewall's decisions (decision 25), pure and immutable: the feed's clients, the firewall's own
 * address on their link, the DNS servers {@code specialtarget=dns} stands for, and the addresses the
 * {@code dsthost} names resolve to now. A change of any of them is a new {@code Firewall}, swapped in
 * whole by the shell.
 *
 * <p>Two checks, as the anchor (qubes-mirage-firewall, {@code dispatcher.ml}) makes them: on every
 * datagram a client's frame brings, fragments included, {@link #link}: its source MAC and source
 * address must be a bound pair (the anchor: "Incorrect source IP ... (dropping)"); and on every
 * whole datagram from a client, {@link #fromClient}: to another client, dropped (as Qubes' Linux
 * firewall by default); to the firewall itself, dropped ("packet addressed to firewall itself");
 * otherwise the client's rules, first match wins.
 */
public record Firewall(Feed feed, IpPrefix link, Set<InetAddress> dnsServers, Map<String, Set<InetAddress>> resolved) {

    public Firewall {
        dnsServers = Set.copyOf(dnsServers);
        resolved = Map.copyOf(resolved);
    }

    /** Why a datagram from a client was dropped; each is counted per client. */
    public enum Reason {
        /** Its source MAC and address are not a bound pair. */
        SPOOFED,
        /** The client's rules (or their policy) drop it. */
        RULE,
        /** Addressed to another client. */
        CLIENT_TO_CLIENT,
        /** Addressed to the firewall itself, or a broadcast or multicast. */
        TO_FIREWALL,
        /** Too short to hold the headers the rules look at. */
        MALFORMED
    }

    /** The verdict on a datagram, with the client it is counted for (none when its sender is no client). */
    public sealed interface Verdict {
        record Accept(Client client) implements Verdict {}

        record Drop(Optional<Client> client, Reason reason) implements Verdict {}
    }

    public Firewall withFeed(Feed newFeed) {
        return new Firewall(newFeed, link, dnsServers, resolved);
    }

    public Firewall withResolved(Map<String, Set<InetAddress>> names) {
        return new Firewall(feed, link, dnsServers, names);
    }

    /** The firewall's own address on the clients' link: their gateway. */
    public Inet4Address gateway() {
        return (Inet4Address) link.address();
    }

    /**
     * The link-level check of a datagram (any fragment) that came in a frame from {@code source}: accepted
     * when its source address is the one bound to that MAC; a spoof is counted for the MAC's owner, if any.
     */
    public Verdict link(MacAddress source, Bytes datagram) {
        Client owner = feed.byMac().get(source);
        if (datagram.size() < 20) { // RFC 791 3.1: the header's fixed part
            return new Verdict.Drop(Optional.ofNullable(owner), Reason.MALFORMED);
        }
        if (owner == null || Wire.ipv4ToInt(owner.address()) != Wire.i32(datagram, 12)) {
            return new Verdict.Drop(Optional.ofNullable(owner), Reason.SPOOFED);
        }
        return new Verdict.Accept(owner);
    }

    /** ARP from {@code mac} claiming {@code address} counts only when they are a bound pair (decision 25). */
    public boolean bound(MacAddress mac, Inet4Address address) {
        Client owner = feed.byMac().get(mac);
        return owner != null && owner.address().equals(address);
    }

    /** The verdict on a whole datagram (reassembled) from the clients' link, whose source {@link #link} accepted. */
    public Verdict fromClient(Bytes datagram) {
        if (datagram.size() < 20) {
            return new Verdict.Drop(Optional.empty(), Reason.MALFORMED);
        }
        Client client = feed.clients().get(Wire.ipv4(datagram, 12));
        if (client == null) { // its binding went with a change of the feed since its frame came
            return new Verdict.Drop(Optional.empty(), Reason.SPOOFED);
        }
        Inet4Address destination = Wire.ipv4(datagram, 16);
        if (destination.equals(gateway()) || destination.equals(link.last()) || destination.isMulticastAddress()
                || Wire.ipv4ToInt(destination) == -1) {
            return new Verdict.Drop(Optional.of(client), Reason.TO_FIREWALL);
        }
        if (feed.clients().containsKey(destination) || link.contains(destination)) {
            return new Verdict.Drop(Optional.of(client), Reason.CLIENT_TO_CLIENT);
        }
        Optional<Probe> probe = probe(datagram, destination);
        if (probe.isEmpty()) {
            return new Verdict.Drop(Optional.of(client), Reason.MALFORMED);
        }
        return allows(client, probe.get()) ? new Verdict.Accept(client) : new Verdict.Drop(Optional.of(client), Reason.RULE);
    }

    /** Whether {@code client}'s rules accept {@code probe}. */
    public boolean allows(Client client, Probe probe) {
        return Classifier.classify(client.rules(), probe, dnsServers, name -> Optional.ofNullable(resolved.get(name))).action()
                == Rule.Action.ACCEPT;
    }

    /**
     * Whether a NAT mapping of the client at {@code client} to {@code remote} may stay: the client is
     * still one and its rules still accept the flow's first datagram ({@code port} the remote's port;
     * for ICMP, an echo request). The shell removes the others when the feed changes.
     */
    public boolean keeps(Inet4Address client, int protocol, InetAddress remote, int port) {
        Client c = feed.clients().get(client);
        if (c == null) {
            return false;
        }
        Probe probe = protocol == Rule.Protocol.ICMP.number ? Probe.icmp(remote, 8) // RFC 792: echo request
                : new Probe(protocol, remote, port, -1);
        return allows(c, probe);
    }

    /**
     * What the rules look at (RFC 791 3.1, the header length in the low nibble of byte 0, the protocol
     * at byte 9): the destination port of TCP (RFC 9293 3.1) and UDP (RFC 768), at bytes 2-3 of their
     * header, and the type of ICMP (RFC 792), its first byte. Empty when the datagram is too short or
     * its header length is below the minimum of 5 words.
     */
    static Optional<Probe> probe(Bytes datagram, Inet4Address destination) {
        int headerLength = (datagram.get(0) & 0x0f) * 4;
        int protocol = datagram.get(9) & 0xff;
        if (headerLength < 20 || datagram.size() < headerLength) {
            return Optional.empty();
        }
        if (protocol == Rule.Protocol.TCP.number || protocol == Rule.Protocol.UDP.number) {
            return datagram.size() < headerLength + 4 ? Optional.empty()
                    : Optional.of(new Probe(protocol, destination, Wire.u16(datagram, headerLength + 2), -1));
        }
        if (protocol == Rule.Protocol.ICMP.number) {
            return datagram.size() < headerLength + 1 ? Optional.empty()
                    : Optional.of(Probe.icmp(destination, datagram.get(headerLength) & 0xff));
        }
        return Optional.of(new Probe(protocol, destination, -1, -1));
    }
}
