package jmirage.tls;

/** Whether a server asks for a client certificate (RFC 8446 4.3.2, RFC 5246 7.4.4). */
public enum ClientAuth {
    /** No CertificateRequest. */
    NONE,
    /** Ask; a client without a certificate is let in, one with a bad certificate is not. */
    REQUESTED,
    /** Ask, and abort the handshake when no valid certificate comes. */
    REQUIRED
}
