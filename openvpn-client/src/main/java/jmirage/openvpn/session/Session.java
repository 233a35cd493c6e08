package jmirage.openvpn.session;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Log;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.openvpn.control.ControlReplay;
import jmirage.openvpn.control.Reliability;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.CompressionFraming;
import jmirage.openvpn.data.DataChannel;
import jmirage.openvpn.data.Ping;
import jmirage.openvpn.keys.ControlMessage;
import jmirage.openvpn.keys.DataKeys;
import jmirage.openvpn.keys.KeyExpansion;
import jmirage.openvpn.keys.KeyMethod2;
import jmirage.openvpn.keys.KeySource;
import jmirage.openvpn.keys.PeerInfo;
import jmirage.openvpn.keys.PushReply;
import jmirage.openvpn.wire.Acks;
import jmirage.openvpn.wire.ControlPacket;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.EarlyNegotiation;
import jmirage.openvpn.wire.Opcode;
import jmirage.openvpn.wire.ReplayStamp;
import jmirage.openvpn.wire.SessionId;
import jmirage.openvpn.wire.StaticKey;
import jmirage.openvpn.wire.WireError;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFlow;

/**
 * One OpenVPN session of a client with its server (ssl.c tls_multi with its key states), on the
 * event loop: packets from the transport go to {@link #input}, the time to {@link #tick}, IPv4
 * datagrams for the tunnel to {@link #sendIp}; packets for the transport leave by {@code transport},
 * and what happens is reported to {@link Events}. The cores do the work: {@link ControlWrap} and
 * {@link ControlReplay} for each control packet, {@link Reliability} per key state, the platform's TLS
 * ({@link TlsFlow}) over the reliable stream, {@link KeyMethod2}, {@link PushReply},
 * {@link KeyExpansion} (TLS-EKM or the PRF, as the server pushed) and a {@link DataChannel} per key.
 *
 * <p>A key state begins with a reset (the hard reset for key 0, a soft reset for each renegotiation,
 * whichever side starts it), then TLS, then key method 2; the previous key keeps decrypting until
 * the transition window (ssl.c, {@code --tran-window}, 60 s) is over. The server's soft reset starts a
 * renegotiation, and so does {@code reneg-sec} (ours or the pushed one) running out.
 */
public final class Session {

    /** What the shell learns from the session. */
    public interface Events {
        /** The data channel works: the first time after each connect, with what the server pushed. */
        void up(PushReply push);

        /** An IPv4 datagram out of the tunnel. */
        void packet(Bytes datagram);

        /** The session cannot go on (TLS failed, ping-restart, RESTART, AUTH_FAILED): reconnect, unless {@code fatal}. */
        void failed(String reason, boolean fatal);
    }

    /**
     * What a session needs from the configuration.
     *
     * @param handshakeWindow a key state not ready in this time fails the session ({@code hand-window}, 60 s)
     */
    public record Settings(ControlWrap wrap, boolean tcp, TlsClientConfig tls, List<AeadCipher> ciphers, Optional<String> username,
            Optional<String> password, Duration renegotiation, Duration ping, Duration pingRestart, CompressionFraming compression,
            Duration handshakeWindow) {
        public Settings {
            ciphers = List.copyOf(ciphers);
        }
    }

    /** ssl_common.h TLS_CHANNEL_BUF_SIZE-ish: TLS bytes per P_CONTROL_V1, well within a 1500-byte path with any wrapping. */
    static final int CONTROL_PAYLOAD = 1100;
    /** --tran-window default: how long the previous key keeps decrypting after a renegotiation. */
    static final Duration TRANSITION = Duration.ofSeconds(60);

    private final Settings settings;
    private final Consumer<Bytes> transport;
    private final Events events;
    private final TlsDevices devices;
    private final Log log;
    private final SessionId local;
    private SessionId remote;
    private long wrapId;
    private ControlReplay replay = ControlReplay.EMPTY;
    private KeyState current;
    private KeyState retiring;
    private Instant retiringUntil;
    private PushReply push;
    private final List<PushReply> pushParts = new ArrayList<>();
    /** Monotonic nanoseconds of the last packet from the server and to it (ping.c: every data packet counts, read per packet). */
    private long lastReceived;
    private long lastSent;
    private boolean resendWrappedKey;
    private boolean dead;

