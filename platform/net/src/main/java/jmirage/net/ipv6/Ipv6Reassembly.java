package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.wire.FragmentBuffer;
import jmirage.net.wire.ParseError;

/**
 * Reassembly of IPv6 fragments (RFC 8200 4.5) over the shared {@link FragmentBuffer}, with the limits of
 * IPv4's {@link Reassembly} (its {@link Reassembly.Config}: fragments per datagram, bytes in total, datagrams in
 * flight, timeout), and RFC 5722's rule: a fragment that overlaps another, an exact duplicate included, drops
 * the whole datagram and every fragment of it that comes later, until the timeout. No I/O, no clock.
 */
public final class Ipv6Reassembly {

    /** RFC 8200 4.5: fragments of one packet share source, destination and identification. */
    private record Key(Inet6Address source, Inet6Address destination, int identification) {}

    private final FragmentBuffer<Key, Ipv6Packet> buffer;

    public Ipv6Reassembly(Reassembly.Config config) {
        // RFC 8200 4.5: the reassembled payload length fits the 16-bit field.
        this.buffer = new FragmentBuffer<>(config, 65535, FragmentBuffer.AfterDiscard.REFUSE_UNTIL_TIMEOUT);
    }

    public int bytesHeld() {
        return buffer.bytesHeld();
    }

    public int datagramsPending() {
        return buffer.datagramsPending();
    }

    public long dropped() {
        return buffer.dropped();
    }

    /**
     * Takes a fragment; once its last missing piece arrives, the whole packet with its fragmentable part's
     * headers walked ({@link Ipv6Packet#reassembled}), or that walk's error. Empty while pieces are missing
     * or when the fragment was dropped.
     */
    public Optional<Result<Ipv6Packet, ParseError>> input(long now, Ipv6Packet fragment) {
        if (fragment.fragment().isEmpty()) {
            return Optional.of(Result.ok(fragment));
        }
        Ipv6Packet.FragmentHeader f = fragment.fragment().get();
        Key key = new Key(fragment.source(), fragment.destination(), f.identification());
        return buffer.input(now, key, f.offset(), f.more(), fragment.payload(), fragment)
                .map(whole -> Ipv6Packet.reassembled(whole.first(), whole.payload()));
    }

    /** Drops datagrams whose time is up (RFC 8200 4.5: 60 s at most; the config's timeout). */
    public void expire(long now) {
        buffer.expire(now);
    }
}
