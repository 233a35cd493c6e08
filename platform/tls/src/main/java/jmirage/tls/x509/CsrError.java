package jmirage.tls.x509;

/** Why a PKCS#10 certificate signing request was not signed ({@link X509#signCsr}). */
public sealed interface CsrError {

    /** Not a DER PKCS#10 request; {@code detail} is the parser's reason. */
    record Malformed(String detail) implements CsrError {}

    /** The request's self-signature does not verify with the key it carries (RFC 2986 section 3). */
    record SignatureInvalid() implements CsrError {}

    /** The self-signature could not even be checked (an unusable key or algorithm); {@code detail} says why. */
    record SignatureUncheckable(String detail) implements CsrError {}

    /** A requested iPAddress subjectAltName that is not 4 or 16 bytes. */
    record BadIpAddress() implements CsrError {}

    default String describe() {
        return switch (this) {
            case Malformed(String detail) -> "malformed CSR: " + detail;
            case SignatureInvalid() -> "CSR signature does not verify";
            case SignatureUncheckable(String detail) -> "CSR signature does not verify: " + detail;
            case BadIpAddress() -> "bad IP address in CSR";
        };
    }
}
