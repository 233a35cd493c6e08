package jmirage.tls.x509;

/** Why PEM text (RFC 7468), or the DER inside it, does not give what was asked for. */
public sealed interface PemError {

    /** A {@code -----BEGIN label-----} line with no matching END line after it. */
    record MissingEnd(String label) implements PemError {}

    /** The body of a {@code label} block is not strict base64 (RFC 7468 section 3: padded, no stray characters). */
    record BadBase64(String label) implements PemError {}

    /**
     * A {@code label} block with RFC 1421 headers ({@code Proc-Type: 4,ENCRYPTED}...): RFC 7468 has
     * none, and an encrypted key cannot be read without its passphrase.
     */
    record HeadersNotAllowed(String label) implements PemError {}

    /** No {@code label} block at all. */
    record NoBlock(String label) implements PemError {}

    /** Exactly one {@code label} block was expected; {@code found} were there. */
    record NotOneBlock(String label, int found) implements PemError {}

    /** A CERTIFICATE block whose DER is no certificate. */
    record BadCertificate(CertificateError error) implements PemError {}

    /** DER that is no PKCS#8 PrivateKeyInfo (RFC 5208); {@code detail} is the parser's reason. */
    record MalformedPrivateKey(String detail) implements PemError {}

    /** A well-formed private key of a type or size we do not use. */
    record UnsupportedPrivateKey() implements PemError {}

    default String describe() {
        return switch (this) {
            case MissingEnd(String label) -> "PEM block " + label + " without END line";
            case BadBase64(String label) -> "bad base64 in PEM block " + label;
            case HeadersNotAllowed(String label) -> "PEM block " + label + " has headers (RFC 7468 allows none; an encrypted key?)";
            case NoBlock(String label) -> "no " + label + " block";
            case NotOneBlock(String label, int found) -> "expected one " + label + " block, found " + found;
            case BadCertificate(CertificateError error) -> error.describe();
            case MalformedPrivateKey(String detail) -> "malformed PKCS#8 private key: " + detail;
            case UnsupportedPrivateKey() -> "unsupported private key (RSA >= 2048, EC P-256 or Ed25519)";
        };
    }
}