    public Session(Settings settings, Consumer<Bytes> transport, Events events, TlsDevices devices, Log log) {
        this.settings = settings;
        this.transport = transport;
        this.events = events;
        this.devices = devices;
        this.log = log;
        this.local = new SessionId(devices.random().nextLong());
        boolean v2 = settings.wrap() instanceof ControlWrap.TlsCrypt c && c.wrappedClientKey().isPresent();
        // ssl.c tls_session_init: a tls-crypt-v2 client starts its replay ids at EARLY_NEG_START.
        this.wrapId = v2 ? EarlyNegotiation.START : 1;
    }

    /** Sends the hard reset that opens the session. */
    public void start() {
        Instant now = devices.clock().now();
        lastReceived = devices.clock().monotonicNanos();
        lastSent = lastReceived;
        boolean v2 = settings.wrap() instanceof ControlWrap.TlsCrypt c && c.wrappedClientKey().isPresent();
        current = new KeyState(0, now);
        offer(current, v2 ? Opcode.CONTROL_HARD_RESET_CLIENT_V3 : Opcode.CONTROL_HARD_RESET_CLIENT_V2, Bytes.EMPTY);
    }

    /** The data channel's current key is ready. */
    public boolean isUp() {
        return current != null && current.channel != null || retiring != null && retiring.channel != null;
    }

    /** Whether the session has ended; a dead session ignores everything. */
    public boolean isDead() {
        return dead;
    }

    // ---- from the transport ----

    /** One packet from the server (a UDP payload, or one packet of the TCP stream). */
    public void input(Bytes packet) {
        if (dead || packet.isEmpty()) {
            return;
        }
        if (DataPacket.isData(packet)) {
            data(packet);
            return;
        }
        Result<ControlWrap.Unwrapped, WireError> unwrapped = settings.wrap().unwrap(packet);
        if (!(unwrapped instanceof Result.Ok<ControlWrap.Unwrapped, WireError>(ControlWrap.Unwrapped u))) {
            log.debug(() -> "control packet dropped: " + ((Result.Err<ControlWrap.Unwrapped, WireError>) unwrapped).error().reason());
            return;
        }
        if (u.stamp().isPresent()) {
            if (replay.check(u.stamp().get()) != ControlReplay.Verdict.FRESH) {
                log.debug(() -> "control packet replayed: " + u.stamp().get());
                return;
            }
            replay = replay.accept(u.stamp().get());
        }
        control(u.packet());
    }

    private void control(ControlPacket packet) {
        Instant now = devices.clock().now();
        if (packet.opcode() == Opcode.CONTROL_HARD_RESET_SERVER_V2) {
            if (remote != null && !remote.equals(packet.session())) {
                return; // another session of the server's: ours is the first
            }
            remote = packet.session();
        } else if (remote == null || !remote.equals(packet.session())) {
            return;
        }
        lastReceived = devices.clock().monotonicNanos();
        KeyState ks = keyState(packet.keyId());
        if (ks == null) {
            if (packet.opcode() != Opcode.CONTROL_SOFT_RESET_V1 || current == null || current.channel == null) {
                return;
            }
            // The server renegotiates (ssl.c key_state_soft_reset): a new key state answering with our own soft reset.
            log.info("the server renegotiates: key " + packet.keyId());
            renegotiate(packet.keyId(), now);
            ks = current;
        }
        Optional<Reliability.Received> message = packet instanceof ControlPacket.Message m
                ? Optional.of(new Reliability.Received(m.messageId(), new Reliability.Message(m.opcode(), m.payload())))
                : Optional.empty();
        Reliability.Step step = ks.reliability.receive(now, packet.acks().ids(), message);
        // The acks ride on the first message the deliveries make us send (the ClientHello after the
        // server's reset), as OpenVPN's do: a tls-crypt-v2 server without state yet (HMAC cookie,
        // ssl_pkt.c check_session_hmac_and_pkt_id) accepts only a P_CONTROL_WKC_V1 that acknowledges its reset.
        List<Reliability.Outbound> now1 = new ArrayList<>();
        for (Reliability.Outbound out : step.send()) {
            if (out instanceof Reliability.Outbound.AckOnly a) {
                ks.heldAcks.addAll(a.acks());
            } else {
                now1.add(out);
            }
        }
        apply(ks, new Reliability.Step(step.next(), now1, step.delivered(), step.deadline()));
        for (Reliability.Message delivered : step.delivered()) {
            if (dead) {
                return;
            }
            delivered(ks, delivered);
        }
        if (!dead && !ks.heldAcks.isEmpty()) {
            for (int at = 0; at < ks.heldAcks.size(); at += Acks.MAX) {
                List<Long> ids = ks.heldAcks.subList(at, Math.min(ks.heldAcks.size(), at + Acks.MAX));
                send(new ControlPacket.Ack(ks.keyId, local, Acks.of(ids, remote)));
            }
            ks.heldAcks.clear();
        }
    }

