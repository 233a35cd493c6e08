package jmirage.dns.server;

import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Question;
import jmirage.dns.Rcode;

/** The parts of an answer that every DNS server (authoritative or resolver) builds the same way. */
public final class Responses {

    /** RFC 6891 6.2.5 and the DNS flag day 2020: the UDP payload a server offers and sends at most. */
    public static final int OUR_UDP_PAYLOAD = 1232;

    private Responses() {}

    /**
     * The largest response a requester accepts over UDP: its EDNS payload size capped by ours,
     * never below 512 (RFC 6891 6.2.3, 6.2.5), or 512 without EDNS (RFC 1035 4.2.1).
     */
    public static int udpLimit(Message query) {
        return query.edns().map(e -> Math.max(512, Math.min(e.udpPayloadSize(), OUR_UDP_PAYLOAD))).orElse(512);
    }

    /**
     * An empty answer with TC set (RFC 2181 9): what a rate-limited UDP request gets now and then, so
     * that a real client retries over TCP.
     */
    public static Message truncated(Message query) {
        Header q = query.header();
        Header h = new Header(q.id(), true, q.opcode(), false, true, q.rd(), false, false, false, false, Rcode.NOERROR.value());
        return new Message(h, echo(query), List.of(), List.of(), List.of(), query.edns().map(e -> Edns.of(OUR_UDP_PAYLOAD)));
    }

    /**
     * The encoded answer with {@code rcode} to {@code request}, no records, within its transport's
     * limit: what the server shell sends when its handler fails.
     */
    public static Bytes error(Request request, Rcode rcode) {
        Message m = request.message();
        return encodeWithin(error(m, rcode, Edns.of(OUR_UDP_PAYLOAD)), request.maxResponseSize());
    }

    /**
     * The answer's header: QR set; ID, opcode, RD and CD copied (RFC 1035 4.1.1, RFC 4035 3.1.6);
     * RA, AD clear; AA as given.
     */
    public static Header header(Message request, Rcode rcode, boolean authoritative) {
        Header h = request.header();
        return new Header(h.id(), true, h.opcode(), authoritative, false, h.rd(), false, false, false, h.cd(),
                rcode.value());
    }

    /**
     * The question section an answer repeats: the request's one question; none when it had several
     * (those get FORMERR, and repeating them could make the answer larger than the transport allows).
     */
    public static List<Question> echo(Message request) {
        return request.questions().size() == 1 ? request.questions() : List.of();
    }

    /**
     * The wire form within {@code limit} bytes (a UDP requester's payload size). Additional records
     * that do not fit are left out (RFC 2181 9); if the answer or authority does not fit, the response
     * goes out with TC set and no records at all rather than with part of an RRset, and the client
     * retries over TCP (RFC 7766 5).
     */
    public static Bytes encodeWithin(Message response, int limit) {
        Bytes wire = MessageCodec.encode(response, limit);
        if ((wire.getUnsigned(2) & 0x02) == 0) {
            return wire;
        }
        Message empty = new Message(response.header().withTc(true), response.questions(), List.of(), List.of(),
                List.of(), response.edns());
        return MessageCodec.encode(empty, limit);
    }

    /**
     * An answer with {@code rcode} and no records. It carries {@code opt} when the request had an OPT
     * record (RFC 6891 6.1.1: a responder answers EDNS with EDNS), and always when the code needs
     * the extended bits (RFC 6891 6.1.3).
     */
    public static Message error(Message request, Rcode rcode, Edns opt) {
        Optional<Edns> edns = request.edns().isPresent() || rcode.needsEdns() ? Optional.of(opt) : Optional.empty();
        return new Message(header(request, rcode, false), echo(request), List.of(), List.of(), List.of(), edns);
    }
}
