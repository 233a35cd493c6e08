package jmirage.openvpn.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.openvpn.wire.Acks;
import jmirage.openvpn.wire.Opcode;

/**
 * The control channel's reliability layer (reliable.c) as a pure core: state, the time and an
 * input in; the next state, the packets to send, the messages delivered in order and the next
 * deadline out. Every message gets the next message id and stays in the send window until the
 * peer acknowledges it, retransmitted when its timer runs out, the timeout doubling each time up to
 * a ceiling. Received messages are acknowledged (again when they come again, since the peer
 * retransmits only when an ACK was lost), buffered when early, and delivered once in id order.
 * Every buffer is bounded: the send window, the queue behind it, the receive window.
 *
 * <p>Message ids start at 0 for each key state (ssl.c key_state_init) and a key state never sends
 * 2^32 control messages: TLS renegotiation makes a new one long before.
 */
public record Reliability(
        Settings settings,
        long nextSendId,
        List<Message> queued,
        SortedMap<Long, InFlight> inFlight,
        long nextExpected,
        SortedMap<Long, Message> early,
        SortedSet<Long> pendingAcks) {

    /**
     * @param sendWindow     messages in flight at once (ssl_pkt.h TLS_RELIABLE_N_SEND_BUFFERS: 6)
     * @param receiveWindow  messages accepted ahead of the next in order (TLS_RELIABLE_N_REC_BUFFERS: 12)
     * @param maxQueued      messages waiting for room in the send window; more is the caller's error
     * @param initialTimeout first retransmission (--tls-timeout, default 2 s)
     * @param maxTimeout     ceiling of the doubling back-off
     */
    public record Settings(int sendWindow, int receiveWindow, int maxQueued, Duration initialTimeout, Duration maxTimeout) {
        public static final Settings DEFAULT = new Settings(6, 12, 64, Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    /** A message of the control channel: the reliable opcode it travels with and its payload. */
    public record Message(Opcode opcode, Bytes payload) {
        public Message {
            if (!opcode.isReliable()) {
                throw new IllegalArgumentException(opcode + " is not carried reliably");
            }
            Objects.requireNonNull(payload);
        }
    }

    /** A message sent and not yet acknowledged. */
    public record InFlight(Message message, Instant due, Duration timeout) {}

    /** What the caller sends: a message with its id and piggy-backed acks, or acks alone (P_ACK_V1). */
    public sealed interface Outbound {
        List<Long> acks();

        record Numbered(long messageId, Message message, List<Long> acks) implements Outbound {
            public Numbered {
                acks = List.copyOf(acks);
            }
        }

        record AckOnly(List<Long> acks) implements Outbound {
            public AckOnly {
                acks = List.copyOf(acks);
            }
        }
    }

    public record Step(Reliability next, List<Outbound> send, List<Message> delivered, Optional<Instant> deadline) {
        public Step {
            send = List.copyOf(send);
            delivered = List.copyOf(delivered);
        }
    }

    /** Why a message cannot be queued. */
    public record Full(int queued) {
        public String describe() {
            return "control channel send queue full (" + queued + " messages)";
        }
    }

    public Reliability {
        queued = List.copyOf(queued);
        inFlight = Collections.unmodifiableSortedMap(new TreeMap<>(inFlight));
        early = Collections.unmodifiableSortedMap(new TreeMap<>(early));
        pendingAcks = Collections.unmodifiableSortedSet(new TreeSet<>(pendingAcks));
    }

    public static Reliability initial(Settings settings) {
        return new Reliability(settings, 0, List.of(), new TreeMap<>(), 0, new TreeMap<>(), new TreeSet<>());
    }

    /** Queues {@code message} and sends what the window allows. */
    public Result<Step, Full> offer(Instant now, Message message) {
        if (queued.size() >= settings.maxQueued()) {
            return Result.err(new Full(queued.size()));
        }
        List<Message> more = new ArrayList<>(queued);
        more.add(message);
        return Result.ok(with(more, inFlight, nextExpected, early, pendingAcks).flush(now, List.of(), List.of()));
    }

    /**
     * A packet from the peer, its wrapping checked: the ids it acknowledges and, unless it was a
     * P_ACK_V1, its message.
     */
    public Step receive(Instant now, List<Long> acked, Optional<Received> message) {
        TreeMap<Long, InFlight> flying = new TreeMap<>(inFlight);
        acked.forEach(flying::remove);
        TreeMap<Long, Message> buffered = new TreeMap<>(early);
        TreeSet<Long> acks = new TreeSet<>(pendingAcks);
        long expected = nextExpected;
        List<Message> delivered = new ArrayList<>();
        if (message.isPresent()) {
            long id = message.get().messageId();
            if (id < expected) {
                acks.add(id); // delivered already: our ACK was lost, say it again
            } else if (id < expected + settings.receiveWindow()) {
                acks.add(id);
                buffered.putIfAbsent(id, message.get().message());
                while (buffered.containsKey(expected)) {
                    delivered.add(buffered.remove(expected));
                    expected++;
                }
            }
            // beyond the receive window: dropped unacknowledged, the peer sends it again later
        }
        return with(queued, flying, expected, buffered, acks).flush(now, List.of(), delivered);
    }

    /** The timer ran out: retransmit every message whose time has come, with its timeout doubled. */
    public Step tick(Instant now) {
        TreeMap<Long, InFlight> flying = new TreeMap<>(inFlight);
        List<Outbound> send = new ArrayList<>();
        for (var entry : inFlight.entrySet()) {
            InFlight f = entry.getValue();
            if (!f.due().isAfter(now)) {
                Duration doubled = f.timeout().multipliedBy(2);
                Duration timeout = doubled.compareTo(settings.maxTimeout()) > 0 ? settings.maxTimeout() : doubled;
                flying.put(entry.getKey(), new InFlight(f.message(), now.plus(timeout), timeout));
                send.add(new Outbound.Numbered(entry.getKey(), f.message(), List.of()));
            }
        }
        return with(queued, flying, nextExpected, early, pendingAcks).flush(now, send, List.of());
    }

    /** A message as the peer numbered it. */
    public record Received(long messageId, Message message) {}

    /** Whether everything sent has been acknowledged and nothing waits. */
    public boolean idle() {
        return queued.isEmpty() && inFlight.isEmpty() && pendingAcks.isEmpty();
    }

    private Reliability with(List<Message> q, SortedMap<Long, InFlight> f, long expected, SortedMap<Long, Message> e, SortedSet<Long> acks) {
        return new Reliability(settings, nextSendId, q, f, expected, e, acks);
    }

    /** Moves queued messages into the window, then puts the pending acks on the packets going out or on P_ACK_V1s. */
    private Step flush(Instant now, List<Outbound> retransmissions, List<Message> delivered) {
        TreeMap<Long, InFlight> flying = new TreeMap<>(inFlight);
        List<Message> waiting = new ArrayList<>(queued);
        long id = nextSendId;
        List<Outbound> send = new ArrayList<>(retransmissions);
        while (!waiting.isEmpty() && flying.size() < settings.sendWindow()) {
            Message m = waiting.removeFirst();
            flying.put(id, new InFlight(m, now.plus(settings.initialTimeout()), settings.initialTimeout()));
            send.add(new Outbound.Numbered(id, m, List.of()));
            id++;
        }
        List<Long> acks = new ArrayList<>(pendingAcks);
        List<Outbound> withAcks = new ArrayList<>();
        for (Outbound o : send) {
            if (o instanceof Outbound.Numbered n && !acks.isEmpty()) {
                int take = Math.min(Acks.MAX, acks.size());
                withAcks.add(new Outbound.Numbered(n.messageId(), n.message(), acks.subList(0, take)));
                acks = new ArrayList<>(acks.subList(take, acks.size()));
            } else {
                withAcks.add(o);
            }
        }
        while (!acks.isEmpty()) {
            int take = Math.min(Acks.MAX, acks.size());
            withAcks.add(new Outbound.AckOnly(acks.subList(0, take)));
            acks = new ArrayList<>(acks.subList(take, acks.size()));
        }
        Reliability next = new Reliability(settings, id, waiting, flying, nextExpected, early, new TreeSet<>());
        Optional<Instant> deadline = flying.values().stream().map(InFlight::due).min(Instant::compareTo);
        return new Step(next, withAcks, delivered, deadline);
    }
}
