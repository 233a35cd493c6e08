package jmirage.resolver.validate;

import jmirage.core.Promise;
import jmirage.dns.Message;
import jmirage.dns.Question;

/**
 * DNSSEC validation (RFC 4033-4035, 5155, 6840) of what recursion returned for a question: the
 * chain of trust from the closest trust anchor down to each signer (DS, DNSKEY, RRSIG), positive
 * answers, CNAME/DNAME chains, wildcard expansion, and the NSEC/NSEC3 proofs of NXDOMAIN and NODATA
 * (RFC 9276 limits on NSEC3 iterations). Pure but for the {@link KeyFetcher} it asks for keys.
 */
public final class Validator {

    /** Seam: the validator helper writes it. */
    public Promise<Validated> validate(Question question, Message response) {
        throw new UnsupportedOperationException("seam");
    }
}
