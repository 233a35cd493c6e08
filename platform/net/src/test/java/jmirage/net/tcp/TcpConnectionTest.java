package jmirage.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/** The TCP core alone: two connections and a test that carries segments between them. */
class TcpConnectionTest {

    static final long MS = 1_000_000L;

    static final class Pair {
        final TcpConnection client;
        TcpConnection server;
        final List<TcpSegment> toServer = new ArrayList<>();
        final List<TcpSegment> toClient = new ArrayList<>();
        long now;

        Pair(TcpConfig clientConfig, TcpConfig serverConfig, int clientMss, int serverMss) {
            client = TcpConnection.connect(clientConfig, 40000, 80, SeqNum.of(0xfffffff0L), clientMss, 0); // wraps soon
            TcpSegment syn = client.drainOutput().get(0);
            server = TcpConnection.accept(serverConfig, syn, SeqNum.of(1000), serverMss, 0);
            toClient.addAll(server.drainOutput());
            deliver();
        }

        /** Carries segments both ways until nothing moves. */
        void deliver() {
            for (int round = 0; round < 10_000 && (!toServer.isEmpty() || !toClient.isEmpty()); round++) {
                now += MS;
                List<TcpSegment> s = new ArrayList<>(toServer);
                toServer.clear();
                for (TcpSegment x : s) {
                    server.input(now, x);
                }
                fireDue(server);
                toClient.addAll(server.drainOutput());
                List<TcpSegment> c = new ArrayList<>(toClient);
                toClient.clear();
                for (TcpSegment x : c) {
                    client.input(now, x);
                }
                fireDue(client);
                toServer.addAll(client.drainOutput());
                toClient.addAll(server.drainOutput());
            }
        }

        /** As the shell does after the segments at hand: a timer already due (the ACK of a burst) fires. */
        void fireDue(TcpConnection c) {
            if (c.nextDeadline() <= now) {
                c.timer(now);
            }
        }

                void collect() {
            toServer.addAll(client.drainOutput());
            toClient.addAll(server.drainOutput());
        }
    }

