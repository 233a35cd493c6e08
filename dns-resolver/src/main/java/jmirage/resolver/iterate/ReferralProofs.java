package jmirage.resolver.iterate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * The DS RRset, or the NSEC/NSEC3 records denying it, that a parent sends beside a referral (RFC
 * 4035 3.1.4), kept by child zone until their TTL runs out: the validator's DS question for that
 * child is answered from here, as unbound answers it from its cache, without asking the parent
 * again. Unvalidated, like every answer recursion gives; at most {@code capacity} zones, least
 * recently used first out. Owned by the loop.
 */
final class ReferralProofs {

    private record Kept(Answer answer, long expiresNanos) {}

    private final int capacity;
    private final LinkedHashMap<Name, Kept> byChild;

    ReferralProofs(int capacity) {
        this.capacity = capacity;
        this.byChild = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Name, Kept> eldest) {
                return size() > ReferralProofs.this.capacity;
            }
        };
    }

    /** Keeps the DS (or its denial) of {@code child} from a referral by a server of {@code parent}. */
    void referral(Name parent, Name child, Message referral, long maxTtl, long nowNanos) {
        List<Record> ds = new ArrayList<>();
        List<Record> denial = new ArrayList<>();
        long ttl = maxTtl;
        for (Record r : referral.authority()) {
            int type = r.rdata() instanceof Rdata.Rrsig sig ? sig.typeCovered() : r.type();
            if (type == Type.DS && r.name().equals(child)) {
                ds.add(r);
            } else if (type == Type.NSEC || type == Type.NSEC3) {
                denial.add(r);
            } else {
                continue;
            }
            ttl = Math.min(ttl, r.ttl());
        }
        if (ds.isEmpty() && denial.isEmpty()) {
            return;
        }
        Header h = new Header(0, true, Header.QUERY, true, false, false, false, false, false, false, Header.NOERROR);
        Message m = new Message(h, List.of(new Question(child, Type.DS)), ds, ds.isEmpty() ? denial : List.of(), List.of(),
                Optional.empty());
        byChild.put(child, new Kept(new Answer(m, parent), nowNanos + ttl * 1_000_000_000L));
    }

    /** The kept answer to {@code question} if it asks for a DS seen beside a referral and still fresh. */
    Optional<Answer> answer(Question question, long nowNanos) {
        if (question.qtype() != Type.DS) {
            return Optional.empty();
        }
        Kept k = byChild.get(question.name());
        if (k == null || nowNanos - k.expiresNanos() >= 0) {
            return Optional.empty();
        }
        return Optional.of(k.answer());
    }
}
