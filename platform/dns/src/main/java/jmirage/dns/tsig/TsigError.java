package jmirage.dns.tsig;

import jmirage.dns.DecodeError;
import jmirage.dns.DnsClass;

/** Why a TSIG-signed message did not verify (RFC 8945 5.2). */
public sealed interface TsigError {
    /** The bytes are not a DNS message. */
    record Malformed(DecodeError error) implements TsigError {}

    /** RFC 8945 4.2: the TSIG record's class must be ANY; one of another class cannot be interpreted. */
    record WrongClass(int rrClass) implements TsigError {}

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

    /** One line for an operator's log. */
    default String describe() {
        return switch (this) {
            case Malformed m -> "the message does not decode: " + m.error();
            case WrongClass w -> "TSIG record of class " + DnsClass.name(w.rrClass()) + ", not ANY (RFC 8945 4.2)";
            case Unsigned u -> "no TSIG record";
            case BadKey k -> "BADKEY: " + k.reason();
            case BadSig s -> "BADSIG: " + s.reason();
            case BadTime t -> "BADTIME: signed at " + t.timeSigned() + ", now " + t.now() + " +- " + t.fudge();
            case SignerReported r -> "the signer reported TSIG error " + r.error();
        };
    }
}
