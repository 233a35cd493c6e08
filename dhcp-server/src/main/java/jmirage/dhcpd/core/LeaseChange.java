package jmirage.dhcpd.core;

import java.time.Instant;
import jmirage.core.net.IpPrefix;

/**
 * One change to the lease database, decided by {@link DhcpCore} and applied by its caller with
 * {@link LeaseDb#apply}: the core reads the leases and returns its changes as values (as charrua's
 * {@code input_pkt} returns the new database), so the shell decides when they take effect and which
 * reach the store first.
 */
public sealed interface LeaseChange {

    /**
     * The record of an address from now on that the store must hold before the reply leaves (write
     * ahead): a binding, a decline, a release.
     */
    record Durable(Lease lease) implements LeaseChange {}

    /**
     * The record of an address from now on, kept in memory only: an offer, or an offer withdrawn.
     * A restart forgets it, which costs its client one more round, never a wrong answer.
     */
    record Transient(Lease lease) implements LeaseChange {}

    /** Next-fit allocation: the next search of {@code subnet} starts at {@code position} of its pool. */
    record NextFit(IpPrefix subnet, int position) implements LeaseChange {}

    /**
     * A search found {@code subnet} full: no search is needed until {@code firstEnd}, when the first
     * of its leases ends, or until an address is freed.
     */
    record PoolFull(IpPrefix subnet, Instant firstEnd) implements LeaseChange {}
}
