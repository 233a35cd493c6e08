package jmirage.authoritative.certify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;

/**
 * The records of the certify flow (decision 11, after robur's dns-certify), at
 * {@code _letsencrypt._tcp.HOST}: {@code TLSA 3 255 0 CSR} published by the unikernel,
 * {@code TLSA 3 0 0 CERTIFICATE} (the end-entity certificate) and {@code TLSA 0 0 0 CERTIFICATE}
 * (each issuer certificate) published here; and the DNS-01 challenge's {@code _acme-challenge.NAME
 * TXT} (RFC 8555 8.4).
 */
public final class CertifyRecords {

    static final byte[] LETSENCRYPT = "_letsencrypt".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TCP = "_tcp".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ACME_CHALLENGE = "_acme-challenge".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6698 2.1.1: usage 3, DANE-EE (domain-issued certificate). */
    public static final int USAGE_DOMAIN_ISSUED = 3;
    /** RFC 6698 2.1.1: usage 0, PKIX-TA (CA constraint): here, a certificate of the issuer chain. */
    public static final int USAGE_CA = 0;
    /** RFC 6698 2.1.2: selector 255 is for private use; dns-certify uses it for a CSR. */
    public static final int SELECTOR_CSR = 255;

    /** TTL of what the certify role publishes: short, the challenge is read once and the certificate polled. */
    public static final long TTL = 60;

    private CertifyRecords() {}

    /** What is published at one {@code _letsencrypt._tcp.HOST} name of one zone. */
    public record Published(Name owner, Name zone, List<Bytes> csrs, List<Bytes> certificates, List<Bytes> chain) {
        public Published {
            csrs = List.copyOf(csrs);
            certificates = List.copyOf(certificates);
            chain = List.copyOf(chain);
        }
    }

    /** Whether {@code name} is {@code _letsencrypt._tcp.HOST} for some HOST. */
    public static boolean isCertifyName(Name name) {
        return name.labelCount() >= 3 && labelIs(name, 0, LETSENCRYPT) && labelIs(name, 1, TCP);
    }

    /** Whether {@code rdata} is a CSR as the certify flow publishes it: TLSA 3 255 0. */
    public static boolean isCsr(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_DOMAIN_ISSUED && t.selector() == SELECTOR_CSR
                && t.matchingType() == 0;
    }

    static boolean isEndEntity(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_DOMAIN_ISSUED && t.selector() == 0 && t.matchingType() == 0;
    }

    static boolean isChain(Rdata rdata) {
        return rdata instanceof Rdata.Tlsa t && t.usage() == USAGE_CA && t.selector() == 0 && t.matchingType() == 0;
    }

    /** Every {@code _letsencrypt._tcp} name holding a CSR, in every zone of {@code zones}. */
    public static List<Published> scan(Zones zones) {
        List<Published> out = new ArrayList<>();
        for (Zone zone : zones.all()) {
            for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
                RRset tlsa = node.getValue().get(Type.TLSA);
                if (tlsa == null || !isCertifyName(node.getKey())) {
                    continue;
                }
                List<Bytes> csrs = data(tlsa, CertifyRecords::isCsr);
                if (!csrs.isEmpty()) {
                    out.add(new Published(node.getKey(), zone.origin(), csrs, data(tlsa, CertifyRecords::isEndEntity),
                            data(tlsa, CertifyRecords::isChain)));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Whether a zone change touched what the certify role reads: the CSRs and certificates at {@code _letsencrypt._tcp} names. */
    public static boolean touched(Optional<Zone> before, Optional<Zone> after) {
        return !scan(Zones.of(before.stream().toList())).equals(scan(Zones.of(after.stream().toList())));
    }

    /** The TLSA records of the certify flow at {@code owner} in {@code zone}, all of them. */
    static List<Rdata.Tlsa> tlsa(Zone zone, Name owner) {
        return zone.rrset(owner, Type.TLSA).map(s -> s.rdata().stream().filter(Rdata.Tlsa.class::isInstance)
                .map(Rdata.Tlsa.class::cast).toList()).orElse(List.of());
    }

    private static List<Bytes> data(RRset set, java.util.function.Predicate<Rdata> which) {
        return set.rdata().stream().filter(which).map(r -> ((Rdata.Tlsa) r).data()).toList();
    }

    /** {@code TLSA usage 0 0 DER} at {@code owner}. */
    static Record certificateRecord(Name owner, int usage, Bytes der) {
        return Record.in(owner, TTL, new Rdata.Tlsa(usage, 0, 0, der));
    }

    /** {@code _acme-challenge.IDENTIFIER} (RFC 8555 8.4). */
    public static Result<Name, NameError> challengeName(Name identifier) {
        return identifier.prepend(ACME_CHALLENGE.clone());
    }

    private static boolean labelIs(Name name, int index, byte[] label) {
        return new String(name.label(index), StandardCharsets.US_ASCII).equalsIgnoreCase(
                new String(label, StandardCharsets.US_ASCII));
    }
}
