package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * The leases, indexed by address and by client. A mutable core object (as a TCP connection is in
 * platform/net): no I/O and no clock; {@link DhcpCore} changes it and hands the durable changes to
 * the shell. At most one record per address, so the store and this map are bounded by the pools.
 */
public final class LeaseDb {

    private final Map<Inet4Address, Lease> byAddress = new HashMap<>();
    private final Map<ClientKey, Inet4Address> byClient = new HashMap<>();
    /** Next-fit allocation: where the last search in each subnet stopped. */
    private final Map<IpPrefix, Integer> cursors = new HashMap<>();
    /** Offers in the order they were made, which is the order they end (one hold for all): the oldest first. */
    private final LinkedHashMap<Inet4Address, Lease> offers = new LinkedHashMap<>();
    /** A subnet found full, and until when that holds unless an address is freed (see {@link #full}). */
    private final Map<IpPrefix, Full> full = new HashMap<>();
    private long frees;

    private record Full(Instant until, long frees) {}

    public Optional<Lease> at(Inet4Address address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /** The client's most recent lease, whatever its state. */
    public Optional<Lease> of(ClientKey client) {
        Inet4Address a = byClient.get(client);
        return a == null ? Optional.empty() : at(a).filter(l -> l.client().equals(client));
    }

    public void put(Lease lease) {
        Lease old = byAddress.put(lease.address(), lease);
        offers.remove(lease.address());
        if (lease.state() == Lease.State.OFFERED) {
            offers.put(lease.address(), lease);
        }
        if (lease.state() == Lease.State.FREE) {
            frees++;
        }
        if (old != null && !old.client().equals(lease.client()) && lease.address().equals(byClient.get(old.client()))) {
            byClient.remove(old.client());
        }
        byClient.put(lease.client(), lease.address());
    }

    public Collection<Lease> all() {
        return byAddress.values();
    }

    public List<Lease> live(Instant now) {
        return byAddress.values().stream().filter(l -> l.live(now)).toList();
    }

    public int size() {
        return byAddress.size();
    }

    /** Offers, oldest first (some may have ended). */
    Collection<Lease> offers() {
        return offers.values();
    }

    /**
     * Whether {@code subnet} is known to have no free address at {@code now}: it was found full, no
     * lease has been freed since, and none of the leases that filled it has ended yet.
     */
    boolean knownFull(IpPrefix subnet, Instant now) {
        Full f = full.get(subnet);
        return f != null && f.frees == frees && now.isBefore(f.until);
    }

    /** Records that a search of {@code subnet} found it full; {@code firstEnd} is when its first lease ends. */
    void foundFull(IpPrefix subnet, Instant firstEnd) {
        full.put(subnet, new Full(firstEnd, frees));
    }

    int cursor(IpPrefix subnet) {
        return cursors.getOrDefault(subnet, 0);
    }

    void cursor(IpPrefix subnet, int position) {
        cursors.put(subnet, position);
    }
}
