package jmirage.resolver.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.query.Lookup;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;

/**
 * The network's own names, answered authoritatively (AA) without recursion: local zones (master
 * files, answered as our authoritative server answers: RFC 1034 4.3.2, wildcards, NXDOMAIN and
 * NODATA with the zone's SOA, RFC 2308 3) and hosts files of {@code ADDRESS NAME [ALIAS...]} lines
 * (A or AAAA for every name, and the PTR of the address under in-addr.arpa or ip6.arpa to the
 * line's first name, RFC 1035 3.5 and RFC 3596 2.5). A hosts name is answered before a zone: the
 * file is where a DHCP server's leases land. A hosts name defines only itself: other names, even
 * below it, go on to recursion.
 */
public final class LocalData {

    /** The TTL of hosts-file records: short, since leases come and go. */
    public static final long HOSTS_TTL = 300;

    public static final LocalData EMPTY = new LocalData(Zones.EMPTY, Map.of());

    private final Zones zones;
    private final Map<Name, List<Record>> hosts;

    private LocalData(Zones zones, Map<Name, List<Record>> hosts) {
        this.zones = zones;
        this.hosts = Map.copyOf(hosts);
    }

    public int zoneCount() {
        return zones.size();
    }

    /** Names with hosts-file records, reverse names included. */
    public int hostNames() {
        return hosts.size();
    }

    /** The local zone whose origin is {@code origin}. */
    public Optional<Zone> zone(Name origin) {
        return zones.get(origin);
    }

    /** This local data with {@code zone} in place of the local zone of its origin. */
    LocalData withZone(Zone zone) {
        return new LocalData(zones.with(zone), hosts);
    }

    /** The local answer to {@code question}, or empty when it is not ours. */
    public Optional<Resolution> answer(Question question) {
        if (question.qclass() != DnsClass.IN || (hosts.isEmpty() && zones.size() == 0)) {
            return Optional.empty();
        }
        List<Record> host = hosts.get(question.name());
        if (host != null) {
            List<Record> matching = host.stream()
                    .filter(r -> question.qtype() == Type.ANY || r.type() == question.qtype()).toList();
            List<Record> soa = matching.isEmpty() ? zones.find(question.name()).map(z -> z.soaSet().records()).orElse(List.of())
                    : List.of();
            return Optional.of(new Resolution(question, Header.NOERROR, matching, soa, List.of(), Security.INDETERMINATE,
                    Optional.empty(), false, true));
        }
        Lookup.Answer a = Lookup.answer(zones, question.name(), question.qtype(), Lookup.AnyPolicy.ONE_RRSET);
        if (a.rcode().equals(Rcode.REFUSED) || !a.authoritative()) {
            return Optional.empty(); // not under a local zone, or delegated below it
        }
        return Optional.of(new Resolution(question, a.rcode().value(), a.answer(), a.authority(), a.additional(),
                Security.INDETERMINATE, Optional.empty(), false, true));
    }

    /** The name whose PTR maps {@code address} back (RFC 1035 3.5, RFC 3596 2.5). */
    static Name reverse(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder s = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                s.append(b[i] & 0xff).append('.');
            }
            return Name.of(s.append("in-addr.arpa.").toString());
        }
        for (int i = b.length - 1; i >= 0; i--) {
            s.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        }
        return Name.of(s.append("ip6.arpa.").toString());
    }

    /** Collects zones and hosts files; not for concurrent use. */
    public static final class Builder {
        private final List<Zone> zones = new ArrayList<>();
        private final Map<Name, List<Record>> hosts = new LinkedHashMap<>();
        private final Map<Name, Boolean> reversed = new HashMap<>();

        public Builder zone(Zone zone) {
            zones.add(zone);
            return this;
        }

        /** Adds a hosts file's lines; the lines local data cannot use are returned as errors. */
        public List<HostsError> hosts(List<HostsFile.Entry> entries) {
            List<HostsError> errors = new ArrayList<>();
            for (HostsFile.Entry e : entries) {
                if (e.address().isEmpty()) {
                    errors.add(new HostsError.NameWithoutAddress(e.line(), e.names().getFirst().toString()));
                    continue;
                }
                InetAddress address = e.address().get();
                if (e.scoped()) {
                    errors.add(new HostsError.ScopedAddress(e.line(), address.getHostAddress()));
                    continue;
                }
                Rdata data = address instanceof Inet4Address v4 ? new Rdata.A(v4) : new Rdata.Aaaa((Inet6Address) address);
                for (Name n : e.names()) {
                    add(Record.in(n, HOSTS_TTL, data));
                }
                Name reverse = reverse(address);
                if (reversed.putIfAbsent(reverse, true) == null) { // hosts(5): the first line of an address names it
                    add(Record.in(reverse, HOSTS_TTL, new Rdata.Ptr(e.names().getFirst())));
                }
            }
            return errors;
        }

        private void add(Record r) {
            List<Record> at = hosts.computeIfAbsent(r.name(), n -> new ArrayList<>());
            if (!at.contains(r)) {
                at.add(r);
            }
        }

        public LocalData build() {
            Map<Name, List<Record>> frozen = new HashMap<>();
            hosts.forEach((n, rs) -> frozen.put(n, List.copyOf(rs)));
            return new LocalData(Zones.of(zones), frozen);
        }
    }
}
