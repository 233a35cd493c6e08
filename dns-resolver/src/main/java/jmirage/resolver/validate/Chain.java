package jmirage.resolver.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Type;

/**
 * The answer section read as unbound's val_classify does: from the question's name, CNAME and DNAME
 * links (RFC 1034 3.6.2, RFC 6672 3) to the RRsets that answer, or to the name with no answer
 * (a negative answer for {@code last}). RRsets off the chain are not part of it.
 *
 * @param links the CNAME and DNAME RRsets followed, in order
 * @param synthesised the CNAMEs that a DNAME of {@code links} yields (RFC 6672 5.3.1: may be unsigned)
 * @param answer the RRsets of the final name that answer the question (all of them for ANY)
 * @param last the final name
 */
record Chain(List<Rrset> links, List<Rrset> synthesised, List<Rrset> answer, Name last) {

    /** Longest chain followed; longer ones end as if unanswered. */
    static final int MAX_LINKS = 16;

    static Chain follow(Question q, List<Rrset> answerSection) {
        List<Rrset> links = new ArrayList<>();
        List<Rrset> synthesised = new ArrayList<>();
        Name name = q.name();
        for (int i = 0; i <= MAX_LINKS; i++) {
            final Name sname = name;
            List<Rrset> answer = answerSection.stream().filter(r -> r.name().equals(sname)
                    && (r.type() == q.qtype() || (q.qtype() == Type.ANY && r.type() != Type.RRSIG))).toList();
            if (!answer.isEmpty()) {
                return new Chain(links, synthesised, answer, sname);
            }
            Optional<Rrset> dname = answerSection.stream().filter(r -> r.type() == Type.DNAME && !r.name().equals(sname)
                    && sname.isSubdomainOf(r.name()) && !links.contains(r)).findFirst();
            Optional<Rrset> cname = answerSection.stream().filter(r -> r.type() == Type.CNAME && r.name().equals(sname))
                    .findFirst();
            if (dname.isPresent()) {
                links.add(dname.get());
                Optional<Name> target = substitute(sname, dname.get());
                if (target.isEmpty()) {
                    return new Chain(links, synthesised, List.of(), sname); // RFC 6672 2.2: YXDOMAIN, too long
                }
                if (cname.isPresent() && cname.get().records().getFirst().rdata() instanceof Rdata.Cname c
                        && c.target().equals(target.get())) {
                    links.add(cname.get());
                    synthesised.add(cname.get());
                }
                name = target.get();
            } else if (cname.isPresent() && cname.get().records().getFirst().rdata() instanceof Rdata.Cname c) {
                links.add(cname.get());
                name = c.target();
            } else {
                return new Chain(links, synthesised, List.of(), sname);
            }
        }
        return new Chain(links, synthesised, List.of(), name);
    }

    /** RFC 6672 2.2: the owner's suffix of {@code name} replaced by the DNAME's target. */
    static Optional<Name> substitute(Name name, Rrset dname) {
        if (!(dname.records().getFirst().rdata() instanceof Rdata.Dname d)) {
            return Optional.empty();
        }
        int keep = name.labelCount() - dname.name().labelCount();
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < keep; i++) {
            labels.add(name.label(i));
        }
        for (int i = 0; i < d.target().labelCount(); i++) {
            labels.add(d.target().label(i));
        }
        return Optional.ofNullable(Name.ofLabels(labels).orElse(null));
    }
}