    private void delivered(KeyState ks, Reliability.Message message) {
        switch (message.opcode()) {
            case CONTROL_HARD_RESET_SERVER_V2, CONTROL_SOFT_RESET_V1 -> {
                if (message.opcode() == Opcode.CONTROL_HARD_RESET_SERVER_V2 && !message.payload().isEmpty()) {
                    if (EarlyNegotiation.parse(message.payload()) instanceof Result.Ok<EarlyNegotiation, WireError>(EarlyNegotiation e)) {
                        resendWrappedKey = e.resendWrappedKey();
                    }
                }
                startTls(ks);
            }
            case CONTROL_V1 -> ks.flow.deliver(message.payload());
            default -> log.debug(() -> "control message " + message.opcode() + " ignored");
        }
    }

    private void data(Bytes packet) {
        Result<DataPacket, WireError> decoded = DataPacket.decode(packet);
        if (!(decoded instanceof Result.Ok<DataPacket, WireError>(DataPacket p))) {
            return;
        }
        KeyState ks = keyState(p.keyId());
        if (ks == null || ks.channel == null) {
            return;
        }
        Result<Bytes, WireError> plain = ks.channel.decrypt(p).flatMap(settings.compression()::unframe);
        if (!(plain instanceof Result.Ok<Bytes, WireError>(Bytes payload))) {
            log.debug(() -> "data packet dropped: " + ((Result.Err<Bytes, WireError>) plain).error().reason());
            return;
        }
        lastReceived = devices.clock().monotonicNanos();
        if (!Ping.isPing(payload) && !payload.isEmpty()) {
            events.packet(payload);
        }
    }

    // ---- to the tunnel ----

    /** Sends an IPv4 datagram through the tunnel; false when no key is ready (the datagram is dropped). */
    public boolean sendIp(Bytes datagram) {
        KeyState ks = current != null && current.channel != null ? current : retiring;
        if (dead || ks == null || ks.channel == null) {
            return false;
        }
        Result<Bytes, WireError> sealed = ks.channel.encrypt(settings.compression().frame(datagram));
        if (!(sealed instanceof Result.Ok<Bytes, WireError>(Bytes packet))) {
            return false;
        }
        lastSent = devices.clock().monotonicNanos();
        transport.accept(packet);
        return true;
    }

    // ---- time ----

