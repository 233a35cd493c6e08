package jmirage.net.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;

/**
 * One TCP connection, the protocol core (RFC 9293): the state machine, the send and receive
 * sequence spaces and buffers, delayed ACKs, Nagle, zero-window probes, keepalive, window scaling
 * (RFC 7323) and the RFC 5961 defences. It delegates the retransmission timeout to
 * {@link RtoEstimator} (RFC 6298), the congestion window to {@link CongestionControl} (RFC 5681,
 * RFC 6582) and the segments that arrive ahead of RCV.NXT to {@link OutOfOrderQueue}.
 *
 * <p>No I/O, no clock, no threads: every call takes {@code now} (monotonic nanoseconds) and queues
 * segments that the shell collects with {@link #drainOutput}; the shell arms one timer at {@link
 * #nextDeadline} and calls {@link #timer} when it fires.
 */
public final class TcpConnection {

    public enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, CLOSED }

    /** Why a connection ended, when it did not end normally. */
    public enum Failure { NONE, RESET, REFUSED, TIMED_OUT }

    public static final long NEVER = Long.MAX_VALUE;
    /** At most this many segments in a row go unacknowledged within one burst (a stretch ACK). */
    static final int STRETCH_ACK = 16;

    private final TcpConfig config;
    private final int localPort;
    private final int remotePort;
    private final int ourMss;
    private State state;
    private Failure failure = Failure.NONE;
    private boolean establishedEvent;
    private boolean orphaned;
    private boolean noDelay;

    // send sequence space (RFC 9293 3.3.1)
    private final SeqNum iss;
    private SeqNum sndUna;
    private SeqNum sndNxt;
    private SeqNum sndMax;
    private long sndWnd;
    private long maxSndWnd;
    private SeqNum sndWl1;
    private SeqNum sndWl2;
    private int sndMss = 536;
    private int sndShift;
    private int rcvShift;
    private final ByteRing sendBuffer;
    private boolean finQueued;
    private boolean finAcked;

    // receive sequence space
    private SeqNum irs;
    private SeqNum rcvNxt;
    private final ByteRing receiveBuffer;
    private final OutOfOrderQueue outOfOrder;
    private boolean finReceived;
    private long lastAdvertisedWindow;
    private int segmentsUnacked;

    // congestion control and retransmission (RFC 5681, 6582, 6298)
    private final CongestionControl congestion;
    private RtoEstimator rto;
    /** The segment being timed for an RTT sample (one at a time, never a retransmitted one: Karn), or empty. */
    private Optional<TimedSegment> timed = Optional.empty();
    private int retries;
    private final long synSentAt;
    private boolean scaling;

    // timers: absolute deadlines, NEVER when off
    private long rtoAt = NEVER;
    private long delayedAckAt = NEVER;
    private long persistAt = NEVER;
    private int persistBackoff;
    private long keepAliveAt = NEVER;
    private int keepAliveSent;
    private long timeWaitAt = NEVER;
    private long finWait2At = NEVER;

    private final List<TcpSegment> output = new ArrayList<>();
    private static final long INVALID_ACK_INTERVAL = 500_000_000L;
    private long lastInvalidAckAt = NEVER;

    /** RFC 6298 3: the first byte of a segment sent for the first time, and when. */
    private record TimedSegment(SeqNum seq, long sentAt) {}

    private TcpConnection(TcpConfig config, int localPort, int remotePort, SeqNum iss, int ourMss, State state, long now) {
        this.config = config;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.iss = iss;
        this.ourMss = ourMss;
        this.state = state;
        this.sndUna = iss;
        this.sndNxt = iss.plus(1);
        this.sndMax = sndNxt;
        this.sendBuffer = new ByteRing(config.sendBuffer());
        this.receiveBuffer = new ByteRing(config.receiveBuffer());
        this.outOfOrder = new OutOfOrderQueue(receiveBuffer.capacity());
        this.rto = RtoEstimator.initial(config);
        this.noDelay = config.noDelay();
        int shift = 0;
        while (shift < 14 && (config.receiveBuffer() >> shift) > 65535) {
            shift++;
        }
        this.rcvShift = shift;
        this.congestion = new CongestionControl(iss, ourMss, (long) config.sendBuffer() * 2);
        this.rtoAt = now + rto.rtoNanos();
        this.synSentAt = now;
    }

    /** An active open: SYN_SENT, the SYN queued. */
    public static TcpConnection connect(TcpConfig config, int localPort, int remotePort, SeqNum iss, int mss, long now) {
        TcpConnection c = new TcpConnection(config, localPort, remotePort, iss, mss, State.SYN_SENT, now);
        c.sendSyn(false);
        return c;
    }

    /** A passive open from a SYN to a listening port: SYN_RECEIVED, the SYN-ACK queued. */
    public static TcpConnection accept(TcpConfig config, TcpSegment syn, SeqNum iss, int mss, long now) {
        TcpConnection c = new TcpConnection(config, syn.destinationPort(), syn.sourcePort(), iss, mss, State.SYN_RECEIVED, now);
        c.irs = syn.seq();
        c.rcvNxt = syn.seq().plus(1);
        c.takeSynOptions(syn);
        c.sndWnd = syn.window(); // RFC 7323 2.2: the window of a SYN is never scaled
        c.sndWl1 = syn.seq();
        c.sndWl2 = c.iss;
        c.sendSyn(true);
        return c;
    }

    private void takeSynOptions(TcpSegment syn) {
        if (syn.mss() > 0) {
            sndMss = Math.min(syn.mss(), ourMss);
        } else {
            sndMss = Math.min(536, ourMss); // RFC 9293 3.7.1: the default send MSS is 536
        }
        sndMss = Math.max(sndMss, 64);
        if (syn.windowScale() >= 0) {
            sndShift = syn.windowScale();
            scaling = true;
        } else {
            sndShift = 0;
            rcvShift = 0; // RFC 7323 2.2: scaling only when both sides offered it
        }
        congestion.restart(sndMss);
    }

    // ---- queries ----

    public State state() {
        return state;
    }

    public Failure failure() {
        return failure;
    }

    public int localPort() {
        return localPort;
    }

    public int remotePort() {
        return remotePort;
    }

    /** True once, when the connection reaches ESTABLISHED (for accept and connect). */
    public boolean takeEstablished() {
        boolean e = establishedEvent;
        establishedEvent = false;
        return e;
    }

    /** Bytes waiting for the application to read. */
    public int available() {
        return receiveBuffer.size();
    }

    /** Whether the peer's FIN arrived and everything before it was read. */
    public boolean atEof() {
        return finReceived && receiveBuffer.size() == 0;
    }

    /** Room in the send buffer. */
    public int sendSpace() {
        return finQueued ? 0 : sendBuffer.free();
    }

    public boolean outputShutdown() {
        return finQueued;
    }

    /** Bytes of memory the connection holds (buffers and out-of-order segments). */
    public long memory() {
        return sendBuffer.allocated() + receiveBuffer.allocated() + outOfOrder.bytes();
    }

    public long congestionWindow() {
        return congestion.window();
    }

    public long rtoNanos() {
        return rto.rtoNanos();
    }

    public void setNoDelay(boolean on) {
        this.noDelay = on;
    }

    public List<TcpSegment> drainOutput() {
        if (output.isEmpty()) {
            return List.of();
        }
        List<TcpSegment> out = new ArrayList<>(output);
        output.clear();
        return out;
    }

    public long nextDeadline() {
        return Math.min(Math.min(Math.min(rtoAt, delayedAckAt), Math.min(persistAt, keepAliveAt)), Math.min(timeWaitAt, finWait2At));
    }

    // ---- application calls ----

    /** Queues up to {@code length} bytes of {@code data} from {@code from}; returns how many were taken. */
    public int write(long now, Bytes data, int from, int length) {
        if (finQueued || state == State.CLOSED) {
            return 0;
        }
        int n = sendBuffer.write(data, from, length);
        if (n > 0) {
            sendData(now);
        }
        return n;
    }

    /** Takes up to {@code max} received bytes; may send a window update (RFC 9293 3.8.6.2.2). */
    public Bytes read(long now, int max) {
        int n = Math.min(max, receiveBuffer.size());
        if (n == 0) {
            return Bytes.EMPTY;
        }
        Bytes b = receiveBuffer.take(n);
        long window = advertisableWindow();
        long threshold = Math.min(config.receiveBuffer() / 2, sndMss);
        if (state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2) {
            if (window - lastAdvertisedWindow >= threshold) {
                sendAck();
            }
        }
        return b;
    }

    /** Shuts the output down: a FIN goes after the queued data (RFC 9293 3.10.4). */
    public void shutdown(long now) {
        if (finQueued) {
            return;
        }
        switch (state) {
            case SYN_SENT -> {
                state = State.CLOSED;
                clearTimers();
            }
            case SYN_RECEIVED, ESTABLISHED -> {
                finQueued = true;
                if (state == State.ESTABLISHED) {
                    state = State.FIN_WAIT_1;
                }
                sendData(now);
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = State.LAST_ACK;
                sendData(now);
            }
            default -> { }
        }
    }

    /** The application closed the flow: nothing more will be read; unread data and arrivals are discarded. */
    public void orphan(long now) {
        if (orphaned) {
            return;
        }
        orphaned = true;
        receiveBuffer.drop(receiveBuffer.size());
        shutdown(now);
        if (state == State.FIN_WAIT_2) {
            finWait2At = now + config.finWait2Timeout().toNanos();
        }
    }

    /** Aborts with a RST (RFC 9293 3.10.5). */
    public void abort(long now) {
        if (state != State.CLOSED && state != State.SYN_SENT && state != State.TIME_WAIT) {
            output.add(segment(acceptableSeq(), TcpSegment.RST | TcpSegment.ACK, Bytes.EMPTY));
        }
        state = State.CLOSED;
        clearTimers();
    }

    /** Drops the connection without a word (an evicted half-open connection). */
    public void discard() {
        state = State.CLOSED;
        clearTimers();
    }

    // ---- segment arrival (RFC 9293 3.10.7) ----

    public void input(long now, TcpSegment seg) {
        switch (state) {
            case CLOSED -> { }
            case SYN_SENT -> inputSynSent(now, seg);
            default -> inputSynchronized(now, seg);
        }
    }

    private void inputSynSent(long now, TcpSegment seg) {
        if (seg.has(TcpSegment.ACK) && (seg.ack().leq(iss) || seg.ack().gt(sndMax))) {
            if (!seg.has(TcpSegment.RST)) {
                output.add(new TcpSegment(localPort, remotePort, seg.ack(), SeqNum.of(0), TcpSegment.RST, 0, -1, -1, Bytes.EMPTY));
            }
            return;
        }
        if (seg.has(TcpSegment.RST)) {
            if (seg.has(TcpSegment.ACK)) {
                fail(Failure.REFUSED);
            }
            return;
        }
        if (!seg.has(TcpSegment.SYN)) {
            return;
        }
        irs = seg.seq();
        rcvNxt = seg.seq().plus(1);
        takeSynOptions(seg);
        sndWl1 = seg.seq();
        sndWl2 = seg.ack();
        sndWnd = seg.window();
        maxSndWnd = sndWnd;
        if (seg.has(TcpSegment.ACK)) {
            if (retries == 0) {
                rto = rto.withSample(now - synSentAt); // Karn: only from a SYN sent once
            }
            sndUna = seg.ack();
            retries = 0;
            rtoAt = NEVER;
            state = State.ESTABLISHED;
            establishedEvent = true;
            armKeepAlive(now);
            sendAck();
            sendData(now);
        } else {
            state = State.SYN_RECEIVED; // simultaneous open (RFC 9293 3.5, figure 8)
            sendSyn(true);
        }
    }

    private void inputSynchronized(long now, TcpSegment seg) {
        if (state == State.SYN_RECEIVED && seg.has(TcpSegment.SYN) && !seg.has(TcpSegment.ACK) && seg.seq().equals(irs)) {
            sendSyn(true); // our SYN-ACK was lost: the peer sent its SYN again
            return;
        }
        if (!acceptable(seg)) {
            // RFC 9293 3.10.7.4 first: an unacceptable segment gets an ACK, unless it is a RST. For
            // empty segments the answer is rate-limited (as Linux's tcp_invalid_ratelimit), so two
            // confused ends cannot ping-pong ACKs forever.
            if (seg.length() == 0 && !seg.has(TcpSegment.RST)) {
                if (now - lastInvalidAckAt < INVALID_ACK_INTERVAL && lastInvalidAckAt != NEVER) {
                    return;
                }
                lastInvalidAckAt = now;
            }
            if (!seg.has(TcpSegment.RST)) {
                if (state == State.TIME_WAIT && seg.has(TcpSegment.FIN)) {
                    timeWaitAt = now + config.timeWait().toNanos();
                }
                sendAck();
            }
            return;
        }
        keepAliveSent = 0;
        armKeepAlive(now);
        // RFC 5961 3.2: a RST is honoured only at exactly RCV.NXT; elsewhere in the window, a challenge ACK.
        if (seg.has(TcpSegment.RST)) {
            if (state == State.TIME_WAIT) {
                return; // RFC 1337: a RST must not assassinate TIME_WAIT
            }
            if (seg.seq().equals(rcvNxt)) {
                fail(Failure.RESET);
            } else {
                sendAck();
            }
            return;
        }
        // RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK, whatever its sequence number.
        if (seg.has(TcpSegment.SYN)) {
            sendAck();
            return;
        }
        if (!seg.has(TcpSegment.ACK)) {
            return;
        }
        if (state == State.SYN_RECEIVED) {
            if (seg.ack().gt(sndUna) && seg.ack().leq(sndMax)) {
                state = State.ESTABLISHED;
                establishedEvent = true;
                sndWnd = (long) seg.window() << sndShift;
                maxSndWnd = sndWnd;
                sndWl1 = seg.seq();
                sndWl2 = seg.ack();
                if (retries == 0) {
                    rto = rto.withSample(now - synSentAt);
                }
                retries = 0;
                sndUna = sndUna.plus(1); // the SYN
                rtoAt = NEVER;
                if (finQueued) {
                    state = State.FIN_WAIT_1;
                }
            } else {
                output.add(new TcpSegment(localPort, remotePort, seg.ack(), SeqNum.of(0), TcpSegment.RST, 0, -1, -1, Bytes.EMPTY));
                return;
            }
        }
        if (!processAck(now, seg)) {
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        processData(now, seg);
        sendData(now);
    }

    /** RFC 9293 3.10.7.4, the acceptability table, with the zero-window allowance for ACKs. */
    private boolean acceptable(TcpSegment seg) {
        long window = receiveWindow();
        int len = seg.length();
        SeqNum right = rcvNxt.plus((int) Math.min(window, Integer.MAX_VALUE));
        if (len == 0) {
            return window == 0 ? seg.seq().equals(rcvNxt) : seg.seq().inWindow(rcvNxt, right);
        }
        if (window == 0) {
            return seg.seq().equals(rcvNxt); // its data is trimmed away later; the ACK still counts
        }
        return seg.seq().inWindow(rcvNxt, right) || seg.seq().plus(len - 1).inWindow(rcvNxt, right);
    }

    /** Returns false when the segment must be dropped after the ACK field. */
    private boolean processAck(long now, TcpSegment seg) {
        SeqNum ack = seg.ack();
        if (ack.gt(sndMax)) {
            sendAck(); // acknowledges something never sent (RFC 9293 3.10.7.4 fifth)
            return false;
        }
        // RFC 5961 5.2: an ACK older than the largest window the peer ever offered is a blind attack.
        if (ack.lt(sndUna.plus((int) -Math.min(maxSndWnd, Integer.MAX_VALUE)))) {
            sendAck();
            return false;
        }
        long window = (long) seg.window() << sndShift;
        if (ack.gt(sndUna)) {
            newAck(now, ack);
        } else if (ack.equals(sndUna) && seg.payload().isEmpty() && !seg.has(TcpSegment.FIN)
                && window == sndWnd && sndMax.gt(sndUna)) {
            duplicateAck(now);
        }
        // RFC 9293 3.10.7.4: update the send window from the newest segment only.
        if (sndWl1 == null || sndWl1.lt(seg.seq()) || (sndWl1.equals(seg.seq()) && sndWl2.leq(ack))) {
            sndWnd = window;
            maxSndWnd = Math.max(maxSndWnd, window);
            sndWl1 = seg.seq();
            sndWl2 = ack;
            if (sndWnd > 0) {
                persistAt = NEVER;
                persistBackoff = 0;
            }
        }
        if (finAcked) {
            switch (state) {
                case FIN_WAIT_1 -> {
                    state = State.FIN_WAIT_2;
                    if (orphaned) {
                        finWait2At = now + config.finWait2Timeout().toNanos();
                    }
                }
                case CLOSING -> enterTimeWait(now);
                case LAST_ACK -> {
                    state = State.CLOSED;
                    clearTimers();
                    return false;
                }
                default -> { }
            }
        }
        if (state == State.TIME_WAIT && seg.has(TcpSegment.FIN)) {
            sendAck();
            timeWaitAt = now + config.timeWait().toNanos();
            return false;
        }
        return true;
    }

    private void newAck(long now, SeqNum ack) {
        int acked = ack.minus(sndUna);
        int dataAcked = Math.min(acked, sendBuffer.size());
        sendBuffer.drop(dataAcked);
        if (finQueued && acked > dataAcked) {
            finAcked = true;
        }
        sndUna = ack;
        if (sndNxt.lt(sndUna)) {
            sndNxt = sndUna;
        }
        if (timed.isPresent() && ack.gt(timed.get().seq())) {
            rto = rto.withSample(now - timed.get().sentAt());
            timed = Optional.empty();
        }
        retries = 0;
        if (congestion.onNewAck(ack, acked, sndMax.minus(sndUna), sndMss)) {
            retransmitFirst(); // a partial ACK in recovery: the next hole, at once
        }
        // RFC 6298 5.2, 5.3: restart the timer while data is outstanding, stop it when all is acknowledged.
        rtoAt = sndUna.equals(sndMax) || finAcked ? NEVER : now + rto.rtoNanos();
    }

    private void duplicateAck(long now) {
        if (congestion.onDuplicateAck(sndUna, sndMax, sndMss)) {
            timed = Optional.empty(); // Karn: no sample from a retransmitted segment
            retransmitFirst();
            rtoAt = now + rto.rtoNanos();
        }
    }

    private void processData(long now, TcpSegment seg) {
        boolean canReceive = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
        if (!canReceive) {
            return;
        }
        Bytes data = seg.payload();
        SeqNum seq = seg.seq();
        boolean fin = seg.has(TcpSegment.FIN);
        // Trim what we already have (RFC 9293 3.10.7.4: "segments with higher beginning sequence numbers may be held").
        int behind = rcvNxt.minus(seq);
        if (behind > 0) {
            if (behind >= data.size() + (fin ? 1 : 0)) {
                if (!data.isEmpty() || fin) {
                    sendAck(); // an old duplicate: tell the peer where we are
                }
                return;
            }
            data = data.slice(Math.min(behind, data.size()), data.size());
            seq = rcvNxt;
        }
        long window = receiveWindow();
        if (data.size() > window - seq.minus(rcvNxt)) {
            int keep = (int) Math.max(0, window - seq.minus(rcvNxt));
            data = data.slice(0, Math.min(keep, data.size()));
            fin = false; // the FIN lies beyond the window
        }
        if (data.isEmpty() && !fin) {
            if (!seg.payload().isEmpty()) {
                sendAck();
            }
            return;
        }
        if (!seq.equals(rcvNxt)) {
            outOfOrder.store(seq, data, fin);
            sendAck(); // RFC 5681 4.2: an out-of-order segment is acknowledged at once (a duplicate ACK)
            return;
        }
        boolean fillsGap = !outOfOrder.isEmpty();
        accept(data);
        if (fin) {
            receiveFin(now);
        }
        drainOutOfOrder(now);
        if (fillsGap || finReceived) {
            sendAck();
        } else if (++segmentsUnacked >= STRETCH_ACK) {
            sendAck();
        } else if (segmentsUnacked >= 2) {
            // RFC 5681 4.2 asks (SHOULD) for an ACK at least every second full-sized segment; we
            // make it due now, and the shell's timer, which runs after the frames already read,
            // sends one ACK for the burst (issue 22: one write(2) per ACK was the tap target's
            // largest cost). Linux acknowledges a GRO super-frame the same way.
            delayedAckAt = now;
        } else if (delayedAckAt == NEVER) {
            delayedAckAt = now + config.delayedAck().toNanos();
        }
    }

    private void accept(Bytes data) {
        if (orphaned) {
            rcvNxt = rcvNxt.plus(data.size()); // nobody will read it: acknowledge and forget
            return;
        }
        int n = receiveBuffer.write(data, 0, data.size());
        rcvNxt = rcvNxt.plus(n);
    }

    /** Delivers the held segments that the data just received has made contiguous. */
    private void drainOutOfOrder(long now) {
        for (Optional<OutOfOrderQueue.Piece> next = outOfOrder.takeReachable(rcvNxt); next.isPresent();
                next = outOfOrder.takeReachable(rcvNxt)) {
            OutOfOrderQueue.Piece piece = next.get();
            int beyond = piece.end().minus(rcvNxt);
            if (beyond > 0) {
                accept(piece.data().slice(rcvNxt.minus(piece.seq()), piece.data().size()));
            }
            if (piece.fin() && beyond >= 0 && !finReceived) {
                receiveFin(now);
            }
        }
        if (finReceived) {
            outOfOrder.clear();
        }
    }

    private void receiveFin(long now) {
        if (finReceived) {
            return;
        }
        finReceived = true;
        rcvNxt = rcvNxt.plus(1);
        switch (state) {
            case ESTABLISHED -> state = State.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    enterTimeWait(now);
                } else {
                    state = State.CLOSING;
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> { }
        }
    }

    private void enterTimeWait(long now) {
        state = State.TIME_WAIT;
        clearTimers();
        timeWaitAt = now + config.timeWait().toNanos();
    }

    // ---- timers ----

    public void timer(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (timeWaitAt <= now || finWait2At <= now) {
            state = State.CLOSED;
            clearTimers();
            return;
        }
        if (delayedAckAt <= now) {
            sendAck();
        }
        if (rtoAt <= now) {
            retransmissionTimeout(now);
        }
        if (persistAt <= now) {
            // RFC 9293 3.8.6.1: probe a zero window; the peer answers with its window.
            probe();
            persistBackoff = Math.min(persistBackoff + 1, 10);
            persistAt = now + Math.min(config.maxRto().toNanos(), rto.rtoNanos() << persistBackoff);
        }
        if (keepAliveAt <= now && state != State.CLOSED) {
            if (keepAliveSent >= config.keepAliveProbes()) {
                fail(Failure.TIMED_OUT);
                output.add(segment(acceptableSeq(), TcpSegment.RST | TcpSegment.ACK, Bytes.EMPTY));
                return;
            }
            keepAliveSent++;
            probe(); // RFC 1122 4.2.3.6: SEG.SEQ = SND.NXT - 1, no data
            keepAliveAt = now + config.keepAliveInterval().toNanos();
        }
    }

    private void retransmissionTimeout(long now) {
        retries++;
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (retries > config.synRetries()) {
                    fail(Failure.TIMED_OUT);
                    return;
                }
                backOff(now);
                sendSyn(state == State.SYN_RECEIVED);
                return;
            }
            default -> { }
        }
        if (retries > config.maxRetries()) {
            output.add(segment(acceptableSeq(), TcpSegment.RST | TcpSegment.ACK, Bytes.EMPTY));
            fail(Failure.TIMED_OUT);
            return;
        }
        congestion.onTimeout(sndMax.minus(sndUna), sndMax, sndMss);
        timed = Optional.empty();
        sndNxt = sndUna; // go back: resend from the first unacknowledged byte
        backOff(now);
        sendData(now);
        if (rtoAt == NEVER && sndMax.gt(sndUna)) {
            rtoAt = now + rto.rtoNanos();
        }
    }

    /** RFC 6298 5.5, 5.6: back off the RTO and restart the timer with it. */
    private void backOff(long now) {
        rto = rto.backedOff();
        rtoAt = now + rto.rtoNanos();
    }

    private void armKeepAlive(long now) {
        if (config.keepAliveIdle().isPresent() && (state == State.ESTABLISHED || state == State.CLOSE_WAIT)) {
            keepAliveAt = now + config.keepAliveIdle().get().toNanos();
        } else {
            keepAliveAt = NEVER;
        }
    }

    private void clearTimers() {
        rtoAt = NEVER;
        delayedAckAt = NEVER;
        persistAt = NEVER;
        keepAliveAt = NEVER;
        finWait2At = NEVER;
        if (state != State.TIME_WAIT) {
            timeWaitAt = NEVER;
        }
    }

    private void fail(Failure why) {
        failure = why;
        state = State.CLOSED;
        clearTimers();
    }

    // ---- output ----

    private boolean canSend() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    /** Sends what the windows, Nagle and SWS avoidance allow (RFC 9293 3.8.6.2.1, RFC 1122 4.2.3.4). */
    private void sendData(long now) {
        if (!canSend() || finAcked) {
            return;
        }
        while (true) {
            int offset = sndNxt.minus(sndUna);
            int unsent = sendBuffer.size() - offset;
            long flight = offset;
            long usable = Math.min(sndWnd, congestion.window()) - flight;
            if (unsent > 0) {
                int len = (int) Math.min(Math.min(sndMss, unsent), Math.max(0, usable));
                if (len <= 0) {
                    if (sndWnd == 0 && flight == 0 && persistAt == NEVER) {
                        persistAt = now + rto.rtoNanos();
                    }
                    break;
                }
                boolean all = len == unsent;
                if (len < sndMss && flight > 0) {
                    if (!all) {
                        break; // sender SWS avoidance: wait for a full segment's worth of window
                    }
                    if (!noDelay && !finQueued) {
                        break; // Nagle: one small segment in flight at a time
                    }
                }
                boolean fin = finQueued && all && usable > len; // the FIN takes a unit of window too
                SeqNum seq = sndNxt;
                boolean newData = seq.equals(sndMax) || seq.gt(sndMax);
                Bytes payload = sendBuffer.peek(offset, len);
                output.add(segment(seq, TcpSegment.ACK | (all ? TcpSegment.PSH : 0) | (fin ? TcpSegment.FIN : 0), payload));
                sndNxt = seq.plus(len + (fin ? 1 : 0));
                sndMax = SeqNum.max(sndMax, sndNxt);
                if (newData && timed.isEmpty()) {
                    timed = Optional.of(new TimedSegment(seq, now));
                }
                if (rtoAt == NEVER) {
                    rtoAt = now + rto.rtoNanos();
                }
                if (fin) {
                    break;
                }
            } else if (finQueued && unsent == 0) {
                if (usable <= 0) {
                    if (sndWnd == 0 && flight == 0 && persistAt == NEVER) {
                        persistAt = now + rto.rtoNanos(); // the FIN waits for the window like data
                    }
                    break;
                }
                output.add(segment(sndNxt, TcpSegment.ACK | TcpSegment.FIN, Bytes.EMPTY));
                sndNxt = sndNxt.plus(1);
                sndMax = SeqNum.max(sndMax, sndNxt);
                if (rtoAt == NEVER) {
                    rtoAt = now + rto.rtoNanos();
                }
                break;
            } else {
                break;
            }
        }
    }

    /** Resends the first unacknowledged segment (fast retransmit, partial ACK). */
    private void retransmitFirst() {
        // Only what was sent before: bytes queued since then are new data, for sendData and the windows.
        int len = Math.min(sndMss, Math.min(sendBuffer.size(), Math.max(0, sndMax.minus(sndUna))));
        boolean fin = finQueued && len == sendBuffer.size() && sndMax.gt(sndUna.plus(len));
        if (len == 0 && !fin) {
            return;
        }
        output.add(segment(sndUna, TcpSegment.ACK | (fin ? TcpSegment.FIN : 0), sendBuffer.peek(0, len)));
    }

    private void probe() {
        output.add(segment(sndUna.plus(-1), TcpSegment.ACK, Bytes.EMPTY));
    }

    private void sendSyn(boolean withAck) {
        // RFC 7323 2.2: a SYN-ACK carries the option only if the SYN did.
        output.add(new TcpSegment(localPort, remotePort, iss, withAck ? rcvNxt : SeqNum.of(0),
                TcpSegment.SYN | (withAck ? TcpSegment.ACK : 0), (int) Math.min(65535, receiveWindow()), ourMss,
                withAck && !scaling ? -1 : rcvShift, Bytes.EMPTY));
    }

    /**
     * A pure ACK carries SND.MAX, capped at the right edge of the peer's window (as Linux's
     * tcp_acceptable_seq): after a timeout rewinds SND.NXT the peer may already hold what lies
     * between, and an ACK numbered below its RCV.NXT, or beyond a closed window, is unacceptable to
     * it, which would start an ACK war or stall the ACK in a zero window.
     */
    private void sendAck() {
        output.add(segment(acceptableSeq(), TcpSegment.ACK, Bytes.EMPTY));
    }

    private SeqNum acceptableSeq() {
        SeqNum edge = sndUna.plus((int) Math.min(sndWnd, Integer.MAX_VALUE));
        return edge.lt(sndMax) ? SeqNum.max(edge, sndUna) : sndMax;
    }

    private TcpSegment segment(SeqNum seq, int flags, Bytes payload) {
        long window = advertisableWindow();
        lastAdvertisedWindow = window;
        delayedAckAt = NEVER;
        segmentsUnacked = 0;
        SeqNum ack = rcvNxt == null ? SeqNum.of(0) : rcvNxt;
        return new TcpSegment(localPort, remotePort, seq, ack, flags, (int) Math.min(65535, window >> rcvShift), -1, -1, payload);
    }

    /** The receive window: free buffer space (the right edge never moves left, RFC 9293 3.8.6.2.2). */
    private long receiveWindow() {
        return orphaned ? config.receiveBuffer() : receiveBuffer.free();
    }

    private long advertisableWindow() {
        long w = receiveWindow();
        return Math.min(w, 65535L << rcvShift) & ~((1L << rcvShift) - 1);
    }

    @Override
    public String toString() {
        return "tcp " + localPort + "->" + remotePort + " " + state + " una " + sndUna + " nxt " + sndNxt + " rcv " + rcvNxt
                + " cwnd " + congestion.window() + " wnd " + sndWnd;
    }
}
