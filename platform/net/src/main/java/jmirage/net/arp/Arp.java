package jmirage.net.arp;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import jmirage.net.ethernet.EthernetFrame;
import jmirage.net.wire.Wire;

/**
 * The ARP core (RFC 826): a cache with expiry, requests retried a bounded number of times, a
 * bounded queue of packets waiting for an answer, gratuitous announcements, and answers only for
 * the addresses this host owns.
 *
 * <p>No I/O, no clock, no threads: every call takes the time ({@code now}, monotonic nanoseconds)
 * and returns the frames to send. The state is owned by one shell, on its loop.
 */
public final class Arp {

    public record Config(Duration entryLifetime, Duration retryInterval, int maxRetries, int maxQueuedPerAddress,
            int maxQueuedTotal, int maxEntries) {
        public static final Config DEFAULT = new Config(Duration.ofMinutes(5), Duration.ofSeconds(1), 3, 16, 256, 1024);
    }

    private record Entry(MacAddress mac, long expires) {}

    private record Queued(int etherType, Bytes payload) {}

    private static final class Pending {
        final ArrayDeque<Queued> packets = new ArrayDeque<>();
        int requestsSent;
        long nextRetry;
    }

    private final MacAddress mac;
    private final Config config;
    private final Map<Inet4Address, Entry> cache = new HashMap<>();
    private final Map<Inet4Address, Pending> pending = new HashMap<>();
    private Optional<Inet4Address> own = Optional.empty();
    private int queuedTotal;
    private long dropped;

    public Arp(MacAddress mac, Config config) {
        this.mac = mac;
        this.config = config;
    }

    public void setAddress(Optional<Inet4Address> address) {
        this.own = address;
    }

    public Optional<Inet4Address> address() {
        return own;
    }

    /** Packets dropped because the queue was full or the address never answered. */
    public long dropped() {
        return dropped;
    }

    public int queued() {
        return queuedTotal;
    }

    public int cacheSize() {
        return cache.size();
    }

    public Optional<MacAddress> lookup(long now, Inet4Address ip) {
        Entry e = cache.get(ip);
        return e != null && e.expires - now > 0 ? Optional.of(e.mac) : Optional.empty();
    }

    /** A gratuitous ARP request announcing our address (RFC 5227 3: sender and target both ours). */
    public List<Bytes> announce() {
        if (own.isEmpty()) {
            return List.of();
        }
        ArpPacket p = new ArpPacket(ArpPacket.Operation.REQUEST, mac, own.get(), new MacAddress(0), own.get());
        return List.of(frame(EthernetFrame.BROADCAST, p));
    }

    /**
     * Sends {@code payload} (of {@code etherType}) to the host at {@code nextHop}: at once if its
     * address is cached, else after an ARP answer (the packet waits in a bounded queue).
     */
    public List<Bytes> send(long now, Inet4Address nextHop, int etherType, Bytes payload) {
        Optional<MacAddress> known = lookup(now, nextHop);
        if (known.isPresent()) {
            return List.of(new EthernetFrame(known.get(), mac, etherType, payload).encode());
        }
        Pending p = pending.get(nextHop);
        List<Bytes> out = new ArrayList<>(1);
        if (p == null) {
            if (pending.size() >= config.maxEntries()) {
                dropped++;
                return List.of();
            }
            p = new Pending();
            pending.put(nextHop, p);
            p.requestsSent = 1;
            p.nextRetry = now + config.retryInterval().toNanos();
            out.add(request(nextHop));
        }
        if (p.packets.size() >= config.maxQueuedPerAddress() || queuedTotal >= config.maxQueuedTotal()) {
            dropped++; // RFC 1122 2.3.2.2: keep at least one; we keep a bounded few and drop the newest.
        } else {
            p.packets.add(new Queued(etherType, payload));
            queuedTotal++;
        }
        return out;
    }

    /** Handles a received ARP packet: learns the sender, answers requests for our address, flushes the queue. */
    public List<Bytes> input(long now, ArpPacket packet) {
        List<Bytes> out = new ArrayList<>();
        Inet4Address sender = packet.senderIp();
        boolean forUs = own.isPresent() && own.get().equals(packet.targetIp());
        boolean senderValid = Wire.ipv4ToInt(sender) != 0 && !EthernetFrame.isMulticast(packet.senderMac())
                && !(own.isPresent() && own.get().equals(sender));
        // RFC 826 "Packet Reception": update an existing entry; add one only if we are the target.
        if (senderValid && (forUs || cache.containsKey(sender) || pending.containsKey(sender))) {
            if (cache.size() < config.maxEntries() || cache.containsKey(sender)) {
                cache.put(sender, new Entry(packet.senderMac(), now + config.entryLifetime().toNanos()));
            }
            Pending p = pending.remove(sender);
            if (p != null) {
                for (Queued q : p.packets) {
                    out.add(new EthernetFrame(packet.senderMac(), mac, q.etherType(), q.payload()).encode());
                }
                queuedTotal -= p.packets.size();
            }
        }
        if (forUs && packet.operation() == ArpPacket.Operation.REQUEST) {
            ArpPacket reply = new ArpPacket(ArpPacket.Operation.REPLY, mac, own.get(), packet.senderMac(), sender);
            out.add(frame(packet.senderMac(), reply));
        }
        return out;
    }

    /** Expires entries, retries requests, and gives up on addresses that never answered. */
    public List<Bytes> tick(long now) {
        cache.values().removeIf(e -> e.expires - now <= 0);
        List<Bytes> out = new ArrayList<>();
        Iterator<Map.Entry<Inet4Address, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Inet4Address, Pending> e = it.next();
            Pending p = e.getValue();
            if (p.nextRetry - now > 0) {
                continue;
            }
            if (p.requestsSent > config.maxRetries()) {
                dropped += p.packets.size();
                queuedTotal -= p.packets.size();
                it.remove();
                continue;
            }
            p.requestsSent++;
            p.nextRetry = now + config.retryInterval().toNanos();
            out.add(request(e.getKey()));
        }
        return out;
    }

    private Bytes request(Inet4Address target) {
        Inet4Address source = own.orElse(Wire.ipv4(0));
        return frame(EthernetFrame.BROADCAST, new ArpPacket(ArpPacket.Operation.REQUEST, mac, source, new MacAddress(0), target));
    }

    private Bytes frame(MacAddress destination, ArpPacket packet) {
        return new EthernetFrame(destination, mac, EthernetFrame.ARP, packet.encode()).encode();
    }
}
