package jmirage.authoritative.query;

import java.util.List;
import java.util.Optional;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.server.Responses;

/**
 * Turns a decoded standard query into the response message, pure: header rules of RFC 1035 4.1.1,
 * EDNS of RFC 6891; truncation is platform/dns's {@code Responses.encodeWithin}, TSIG {@code RequestTsig}.
 */
public final class Responder {

    private Responder() {}

    /** RFC 5001 2.3: the NSID option code. */
    public static final int NSID = 3;

    /** The response to a QUERY-opcode message (not AXFR/IXFR, which go elsewhere). */
    public static Message respond(Zones zones, Message query, Lookup.AnyPolicy anyPolicy) {
        return respond(zones, query, anyPolicy, Optional.empty());
    }

    /**
     * The same, with this server's identifier for requesters that ask for it with an empty NSID
     * option (RFC 5001 2.1: only to those that ask).
     */
    public static Message respond(Zones zones, Message query, Lookup.AnyPolicy anyPolicy, Optional<Bytes> nsid) {
        Header q = query.header();
        // RFC 3225 3: the DO bit is copied into the response
        Optional<Edns> edns = query.edns().map(e -> new Edns(Responses.OUR_UDP_PAYLOAD, 0, e.dnssecOk(), 0,
                nsid.isPresent() && e.options().stream().anyMatch(o -> o.code() == NSID)
                        ? List.of(new EdnsOption.Opaque(NSID, nsid.get())) : List.of()));
        if (query.edns().isPresent() && query.edns().get().version() != 0) {
            // RFC 6891 6.1.3: we speak version 0 only
            return error(query, Rcode.BADVERS, edns);
        }
        if (query.questions().size() != 1) {
            return error(query, Rcode.FORMERR, edns); // RFC 1035 4.1.2: a query asks one question
        }
        Question question = query.questions().getFirst();
        if (question.qclass() != DnsClass.IN) {
            return error(query, Rcode.REFUSED, edns);
        }
        // RFC 4035 3.1: RRSIGs and NSEC/NSEC3 proofs only for a requester that set DO
        boolean dnssecOk = query.edns().map(Edns::dnssecOk).orElse(false);
        Lookup.Answer a = Lookup.answer(zones, question.name(), question.qtype(), anyPolicy, dnssecOk);
        // RFC 1035 4.1.1: RD is copied; no recursion here (RA clear). AD and CD are for resolvers (RFC 4035
        // 3.1.6, 3.2.2): an authoritative server that does not validate leaves both clear, as NSD and Knot do.
        Header h = new Header(q.id(), true, q.opcode(), a.authoritative(), false, q.rd(), false, false, false, false,
                a.rcode().value());
        return new Message(h, query.questions(), a.answer(), a.authority(), a.additional(), edns);
    }

    /** A response with an error code and no records, the question echoed when there is exactly one. */
    public static Message error(Message query, Rcode rcode, Optional<Edns> edns) {
        Header q = query.header();
        Header h = new Header(q.id(), true, q.opcode(), false, false, q.rd(), false, false, false, false, rcode.value());
        List<Question> questions = query.questions().size() == 1 ? query.questions() : List.of();
        Optional<Edns> e = rcode.needsEdns() && edns.isEmpty() ? Optional.of(Edns.of(Responses.OUR_UDP_PAYLOAD)) : edns;
        return new Message(h, questions, List.of(), List.of(), List.of(), e);
    }
}
