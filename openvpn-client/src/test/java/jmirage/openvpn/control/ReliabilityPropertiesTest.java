package jmirage.openvpn.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import jmirage.core.Bytes;
import jmirage.openvpn.control.Reliability.Message;
import jmirage.openvpn.control.Reliability.Outbound;
import jmirage.openvpn.control.Reliability.Step;
import jmirage.openvpn.wire.Opcode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Two reliability cores over a seeded network that loses, duplicates, delays and reorders packets:
 * every message each side offers is delivered to the other exactly once and in order, and both
 * sides end with nothing in flight.
 */
class ReliabilityPropertiesTest {

    private record InTransit(Instant arrives, boolean toB, Outbound packet) {}

    private static final class Side {
        Reliability state = Reliability.initial(Reliability.Settings.DEFAULT);
        Optional<Instant> deadline = Optional.empty();
        final List<Bytes> delivered = new ArrayList<>();
    }

    @Property(tries = 200)
    void everyMessageIsDeliveredOnceAndInOrder(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int lossPercent,
            @ForAll @IntRange(min = 1, max = 30) int messagesA, @ForAll @IntRange(min = 0, max = 30) int messagesB) {
        Random random = new Random(seed);
        Side a = new Side();
        Side b = new Side();
        List<InTransit> network = new ArrayList<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<Bytes> sentA = messages("a", messagesA);
        List<Bytes> sentB = messages("b", messagesB);
        for (Bytes m : sentA) {
            apply(a, a.state.offer(now, new Message(Opcode.CONTROL_V1, m)).orElseThrow(), now, true, network, random, lossPercent);
        }
        for (Bytes m : sentB) {
            apply(b, b.state.offer(now, new Message(Opcode.CONTROL_V1, m)).orElseThrow(), now, false, network, random, lossPercent);
        }
        for (int round = 0; round < 100_000 && !(a.state.idle() && b.state.idle() && network.isEmpty()); round++) {
            // the next event: the earliest arrival or deadline
            Instant next = network.stream().map(InTransit::arrives).min(Instant::compareTo).orElse(Instant.MAX);
            for (Side s : List.of(a, b)) {
                if (s.deadline.isPresent() && s.deadline.get().isBefore(next)) {
                    next = s.deadline.get();
                }
            }
            now = next;
            final Instant t = now;
            List<InTransit> arriving = network.stream().filter(p -> !p.arrives().isAfter(t)).toList();
            network.removeAll(arriving);
            for (InTransit p : arriving) {
                Side to = p.toB() ? b : a;
                Optional<Reliability.Received> message = p.packet() instanceof Outbound.Numbered n
                        ? Optional.of(new Reliability.Received(n.messageId(), n.message())) : Optional.empty();
                apply(to, to.state.receive(now, p.packet().acks(), message), now, !p.toB(), network, random, lossPercent);
            }
            for (Side s : List.of(a, b)) {
                if (s.deadline.isPresent() && !s.deadline.get().isAfter(now)) {
                    apply(s, s.state.tick(now), now, s == a, network, random, lossPercent);
                }
            }
        }
        assertEquals(sentA, b.delivered, "A's messages at B");
        assertEquals(sentB, a.delivered, "B's messages at A");
        assertTrue(a.state.idle() && b.state.idle(), "both sides idle");
    }

    @Test
    void retransmissionBacksOffExponentiallyToItsCeiling() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Step step = Reliability.initial(Reliability.Settings.DEFAULT).offer(t0, new Message(Opcode.CONTROL_V1, Bytes.utf8("x"))).orElseThrow();
        List<Duration> gaps = new ArrayList<>();
        Instant last = t0;
        for (int i = 0; i < 8; i++) {
            Instant due = step.deadline().orElseThrow();
            gaps.add(Duration.between(last, due));
            last = due;
            step = step.next().tick(due);
            assertEquals(1, step.send().size(), "one retransmission each time");
        }
        assertEquals(List.of(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), gaps.stream().map(Duration::toSeconds).toList());
    }

    @Test
    void theSendWindowAndQueueAreBounded() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Reliability r = Reliability.initial(Reliability.Settings.DEFAULT);
        int sent = 0;
        for (int i = 0; i < 6 + 64; i++) {
            Step s = r.offer(t0, new Message(Opcode.CONTROL_V1, Bytes.utf8("m" + i))).orElseThrow();
            sent += s.send().size();
            r = s.next();
        }
        assertEquals(6, sent, "six in flight, the rest queued");
        assertTrue(r.offer(t0, new Message(Opcode.CONTROL_V1, Bytes.EMPTY)) instanceof jmirage.core.Result.Err<?, ?>);
    }

    @Test
    void aDuplicateIsAcknowledgedAgainAndNotDelivered() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Reliability r = Reliability.initial(Reliability.Settings.DEFAULT);
        Reliability.Received m = new Reliability.Received(0, new Message(Opcode.CONTROL_V1, Bytes.utf8("hello")));
        Step first = r.receive(t0, List.of(), Optional.of(m));
        assertEquals(1, first.delivered().size());
        Step again = first.next().receive(t0, List.of(), Optional.of(m));
        assertEquals(List.of(), again.delivered());
        assertEquals(List.of(new Outbound.AckOnly(List.of(0L))), again.send());
    }

    private static List<Bytes> messages(String prefix, int n) {
        List<Bytes> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Bytes.utf8(prefix + i));
        }
        return out;
    }

    private static void apply(Side side, Step step, Instant now, boolean fromA, List<InTransit> network, Random random, int lossPercent) {
        side.state = step.next();
        side.deadline = step.deadline();
        step.delivered().forEach(m -> side.delivered.add(m.payload()));
        for (Outbound o : step.send()) {
            int copies = random.nextInt(100) < lossPercent ? 0 : random.nextInt(100) < 10 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                network.add(new InTransit(now.plusMillis(10 + random.nextInt(500)), fromA, o));
            }
        }
    }
}
