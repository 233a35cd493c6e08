package jmirage.resolver.interop;

import java.util.ArrayList;
import java.util.List;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Type;

/**
 * The questions the differential test asks every resolver, each about one behaviour of the
 * {@link Hierarchy}, with what the hierarchy was built to give: the rcode, and whether the answer is
 * secure (AD when the client asked for it), insecure, or bogus (SERVFAIL unless the client set CD,
 * then the data as the authority gave it). Each question goes out in every {@link Variant}.
 */
final class QuerySet {

    private QuerySet() {}

    enum Status { SECURE, INSECURE, BOGUS }

    record Case(String what, Name name, int type, int rcode, Status status) {}

    /** How the client asks: the DO and CD bits, and AD in the query (RFC 6840 5.7), always with RD and EDNS. */
    enum Variant {
        PLAIN(new Probe.Flags(true, false, false, false)),
        AD_BIT(new Probe.Flags(true, true, false, false)),
        DO(new Probe.Flags(true, false, false, true)),
        DO_CD(new Probe.Flags(true, false, true, true)),
        CD(new Probe.Flags(true, false, true, false));

        final Probe.Flags flags;

        Variant(Probe.Flags flags) {
            this.flags = flags;
        }

        /** RFC 4035 3.2.3 and RFC 6840 5.7: AD only to a client that asked with DO or AD. */
        boolean wantsAd() {
            return flags.dnssecOk() || flags.ad();
        }
    }

    static final List<Case> CASES = List.of(
            c("positive, signed (alg 13, NSEC)", "www.secure.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("positive AAAA, signed", "www.secure.example.", Type.AAAA, Header.NOERROR, Status.SECURE),
            c("MX at a signed apex", "secure.example.", Type.MX, Header.NOERROR, Status.SECURE),
            c("name in mixed case (0x20 by the client)", "WwW.SeCuRe.ExAmPlE.", Type.A, Header.NOERROR, Status.SECURE),
            c("NXDOMAIN proved by NSEC", "nx.secure.example.", Type.A, Header.NXDOMAIN, Status.SECURE),
            c("NODATA proved by NSEC", "www.secure.example.", Type.TXT, Header.NOERROR, Status.SECURE),
            c("NODATA at an empty non-terminal", "b.secure.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("wildcard expansion, signed", "x.wild.secure.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("NODATA from a wildcard, signed", "x.wild.secure.example.", Type.TXT, Header.NOERROR, Status.SECURE),
            c("CNAME to another signed zone (RSA, NSEC3)", "alias.secure.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("CNAME chain, then across zones", "chain.secure.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("CNAME from an NSEC3 zone back to the NSEC zone", "back.nsec3.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("CNAME from a signed zone into an insecure one", "toinsecure.secure.example.", Type.A, Header.NOERROR, Status.INSECURE),
            c("positive, signed (alg 8, NSEC3)", "www.nsec3.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("NXDOMAIN proved by NSEC3", "nx.nsec3.example.", Type.A, Header.NXDOMAIN, Status.SECURE),
            c("NODATA proved by NSEC3", "www.nsec3.example.", Type.TXT, Header.NOERROR, Status.SECURE),
            c("wildcard expansion under NSEC3", "y.wild.nsec3.example.", Type.A, Header.NOERROR, Status.SECURE),
            c("insecure delegation (no DS)", "www.insecure.example.", Type.A, Header.NOERROR, Status.INSECURE),
            c("NXDOMAIN in an insecure zone", "nx.insecure.example.", Type.A, Header.NXDOMAIN, Status.INSECURE),
            c("bogus: a record changed after signing", "www.bogus.example.", Type.A, Header.NOERROR, Status.BOGUS),
            c("bogus: signatures expired (alg 15)", "www.expired.example.", Type.A, Header.NOERROR, Status.BOGUS),
            c("lame delegation: one server refuses, one is unreachable, one answers", "www.lame.example.", Type.A,
                    Header.NOERROR, Status.INSECURE),
            c("name server out of bailiwick, no glue", "www.oob.example.", Type.A, Header.NOERROR, Status.INSECURE),
            c("DS of a signed zone, from its parent", "secure.example.", Type.DS, Header.NOERROR, Status.SECURE),
            c("DS of a bogus zone (the DS itself is sound)", "bogus.example.", Type.DS, Header.NOERROR, Status.SECURE),
            c("DS of an insecure zone: NODATA proved by the parent", "insecure.example.", Type.DS, Header.NOERROR, Status.SECURE),
            c("DS of the TLD, from the root", "example.", Type.DS, Header.NOERROR, Status.SECURE),
            c("DS below a zone cut: NODATA from the child", "www.secure.example.", Type.DS, Header.NOERROR, Status.SECURE),
            c("DNSKEY of a signed zone", "secure.example.", Type.DNSKEY, Header.NOERROR, Status.SECURE),
            c("DNSKEY of the NSEC3 zone", "nsec3.example.", Type.DNSKEY, Header.NOERROR, Status.SECURE),
            c("NXDOMAIN in the TLD", "nx.example.", Type.A, Header.NXDOMAIN, Status.SECURE),
            c("a TLD that does not exist, proved by the root", "nope.", Type.A, Header.NXDOMAIN, Status.SECURE),
            c("the root's SOA", ".", Type.SOA, Header.NOERROR, Status.SECURE));

    private static Case c(String what, String name, int type, int rcode, Status status) {
        return new Case(what, Name.of(name), type, rcode, status);
    }

    /** Every case in every variant, in the order of {@link #CASES}. */
    static List<Asked> all() {
        List<Asked> out = new ArrayList<>();
        for (Case c : CASES) {
            for (Variant v : Variant.values()) {
                out.add(new Asked(c, v));
            }
        }
        return out;
    }

    /** One question as sent: a case in a variant. */
    record Asked(Case c, Variant variant) {
        @Override
        public String toString() {
            return c.name() + " " + Type.name(c.type()) + " " + variant + " (" + c.what() + ")";
        }

        /** The rcode the hierarchy was built to give for this question. */
        int expectedRcode() {
            return c.status() == Status.BOGUS && !variant.flags.cd() ? Header.SERVFAIL : c.rcode();
        }

        /** Whether AD is expected: secure data to a client that asked with DO or AD and did not set CD. */
        boolean expectedAd() {
            return c.status() == Status.SECURE && variant.wantsAd() && !variant.flags.cd();
        }
    }
}
