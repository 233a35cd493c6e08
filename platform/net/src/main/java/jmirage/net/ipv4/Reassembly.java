package jmirage.net.ipv4;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reassembly of IPv4 fragments (RFC 791 3.2, RFC 815) with hard limits: fragments per datagram,
 * bytes held in total, a timeout per datagram (RFC 1122 3.3.2: 60 to 120 s recommended; we keep it
 * short), and overlapping fragments drop the whole datagram (as RFC 5722 does for IPv6: overlaps are
 * only ever an attack). No I/O and no clock: the caller passes the time.
 */
public final class Reassembly {

    public record Config(int maxFragmentsPerDatagram, int maxBytesTotal, int maxDatagrams, Duration timeout) {
        public static final Config DEFAULT = new Config(64, 1 << 20, 64, Duration.ofSeconds(30));
    }

    private record Key(Inet4Address source, Inet4Address destination, int protocol, int identification) {}

    private record Piece(int offset, int end, Ipv4Packet packet) {}

    private static final class Partial {
        final long deadline;
        final List<Piece> pieces = new ArrayList<>();
        int bytes;
        int totalLength = -1;
        Ipv4Packet first;

        Partial(long deadline) {
            this.deadline = deadline;
        }
    }

    private final Config config;
    private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>();
    private int bytesHeld;
    private long dropped;

    public Reassembly(Config config) {
        this.config = config;
    }

    public int bytesHeld() {
        return bytesHeld;
    }

    public int datagramsPending() {
        return partials.size();
    }

    public long dropped() {
        return dropped;
    }

    /** Takes a fragment; returns the whole datagram once its last missing piece arrives. */
    public Optional<Ipv4Packet> input(long now, Ipv4Packet fragment) {
        if (!fragment.isFragment()) {
            return Optional.of(fragment);
        }
        expire(now);
        int offset = fragment.fragmentOffset();
        int size = fragment.payload().size();
        int end = offset + size;
        if (end > 65535 - Ipv4Packet.HEADER || (fragment.moreFragments() && (size == 0 || size % 8 != 0))) {
            dropped++;
            return Optional.empty();
        }
        Key key = new Key(fragment.source(), fragment.destination(), fragment.protocol(), fragment.identification());
        Partial p = partials.get(key);
        if (p == null) {
            if (partials.size() >= config.maxDatagrams()) {
                evictOldest();
            }
            p = new Partial(now + config.timeout().toNanos());
            partials.put(key, p);
        }
        for (Piece q : p.pieces) {
            if (offset < q.end() && q.offset() < end) {
                drop(key, p); // overlap, including an exact duplicate: the datagram is not trusted
                return Optional.empty();
            }
        }
        if (!fragment.moreFragments()) {
            if (p.totalLength >= 0 || p.pieces.stream().anyMatch(q -> q.end() > end)) {
                drop(key, p);
                return Optional.empty();
            }
            p.totalLength = end;
        } else if (p.totalLength >= 0 && end > p.totalLength) {
            drop(key, p);
            return Optional.empty();
        }
        if (p.pieces.size() >= config.maxFragmentsPerDatagram()) {
            drop(key, p);
            return Optional.empty();
        }
        while (bytesHeld + size > config.maxBytesTotal() && !partials.isEmpty()) {
            Map.Entry<Key, Partial> oldest = partials.entrySet().iterator().next();
            if (oldest.getValue() == p) {
                drop(key, p);
                return Optional.empty();
            }
            drop(oldest.getKey(), oldest.getValue());
        }
        p.pieces.add(new Piece(offset, end, fragment));
        p.bytes += size;
        bytesHeld += size;
        if (offset == 0) {
            p.first = fragment;
        }
        if (p.totalLength < 0 || p.bytes != p.totalLength) {
            return Optional.empty();
        }
        // No overlaps and the byte count matches the length: the pieces tile [0, total) exactly.
        byte[] whole = new byte[p.totalLength];
        for (Piece q : p.pieces) {
            q.packet().payload().copyTo(0, whole, q.offset(), q.end() - q.offset());
        }
        partials.remove(key);
        bytesHeld -= p.bytes;
        Ipv4Packet first = p.first;
        return Optional.of(first.withPayload(jmirage.core.Bytes.adopt(whole), false, 0));
    }

    /** Drops datagrams whose time is up (RFC 791: the reassembly timer). */
    public void expire(long now) {
        Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator();
        while (it.hasNext()) {
            Partial p = it.next().getValue();
            if (p.deadline - now <= 0) {
                bytesHeld -= p.bytes;
                dropped++;
                it.remove();
            }
        }
    }

    private void evictOldest() {
        Map.Entry<Key, Partial> oldest = partials.entrySet().iterator().next();
        drop(oldest.getKey(), oldest.getValue());
    }

    private void drop(Key key, Partial p) {
        partials.remove(key);
        bytesHeld -= p.bytes;
        dropped++;
    }
}
