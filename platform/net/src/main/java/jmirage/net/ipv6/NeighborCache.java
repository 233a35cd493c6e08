package jmirage.net.ipv6;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;

/**
 * The neighbor cache of RFC 4861 7.3: per neighbor a state (INCOMPLETE, REACHABLE, STALE, DELAY,
 * PROBE), its link-layer address, and the packets waiting while the address is being resolved. Bounded:
 * entries (a full cache evicts its oldest STALE entry, else refuses), packets queued per address and in
 * total. No upper-layer reachability hints (7.3.1): a REACHABLE entry goes STALE after the reachable
 * time and is re-confirmed by a unicast probe after DELAY, as for a host that has none.
 *
 * <p>No I/O, no clock: every call takes the time and returns what to do ({@link Out}).
 */
public final class NeighborCache {

    public record Config(Duration reachableTime, Duration retransTimer, Duration delayFirstProbe, int maxMulticastSolicit,
            int maxUnicastSolicit, int maxEntries, int maxQueuedPerAddress, int maxQueuedTotal) {
        /** RFC 4861 10's constants; bounds as ARP's. */
        public static final Config DEFAULT = new Config(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5),
                3, 3, 1024, 16, 256);

        public Config withReachableTime(Duration d) {
            return new Config(d, retransTimer, delayFirstProbe, maxMulticastSolicit, maxUnicastSolicit, maxEntries,
                    maxQueuedPerAddress, maxQueuedTotal);
        }

