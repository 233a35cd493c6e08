package jmirage.authoritative.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import jmirage.dns.certify.CertifyRecords;

/**
 * The records of the certify flow ({@link CertifyRecords}: CSRs, certificates and chains at
 * {@code _letsencrypt._tcp.HOST}) as they stand in the zones this server holds.
 */
public final class CertifyZones {

    private CertifyZones() {}

    /** What is published at one {@code _letsencrypt._tcp.HOST} name of one zone. */
    public record Published(Name owner, Name zone, List<Bytes> csrs, List<Bytes> certificates, List<Bytes> chain) {
        public Published {
            csrs = List.copyOf(csrs);
            certificates = List.copyOf(certificates);
            chain = List.copyOf(chain);
        }
    }

    /** Every {@code _letsencrypt._tcp} name holding a CSR, in every zone of {@code zones}. */
    public static List<Published> scan(Zones zones) {
        List<Published> out = new ArrayList<>();
        for (Zone zone : zones.all()) {
            for (Map.Entry<Name, Map<Integer, RRset>> node : zone.nodes().entrySet()) {
                RRset tlsa = node.getValue().get(Type.TLSA);
                if (tlsa == null || !CertifyRecords.isCertifyName(node.getKey())) {
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

    /** The TLSA records at {@code owner} in {@code zone}, all of them. */
    static List<Rdata.Tlsa> tlsa(Zone zone, Name owner) {
        return zone.rrset(owner, Type.TLSA).map(s -> s.rdata().stream().filter(Rdata.Tlsa.class::isInstance)
                .map(Rdata.Tlsa.class::cast).toList()).orElse(List.of());
    }

    private static List<Bytes> data(RRset set, Predicate<Rdata> which) {
        return set.rdata().stream().filter(which).map(r -> ((Rdata.Tlsa) r).data()).toList();
    }
}
