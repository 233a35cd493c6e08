package jmirage.tls.x509;

/** Why DER bytes are not a certificate we can hold. */
public sealed interface CertificateError {

    /** Not a DER X.509 certificate, or one Bouncy Castle refuses (a repeated extension, say); {@code detail} is its reason. */
    record Malformed(String detail) implements CertificateError {}

    default String describe() {
        return switch (this) {
            case Malformed(String detail) -> "malformed certificate: " + detail;
        };
    }
}
