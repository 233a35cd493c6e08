package jmirage.dns.certify;

import java.nio.charset.StandardCharsets;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.Record;

/**
 * The records of certificates through DNS (decision 11, after robur's dns-certify), RFC 6698 TLSA
 * at {@code _letsencrypt._tcp.HOST}: {@code TLSA 3 255 0 CSR} (a PKCS#10 request, published by the
 * unikernel that wants the certificate), {@code TLSA 3 0 0 CERTIFICATE} (the issued end-entity
 * certificate) and {@code TLSA 0 0 0 CERTIFICATE} (each certificate of the issuer chain), both
 * published by the certify role of the authoritative server. The one place both sides read them.
 */
public final class CertifyRecords {

    private static final byte[] LETSENCRYPT = "_letsencrypt".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TCP = "_tcp".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6698 2.1.1: usage 3, DANE-EE (domain-issued certificate). */
    public static final int USAGE_DOMAIN_ISSUED = 3;
    /** RFC 6698 2.1.1: usage 0, PKIX-TA (CA constraint): here, a certificate of the issuer chain. */
    public static final int USAGE_CA = 0;
    /** RFC 6698 2.1.2: selector 0, the full certificate. */
    public static final int SELECTOR_FULL = 0;
    /** RFC 6698 2.1.2: selector 255 is for private use; dns-certify uses it for a CSR. */
    public static final int SELECTOR_CSR = 255;
    /** RFC 6698 2.1.3: matching type 0, the data itself, no hash. */
    public static final int MATCHING_EXACT = 0;

    /** TTL of the CSR a unikernel publishes (dns-certify's). */
    public static final long CSR_TTL = 3600;
    /** TTL of the certificates the certify role publishes: short, they are polled. */
    public static final long CERTIFICATE_TTL = 60;

    private CertifyRecords() {}

    /** {@code _letsencrypt._tcp.HOST}; an error when that name is too long. */
    public static Result<Name, NameError> owner(Name host) {
        return host.prepend(TCP.clone()).flatMap(n -> n.prepend(LETSENCRYPT.clone()));
    }

    /** Whether {@code name} is {@code _letsencrypt._tcp.HOST} for some HOST (labels compared without case, RFC 4343). */
    public static boolean isCertifyName(Name name) {
        return name.labelCount() >= 3 && labelIs(name, 0, LETSENCRYPT) && labelIs(name, 1, TCP);
    }

    /** Whether {@code rdata} is a CSR: TLSA 3 255 0. */
    public static boolean isCsr(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_DOMAIN_ISSUED && t.selector() == SELECTOR_CSR
                && t.matchingType() == MATCHING_EXACT;
    }

    /** Whether {@code rdata} is an issued end-entity certificate: TLSA 3 0 0. */
    public static boolean isEndEntity(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_DOMAIN_ISSUED && t.selector() == SELECTOR_FULL
                && t.matchingType() == MATCHING_EXACT;
    }

    /** Whether {@code rdata} is a certificate of the issuer chain: TLSA 0 0 0. */
    public static boolean isChain(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_CA && t.selector() == SELECTOR_FULL
                && t.matchingType() == MATCHING_EXACT;
    }

    /** {@code owner CSR_TTL TLSA 3 255 0 DER}: a CSR. */
    public static Record csr(Name owner, Bytes der) {
        return Record.in(owner, CSR_TTL, new Rdata.Tlsa(USAGE_DOMAIN_ISSUED, SELECTOR_CSR, MATCHING_EXACT, der));
    }

    /** {@code owner CERTIFICATE_TTL TLSA 3 0 0 DER}: the end-entity certificate. */
    public static Record endEntity(Name owner, Bytes der) {
        return Record.in(owner, CERTIFICATE_TTL, new Rdata.Tlsa(USAGE_DOMAIN_ISSUED, SELECTOR_FULL, MATCHING_EXACT, der));
    }

    /** {@code owner CERTIFICATE_TTL TLSA 0 0 0 DER}: a certificate of the issuer chain. */
    public static Record chain(Name owner, Bytes der) {
        return Record.in(owner, CERTIFICATE_TTL, new Rdata.Tlsa(USAGE_CA, SELECTOR_FULL, MATCHING_EXACT, der));
    }

    private static boolean labelIs(Name name, int index, byte[] label) {
        return new String(name.label(index), StandardCharsets.US_ASCII).equalsIgnoreCase(
                new String(label, StandardCharsets.US_ASCII));
    }
}
