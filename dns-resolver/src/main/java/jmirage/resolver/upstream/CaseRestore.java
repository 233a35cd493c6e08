package jmirage.resolver.upstream;

import java.util.ArrayList;
import java.util.List;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * Undoes DNS 0x20 in an answer: a server that compresses names against the question (most do) copies
 * our random case into the owners and targets of its records. Where a name ends in labels identical,
 * case included, to the end of the name we sent, those labels are given back in the case the caller
 * asked with; names written in the zone's own case are left alone. RFC 4343 makes the names equal
 * either way; this is for what clients are shown. Pure.
 */
public final class CaseRestore {

    private CaseRestore() {}

    /** {@code answer} (to a query for {@code sent}, asked by the caller as {@code original}) in the caller's case. */
    public static Message restore(Message answer, Name sent, Name original) {
        return new Message(answer.header(), answer.questions(), records(answer.answers(), sent, original),
                records(answer.authority(), sent, original), records(answer.additional(), sent, original), answer.edns());
    }

    /** {@code records} (from an answer to {@code sent}) in the case of {@code original}. */
    public static List<Record> records(List<Record> records, Name sent, Name original) {
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(new Record(name(r.name(), sent, original), r.rrClass(), r.ttl(), rdata(r.rdata(), sent, original)));
        }
        return out;
    }

    /** The names a server may compress (RFC 3597 4: only in the types of RFC 1035). */
    private static Rdata rdata(Rdata d, Name sent, Name original) {
        return switch (d) {
            case Rdata.Ns(Name host) -> new Rdata.Ns(name(host, sent, original));
            case Rdata.Cname(Name target) -> new Rdata.Cname(name(target, sent, original));
            case Rdata.Dname(Name target) -> new Rdata.Dname(name(target, sent, original));
            case Rdata.Ptr(Name target) -> new Rdata.Ptr(name(target, sent, original));
            case Rdata.Mx(int preference, Name exchange) -> new Rdata.Mx(preference, name(exchange, sent, original));
            case Rdata.Soa s -> new Rdata.Soa(name(s.mname(), sent, original), name(s.rname(), sent, original), s.serial(), s.refresh(),
                    s.retry(), s.expire(), s.minimum());
            default -> d;
        };
    }

    /** {@code name} with its longest suffix identical to a suffix of {@code sent} written as in {@code original}. */
    static Name name(Name name, Name sent, Name original) {
        int same = 0;
        while (same < name.labelCount() && same < sent.labelCount()
                && java.util.Arrays.equals(name.label(name.labelCount() - 1 - same), sent.label(sent.labelCount() - 1 - same))) {
            same++;
        }
        if (same == 0) {
            return name;
        }
        List<byte[]> labels = new ArrayList<>(name.labelCount());
        for (int i = 0; i < name.labelCount() - same; i++) {
            labels.add(name.label(i));
        }
        for (int i = original.labelCount() - same; i < original.labelCount(); i++) {
            labels.add(original.label(i));
        }
        return Name.ofLabels(labels).orElseThrow(); // labels of the same lengths: cannot fail
    }
}
