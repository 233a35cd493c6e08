package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * The lease database as {@link DhcpCore} sees it: read-only, so the core can only return its
 * changes ({@link LeaseChange}), never make them.
 */
public sealed interface LeaseView permits LeaseDb {

    Optional<Lease> at(Inet4Address address);

    /** The client's most recent lease, whatever its state. */
    Optional<Lease> of(ClientKey client);

    /** Every record, one per address. */
    Collection<Lease> all();

    List<Lease> live(Instant now);

    int size();

    /** Offers, oldest first (some may have ended). */
    Collection<Lease> offers();

    /**
     * Whether {@code subnet} is known to have no free address at {@code now}: it was found full, no
     * lease has been freed since, and none of the leases that filled it has ended yet.
     */
    boolean knownFull(IpPrefix subnet, Instant now);

    /** Where the next next-fit search of {@code subnet} starts. */
    int cursor(IpPrefix subnet);
}
