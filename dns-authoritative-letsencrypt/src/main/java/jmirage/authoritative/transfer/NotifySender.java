package jmirage.authoritative.transfer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.zone.RRset;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Datagram;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.UdpSocket;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Question;
import jmirage.dns.Rcode;
import jmirage.dns.Rdata;
import jmirage.dns.Type;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigKey;

/**
 * Sends NOTIFY (RFC 1996) to the configured secondaries after every change of a zone: over UDP
 * from a port of its own, the new SOA in the answer section (3.7), retried with a doubling interval
 * until the secondary answers with the same ID (3.6) or {@link #ATTEMPTS} tries; signed when the
 * target names a key. A newer change replaces a pending notify of the same zone to the same target.
 * With {@code --notify-ns} the zone's own NS hosts are notified too (RFC 1996 3.3).
 */
public final class NotifySender {

    public static final int ATTEMPTS = 5;
    public static final Duration FIRST_RETRY = Duration.ofSeconds(2);

    private final Stack stack;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final Log log;
    private final List<NotifyTarget> targets;
    private final boolean notifyNs;
    private final Supplier<Keys> keys;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private UdpSocket socket;

    private final class Pending {
        final int id;
        final NotifyTarget target;
        final Zone zone;
        final Bytes wire;
        int attempts;
        Cancellable timer;

        Pending(int id, NotifyTarget target, Zone zone, Bytes wire) {
            this.id = id;
            this.target = target;
            this.zone = zone;
            this.wire = wire;
        }
    }

    public NotifySender(Stack stack, Scheduler scheduler, Clock clock, Random random, Log log, List<NotifyTarget> targets,
            boolean notifyNs, Supplier<Keys> keys) {
        this.notifyNs = notifyNs;
        this.stack = stack;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.targets = List.copyOf(targets);
        this.keys = keys;
    }

    public Promise<Result<Unit, NetError>> start() {
        if (targets.isEmpty() && !notifyNs) {
            return Promise.resolved(Result.ok(Unit.UNIT));
        }
        return stack.bindUdp(0, this::receive).map(r -> switch (r) {
            case Result.Ok<UdpSocket, NetError>(UdpSocket s) -> {
                socket = s;
                yield Result.<Unit, NetError>ok(Unit.UNIT);
            }
            case Result.Err<UdpSocket, NetError>(NetError e) -> Result.<Unit, NetError>err(e);
        });
    }

    /** Notifies every target of {@code zone}'s current version. */
    public void changed(Zone zone) {
        if (socket == null) {
            return;
        }
        for (NotifyTarget t : notifySet(zone)) {
            pending.values().removeIf(p -> {
                boolean same = p.target.equals(t) && p.zone.origin().equals(zone.origin());
                if (same && p.timer != null) {
                    p.timer.cancel();
                }
                return same;
            });
            int id = freeId();
            Message m = new Message(new Header(id, false, Header.NOTIFY, true, false, false, false, false, false, false, 0),
                    List.of(new Question(zone.origin(), Type.SOA, DnsClass.IN)), zone.soaSet().records(), List.of(),
                    List.of(), Optional.empty());
            Optional<TsigKey> key = t.keyName().flatMap(k -> keys.get().tsigKey(k));
            if (t.keyName().isPresent() && key.isEmpty()) {
                log.error("notify " + zone.origin() + " to " + t.endpoint() + ": key " + t.keyName().get()
                        + " is not in _keys; sending unsigned");
            }
            Bytes wire = key.map(k -> Tsig.signRequest(m, k, clock.now(), Tsig.DEFAULT_FUDGE).wire())
                    .orElseGet(() -> MessageCodec.encode(m));
            Pending p = new Pending(id, t, zone, wire);
            pending.put(id, p);
            send(p);
        }
    }

    /**
     * The configured targets and, with {@code --notify-ns}, the notify set of RFC 1996 3.3: the
     * addresses of the zone's NS hosts but the primary master (SOA MNAME), where the zone itself
     * holds them (glue or in-zone names), on port 53, not our own addresses.
     */
    List<NotifyTarget> notifySet(Zone zone) {
        List<NotifyTarget> set = new java.util.ArrayList<>(targets);
        if (!notifyNs) {
            return set;
        }
        java.util.Set<java.net.InetAddress> taken = new java.util.HashSet<>(stack.addresses());
        targets.forEach(t -> taken.add(t.endpoint().address()));
        for (Rdata rd : zone.rrset(zone.origin(), Type.NS).map(RRset::rdata).orElse(List.of())) {
            jmirage.dns.Name host = ((Rdata.Ns) rd).host();
            if (host.equals(zone.soa().mname())) {
                continue;
            }
            for (int type : new int[] {Type.A, Type.AAAA}) {
                for (Rdata a : zone.rrset(host, type).map(RRset::rdata).orElse(List.of())) {
                    java.net.InetAddress address = a instanceof Rdata.A v4 ? v4.address() : ((Rdata.Aaaa) a).address();
                    if (taken.add(address)) {
                        set.add(new NotifyTarget(new jmirage.core.net.Endpoint(address, 53), Optional.empty()));
                    }
                }
            }
        }
        return set;
    }

    private int freeId() {
        int id;
        do {
            id = random.nextInt(65536);
        } while (pending.containsKey(id));
        return id;
    }

    private void send(Pending p) {
        if (pending.get(p.id) != p) {
            return;
        }
        if (p.attempts == ATTEMPTS) {
            pending.remove(p.id);
            log.warn("notify " + p.zone.origin() + " serial " + p.zone.serial() + " to " + p.target.endpoint()
                    + ": no answer after " + ATTEMPTS + " tries");
            return;
        }
        Duration wait = FIRST_RETRY.multipliedBy(1L << p.attempts);
        p.attempts++;
        socket.send(p.target.endpoint(), p.wire);
        p.timer = scheduler.schedule(wait, () -> send(p));
    }

    private void receive(Datagram d) {
        var decoded = MessageCodec.decode(d.payload());
        if (!(decoded instanceof Result.Ok<Message, ?>(Message m)) || !m.header().qr()
                || m.header().opcode() != Header.NOTIFY) {
            return;
        }
        Pending p = pending.get(m.header().id());
        if (p == null || !p.target.endpoint().address().equals(d.source().address())) {
            return; // RFC 5452 spirit: only the target we asked, with our ID
        }
        pending.remove(p.id);
        p.timer.cancel();
        if (m.header().rcode() != Rcode.NOERROR.value()) {
            log.warn("notify " + p.zone.origin() + " to " + p.target.endpoint() + ": answered rcode " + Rcode.of(m.header().rcode()));
        } else {
            log.info("notify " + p.zone.origin() + " serial " + p.zone.serial() + " acknowledged by " + d.source());
        }
    }

    public void stop() {
        pending.values().forEach(p -> {
            if (p.timer != null) {
                p.timer.cancel();
            }
        });
        pending.clear();
        if (socket != null) {
            socket.close();
        }
    }
}