    /** Called about once a second: retransmissions, ping, ping-restart, renegotiation, the transition window. */
    public void tick() {
        if (dead) {
            return;
        }
        Instant now = devices.clock().now();
        for (KeyState ks : new KeyState[] {current, retiring}) {
            if (ks != null) {
                apply(ks, ks.reliability.tick(now));
            }
        }
        if (retiring != null && now.isAfter(retiringUntil)) {
            retiring.close();
            retiring = null;
        }
        if (current.channel == null && Duration.between(current.started, now).compareTo(settings.handshakeWindow()) > 0) {
            fail("TLS key negotiation did not finish within " + settings.handshakeWindow().toSeconds() + " s", false);
            return;
        }
        Duration pingRestart = push != null ? push.pingRestart().orElse(settings.pingRestart()) : settings.pingRestart();
        long nanos = devices.clock().monotonicNanos();
        if (!pingRestart.isZero() && nanos - lastReceived > pingRestart.toNanos()) {
            fail("ping-restart: nothing from the server for " + pingRestart.toSeconds() + " s", false);
            return;
        }
        Duration ping = push != null ? push.ping().orElse(settings.ping()) : settings.ping();
        if (isUp() && !ping.isZero() && nanos - lastSent >= ping.toNanos()) {
            KeyState ks = current.channel != null ? current : retiring;
            if (ks.channel.encrypt(settings.compression().frame(Ping.MAGIC)) instanceof Result.Ok<Bytes, WireError>(Bytes packet)) {
                lastSent = nanos;
                transport.accept(packet);
            }
        }
        Duration reneg = push != null ? push.renegotiation().orElse(settings.renegotiation()) : settings.renegotiation();
        boolean worn = current.channel != null && current.channel.needsRenegotiation();
        if (current.ready != null && (worn || !reneg.isZero() && Duration.between(current.ready, now).compareTo(reneg) >= 0)) {
            log.info("renegotiating: key " + nextKeyId(current.keyId));
            renegotiate(nextKeyId(current.keyId), now);
        }
    }

    /** Stops: no more packets, no more events. */
    public void close() {
        dead = true;
        for (KeyState ks : new KeyState[] {current, retiring}) {
            if (ks != null) {
                ks.close();
            }
        }
    }

    // ---- key states ----

    private void renegotiate(int keyId, Instant now) {
        if (retiring != null) {
            retiring.close();
        }
        retiring = current;
        retiringUntil = now.plus(TRANSITION);
        current = new KeyState(keyId, now);
        offer(current, Opcode.CONTROL_SOFT_RESET_V1, Bytes.EMPTY);
    }

    /** ssl.c: key ids run 1..7 after the first key 0. */
    static int nextKeyId(int keyId) {
        int next = (keyId + 1) & Opcode.KEY_ID_MASK;
        return next == 0 ? 1 : next;
    }

    private KeyState keyState(int keyId) {
        if (current != null && current.keyId == keyId) {
            return current;
        }
        return retiring != null && retiring.keyId == keyId ? retiring : null;
    }

    private void offer(KeyState ks, Opcode opcode, Bytes payload) {
        Instant now = devices.clock().now();
        Result<Reliability.Step, Reliability.Full> step = ks.reliability.offer(now, new Reliability.Message(opcode, payload));
        switch (step) {
            case Result.Ok<Reliability.Step, Reliability.Full>(Reliability.Step s) -> apply(ks, s);
            case Result.Err<Reliability.Step, Reliability.Full>(Reliability.Full full) -> fail(full.describe(), false);
        }
    }

    /** Takes the reliability layer's next state and sends what it says. */
    private void apply(KeyState ks, Reliability.Step step) {
        ks.reliability = step.next();
        for (Reliability.Outbound out : step.send()) {
            List<Long> ids = new ArrayList<>(out.acks());
            if (out instanceof Reliability.Outbound.Numbered && !ks.heldAcks.isEmpty() && ids.size() < Acks.MAX) {
                int take = Math.min(Acks.MAX - ids.size(), ks.heldAcks.size());
                ids.addAll(ks.heldAcks.subList(0, take));
                ks.heldAcks.subList(0, take).clear();
            }
            Acks acks = ids.isEmpty() ? Acks.NONE : Acks.of(ids, remote);
            send(switch (out) {
                case Reliability.Outbound.Numbered n -> new ControlPacket.Message(n.message().opcode(), ks.keyId, local, acks, n.messageId(),
                        n.message().payload());
                case Reliability.Outbound.AckOnly a -> new ControlPacket.Ack(ks.keyId, local, acks);
            });
        }
    }

    private void send(ControlPacket packet) {
        ReplayStamp stamp = new ReplayStamp(wrapId++, devices.clock().now().getEpochSecond());
        transport.accept(settings.wrap().wrap(packet, stamp));
    }

