package jmirage.dns.tsig;

import jmirage.dns.DecodeError;

/** Why a TSIG-signed message did not verify (RFC 8945 5.2). */
public sealed interface TsigError {
    /** The bytes are not a DNS message. */
    record Malformed(DecodeError error) implements TsigError {}

    /** The message has no TSIG record but one was required. */
    record Unsigned() implements TsigError {}

    /** RFC 8945 5.2.1: unknown key or algorithm (rcode BADKEY, 17). */
    record BadKey(String reason) implements TsigError {}

    /** RFC 8945 5.2.2: the MAC does not match (BADSIG, 16), or is truncated too far (5.2.2.1, BADTRUNC 22/FORMERR). */
    record BadSig(String reason) implements TsigError {}

    /** RFC 8945 5.2.3: time signed outside now +- fudge (BADTIME, 18); the MAC itself was good. */
    record BadTime(long timeSigned, long now, int fudge) implements TsigError {}

    /** The TSIG rdata carries an error the signer reported. */
    record SignerReported(int error) implements TsigError {}
}
