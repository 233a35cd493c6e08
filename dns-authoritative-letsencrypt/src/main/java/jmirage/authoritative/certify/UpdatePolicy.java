package jmirage.authoritative.certify;

import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.KeyEntry;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Record;

/**
 * Decision 11, "Who may ask": a dynamic update that adds a CSR ({@code TLSA 3 255 0} at a
 * {@code _letsencrypt._tcp} name) is refused, before anything is committed, unless the CSR's
 * self-signature verifies and every name it asks for is within a zone of ours that the update's key
 * may change. Pure; the server's update path asks it after the key's right to the zone is checked.
 */
public final class UpdatePolicy {

    private UpdatePolicy() {}

    /** The first CSR of the update that is refused, where, and why. */
    public record Refused(Name owner, Refusal refusal) {
        public String describe() {
            return "CSR at " + owner + ": " + refusal.describe();
        }
    }

    /** Checks the additions of an update's update section (RFC 2136 2.5.1: class IN) signed with {@code key}. */
    public static Optional<Refused> check(List<Record> updates, KeyEntry key, Zones primaries) {
        for (Record r : updates) {
            if (r.rrClass() != DnsClass.IN || !CertifyRecords.isCertifyName(r.name()) || !CertifyRecords.isCsr(r.rdata())) {
                continue;
            }
            Optional<Refusal> refusal = switch (CertificateRequest.read(((jmirage.dns.Rdata.Tlsa) r.rdata()).data())) {
                case Result.Err<CertificateRequest, Refusal>(Refusal why) -> Optional.of(why);
                case Result.Ok<CertificateRequest, Refusal>(CertificateRequest request) -> request.notAllowed(key, primaries);
            };
            if (refusal.isPresent()) {
                return Optional.of(new Refused(r.name(), refusal.get()));
            }
        }
        return Optional.empty();
    }
}
