package jmirage.resolver.iterate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * The CNAME and DNAME links of one final response, followed from the question's name as far as the
 * response goes: each link as the zone gave it with its RRSIGs, a DNAME's CNAME synthesised (RFC 6672
 * 3.1), and only records inside the answering zone (RFC 2181 5.4.1: a server is believed only for
 * its own zone). Pure.
 */
final class Chain {

    /**
     * @param records the links and the final RRset taken from the response, in chain order
     * @param reached the name the chain reached
     * @param done the question is answered (data, NODATA or NXDOMAIN at {@code reached});
     *     otherwise {@code reached} must be asked of its own zone
     * @param links the links followed in this response
     */
    record Followed(List<Record> records, Name reached, boolean done, int links) {
        Followed {
            records = List.copyOf(records);
        }
    }

    /** Why a chain cannot go on. */
    sealed interface Broken {
        /** A name seen before in this chain (a CNAME or DNAME loop). */
        record Loop(Name name) implements Broken {}

        /** More links than allowed. */
        record TooLong(int max) implements Broken {}

        /** RFC 6672 2.2: the DNAME substitution makes a name longer than 255 bytes (YXDOMAIN). */
        record Overflow(Name name, List<Record> dname) implements Broken {
            /** @param dname the DNAME with its RRSIGs: the answer to give with YXDOMAIN */
            public Overflow {
                dname = List.copyOf(dname);
            }
        }
    }

    private Chain() {}

    /**
     * Follows the chain for {@code question} in {@code response} from {@code zone}'s server;
     * {@code seen} holds the names met before in this resolution (it is added to), {@code linksLeft}
     * the links still allowed.
     */
    static Result<Followed, Broken> follow(Question question, Name zone, Message response, Set<Name> seen, int linksLeft) {
        List<Record> out = new ArrayList<>();
        Name name = question.name();
        int links = 0;
        while (true) {
            List<Record> data = rrset(response.answers(), zone, name, question.qtype());
            if (!data.isEmpty()) {
                out.addAll(data);
                out.addAll(signatures(response, name, question.qtype()));
                return Result.ok(new Followed(out, name, true, links));
            }
            Name next;
            Record dname = question.qtype() == Type.DNAME && name.equals(question.name()) ? null : dname(response, zone, name);
            List<Record> cname = question.qtype() == Type.CNAME ? List.of() : rrset(response.answers(), zone, name, Type.CNAME);
            if (dname != null) {
                Rdata.Dname d = (Rdata.Dname) dname.rdata();
                Result<Name, NameError> substituted = substitute(name, dname.name(), d.target());
                if (!(substituted instanceof Result.Ok<Name, NameError>(Name target))) {
                    List<Record> proof = new ArrayList<>(out);
                    proof.add(dname);
                    proof.addAll(signatures(response, dname.name(), Type.DNAME));
                    return Result.err(new Broken.Overflow(name, proof));
                }
                out.add(dname);
                out.addAll(signatures(response, dname.name(), Type.DNAME));
                // RFC 6672 3.1: the synthesised CNAME has the DNAME's TTL; the server's copy is not trusted
                out.add(new Record(name, DnsClass.IN, dname.ttl(), new Rdata.Cname(target)));
                next = target;
            } else if (!cname.isEmpty()) {
                out.add(cname.getFirst());
                out.addAll(signatures(response, name, Type.CNAME));
                next = ((Rdata.Cname) cname.getFirst().rdata()).target();
            } else {
                return Result.ok(new Followed(out, name, name.equals(question.name()) || endsHere(response, zone, name), links));
            }
            links++;
            if (links > linksLeft) {
                return Result.err(new Broken.TooLong(links));
            }
            if (!seen.add(next)) {
                return Result.err(new Broken.Loop(next));
            }
            name = next;
        }
    }

    /**
     * Whether the response settles the name the chain reached without data: NXDOMAIN (RFC 6604 2.1:
     * the rcode is that of the last name), or NODATA proved by the zone's SOA for a name inside it.
     */
    private static boolean endsHere(Message response, Name zone, Name reached) {
        if (!reached.isSubdomainOf(zone)) {
            return false; // RFC 2181 5.4.1: an NXDOMAIN for a name outside the zone is not the zone's to give
        }
        if (response.header().rcode() == Header.NXDOMAIN) {
            return true;
        }
        for (Record r : response.authority()) {
            if (r.type() == Type.SOA && r.name().equals(zone)) {
                return true;
            }
        }
        return false;
    }

    private static List<Record> rrset(List<Record> section, Name zone, Name owner, int type) {
        List<Record> out = new ArrayList<>();
        for (Record r : section) {
            if (r.name().equals(owner) && r.name().isSubdomainOf(zone) && (r.type() != Type.RRSIG || type == Type.RRSIG)
                    && (r.type() == type || type == Type.ANY)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The RRSIGs of an RRset, from whichever section the server put them in: some put them in the
     * additional section; unbound's parser attaches them to their RRset wherever they are, and so
     * does this (what they sign is checked by the validator, not where they were).
     */
    private static List<Record> signatures(Message response, Name owner, int type) {
        List<Record> out = new ArrayList<>();
        for (List<Record> section : List.of(response.answers(), response.authority(), response.additional())) {
            for (Record r : section) {
                if (r.name().equals(owner) && r.rdata() instanceof Rdata.Rrsig sig && (sig.typeCovered() == type || type == Type.ANY)
                        && !out.contains(r)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The DNAME of the closest proper ancestor of {@code name} inside {@code zone}, or null. */
    private static Record dname(Message response, Name zone, Name name) {
        Record best = null;
        for (Record r : response.answers()) {
            if (r.type() == Type.DNAME && r.name().isSubdomainOf(zone) && name.isSubdomainOf(r.name())
                    && !name.equals(r.name()) && (best == null || r.name().labelCount() > best.name().labelCount())) {
                best = r;
            }
        }
        return best;
    }

    /** RFC 6672 2.2: {@code name} with its {@code owner} suffix replaced by {@code target}. */
    static Result<Name, NameError> substitute(Name name, Name owner, Name target) {
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0; i < name.labelCount() - owner.labelCount(); i++) {
            labels.add(name.label(i));
        }
        for (int i = 0; i < target.labelCount(); i++) {
            labels.add(target.label(i));
        }
        return Name.ofLabels(labels);
    }
}
