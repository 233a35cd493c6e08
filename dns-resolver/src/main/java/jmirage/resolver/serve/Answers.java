package jmirage.resolver.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.dns.DnsClass;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Responses;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/**
 * The resolver's answers as pure functions of the client's query: what is refused or malformed
 * before resolution ({@link #precheck}), and the response a {@link Resolution} becomes for this
 * client ({@link #response}): its flags, its DO bit and its EDNS decide what it gets.
 */
public final class Answers {

    /** RFC 8914 4.1: Other. */
    public static final int EDE_OTHER = 0;
    /** RFC 8914 4.19: Prohibited, for a client that may not use this resolver. */
    public static final int EDE_PROHIBITED = 18;

    private Answers() {}

    /** The answer to a client outside every allowed prefix: REFUSED, with EDE 18 when it speaks EDNS. */
    public static Message prohibited(Message query) {
        Message m = error(query, Rcode.REFUSED, Optional.of(new EdnsOption.ExtendedError(EDE_PROHIBITED, "")));
        // RA clear: recursion is not available to this client (RFC 1035 4.1.1)
        return withRa(m, false);
    }

    /** The answer to a client over its rate limit on a stream transport (UDP ones get silence or TC). */
    public static Message rateLimited(Message query) {
        return error(query, Rcode.REFUSED, Optional.of(new EdnsOption.ExtendedError(EDE_OTHER, "rate limited")));
    }

    /**
     * The answer when the query cannot be resolved as it is, or empty when it goes on to resolution:
     * an EDNS version other than 0 gets BADVERS (RFC 6891 6.1.3); an opcode other than QUERY gets
     * NOTIMP (RFC 1035 4.1.1); anything but one question gets FORMERR (RFC 9619 4); a class other
     * than IN or a zone transfer (RFC 5936 4.2) gets REFUSED (RD clear is the caller's: see
     * {@link #recursionNotDesired}). The meta-types that only appear in other places (OPT, TSIG, TKEY: RFC 6895 3.1) get FORMERR.
     */
    public static Optional<Message> precheck(Message query) {
        if (query.edns().isPresent() && query.edns().get().version() != 0) {
            return Optional.of(error(query, Rcode.BADVERS, Optional.empty()));
        }
        if (query.header().opcode() != Header.QUERY) {
            return Optional.of(error(query, Rcode.NOTIMP, Optional.empty()));
        }
        if (query.questions().size() != 1) {
            return Optional.of(error(query, Rcode.FORMERR, Optional.empty()));
        }
        Question q = query.questions().getFirst();
        if (q.qtype() == Type.OPT || q.qtype() == Type.TSIG || q.qtype() == Type.TKEY) {
            return Optional.of(error(query, Rcode.FORMERR, Optional.empty()));
        }
        if (q.qclass() != DnsClass.IN) {
            return Optional.of(error(query, Rcode.REFUSED, Optional.of(new EdnsOption.ExtendedError(EDE_OTHER, "class IN only"))));
        }
        if (q.qtype() == Type.AXFR || q.qtype() == Type.IXFR) {
            return Optional.of(error(query, Rcode.REFUSED, Optional.of(new EdnsOption.ExtendedError(EDE_OTHER, "no zone transfers"))));
        }
        return Optional.empty();
    }

    /**
     * The answer to a query with RD clear that local data does not answer: REFUSED, since a resolver
     * does not answer non-recursive queries from its cache (Unbound's {@code allow}: cache snooping
     * refused) and does not resolve them.
     */
    public static Message recursionNotDesired(Message query) {
        return error(query, Rcode.REFUSED, Optional.of(new EdnsOption.ExtendedError(EDE_PROHIBITED, "recursion desired is clear")));
    }

    /**
     * The response {@code resolution} makes for {@code query}: the client's question as it spelled it
     * (RFC 1035 7.3: the case of the question is the client's, 0x20 clients check it), RD and CD
     * copied, RA set, AA only for local data; AD only when the data is secure and the client set AD or DO (RFC 6840 5.7,
     * 5.8); RRSIG, NSEC and NSEC3 records only for a DO client, except an explicit question for
     * one of those types (RFC 4035 3.2.1); with EDNS (RFC 6891 6.1.1) the client's DO echoed (RFC
     * 3225 3) and the resolution's extended error (RFC 8914), never without.
     */
    public static Message response(Message query, Resolution resolution) {
        Header q = query.header();
        boolean dnssecOk = query.edns().map(Edns::dnssecOk).orElse(false);
        boolean secure = resolution.security() instanceof Security.Secure;
        boolean ad = secure && (q.ad() || dnssecOk);
        // RFC 1035 4.1.1: AA for the resolver's own local data only
        Header h = new Header(q.id(), true, q.opcode(), resolution.authoritative(), false, q.rd(), true, false, ad, q.cd(),
                resolution.rcode());
        int qtype = query.questions().getFirst().qtype();
        List<Record> answer = dnssecOk ? resolution.answer() : withoutDnssec(resolution.answer(), qtype);
        List<Record> authority = dnssecOk ? resolution.authority() : withoutDnssec(resolution.authority(), -1);
        List<Record> additional = dnssecOk ? resolution.additional() : withoutDnssec(resolution.additional(), -1);
        return new Message(h, Responses.echo(query), answer, authority, additional, ourEdns(query, resolution.error()));
    }

    /** The records of a section but the DNSSEC ones a client without DO does not get; {@code asked} is kept. */
    private static List<Record> withoutDnssec(List<Record> section, int asked) {
        List<Record> kept = new ArrayList<>(section.size());
        for (Record r : section) {
            int t = r.type();
            if (t == asked || (t != Type.RRSIG && t != Type.NSEC && t != Type.NSEC3)) {
                kept.add(r);
            }
        }
        return kept;
    }

    /** Our OPT record for a client that sent one: our payload size, its DO bit, the error if any. */
    private static Optional<Edns> ourEdns(Message query, Optional<EdnsOption.ExtendedError> error) {
        return query.edns().map(e -> new Edns(Responses.OUR_UDP_PAYLOAD, 0, e.dnssecOk(), 0,
                error.<List<EdnsOption>>map(List::of).orElse(List.of())));
    }

    /** An answer with {@code rcode} and no records, RA set (recursion is available to this client). */
    private static Message error(Message query, Rcode rcode, Optional<EdnsOption.ExtendedError> error) {
        Edns opt = ourEdns(query, error).orElseGet(() -> Edns.of(Responses.OUR_UDP_PAYLOAD));
        return withRa(Responses.error(query, rcode, opt), true);
    }

    private static Message withRa(Message m, boolean ra) {
        Header h = m.header();
        return new Message(new Header(h.id(), h.qr(), h.opcode(), h.aa(), h.tc(), h.rd(), ra, h.z(), h.ad(), h.cd(), h.rcode()),
                m.questions(), m.answers(), m.authority(), m.additional(), m.edns());
    }
}