        public Config withRetransTimer(Duration d) {
            return new Config(reachableTime, d, delayFirstProbe, maxMulticastSolicit, maxUnicastSolicit, maxEntries,
                    maxQueuedPerAddress, maxQueuedTotal);
        }
    }

    public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE }

    /** What the shell does: send an IPv6 packet in a frame to a MAC, or send a neighbor solicitation. */
    public sealed interface Out {
        record Send(MacAddress destination, Bytes packet) implements Out {}

        /** A solicitation for {@code target}: multicast to its solicited-node group, or unicast to the MAC given (a probe). */
        record Solicit(Inet6Address target, Optional<MacAddress> unicast) implements Out {}
    }

    private static final class Entry {
        State state;
        MacAddress mac;
        long deadline;
        int solicitations;
        final ArrayDeque<Bytes> queue = new ArrayDeque<>();
    }

    private final Config config;
    private final LinkedHashMap<Inet6Address, Entry> entries = new LinkedHashMap<>();
    private int queuedTotal;
    private long dropped;

    public NeighborCache(Config config) {
        this.config = config;
    }

    public int size() {
        return entries.size();
    }

    public int queued() {
        return queuedTotal;
    }

    /** Packets dropped: queue full, cache full, or the neighbor never answered. */
    public long dropped() {
        return dropped;
    }

    public Optional<State> state(Inet6Address neighbor) {
        return Optional.ofNullable(entries.get(neighbor)).map(e -> e.state);
    }

    public Optional<MacAddress> lookup(Inet6Address neighbor) {
        Entry e = entries.get(neighbor);
        return e == null || e.state == State.INCOMPLETE ? Optional.empty() : Optional.of(e.mac);
    }

    /** Sends {@code packet} to {@code nextHop}: at once if its address is known, else after resolution (RFC 4861 7.2.2, 7.3.3). */
    public List<Out> send(long now, Inet6Address nextHop, Bytes packet) {
        Entry e = entries.get(nextHop);
        if (e == null) {
            e = create(nextHop);
            if (e == null) {
                dropped++;
                return List.of();
            }
            e.state = State.INCOMPLETE;
            e.solicitations = 1;
            e.deadline = now + config.retransTimer().toNanos();
            enqueue(e, packet);
            return List.of(new Out.Solicit(nextHop, Optional.empty()));
        }
        if (e.state == State.INCOMPLETE) {
            enqueue(e, packet);
            return List.of();
        }
        if (e.state == State.STALE) {
            // 7.3.3: the first packet to a STALE neighbor starts the DELAY timer.
            e.state = State.DELAY;
            e.deadline = now + config.delayFirstProbe().toNanos();
        }
        return List.of(new Out.Send(e.mac, packet));
    }

    /**
     * A link-layer address from a solicitation or a router message (7.2.3, 6.3.4): a new entry is STALE;
     * a changed address makes an entry STALE; an INCOMPLETE one sends its queue.
     */
    public List<Out> learn(long now, Inet6Address neighbor, MacAddress mac) {
        Entry e = entries.get(neighbor);
        if (e == null) {
            e = create(neighbor);
            if (e == null) {
                return List.of();
            }
            e.state = State.STALE;
            e.mac = mac;
            return List.of();
        }
        if (e.state == State.INCOMPLETE || !mac.equals(e.mac)) {
            e.state = State.STALE;
            e.mac = mac;
            return flush(e);
        }
        return List.of();
    }

    /** A neighbor advertisement (7.2.5): the state machine's rules for the solicited and override flags. */
    public List<Out> advertised(long now, Inet6Address neighbor, Optional<MacAddress> mac, boolean solicited, boolean override) {
        Entry e = entries.get(neighbor);
        if (e == null) {
            return List.of(); // 7.2.5: no entry, no new one
        }
        if (e.state == State.INCOMPLETE) {
            if (mac.isEmpty()) {
                return List.of();
            }
            e.mac = mac.get();
            reachableOrStale(e, now, solicited);
            return flush(e);
        }
        boolean different = mac.isPresent() && !mac.get().equals(e.mac);
        if (!override && different) {
            if (e.state == State.REACHABLE) {
                e.state = State.STALE; // 7.2.5: keep the address, doubt it
            }
            return List.of();
        }
        if (different) {
            e.mac = mac.get();
        }
        if (solicited) {
            reachableOrStale(e, now, true);
        } else if (different) {
            e.state = State.STALE;
        }
        return List.of();
    }

    /** Timers (7.3.3): retransmit solicitations, give up, REACHABLE to STALE, DELAY to PROBE. */
    public List<Out> tick(long now) {
        List<Out> out = new ArrayList<>();
        Iterator<Map.Entry<Inet6Address, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Inet6Address, Entry> me = it.next();
            Entry e = me.getValue();
            if (e.state == State.STALE || e.deadline - now > 0) {
                continue;
            }
            switch (e.state) {
                case REACHABLE -> e.state = State.STALE;
                case DELAY -> {
                    e.state = State.PROBE;
                    e.solicitations = 1;
                    e.deadline = now + config.retransTimer().toNanos();
                    out.add(new Out.Solicit(me.getKey(), Optional.of(e.mac)));
                }
                case INCOMPLETE, PROBE -> {
                    int max = e.state == State.INCOMPLETE ? config.maxMulticastSolicit() : config.maxUnicastSolicit();
                    if (e.solicitations >= max) {
                        dropped += e.queue.size(); // 7.2.2: address unreachable; the packets are dropped
                        queuedTotal -= e.queue.size();
                        it.remove();
                        continue;
                    }
                    e.solicitations++;
                    e.deadline = now + config.retransTimer().toNanos();
                    out.add(new Out.Solicit(me.getKey(),
                            e.state == State.INCOMPLETE ? Optional.empty() : Optional.of(e.mac)));
                }
                case STALE -> { }
            }
        }
        return out;
    }

    /** Forgets a neighbor (a router that is gone, an address that moved). */
    public void remove(Inet6Address neighbor) {
        Entry e = entries.remove(neighbor);
        if (e != null) {
            dropped += e.queue.size();
            queuedTotal -= e.queue.size();
        }
    }

    private void reachableOrStale(Entry e, long now, boolean solicited) {
        e.state = solicited ? State.REACHABLE : State.STALE;
        e.deadline = now + config.reachableTime().toNanos();
    }

    private List<Out> flush(Entry e) {
        List<Out> out = new ArrayList<>(e.queue.size());
        for (Bytes p : e.queue) {
            out.add(new Out.Send(e.mac, p));
        }
        queuedTotal -= e.queue.size();
        e.queue.clear();
        return out;
    }

    private void enqueue(Entry e, Bytes packet) {
        if (e.queue.size() >= config.maxQueuedPerAddress() || queuedTotal >= config.maxQueuedTotal()) {
            dropped++; // 7.2.2: a bounded queue; the newest packet goes
            return;
        }
        e.queue.add(packet);
        queuedTotal++;
    }

    /** A new entry, evicting the oldest STALE one when the cache is full; null when all are in use. */
    private Entry create(Inet6Address neighbor) {
        if (entries.size() >= config.maxEntries()) {
            Iterator<Entry> it = entries.values().iterator();
            boolean evicted = false;
            while (it.hasNext()) {
                if (it.next().state == State.STALE) {
                    it.remove();
                    evicted = true;
                    break;
                }
            }
            if (!evicted) {
                return null;
            }
        }
        Entry e = new Entry();
        entries.put(neighbor, e);
        return e;
    }
}
