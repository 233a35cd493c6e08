package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.dns.Name;

/**
 * What DNS must learn about a client's name (RFC 4703), read off the lease records as {@link
 * LeaseEvent} reads events: pure, the shell sends the updates ({@code DnsUpdates}) once the records
 * are in the store, after the reply has left. Each change carries the lease record it was read
 * from, so the shell can drop the name from that record once the name is out of DNS.
 */
public sealed interface DnsChange {

    Lease lease();

    default Name fqdn() {
        return lease().fqdn().orElseThrow();
    }

    default Inet4Address address() {
        return lease().address();
    }

    /** RFC 4703 5.3.1 and 5.4: the A and DHCID records of the name, the PTR of the address, for {@code leaseTime}. */
    record Register(Lease lease, Duration leaseTime) implements DnsChange {}

    /**
     * RFC 4703 5.5: the lease ended (released, declined, expired, or its name changed): its records
     * out of DNS, the forward ones only if they are still ours; {@code forward} is false when the
     * client holds the same name on another live binding, whose records stay.
     */
    record Unregister(Lease lease, boolean forward) implements DnsChange {}

    /**
     * The changes of {@code durable} (an outcome's records), decided at {@code now} against {@code
     * before} (the leases not yet changed by them). A renewal that keeps its name changes nothing.
     */
    static List<DnsChange> of(LeaseView before, List<Lease> durable, Instant now) {
        List<DnsChange> changes = new ArrayList<>();
        for (Lease l : durable) {
            Optional<Lease> was = before.at(l.address()).filter(b -> b.fqdn().isPresent());
            boolean sameName = was.isPresent() && was.get().fqdn().equals(l.fqdn()) && was.get().client().equals(l.client());
            if (l.state() == Lease.State.BOUND && l.fqdn().isPresent()) {
                if (sameName && was.get().state() == Lease.State.BOUND && was.get().live(now)) {
                    continue; // renewed: DNS has it already
                }
                if (was.isPresent() && !sameName) {
                    changes.add(unregister(before, was.get(), now));
                }
                changes.add(new Register(l, Duration.between(now, l.until())));
            } else if (l.fqdn().isPresent()) {
                changes.add(unregister(before, l, now)); // released or declined, name carried
            } else if (was.isPresent()) {
                changes.add(unregister(before, was.get(), now)); // bound again without a name
            }
        }
        return List.copyOf(changes);
    }

    /** The named bindings that ended in ({@code after}, {@code upTo}] unrenewed: their records out of DNS (RFC 4703 5.5). */
    static List<DnsChange> expired(LeaseView leases, Instant after, Instant upTo) {
        List<DnsChange> changes = new ArrayList<>();
        for (Lease l : leases.all()) {
            if (l.state() == Lease.State.BOUND && l.fqdn().isPresent() && l.until().isAfter(after) && !l.until().isAfter(upTo)) {
                changes.add(unregister(leases, l, upTo));
            }
        }
        return List.copyOf(changes);
    }

    /**
     * At boot, every record that holds a name: a live binding registered again (it may have been
     * cut short by a stop, and the updates are idempotent), any other removed (a release, decline
     * or expiry whose removal a stop interrupted, or an expiry while the server was down).
     */
    static List<DnsChange> atBoot(LeaseView leases, Instant now) {
        List<DnsChange> changes = new ArrayList<>();
        for (Lease l : leases.all()) {
            if (l.fqdn().isEmpty()) {
                continue;
            }
            changes.add(l.state() == Lease.State.BOUND && l.live(now) ? new Register(l, Duration.between(now, l.until()))
                    : unregister(leases, l, now));
        }
        return List.copyOf(changes);
    }

    /** The removal of {@code ended}'s records, of the forward ones only if its client's latest binding is not another with the name. */
    private static Unregister unregister(LeaseView leases, Lease ended, Instant now) {
        boolean heldElsewhere = leases.of(ended.client()).filter(o -> !o.address().equals(ended.address())
                && o.state() == Lease.State.BOUND && o.live(now) && o.fqdn().equals(ended.fqdn())).isPresent();
        return new Unregister(ended, !heldElsewhere);
    }
}
