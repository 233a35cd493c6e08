package jmirage.authoritative.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Type;
import jmirage.dns.server.Request;

/**
 * The core's answers to plain queries, remembered as the bytes it encoded. An unsigned standard
 * query's answer is a function of the query's bytes after its ID (no name of it can read the ID:
 * platform/dns refuses compression pointers into the header), the transport (which sets the
 * size limit and RFC 8482's ANY policy), the zones served and the policy ({@link AuthoritativeCore#query}):
 * nothing else, not the requester's address, not the time. So a query whose bytes after the ID equal
 * an earlier one's, asked while the same zones are served, gets the earlier answer with its own ID,
 * byte for byte what the core would encode again: no lookup and no encoding (issue 22: the lookup
 * and the encoder were most of the authoritative server's CPU per query).
 *
 * <p>The memory is bounded by the bytes of the answers it holds (least recently used first out),
 * holds no answer over {@link #MAX_ANSWER_BYTES}, and is emptied when the zones or the policy
 * change (an update, a reload, a transfer: {@link Zones} and the policy are immutable, so a change
 * is a new object). Signed requests (TSIG, RFC 8945: every answer is signed anew, with the time),
 * transfers, updates and notifies always go to the core. The exact bytes are the key, so a query
 * asked in another letter case (0x20, RFC 1035 2.3.3: the answer echoes the question's case) or with
 * other EDNS options is answered by the core and remembered apart.
 */
public final class AnswerMemo {

    /** Larger answers (a TCP answer of many records) are not worth keeping. */
    public static final int MAX_ANSWER_BYTES = 4096;

    /** A message's ID, its first two bytes (RFC 1035 4.1.1). */
    private static final int ID_BYTES = 2;

    private record Key(Bytes afterId, Request.Transport transport) {}

    private final long byteBudget;
    private final LinkedHashMap<Key, Bytes> answers = new LinkedHashMap<>(1024, 0.75f, true);
    private Zones zones;
    private AuthoritativeCore.Policy policy;
    private long bytes;
    private long hits;
    private long misses;

    /** @param byteBudget the most bytes of answers (and their keys) held at once */
    public AnswerMemo(long byteBudget) {
        if (byteBudget < 0) {
            throw new IllegalArgumentException("negative budget: " + byteBudget);
        }
        this.byteBudget = byteBudget;
    }

    /** {@link AuthoritativeCore#handle}, answered from memory where the same query was answered from the same zones. */
    public AuthoritativeCore.Outcome handle(AuthoritativeCore.State state, Request request) {
        if (!memoisable(request)) {
            return AuthoritativeCore.handle(state, request);
        }
        if (state.zones() != zones || state.policy() != policy) {
            answers.clear();
            bytes = 0;
            zones = state.zones();
            policy = state.policy();
        }
        Bytes wire = request.wire();
        Key key = new Key(wire.slice(ID_BYTES, wire.size()), request.transport());
        Bytes answer = answers.get(key);
        if (answer != null) {
            hits++;
            return AuthoritativeCore.Outcome.reply(state, withIdOf(wire, answer));
        }
        misses++;
        AuthoritativeCore.Outcome outcome = AuthoritativeCore.handle(state, request);
        if (outcome.state() == state && outcome.effects().isEmpty() && outcome.replies().size() == 1) {
            remember(key, outcome.replies().getFirst());
        }
        return outcome;
    }

    /** Answers given from memory, and those the core computed, since this memo was made. */
    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** Bytes held now (answers and keys). */
    public long bytes() {
        return bytes;
    }

    /** A standard query (RFC 1035 4.1.1), one question, not a transfer, not signed. */
    static boolean memoisable(Request request) {
        Message m = request.message();
        return !m.header().qr() && m.header().opcode() == Header.QUERY && m.tsig().isEmpty()
                && m.questions().size() == 1
                && m.questions().getFirst().qtype() != Type.AXFR && m.questions().getFirst().qtype() != Type.IXFR
                && request.wire().size() >= ID_BYTES;
    }

    private void remember(Key key, Bytes answer) {
        if (answer.size() > MAX_ANSWER_BYTES || answer.size() < ID_BYTES) {
            return;
        }
        long size = cost(key, answer);
        if (size > byteBudget) {
            return;
        }
        Bytes before = answers.put(key, answer);
        bytes += size - (before == null ? 0 : cost(key, before));
        Iterator<Map.Entry<Key, Bytes>> eldest = answers.entrySet().iterator();
        while (bytes > byteBudget && eldest.hasNext()) {
            Map.Entry<Key, Bytes> e = eldest.next();
            bytes -= cost(e.getKey(), e.getValue());
            eldest.remove();
        }
    }

    private static long cost(Key key, Bytes answer) {
        return key.afterId().size() + answer.size();
    }

    private static Bytes withIdOf(Bytes query, Bytes answer) {
        byte[] reply = answer.toArray();
        reply[0] = query.get(0);
        reply[1] = query.get(1);
        return Bytes.adopt(reply);
    }
}
