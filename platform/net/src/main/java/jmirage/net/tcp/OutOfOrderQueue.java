package jmirage.net.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;

/**
 * Segments that arrived ahead of RCV.NXT, kept until the gap before them fills (RFC 9293 3.10.7.4:
 * "segments with higher beginning sequence numbers may be held for later processing"). Bounded in
 * bytes: overlapping and duplicated segments cannot make it outgrow the receive window.
 */
public final class OutOfOrderQueue {

    /** Data starting at {@code seq}, and whether a FIN follows it. */
    public record Piece(SeqNum seq, Bytes data, boolean fin) {

        /** The sequence number after the data (the FIN's own, if there is one). */
        public SeqNum end() {
            return seq.plus(data.size());
        }
    }

    private final int capacityBytes;
    private final List<Piece> pieces = new ArrayList<>();
    private int bytes;

    public OutOfOrderQueue(int capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Keeps a piece, unless one already held covers it (starts at the same number, is as long, and
     * has the FIN if this one has) or it would take the queue over its capacity.
     */
    public void store(SeqNum seq, Bytes data, boolean fin) {
        for (Piece p : pieces) {
            // A retransmission may carry the FIN that the first copy did not: it is no duplicate.
            if (p.seq().equals(seq) && p.data().size() >= data.size() && (p.fin() || !fin)) {
                return;
            }
        }
        if (bytes + data.size() > capacityBytes) {
            return;
        }
        pieces.add(new Piece(seq, data, fin));
        bytes += data.size();
    }

    /**
     * Removes and returns the first stored piece (in arrival order) that starts at or before
     * {@code rcvNxt}, so now touches or overlaps what was received; empty when none does. The
     * caller takes what lies beyond RCV.NXT from it, advances RCV.NXT and asks again.
     */
    public Optional<Piece> takeReachable(SeqNum rcvNxt) {
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (p.seq().leq(rcvNxt)) {
                pieces.remove(i);
                bytes -= p.data().size();
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return pieces.isEmpty();
    }

    /** Bytes held (the connection's memory counts them). */
    public int bytes() {
        return bytes;
    }

    /** Forgets everything (after the FIN nothing more can be delivered). */
    public void clear() {
        pieces.clear();
        bytes = 0;
    }
}
