package jmirage.dhcpd.core;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.net.IpPrefix;

/**
 * The leases, indexed by address and by client: the state the shell keeps and hands to
 * {@link DhcpCore} as a {@link LeaseView}, and changes only by applying the core's
 * {@link LeaseChange}s (and the records read back from the store). No I/O and no clock. At most one
 * record per address, so the store and this map are bounded by the pools.
 */
public final class LeaseDb implements LeaseView {

    private final Map<Inet4Address, Lease> byAddress = new HashMap<>();
    private final Map<ClientKey, Inet4Address> byClient = new HashMap<>();
    /** Next-fit allocation: where the last search in each subnet stopped. */
    private final Map<IpPrefix, Integer> cursors = new HashMap<>();
    /** Offers in the order they were made, which is the order they end (one hold for all): the oldest first. */
    private final LinkedHashMap<Inet4Address, Lease> offers = new LinkedHashMap<>();
    /** A subnet found full, and until when that holds unless an address is freed (see {@link #knownFull}). */
    private final Map<IpPrefix, Full> full = new HashMap<>();
    private long frees;

    private record Full(Instant until, long frees) {}

    public void apply(List<LeaseChange> changes) {
        changes.forEach(this::apply);
    }

    public void apply(LeaseChange change) {
        switch (change) {
            case LeaseChange.Durable(Lease lease) -> put(lease);
            case LeaseChange.Transient(Lease lease) -> put(lease);
            case LeaseChange.NextFit(IpPrefix subnet, int position) -> cursors.put(subnet, position);
            case LeaseChange.PoolFull(IpPrefix subnet, Instant firstEnd) -> full.put(subnet, new Full(firstEnd, frees));
        }
    }

    private void put(Lease lease) {
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

    @Override
    public Optional<Lease> at(Inet4Address address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    @Override
    public Optional<Lease> of(ClientKey client) {
        Inet4Address a = byClient.get(client);
        return a == null ? Optional.empty() : at(a).filter(l -> l.client().equals(client));
    }

    @Override
    public Collection<Lease> all() {
        return Collections.unmodifiableCollection(byAddress.values());
    }

    @Override
    public List<Lease> live(Instant now) {
        return byAddress.values().stream().filter(l -> l.live(now)).toList();
    }

    @Override
    public int size() {
        return byAddress.size();
    }

    @Override
    public Collection<Lease> offers() {
        return Collections.unmodifiableCollection(offers.values());
    }

    @Override
    public boolean knownFull(IpPrefix subnet, Instant now) {
        Full f = full.get(subnet);
        return f != null && f.frees == frees && now.isBefore(f.until);
    }

    @Override
    public int cursor(IpPrefix subnet) {
        return cursors.getOrDefault(subnet, 0);
    }
}
