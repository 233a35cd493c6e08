package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.net.MacAddress;
import jmirage.dhcpd.core.DhcpCore.Outcome;

/**
 * What happened to a lease, as an operator counts and reads it (ISC dhcpd logs each at info): read
 * off an {@link Outcome} and the leases as they were before it, or off the leases and the time for
 * an expiry. Pure: the shell counts and logs them once their records are in the store.
 */
public sealed interface LeaseEvent {

    Inet4Address address();

    MacAddress mac();

    /** A binding the client did not hold (a new client, a new address, or a lease that had ended). */
    record Granted(Inet4Address address, MacAddress mac, Duration leaseTime) implements LeaseEvent {}

    /** The client's live binding of this address extended (RENEWING, REBINDING, INIT-REBOOT). */
    record Renewed(Inet4Address address, MacAddress mac, Duration leaseTime) implements LeaseEvent {}

    /** RFC 2131 4.3.4: the client gave the address back. */
    record Released(Inet4Address address, MacAddress mac) implements LeaseEvent {}

    /** RFC 2131 4.3.3: the client found the address in use; it is out of the pool for {@code quarantine}. */
    record Declined(Inet4Address address, MacAddress mac, Duration quarantine) implements LeaseEvent {}

    /** A binding whose end passed without a renewal: the address is free again. */
    record Expired(Inet4Address address, MacAddress mac, Instant end) implements LeaseEvent {}

    /** The lease events of {@code outcome}, decided at {@code now} against {@code before} (not yet changed by it). */
    static List<LeaseEvent> of(LeaseView before, Outcome outcome, Instant now) {
        List<LeaseEvent> events = new ArrayList<>();
        for (Lease l : outcome.durable()) {
            Optional<Lease> was = before.at(l.address());
            switch (l.state()) {
                case BOUND -> {
                    boolean held = was.isPresent() && was.get().state() == Lease.State.BOUND && was.get().live(now)
                            && was.get().client().equals(l.client()) && was.get().mac().equals(l.mac());
                    Duration time = Duration.between(now, l.until());
                    events.add(held ? new Renewed(l.address(), l.mac(), time) : new Granted(l.address(), l.mac(), time));
                }
                case DECLINED -> events.add(new Declined(l.address(), l.mac(), Duration.between(now, l.until())));
                case FREE -> events.add(new Released(l.address(), l.mac()));
                case OFFERED -> { } // never durable
            }
        }
        return List.copyOf(events);
    }

    /**
     * The bindings that ended in ({@code after}, {@code upTo}] and were not renewed or released:
     * nothing changes in the leases (an ended lease is free by its time), this only tells.
     */
    static List<LeaseEvent> expired(LeaseView leases, Instant after, Instant upTo) {
        List<LeaseEvent> events = new ArrayList<>();
        for (Lease l : leases.all()) {
            if (l.state() == Lease.State.BOUND && l.until().isAfter(after) && !l.until().isAfter(upTo)) {
                events.add(new Expired(l.address(), l.mac(), l.until()));
            }
        }
        return List.copyOf(events);
    }
}
