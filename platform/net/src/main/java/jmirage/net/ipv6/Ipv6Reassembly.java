package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.net.ipv4.Reassembly;
import jmirage.net.wire.ParseError;

/**
 * Reassembly of IPv6 fragments (RFC 8200 4.5) with the limits of IPv4's {@link Reassembly} (its
 * {@link Reassembly.Config}: fragments per datagram, bytes in total, datagrams in flight, timeout), and
 * RFC 5722's rule: a fragment that overlaps another, an exact duplicate included, drops the whole
 * datagram and every fragment of it that comes later, until the timeout. No I/O, no clock.
 */
public final class Ipv6Reassembly {

    private record Key(Inet6Address source, Inet6Address destination, int identification) {}

    private record Piece(int offset, int end, Bytes data) {}

    private static final class Partial {
        final long deadline;
        final List<Piece> pieces = new ArrayList<>();
        int bytes;
        int totalLength = -1;
        Ipv6Packet first;
        boolean poisoned;

        Partial(long deadline) {
            this.deadline = deadline;
        }
    }

    private final Reassembly.Config config;
    private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>();
    private int bytesHeld;
    private long dropped;

    public Ipv6Reassembly(Reassembly.Config config) {
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

    /**
     * Takes a fragment; once its last missing piece arrives, the whole packet with its fragmentable part's
     * headers walked ({@link Ipv6Packet#reassembled}), or that walk's error. Empty while pieces are missing
     * or when the fragment was dropped.
     */
    public Optional<Result<Ipv6Packet, ParseError>> input(long now, Ipv6Packet fragment) {
        if (fragment.fragment().isEmpty()) {
            return Optional.of(Result.ok(fragment));
        }
        expire(now);
        Ipv6Packet.FragmentHeader f = fragment.fragment().get();
        int offset = f.offset();
        int size = fragment.payload().size();
        int end = offset + size;
        // RFC 8200 4.5: a non-last fragment's length is a multiple of 8; the whole fits in 65535 bytes.
        if (end > 65535 || (f.more() && (size == 0 || size % 8 != 0))) {
            dropped++;
            return Optional.empty();
        }
        Key key = new Key(fragment.source(), fragment.destination(), f.identification());
        Partial p = partials.get(key);
        if (p == null) {
            if (partials.size() >= config.maxDatagrams()) {
                Map.Entry<Key, Partial> oldest = partials.entrySet().iterator().next();
                drop(oldest.getKey(), oldest.getValue());
            }
            p = new Partial(now + config.timeout().toNanos());
            partials.put(key, p);
        }
        if (p.poisoned) {
            dropped++;
            return Optional.empty();
        }
        boolean overlaps = p.pieces.stream().anyMatch(q -> offset < q.end() && q.offset() < end);
        boolean badEnd = !f.more() ? p.totalLength >= 0 || p.pieces.stream().anyMatch(q -> q.end() > end)
                : p.totalLength >= 0 && end > p.totalLength;
        if (overlaps || badEnd || p.pieces.size() >= config.maxFragmentsPerDatagram()) {
            poison(p); // RFC 5722 3: discard the datagram, and silently its later fragments
            return Optional.empty();
        }
        while (bytesHeld + size > config.maxBytesTotal()) {
            Map.Entry<Key, Partial> oldest = partials.entrySet().iterator().next();
            if (oldest.getValue() == p) {
                drop(key, p);
                return Optional.empty();
            }
            drop(oldest.getKey(), oldest.getValue());
        }
        if (!f.more()) {
            p.totalLength = end;
        }
        p.pieces.add(new Piece(offset, end, fragment.payload()));
        p.bytes += size;
        bytesHeld += size;
        if (offset == 0) {
            p.first = fragment;
        }
        if (p.totalLength < 0 || p.bytes != p.totalLength) {
            return Optional.empty();
        }
        // No overlaps and the byte count equals the length: the pieces tile [0, total) exactly.
        byte[] whole = new byte[p.totalLength];
        for (Piece q : p.pieces) {
            q.data().copyTo(0, whole, q.offset(), q.end() - q.offset());
        }
        partials.remove(key);
        bytesHeld -= p.bytes;
        return Optional.of(Ipv6Packet.reassembled(p.first, Bytes.adopt(whole)));
    }

    /** Drops datagrams whose time is up (RFC 8200 4.5: 60 s at most; the config's timeout). */
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

    private void poison(Partial p) {
        bytesHeld -= p.bytes;
        p.bytes = 0;
        p.pieces.clear();
        p.poisoned = true;
        dropped++;
    }

    private void drop(Key key, Partial p) {
        partials.remove(key);
        bytesHeld -= p.bytes;
        dropped++;
    }
}
