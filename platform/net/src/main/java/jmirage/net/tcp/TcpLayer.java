package jmirage.net.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.TcpListener;
import jmirage.net.wire.Wire;

/**
 * The TCP shell: demultiplexes segments to connections, keeps listeners and their bounded SYN
 * queues, arms one scheduler timer per connection at its core's next deadline, and turns cores into
 * {@link Flow}s. Runs on the stack's loop.
 */
public final class TcpLayer {

    /** Sends a segment from {@code source} to {@code destination}. */
    @FunctionalInterface
    public interface Output {
        void send(InetAddress source, InetAddress destination, TcpSegment segment);
    }

    record Key(int localPort, InetAddress remote, int remotePort) {}

    final class Conn {
        final Key key;
        final InetAddress local;
        final TcpConnection core;
        final Listener listener;
        Promise<Result<Flow, NetError>> connecting;
        TcpFlow flow;
        Cancellable timer;
        long timerAt = TcpConnection.NEVER;

        Conn(Key key, InetAddress local, TcpConnection core, Listener listener) {
            this.key = key;
            this.local = local;
            this.core = core;
            this.listener = listener;
        }

        Endpoint localEndpoint() {
            return new Endpoint(local, key.localPort());
        }

        Endpoint remoteEndpoint() {
            return new Endpoint(key.remote(), key.remotePort());
        }

        long now() {
            return clock.monotonicNanos();
        }

        /** After every call into the core: send, deliver events, re-arm the timer. */
        void settle() {
            for (TcpSegment s : core.drainOutput()) {
                output.send(local, key.remote(), s);
            }
            if (core.takeEstablished()) {
                flow = new TcpFlow(this);
                if (listener != null) {
                    listener.synQueue.remove(this);
                    if (listener.closed) {
                        core.abort(now());
                        settle();
                        return;
                    }
                    listener.onAccept.accept(flow);
                } else if (connecting != null) {
                    connecting.resolve(Result.ok(flow));
                    connecting = null;
                }
            }
            if (flow != null) {
                flow.pump();
                for (TcpSegment s : core.drainOutput()) {
                    output.send(local, key.remote(), s);
                }
            }
            if (core.state() == TcpConnection.State.CLOSED) {
                remove();
                return;
            }
            // Re-arm only when the deadline moves earlier: every ACK pushes the RTO later, and a
            // timer that fires early just finds nothing due and re-arms (cheaper than a cancel and a
            // new timer per segment on a real scheduler).
            long deadline = core.nextDeadline();
            if (deadline < timerAt) {
                if (timer != null) {
                    timer.cancel();
                }
                timerAt = deadline;
                long delay = Math.max(0, deadline - now());
                timer = scheduler.schedule(java.time.Duration.ofNanos(delay), this::fire);
            }
        }

        private void fire() {
            timer = null;
            timerAt = TcpConnection.NEVER;
            core.timer(now());
            settle();
        }

