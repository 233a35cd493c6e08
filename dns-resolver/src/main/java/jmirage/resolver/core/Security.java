package jmirage.resolver.core;

/**
 * The DNSSEC status of an answer (RFC 4035 4.3): secure (a chain of signatures from a trust
 * anchor), insecure (proved unsigned: a delegation without DS, or outside every anchor), bogus
 * (should have been signed and is not, or the signatures fail), or indeterminate (no anchor
 * covers it, or validation is off).
 */
public sealed interface Security {

    record Secure() implements Security {}

    record Insecure() implements Security {}

    /**
     * @param edeCode the RFC 8914 info code the client gets with SERVFAIL (6 DNSSEC Bogus, 7
     *     Signature Expired, 8 Signature Not Yet Valid, 9 DNSKEY Missing, 10 RRSIGs Missing, 12
     *     NSEC Missing, 1 Unsupported DNSKEY Algorithm, 2 Unsupported DS Digest Type, 27 Unsupported
     *     NSEC3 Iterations Value)
     * @param reason what failed, for the log and the EDE's extra text
     */
    record Bogus(int edeCode, String reason) implements Security {}

    record Indeterminate() implements Security {}

    Security SECURE = new Secure();
    Security INSECURE = new Insecure();
    Security INDETERMINATE = new Indeterminate();
}
