package jmirage.resolver.serve;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.server.Responses;
import jmirage.resolver.core.Resolution;

/**
 * The wire form of the responses made in the current second, for the clients that get the same
 * resolution: the answer cache gives the same {@link Resolution} object to every hit on an entry
 * within a second (its TTLs counted down once), so a popular answer is built and compressed once a
 * second and then only copied with the asker's ID. What else a response depends on is the key
 * beside the resolution ({@link Shape}: the client's RD, CD, AD, EDNS and DO, and the size its
 * transport allows); the question it echoes must be the resolution's exactly (case included, RFC
 * 1035 7.3), else the response is made the slow way. Forgotten every second, and at
 * {@link #MAX_RESOLUTIONS}: owned by the loop, no locks.
 */
final class Rendered {

    /** Resolutions kept at most within a second (a few MB of responses). */
    static final int MAX_RESOLUTIONS = 16_384;
    private static final long NANOS = 1_000_000_000L;

    /** What of the query shapes the response to a resolution, besides its ID and its question. */
    private record Shape(boolean rd, boolean cd, boolean ad, boolean edns, boolean dnssecOk, int limit) {
        static Shape of(Message query, int limit) {
            Header h = query.header();
            return new Shape(h.rd(), h.cd(), h.ad(), query.edns().isPresent(), query.edns().map(Edns::dnssecOk).orElse(false),
                    limit);
        }
    }

    private record Made(Shape shape, byte[] wire) {}

    private final IdentityHashMap<Resolution, List<Made>> made = new IdentityHashMap<>();
    private long second = Long.MIN_VALUE;

    /**
     * {@code Responses.encodeWithin(Answers.response(query, resolution), limit)}, from what was made
     * for the same resolution and shape in this second when there is one.
     */
    Bytes response(Message query, Resolution resolution, int limit, long nowNanos) {
        Question asked = query.questions().getFirst();
        Question answered = resolution.question();
        if (!asked.name().equalsExact(answered.name()) || asked.qtype() != answered.qtype() || asked.qclass() != answered.qclass()) {
            return encode(query, resolution, limit);
        }
        long now = Math.floorDiv(nowNanos, NANOS);
        if (now != second || made.size() >= MAX_RESOLUTIONS) {
            made.clear();
            second = now;
        }
        Shape shape = Shape.of(query, limit);
        List<Made> known = made.get(resolution);
        if (known != null) {
            for (Made m : known) {
                if (m.shape().equals(shape)) {
                    return withId(m.wire(), query.header().id());
                }
            }
        }
        Bytes wire = encode(query, resolution, limit);
        made.computeIfAbsent(resolution, r -> new ArrayList<>(1)).add(new Made(shape, wire.toArray()));
        return wire;
    }

    private static Bytes encode(Message query, Resolution resolution, int limit) {
        return Responses.encodeWithin(Answers.response(query, resolution), limit);
    }

    /** RFC 1035 4.1.1: the ID is the first two bytes. */
    private static Bytes withId(byte[] wire, int id) {
        byte[] copy = wire.clone();
        copy[0] = (byte) (id >>> 8);
        copy[1] = (byte) id;
        return Bytes.adopt(copy);
    }
}
