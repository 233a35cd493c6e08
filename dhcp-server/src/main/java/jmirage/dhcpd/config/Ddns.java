package jmirage.dhcpd.config;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.core.Result;
import jmirage.dns.tsig.TsigKey;

/**
 * Dynamic DNS updates as dhcpd.conf asks for them ({@code ddns-update-style standard;}, ISC's
 * statements): clients' names go under {@code domain}, their PTRs under {@code reverseDomain}
 * ({@code in-addr.arpa} unless said), with {@code ttl} (else half the lease time, as ISC), sent to
 * the primary of the zone that holds each name, signed with that zone's key.
 */
public record Ddns(Name domain, Name reverseDomain, Optional<Duration> ttl, List<Zone> zones) {

    public Ddns {
        zones = List.copyOf(zones);
    }

    /** ISC's {@code zone NAME { primary ADDRESS; key KEY; }}: where updates of names under {@code name} go. */
    public record Zone(Name name, Endpoint primary, TsigKey key) {}

    /** The zone of {@code name}: the longest zone name it lies under. */
    public Optional<Zone> zoneOf(Name name) {
        return zones.stream().filter(z -> name.isSubdomainOf(z.name())).max(Comparator.comparingInt(z -> z.name().labelCount()));
    }

    /** RFC 1035 3.5: the reverse name of {@code address} ({@code 100.0.46.10.in-addr.arpa.}), under {@code reverseDomain}. */
    public Result<Name, NameError> reverseName(Inet4Address address) {
        byte[] a = address.getAddress();
        return Name.parse((a[3] & 0xff) + "." + (a[2] & 0xff) + "." + (a[1] & 0xff) + "." + (a[0] & 0xff), reverseDomain);
    }

    /** The TTL of a client's records for a lease of {@code leaseTime}: {@code ddns-ttl}, else half the lease (ISC's default). */
    public long ttlFor(Duration leaseTime) {
        return ttl.orElse(leaseTime.dividedBy(2)).toSeconds();
    }
}
