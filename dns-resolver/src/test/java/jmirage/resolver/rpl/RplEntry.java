package jmirage.resolver.rpl;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Question;
import jmirage.dns.Record;

/**
 * One {@code ENTRY_BEGIN}..{@code ENTRY_END} block of a replay file: how it matches a query
 * ({@code MATCH}), how its reply is adjusted ({@code ADJUST}), its flags and rcode ({@code REPLY})
 * and its four sections. The same shape serves as a scripted answer in a range, as the query of a
 * {@code STEP QUERY} and as the expectation of a {@code STEP CHECK_ANSWER}.
 *
 * @param line the line of {@code ENTRY_BEGIN}, for messages
 */
public record RplEntry(int line, Set<Match> match, boolean copyId, boolean copyQuery, Flags flags,
        List<Question> question, List<Record> answer, List<Record> authority, List<Record> additional) {

    /** testbound's MATCH terms that these files use. */
    public enum Match {
        /** The opcode equals the entry's. */
        OPCODE,
        /** The question type equals the entry's. */
        QTYPE,
        /** The question name equals the entry's, ignoring case. */
        QNAME,
        /** The question name is the entry's name or below it. */
        SUBDOMAIN,
        /** Everything: flags, rcode and every section (in a check, the answer set; see {@link RplRunner}). */
        ALL,
        /** Record TTLs count in the comparison too. */
        TTL,
        /** The query came over TCP (or, for {@code UDP}, over UDP). */
        TCP,
        UDP
    }

    /** The {@code REPLY} line: header bits, the EDNS DO bit, the opcode and the rcode. */
    public record Flags(boolean qr, boolean aa, boolean tc, boolean rd, boolean ra, boolean ad, boolean cd,
            boolean dnssecOk, int opcode, int rcode) {

        public static final Flags NONE = new Flags(false, false, false, false, false, false, false, false,
                Header.QUERY, Header.NOERROR);
    }

    public RplEntry {
        match = Set.copyOf(match);
        question = List.copyOf(question);
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    /** The entry as a message with {@code id}: the header from its flags, EDNS only when DO is set. */
    public Message message(int id) {
        Header header = new Header(id, flags.qr(), flags.opcode(), flags.aa(), flags.tc(), flags.rd(), flags.ra(),
                false, flags.ad(), flags.cd(), flags.rcode());
        Optional<Edns> edns = flags.dnssecOk() || flags.rcode() > 15
                ? Optional.of(new Edns(4096, 0, flags.dnssecOk(), 0, List.of())) : Optional.empty();
        return new Message(header, question, answer, authority, additional, edns);
    }
}
