package jmirage.net.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;

/**
 * The reassembly of IP fragments that IPv4 (RFC 791 3.2, RFC 815) and IPv6 (RFC 8200 4.5) share, keyed by
 * whatever names a datagram ({@code K}) and keeping the first fragment ({@code F}) for its header. Hard limits:
 * fragments per datagram, bytes held in total, datagrams in flight (the oldest goes first), a timeout per
 * datagram; a fragment that overlaps another, an exact duplicate included, discards the whole datagram
 * (RFC 5722 for IPv6; overlaps are only ever an attack). No I/O and no clock: the caller passes the time, as
 * monotonic nanoseconds. Used by {@code ipv4.Reassembly} and {@code ipv6.Ipv6Reassembly}.
 */
public final class FragmentBuffer<K, F> {

    /** The bounds (IPv4's {@code Reassembly.Config} is one). */
    public interface Limits {
        int maxFragmentsPerDatagram();

        int maxBytesTotal();

        int maxDatagrams();

        Duration timeout();
    }

    /** What a discarded datagram leaves behind. */
    public enum AfterDiscard {
        /** Nothing: a later fragment of it starts a new datagram. */
        FORGET,
        /** RFC 5722 3: its key, so that its later fragments are dropped too until the timeout. */
        REFUSE_UNTIL_TIMEOUT
    }

    /** A reassembled datagram: the fragment at offset 0 and the whole payload. */
    public record Whole<F>(F first, Bytes payload) {}

    private record Piece(int offset, int end, Bytes data) {}

    private static final class Partial<F> {
        final long deadline;
        final List<Piece> pieces = new ArrayList<>();
        int bytes;
        int totalLength = -1;
        F first;
        boolean refused;

        Partial(long deadline) {
            this.deadline = deadline;
        }
    }

    private final Limits limits;
    private final int maxLength;
    private final AfterDiscard afterDiscard;
    private final LinkedHashMap<K, Partial<F>> partials = new LinkedHashMap<>();
    private int bytesHeld;
    private long dropped;

    /** {@code maxLength}: the largest payload a whole datagram may have. */
    public FragmentBuffer(Limits limits, int maxLength, AfterDiscard afterDiscard) {
        this.limits = limits;
        this.maxLength = maxLength;
        this.afterDiscard = afterDiscard;
    }

    public int bytesHeld() {
        return bytesHeld;
    }

    /** Datagrams being reassembled, refused ones included. */
    public int datagramsPending() {
        return partials.size();
    }

    /** Fragments and datagrams given up: malformed, overlapping, over a limit, evicted or timed out. */
    public long dropped() {
        return dropped;
    }

    /**
     * Takes the fragment {@code fragment} of the datagram {@code key}, carrying {@code data} at {@code offset},
     * with {@code more} fragments after it or not; returns the whole datagram once its last missing piece arrives.
     */
    public Optional<Whole<F>> input(long now, K key, int offset, boolean more, Bytes data, F fragment) {
        expire(now);
        int size = data.size();
        int end = offset + size;
        // RFC 791 3.2, RFC 8200 4.5: a non-last fragment's length is a multiple of 8; the whole fits the length field.
        if (end > maxLength || (more && (size == 0 || size % 8 != 0))) {
            dropped++;
            return Optional.empty();
        }
        Partial<F> p = partials.get(key);
        if (p == null) {
            if (partials.size() >= limits.maxDatagrams()) {
                dropOldest();
            }
            p = new Partial<>(now + limits.timeout().toNanos());
            partials.put(key, p);
        }
        if (p.refused) {
            dropped++;
            return Optional.empty();
        }
        boolean overlaps = p.pieces.stream().anyMatch(q -> offset < q.end() && q.offset() < end);
        // Only one last fragment, and nothing beyond it.
        boolean badEnd = !more ? p.totalLength >= 0 || p.pieces.stream().anyMatch(q -> q.end() > end)
                : p.totalLength >= 0 && end > p.totalLength;
        if (overlaps || badEnd || p.pieces.size() >= limits.maxFragmentsPerDatagram()) {
            discard(key, p);
            return Optional.empty();
        }
        while (bytesHeld + size > limits.maxBytesTotal()) {
            if (partials.values().iterator().next() == p) {
                drop(key, p);
                return Optional.empty();
            }
            dropOldest();
        }
        if (!more) {
            p.totalLength = end;
        }
        p.pieces.add(new Piece(offset, end, data));
        p.bytes += size;
        bytesHeld += size;
        if (offset == 0) {
            p.first = fragment;
        }
        if (p.totalLength < 0 || p.bytes != p.totalLength) {
            return Optional.empty();
        }
        // No overlaps, nothing beyond the end and the byte count equals the length: the pieces tile [0, total).
        byte[] whole = new byte[p.totalLength];
        for (Piece q : p.pieces) {
            q.data().copyTo(0, whole, q.offset(), q.end() - q.offset());
        }
        partials.remove(key);
        bytesHeld -= p.bytes;
        return Optional.of(new Whole<>(p.first, Bytes.adopt(whole)));
    }

    /** Drops datagrams whose time is up (RFC 791 3.2's reassembly timer; RFC 8200 4.5: 60 s at most). */
    public void expire(long now) {
        Iterator<Partial<F>> it = partials.values().iterator();
        while (it.hasNext()) {
            Partial<F> p = it.next();
            if (p.deadline - now <= 0) {
                bytesHeld -= p.bytes;
                dropped++;
                it.remove();
            }
        }
    }

    private void discard(K key, Partial<F> p) {
        switch (afterDiscard) {
            case FORGET -> drop(key, p);
            case REFUSE_UNTIL_TIMEOUT -> {
                bytesHeld -= p.bytes;
                p.bytes = 0;
                p.pieces.clear();
                p.refused = true;
                dropped++;
            }
        }
    }

    private void dropOldest() {
        Map.Entry<K, Partial<F>> oldest = partials.entrySet().iterator().next();
        drop(oldest.getKey(), oldest.getValue());
    }

    private void drop(K key, Partial<F> p) {
        partials.remove(key);
        bytesHeld -= p.bytes;
        dropped++;
    }
}
