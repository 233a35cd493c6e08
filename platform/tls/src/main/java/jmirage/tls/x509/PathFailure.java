package jmirage.tls.x509;

import java.time.Instant;

/**
 * Why a certificate path was rejected: one case per rule of RFC 5280 section 6 and RFC 6125, each
 * naming the certificate at fault (its subject) so a log line says what to fix.
 */
public sealed interface PathFailure {

    /** A one-line description for logs: what is wrong, with which certificate, and what to fix. */
    default String describe() {
        return switch (this) {
            case NoTrustedPath f -> f.subject() + " does not chain to a trusted certificate (is its CA among the trust anchors?)";
            case Expired f -> f.subject() + " expired at " + f.notAfter();
            case NotYetValid f -> f.subject() + " is not valid before " + f.notBefore();
            case BadSignature f -> "the signature on " + f.subject() + " does not verify";
            case NotACa f -> f.subject() + " issued a certificate but is not a CA: " + f.why();
            case CaCertificateAsLeaf f -> f.subject() + " is a CA certificate presented as the server's own"
                    + " (basicConstraints CA:TRUE or keyCertSign): give the server a certificate issued by that CA,"
                    + " and trust the CA";
            case PathLengthExceeded f -> f.subject() + " allows at most " + f.pathLen() + " CA certificates below it";
            case TooManyIntermediates f -> "more than " + f.max() + " intermediate certificates";
            case SearchTooLong f -> "gave up looking for a path after " + f.signatureChecks() + " signature checks";
            case KeyUsageForbids f -> f.subject() + ": its key usage forbids this use: " + f.why();
            case ExtendedKeyUsageForbids f -> f.subject() + ": its extended key usage does not allow " + f.purpose();
            case NameConstraintViolated f -> "the name " + f.name() + " is outside the name constraints of " + f.constrainedBy();
            case UnknownCriticalExtension f -> f.subject() + " has a critical extension we do not know: " + f.oid();
            case NameMismatch f -> f.subject() + " is not for " + switch (f.expected()) {
                case PeerName.Dns d -> d.name();
                case PeerName.Ip ip -> ip.address().getHostAddress();
            } + " (its subjectAltName does not name it; the CN does not count)";
            case WeakAlgorithm f -> f.subject() + " uses a weak algorithm: " + f.what();
            case Malformed f -> f.subject() + " is malformed: " + f.detail();
        };
    }

    /** No chain of valid signatures from the leaf reaches a trust anchor (RFC 5280 6.1). */
    record NoTrustedPath(String subject) implements PathFailure {}

    record Expired(String subject, Instant notAfter) implements PathFailure {}

    record NotYetValid(String subject, Instant notBefore) implements PathFailure {}

    record BadSignature(String subject) implements PathFailure {}

    /** An issuer that is not a CA: no basicConstraints cA, or the extension not critical (4.2.1.9). */
    record NotACa(String subject, String why) implements PathFailure {}

    /** A CA certificate presented as the end entity (basicConstraints cA=TRUE or keyCertSign in the leaf). */
    record CaCertificateAsLeaf(String subject) implements PathFailure {}

    /** pathLenConstraint of {@code subject} exceeded (4.2.1.9). */
    record PathLengthExceeded(String subject, int pathLen) implements PathFailure {}

    /** More intermediates than the caller allows. */
    record TooManyIntermediates(int max) implements PathFailure {}

    /**
     * The path search gave up after {@code signatureChecks} signature verifications: a peer-supplied
     * bundle of certificates that makes the search try many orderings (a denial of service on a
     * single-threaded server) is refused rather than explored.
     */
    record SearchTooLong(int signatureChecks) implements PathFailure {}

    record KeyUsageForbids(String subject, String why) implements PathFailure {}

    record ExtendedKeyUsageForbids(String subject, Purpose purpose) implements PathFailure {}

    record NameConstraintViolated(String constrainedBy, String name) implements PathFailure {}

    record UnknownCriticalExtension(String subject, String oid) implements PathFailure {}

    /** The leaf does not name the peer we expected (RFC 6125 6.4); there is no CN fallback. */
    record NameMismatch(String subject, PeerName expected) implements PathFailure {}

    /** A key or signature algorithm we do not accept (RSA < 2048, P-192, DSA, SHA-1...). */
    record WeakAlgorithm(String subject, String what) implements PathFailure {}

    /** A certificate that breaks the profile: malformed extension, bad serial, empty name... */
    record Malformed(String subject, String detail) implements PathFailure {}
}