    @Test
    void handshakeNegotiatesMssAndWindowScaleAndDataCrossesTheWrap() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 536);
        assertEquals(TcpConnection.State.ESTABLISHED, p.client.state());
        assertEquals(TcpConnection.State.ESTABLISHED, p.server.state());
        assertTrue(p.client.takeEstablished() && p.server.takeEstablished());
        Bytes data = Bytes.adopt(new byte[100_000]);
        int taken = p.client.write(p.now, data, 0, data.size());
        assertEquals(100_000, taken);
        p.collect();
        // the client sends segments of the smaller MSS
        assertEquals(536, p.toServer.get(0).payload().size());
        p.deliver();
        assertEquals(100_000, p.server.available());
        assertEquals(data, p.server.read(p.now, 200_000));
    }

    @Test
    void rstInsideTheWindowGetsAChallengeAckAndOnlyAnExactRstResets() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        p.client.write(p.now, Bytes.utf8("x"), 0, 1);
        p.collect();
        TcpSegment data = p.toServer.get(0);
        p.toServer.clear();
        // RFC 5961 3.2: in window but not RCV.NXT
        p.server.input(p.now, new TcpSegment(40000, 80, data.seq().plus(100), SeqNum.of(0), TcpSegment.RST, 0, -1, -1, Bytes.EMPTY));
        assertEquals(TcpConnection.State.ESTABLISHED, p.server.state());
        List<TcpSegment> challenge = p.server.drainOutput();
        assertEquals(1, challenge.size());
        assertEquals(data.seq(), challenge.get(0).ack());
        // RFC 5961 4.2: a SYN gets a challenge ACK too
        p.server.input(p.now, new TcpSegment(40000, 80, SeqNum.of(5), SeqNum.of(0), TcpSegment.SYN, 0, -1, -1, Bytes.EMPTY));
        assertEquals(TcpConnection.State.ESTABLISHED, p.server.state());
        assertEquals(1, p.server.drainOutput().size());
        p.server.input(p.now, new TcpSegment(40000, 80, data.seq(), SeqNum.of(0), TcpSegment.RST, 0, -1, -1, Bytes.EMPTY));
        assertEquals(TcpConnection.State.CLOSED, p.server.state());
        assertEquals(TcpConnection.Failure.RESET, p.server.failure());
    }

    @Test
    void aZeroWindowIsProbedAndReopens() {
        TcpConfig small = new TcpConfig(64 * 1024, 4096, 16, 16, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(60),
                15, 6, Duration.ofMillis(40), Duration.ofSeconds(60), Duration.ofSeconds(60), java.util.Optional.empty(),
                Duration.ofSeconds(75), 9, false);
        Pair p = new Pair(TcpConfig.DEFAULT, small, 1460, 1460);
        p.client.write(p.now, Bytes.adopt(new byte[20_000]), 0, 20_000);
        p.collect();
        p.deliver();
        p.now += 40 * MS; // the receiver's delayed ACK fires and announces the zero window
        p.server.timer(p.now);
        p.collect();
        p.deliver();
        assertEquals(4096, p.server.available(), "the receiver's buffer is full");
        long deadline = p.client.nextDeadline();
        assertTrue(deadline != TcpConnection.NEVER, "a persist timer is armed");
        p.now = deadline;
        p.client.timer(p.now);
        List<TcpSegment> probe = p.client.drainOutput();
        assertEquals(1, probe.size());
        assertEquals(0, probe.get(0).payload().size());
        p.toServer.addAll(probe);
        p.deliver();
        assertEquals(4096, p.server.available());
        // the application reads: the window update lets the rest through
        int total = 0;
        for (int i = 0; i < 50 && total < 20_000; i++) {
            total += p.server.read(p.now, 100_000).size();
            p.collect();
            p.deliver();
            if (p.server.available() == 0 && total < 20_000 && p.toServer.isEmpty()) {
                p.now = Math.max(p.now, p.client.nextDeadline());
                p.client.timer(p.now);
                p.collect();
                p.deliver();
            }
        }
        assertEquals(20_000, total + p.server.available());
    }

    @Test
    void keepaliveGivesUpOnASilentPeer() {
        TcpConfig ka = TcpConfig.DEFAULT.withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3);
        Pair p = new Pair(ka, TcpConfig.DEFAULT, 1460, 1460);
        int probes = 0;
        for (int i = 0; i < 10 && p.client.state() != TcpConnection.State.CLOSED; i++) {
            p.now = p.client.nextDeadline();
            p.client.timer(p.now);
            for (TcpSegment s : p.client.drainOutput()) {
                if (!s.has(TcpSegment.RST)) {
                    probes++; // dropped: the peer is gone
                }
            }
        }
        assertEquals(3, probes);
        assertEquals(TcpConnection.Failure.TIMED_OUT, p.client.failure());
    }

    @Test
    void aBurstIsAcknowledgedOnceWhenItsTimerFiresOrEverySixteenSegments() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        p.client.setNoDelay(true);
        p.client.write(p.now, Bytes.adopt(new byte[20 * 1460]), 0, 20 * 1460);
        List<TcpSegment> burst = p.client.drainOutput();
        assertTrue(burst.size() >= 3, "the initial window lets several segments go: " + burst.size());
        int n = Math.min(burst.size(), TcpConnection.STRETCH_ACK);
        for (int i = 0; i < n; i++) {
            p.server.input(p.now, burst.get(i));
            List<TcpSegment> acks = p.server.drainOutput();
            if (i + 1 < TcpConnection.STRETCH_ACK) {
                assertEquals(List.of(), acks, "no ACK inside the burst, segment " + (i + 1));
            } else {
                assertEquals(1, acks.size(), "the sixteenth segment is acknowledged at once");
            }
        }
        if (n < TcpConnection.STRETCH_ACK) {
            assertEquals(p.now, p.server.nextDeadline(), "after two segments, the ACK is due now");
            p.server.timer(p.now);
            List<TcpSegment> acks = p.server.drainOutput();
            assertEquals(1, acks.size(), "one ACK for the burst");
            assertEquals(burst.get(n - 1).seq().plus(1460), acks.get(0).ack());
        }
    }

    @Test
    void nagleHoldsASmallSegmentWhileOneIsInFlightUnlessNoDelay() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        p.client.write(p.now, Bytes.utf8("a"), 0, 1);
        p.client.write(p.now, Bytes.utf8("b"), 0, 1);
        assertEquals(1, p.client.drainOutput().size(), "b waits for a's ACK");
        p.client.setNoDelay(true);
        p.client.write(p.now, Bytes.utf8("c"), 0, 1);
        assertEquals(1, p.client.drainOutput().size(), "with no delay, b and c go at once");
    }

    @Test
    void closeRunsFinWaitTimeWaitAndLastAck() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        p.client.write(p.now, Bytes.utf8("bye"), 0, 3);
        p.client.shutdown(p.now);
        p.collect();
        p.deliver();
        assertEquals(TcpConnection.State.FIN_WAIT_2, p.client.state());
        assertEquals(TcpConnection.State.CLOSE_WAIT, p.server.state());
        assertEquals(Bytes.utf8("bye"), p.server.read(p.now, 10));
        assertTrue(p.server.atEof());
        p.server.shutdown(p.now);
        p.collect();
        p.deliver();
        assertEquals(TcpConnection.State.CLOSED, p.server.state());
        assertEquals(TcpConnection.Failure.NONE, p.server.failure());
        assertEquals(TcpConnection.State.TIME_WAIT, p.client.state());
        p.client.timer(p.now + Duration.ofSeconds(60).toNanos());
        assertEquals(TcpConnection.State.CLOSED, p.client.state());
    }

    @Test
    void retransmissionTimeoutBacksOffAndResends() {
        Pair p = new Pair(TcpConfig.DEFAULT, TcpConfig.DEFAULT, 1460, 1460);
        p.client.write(p.now, Bytes.utf8("lost"), 0, 4);
        TcpSegment first = p.client.drainOutput().get(0);
        long rto = p.client.rtoNanos();
        p.now = p.client.nextDeadline();
        p.client.timer(p.now);
        List<TcpSegment> again = p.client.drainOutput();
        assertEquals(first.seq(), again.get(0).seq());
        assertEquals(first.payload(), again.get(0).payload());
        assertEquals(2 * rto, p.client.rtoNanos(), "RFC 6298 5.5: back off");
    }
}