    private void startTls(KeyState ks) {
        if (ks.tlsStarted) {
            return;
        }
        ks.tlsStarted = true;
        TlsFlow.connect(ks.flow, settings.tls(), devices, Optional.of(new TlsFlow.Exporter(KeyExpansion.EKM_LABEL, KeyExpansion.SIZE))).onComplete((r, e) -> {
            if (dead || ks.closed) {
                return;
            }
            if (e != null) {
                fail("TLS: " + e, false);
                return;
            }
            switch (r) {
                case Result.Err<TlsFlow, jmirage.tls.TlsFailure>(jmirage.tls.TlsFailure failure) -> fail("TLS: " + failure.describe(), false);
                case Result.Ok<TlsFlow, jmirage.tls.TlsFailure>(TlsFlow tls) -> {
                    ks.tls = tls;
                    log.info("key " + ks.keyId + ": " + tls.session().version() + " " + tls.session().cipherSuite());
                    KeyMethod2.ClientMessage message = new KeyMethod2.ClientMessage(ks.source, KeyMethod2.clientOptions(settings.tcp()),
                            settings.username(), settings.password(), PeerInfo.client(settings.ciphers()));
                    tls.write(message.encode());
                    read(ks);
                }
            }
        });
    }

    private void read(KeyState ks) {
        ks.tls.read().onComplete((r, e) -> {
            if (dead || ks.closed) {
                return;
            }
            if (e != null || !(r instanceof Result.Ok<jmirage.core.net.ReadResult, jmirage.core.net.FlowError>(
                    jmirage.core.net.ReadResult.Data(Bytes bytes)))) {
                fail("control channel of key " + ks.keyId + " ended: " + (e != null ? e : r), false);
                return;
            }
            try {
                plaintext(ks, bytes);
            } catch (RuntimeException bug) {
                fail("control channel of key " + ks.keyId + ": " + bug, false);
                return;
            }
            if (!dead && !ks.closed) {
                read(ks);
            }
        });
    }

    private void plaintext(KeyState ks, Bytes bytes) {
        Bytes in = ks.plaintext.concat(bytes);
        if (ks.server == null) {
            OptionalInt length = KeyMethod2.serverMessageLength(in);
            if (length.isEmpty()) {
                ks.plaintext = in;
                return;
            }
            switch (KeyMethod2.parseServer(in.slice(0, length.getAsInt()))) {
                case Result.Err<KeyMethod2.ServerMessage, WireError>(WireError error) -> {
                    fail("key method 2: " + error.reason(), false);
                    return;
                }
                case Result.Ok<KeyMethod2.ServerMessage, WireError>(KeyMethod2.ServerMessage server) -> ks.server = server;
            }
            in = in.slice(length.getAsInt(), in.size());
            if (push == null) {
                ks.tls.write(ControlMessage.encode(ControlMessage.PUSH_REQUEST));
            } else {
                keysReady(ks);
            }
        }
        ks.plaintext = Bytes.EMPTY;
        Result<ControlMessage.Reassembly.Fed, String> fed = ks.texts.feed(in);
        if (!(fed instanceof Result.Ok<ControlMessage.Reassembly.Fed, String>(ControlMessage.Reassembly.Fed f))) {
            fail(((Result.Err<ControlMessage.Reassembly.Fed, String>) fed).error(), false);
            return;
        }
        ks.texts = f.next();
        for (String text : f.messages()) {
            message(ks, text);
            if (dead) {
                return;
            }
        }
    }

