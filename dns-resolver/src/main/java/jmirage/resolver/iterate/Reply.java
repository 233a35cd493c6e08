package jmirage.resolver.iterate;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * What one authority's response to one query means for iteration (RFC 1034 5.3.3 step 4): the
 * server answered for its zone (data, a CNAME/DNAME, NODATA or NXDOMAIN), it referred us to a zone
 * below it, or it is lame for this question and the next server must be asked.
 */
sealed interface Reply {

    /** An authoritative answer, NODATA or NXDOMAIN from a server of {@code zone}. */
    record Final(Name zone, Message response) implements Reply {}

    /** A delegation to {@code child}, strictly below the zone asked; {@code ttl} is the NS RRset's. */
    record Referral(Delegation child, long ttl) implements Reply {}

    /** Not a usable answer from this server (the next one is asked). */
    record Lame(String why) implements Reply {}

    /**
     * Classifies {@code response} to {@code asked}, sent to a server of {@code zone}. With
     * {@code forwarded} the server is a recursive forwarder: its answers carry no AA and are final.
     */
    static Reply classify(Question asked, Name zone, Message response, boolean forwarded) {
        Header h = response.header();
        if (!h.qr()) {
            return new Lame("not a response");
        }
        if (response.questions().size() != 1 || !response.questions().getFirst().equals(asked)) {
            return new Lame("an answer to another question");
        }
        if (h.rcode() == Rcode.YXDOMAIN.value() && dnameAbove(asked, zone, response)) {
            return new Final(zone, response); // RFC 6672 2.2: the DNAME substitution overflows; the chain says so
        }
        if (h.rcode() != Header.NOERROR && h.rcode() != Header.NXDOMAIN) {
            return new Lame("rcode " + Rcode.of(h.rcode()).describe()); // REFUSED, SERVFAIL, NOTIMP, FORMERR...
        }
        if (forwarded) {
            return new Final(zone, response);
        }
        // RFC 1034 5.3.3 wants an authoritative answer; like unbound (iter_resptype.c) an answer without
        // AA is taken too, unless RA says it came from a recursive server's cache: that server is lame for
        // the zone (RFC 2181 5.4.1 ranks cached data below the zone's own)
        boolean fromCache = !h.aa() && h.ra();
        if (answers(asked, zone, response) || h.rcode() == Header.NXDOMAIN) {
            return fromCache ? new Lame("an answer from a cache (RA without AA)") : new Final(zone, response);
        }
        // NOERROR without an answer: NODATA or a referral, told apart by the authority section's content,
        // not by AA, which many servers (and unbound's test scripts) leave off (iter_resptype.c does the same)
        if (hasSoa(response, asked.name())) {
            return fromCache ? new Lame("an empty answer from a cache (RA without AA)") : new Final(zone, response); // RFC 2308 2.2
        }
        if (hasNs(response, zone)) {
            // the zone's own NS set: NODATA from an authoritative server, else a lame referral to itself
            return h.aa() ? new Final(zone, response) : new Lame("a referral to its own zone " + zone);
        }
        if (hasNs(response)) {
            return referral(asked, zone, response);
        }
        // RFC 2308 2.2 type 3: NODATA may come without an SOA (an empty authority section, or only NSEC records)
        return fromCache ? new Lame("an empty answer from a cache (RA without AA)") : new Final(zone, response);
    }

    private static boolean dnameAbove(Question asked, Name zone, Message response) {
        for (Record r : response.answers()) {
            if (r.type() == Type.DNAME && r.name().isSubdomainOf(zone) && asked.name().isSubdomainOf(r.name())
                    && !asked.name().equals(r.name())) {
                return true;
            }
        }
        return false;
    }

    /** An SOA whose zone holds the name asked: the negative answer's (RFC 2308 3). */
    private static boolean hasSoa(Message response, Name name) {
        for (Record r : response.authority()) {
            if (r.type() == Type.SOA && name.isSubdomainOf(r.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNs(Message response, Name owner) {
        for (Record r : response.authority()) {
            if (r.type() == Type.NS && r.name().equals(owner)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasNs(Message response) {
        for (Record r : response.authority()) {
            if (r.type() == Type.NS) {
                return true;
            }
        }
        return false;
    }

    /** Whether the answer section holds data for the question's name, or a CNAME or DNAME that leads on. */
    private static boolean answers(Question asked, Name zone, Message response) {
        for (Record r : response.answers()) {
            if (!r.name().isSubdomainOf(zone)) {
                continue;
            }
            boolean atName = r.name().equals(asked.name());
            if (atName && (r.type() == asked.qtype() || r.type() == Type.CNAME || asked.qtype() == Type.ANY)) {
                return true;
            }
            if (r.type() == Type.DNAME && asked.name().isSubdomainOf(r.name()) && !atName) {
                return true;
            }
        }
        return false;
    }

    /**
     * A referral: an NS RRset in the authority section for a zone strictly below {@code zone} that
     * holds the question's name (RFC 1034 4.3.2), with the glue of the additional section used only
     * for name servers inside {@code zone} (in bailiwick; RFC 2181 5.4.1: anything else could be
     * a poisoning attempt, and is found by asking its own zone).
     */
    private static Reply referral(Question asked, Name zone, Message response) {
        Name child = null;
        List<Name> nsNames = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.authority()) {
            if (!(r.rdata() instanceof Rdata.Ns(Name host))) {
                continue;
            }
            if (child == null) {
                child = r.name();
            } else if (!child.equals(r.name())) {
                continue; // one cut per referral
            }
            if (!nsNames.contains(host)) {
                nsNames.add(host);
            }
            ttl = Math.min(ttl, r.ttl());
        }
        if (child == null) {
            return new Lame("neither an answer nor a referral");
        }
        if (!child.isSubdomainOf(zone) || child.equals(zone) || !asked.name().isSubdomainOf(child)) {
            return new Lame("a referral upward or sideways to " + child);
        }
        if (asked.qtype() == Type.DS && child.equals(asked.name())) {
            // RFC 4035 3.1.4.1: the DS RRset is the parent's; a server of the parent refers to the child
            // only when it does not serve the parent zone
            return new Lame("a referral to the child for its DS");
        }
        Map<Name, List<InetAddress>> glue = new LinkedHashMap<>();
        for (Name ns : nsNames) {
            glue.put(ns, new ArrayList<>());
        }
        for (Record r : response.additional()) {
            List<InetAddress> addresses = glue.get(r.name());
            if (addresses == null || !r.name().isSubdomainOf(zone)) {
                continue;
            }
            switch (r.rdata()) {
                case Rdata.A(var a) -> addresses.add(a);
                case Rdata.Aaaa(var a) -> addresses.add(a);
                default -> { }
            }
        }
        List<Hints.Server> servers = new ArrayList<>();
        glue.forEach((name, addresses) -> servers.add(new Hints.Server(name, addresses)));
        return new Referral(new Delegation(child, servers), ttl);
    }
}
