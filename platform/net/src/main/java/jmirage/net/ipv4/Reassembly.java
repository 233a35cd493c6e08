package jmirage.net.ipv4;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Optional;
import jmirage.net.wire.FragmentBuffer;

/**
 * Reassembly of IPv4 fragments (RFC 791 3.2, RFC 815) over the shared {@link FragmentBuffer}: fragments per
 * datagram, bytes held in total, datagrams in flight and a timeout per datagram (RFC 1122 3.3.2: 60 to 120 s
 * recommended; we keep it short) are bounded, and overlapping fragments drop the whole datagram (as RFC 5722
 * does for IPv6: overlaps are only ever an attack); a later fragment of it starts afresh. No I/O and no
 * clock: the caller passes the time.
 */
public final class Reassembly {

    public record Config(int maxFragmentsPerDatagram, int maxBytesTotal, int maxDatagrams, Duration timeout)
            implements FragmentBuffer.Limits {
        public static final Config DEFAULT = new Config(64, 1 << 20, 64, Duration.ofSeconds(30));
    }

    /** RFC 791 3.2: the buffer identification. */
    private record Key(Inet4Address source, Inet4Address destination, int protocol, int identification) {}

    private final FragmentBuffer<Key, Ipv4Packet> buffer;

    public Reassembly(Config config) {
        // RFC 791 3.1: the total length field (16 bits) counts the header too.
        this.buffer = new FragmentBuffer<>(config, 65535 - Ipv4Packet.HEADER, FragmentBuffer.AfterDiscard.FORGET);
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

    /** Takes a fragment; returns the whole datagram once its last missing piece arrives. */
    public Optional<Ipv4Packet> input(long now, Ipv4Packet fragment) {
        if (!fragment.isFragment()) {
            return Optional.of(fragment);
        }
        Key key = new Key(fragment.source(), fragment.destination(), fragment.protocol(), fragment.identification());
        return buffer.input(now, key, fragment.fragmentOffset(), fragment.moreFragments(), fragment.payload(), fragment)
                .map(whole -> whole.first().withPayload(whole.payload(), false, 0));
    }

    /** Drops datagrams whose time is up (RFC 791: the reassembly timer). */
    public void expire(long now) {
        buffer.expire(now);
    }
}