        void remove() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            if (connections.get(key) == this) {
                connections.remove(key);
            }
            if (listener != null) {
                listener.synQueue.remove(this);
            }
            if (connecting != null) {
                Endpoint remote = remoteEndpoint();
                connecting.resolve(Result.err(switch (core.failure()) {
                    case TIMED_OUT -> new NetError.TimedOut(remote);
                    default -> new NetError.Refused(remote);
                }));
                connecting = null;
            }
            if (flow != null) {
                flow.pump();
            }
        }
    }

    final class Listener implements TcpListener {
        final int port;
        final Consumer<Flow> onAccept;
        final ArrayDeque<Conn> synQueue = new ArrayDeque<>();
        boolean closed;

        Listener(int port, Consumer<Flow> onAccept) {
            this.port = port;
            this.onAccept = onAccept;
        }

        @Override
        public Endpoint local() {
            return new Endpoint(localAddress.get().map(a -> (java.net.InetAddress) a).orElse(Wire.ipv4(0)), port);
        }

        @Override
        public Promise<Unit> close() {
            if (!closed) {
                closed = true;
                listeners.remove(port, this);
                for (Conn c : new ArrayList<>(synQueue)) {
                    c.core.abort(c.now());
                    c.settle();
                }
            }
            return Promise.done();
        }
    }

    private final TcpConfig config;
    final Clock clock;
    final Scheduler scheduler;
    private final Random random;
    private final Log log;
    private final Output output;
    private final Supplier<Optional<Inet4Address>> localAddress;
    private final Function<Inet6Address, Optional<Inet6Address>> ipv6Source;
    private final int mss;
    private final LinkedHashMap<Key, Conn> connections = new LinkedHashMap<>();
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private long synsDropped;

    /**
     * {@code localAddress} is the IPv4 address (also the one a listener reports), {@code ipv6Source} the
     * source for an IPv6 peer; {@code mss} is the IPv4 MSS, 20 bytes less over IPv6 (its header is 40 bytes).
     */
    public TcpLayer(TcpConfig config, Clock clock, Scheduler scheduler, Random random, Log log, Output output,
            Supplier<Optional<Inet4Address>> localAddress, Function<Inet6Address, Optional<Inet6Address>> ipv6Source, int mss) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
        this.log = log;
        this.output = output;
        this.localAddress = localAddress;
        this.ipv6Source = ipv6Source;
        this.mss = mss;
    }

    TcpConfig config() {
        return config;
    }

    /** Connections in any state but CLOSED, half-open ones and TIME_WAIT included. */
    public int connectionCount() {
        return connections.size();
    }

    /** Half-open connections (SYN_RECEIVED) over all listeners. */
    public int halfOpenCount() {
        int n = 0;
        for (Listener l : listeners.values()) {
            n += l.synQueue.size();
        }
        return n;
    }

    /** Bytes held in buffers by all connections. */
    public long memory() {
        long m = 0;
        for (Conn c : connections.values()) {
            m += c.core.memory();
        }
        return m;
    }

    /** SYNs refused or evicted because a queue or the connection table was full. */
    public long synsDropped() {
        return synsDropped;
    }

    public Result<TcpListener, NetError> listen(int port, Consumer<Flow> onAccept) {
        Endpoint where = new Endpoint(localAddress.get().map(a -> (java.net.InetAddress) a).orElse(Wire.ipv4(0)), port);
        if (port <= 0 || port > 65535) {
            return Result.err(new NetError.Io("cannot listen on port " + port));
        }
        if (listeners.containsKey(port)) {
            return Result.err(new NetError.AddressInUse(where));
        }
        Listener l = new Listener(port, onAccept);
        listeners.put(port, l);
        return Result.ok(l);
    }

    public Promise<Result<Flow, NetError>> connect(Endpoint remote) {
        InetAddress remoteAddress = remote.address();
        Optional<? extends InetAddress> local = switch (remoteAddress) {
            case Inet4Address v4 -> localAddress.get();
            case Inet6Address v6 -> ipv6Source.apply(v6);
            default -> Optional.empty();
        };
        if (local.isEmpty()) {
            return Promise.resolved(Result.err(new NetError.Unreachable(remote)));
        }
        if (connections.size() >= config.maxConnections() && !evictTimeWait()) {
            return Promise.resolved(Result.err(new NetError.Io("too many connections")));
        }
        int port = -1;
        int span = 65536 - 49152;
        int start = random.nextInt(span);
        for (int i = 0; i < span; i++) {
            int p = 49152 + (start + i) % span;
            if (!listeners.containsKey(p) && !connections.containsKey(new Key(p, remoteAddress, remote.port()))) {
                port = p;
                break;
            }
        }
        if (port < 0) {
            return Promise.resolved(Result.err(new NetError.Io("no free local port")));
        }
        Key key = new Key(port, remoteAddress, remote.port());
        long now = clock.monotonicNanos();
        TcpConnection core = TcpConnection.connect(config, port, remote.port(), SeqNum.of(random.nextLong()), mssTo(remoteAddress), now);
        Conn c = new Conn(key, local.get(), core, null);
        Promise<Result<Flow, NetError>> result = Promise.pending();
        c.connecting = result;
        connections.put(key, c);
        c.settle();
        return result;
    }

    public void input(InetAddress source, InetAddress destination, TcpSegment segment) {
        Key key = new Key(segment.destinationPort(), source, segment.sourcePort());
        long now = clock.monotonicNanos();
        Conn c = connections.get(key);
        if (c != null) {
            c.core.input(now, segment);
            c.settle();
            return;
        }
        Listener l = listeners.get(segment.destinationPort());
        if (l != null && segment.has(TcpSegment.SYN) && !segment.has(TcpSegment.ACK) && !segment.has(TcpSegment.RST)) {
            passiveOpen(now, l, key, destination, segment);
            return;
        }
        if (segment.has(TcpSegment.RST)) {
            return;
        }
        // RFC 9293 3.10.7.1: a segment for no connection gets a RST.
        TcpSegment reset = segment.has(TcpSegment.ACK)
                ? new TcpSegment(segment.destinationPort(), segment.sourcePort(), segment.ack(), SeqNum.of(0), TcpSegment.RST, 0, -1, -1, Bytes.EMPTY)
                : new TcpSegment(segment.destinationPort(), segment.sourcePort(), SeqNum.of(0), segment.seq().plus(segment.length()),
                        TcpSegment.RST | TcpSegment.ACK, 0, -1, -1, Bytes.EMPTY);
        output.send(destination, source, reset);
    }

    /**
     * A SYN for a listener. The SYN queue is bounded per listener: when full, the oldest half-open
     * connection is dropped, so a flood of SYNs that never complete ages out instead of locking real
     * clients out (a client whose handshake completes within the time the flood takes to refill
     * the queue gets in). The connection table is bounded too.
     */
    private void passiveOpen(long now, Listener l, Key key, InetAddress local, TcpSegment syn) {
        if (l.synQueue.size() >= config.synQueue()) {
            Conn oldest = l.synQueue.pollFirst();
            oldest.core.discard();
            oldest.remove();
            synsDropped++;
        }
        if (connections.size() >= config.maxConnections() && !evictTimeWait()) {
            synsDropped++;
            return;
        }
        TcpConnection core = TcpConnection.accept(config, syn, SeqNum.of(random.nextLong()), mssTo(key.remote()), now);
        Conn c = new Conn(key, local, core, l);
        connections.put(key, c);
        l.synQueue.addLast(c);
        c.settle();
    }

    /** RFC 9293 3.7.1: the MTU less the IP and TCP headers, so 20 bytes less over IPv6 (RFC 8200 8.3). */
    private int mssTo(InetAddress remote) {
        return remote instanceof Inet6Address ? mss - 20 : mss;
    }

    private boolean evictTimeWait() {
        Iterator<Conn> it = connections.values().iterator();
        while (it.hasNext()) {
            Conn c = it.next();
            if (c.core.state() == TcpConnection.State.TIME_WAIT) {
                c.core.discard();
                if (c.timer != null) {
                    c.timer.cancel();
                }
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** Resets every connection and closes every listener. */
    public void close() {
        for (Listener l : new ArrayList<>(listeners.values())) {
            l.close();
        }
        for (Conn c : new ArrayList<>(connections.values())) {
            c.core.abort(c.now());
            c.settle();
        }
    }
}