    private void message(KeyState ks, String text) {
        switch (ControlMessage.parse(text)) {
            case Result.Err<ControlMessage, PushReply.PushError>(PushReply.PushError error) -> fail("push refused: " + error.describe(), true);
            case Result.Ok<ControlMessage, PushReply.PushError>(ControlMessage.Push(PushReply reply)) -> {
                if (push != null) {
                    return; // an answer to a repeated PUSH_REQUEST
                }
                pushParts.add(reply);
                if (!reply.moreToCome()) {
                    push = Pushes.merge(pushParts);
                    if (!push.ignored().isEmpty()) {
                        log.info("pushed options not acted on: " + String.join(", ", push.ignored()));
                    }
                    keysReady(ks);
                }
            }
            case Result.Ok<ControlMessage, PushReply.PushError>(ControlMessage.AuthFailed(String reason)) ->
                    fail("AUTH_FAILED" + (reason.isEmpty() ? "" : ": " + reason), true);
            case Result.Ok<ControlMessage, PushReply.PushError>(ControlMessage.Restart(boolean halt, String reason)) ->
                    fail((halt ? "HALT" : "RESTART") + (reason.isEmpty() ? "" : ": " + reason), halt);
            case Result.Ok<ControlMessage, PushReply.PushError>(ControlMessage.Other(String other)) -> log.info("server says: " + other);
        }
    }

    /** Key method 2 is done and the push is known: the data channel of {@code ks} starts. */
    private void keysReady(KeyState ks) {
        if (ks.channel != null || ks.server == null) {
            return;
        }
        AeadCipher cipher = push.cipher().orElse(settings.ciphers().getFirst());
        StaticKey material;
        if (push.tlsEkm()) {
            Optional<Bytes> ekm = ks.tls.exportedKeyingMaterial();
            if (ekm.isEmpty()) {
                fail("TLS keying material exporter unavailable", false);
                return;
            }
            material = new StaticKey(ekm.get());
        } else {
            material = KeyExpansion.openvpnPrf(ks.source, ks.server.source(), local, remote);
        }
        DataKeys keys = DataKeys.forClient(cipher, material);
        ks.channel = new DataChannel(cipher, ks.keyId, push.peerId(), keys.send(), keys.receive());
        ks.ready = devices.clock().now();
        log.info("key " + ks.keyId + ": data channel " + cipher.openvpnName() + (push.tlsEkm() ? " (TLS-EKM)" : " (PRF)")
                + push.peerId().stream().mapToObj(id -> ", peer id " + id).findFirst().orElse(""));
        if (ks.keyId == 0 || retiring == null || retiring.channel == null) {
            events.up(push);
        }
    }

    private void fail(String reason, boolean fatal) {
        if (dead) {
            return;
        }
        close();
        events.failed(reason, fatal);
    }

    /** One key state (ssl_common.h struct key_state): its reliability layer, its TLS, its data channel. */
    private final class KeyState {
        final int keyId;
        final Instant started;
        final KeySource source = KeySource.client(devices.random().bytes(KeySource.PRE_MASTER + 2 * KeySource.RANDOM));
        final ControlFlow flow;
        Reliability reliability = Reliability.initial(Reliability.Settings.DEFAULT);
        /** Acks of the packet being handled, waiting to ride on the first message it makes us send. */
        final List<Long> heldAcks = new ArrayList<>();
        boolean tlsStarted;
        boolean firstTls = true;
        TlsFlow tls;
        Bytes plaintext = Bytes.EMPTY;
        KeyMethod2.ServerMessage server;
        ControlMessage.Reassembly texts = ControlMessage.Reassembly.EMPTY;
        DataChannel channel;
        Instant ready;
        boolean closed;

        KeyState(int keyId, Instant started) {
            this.keyId = keyId;
            this.started = started;
            Endpoint nowhere = new Endpoint(InetAddress.getLoopbackAddress(), 0);
            this.flow = new ControlFlow(nowhere, nowhere, this::tlsOut);
        }

        /** TLS records to the server, cut into control messages; the first of a tls-crypt-v2 session repeats WKc when asked. */
        private void tlsOut(Bytes records) {
            for (int at = 0; at < records.size(); at += CONTROL_PAYLOAD) {
                Bytes part = records.slice(at, Math.min(records.size(), at + CONTROL_PAYLOAD));
                Opcode opcode = Opcode.CONTROL_V1;
                if (firstTls && keyId == 0 && resendWrappedKey) {
                    opcode = Opcode.CONTROL_WKC_V1;
                }
                firstTls = false;
                offer(this, opcode, part);
            }
        }

        void close() {
            closed = true;
            flow.close();
        }
    }
}
