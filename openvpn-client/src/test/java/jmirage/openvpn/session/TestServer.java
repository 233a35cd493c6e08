package jmirage.openvpn.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Endpoint;
import jmirage.core.net.ReadResult;
import jmirage.openvpn.control.Reliability;
import jmirage.openvpn.data.AeadCipher;
import jmirage.openvpn.data.DataChannel;
import jmirage.openvpn.data.Ping;
import jmirage.openvpn.keys.DataKeys;
import jmirage.openvpn.keys.KeyExpansion;
import jmirage.openvpn.keys.KeySource;
import jmirage.openvpn.wire.Acks;
import jmirage.openvpn.wire.ControlPacket;
import jmirage.openvpn.wire.ControlWrap;
import jmirage.openvpn.wire.DataPacket;
import jmirage.openvpn.wire.Opcode;
import jmirage.openvpn.wire.ReplayStamp;
import jmirage.openvpn.wire.SessionId;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;

/**
 * A minimal OpenVPN server from the same cores, for the session's tests without the real one: one
 * client, key 0, tls-crypt, TLS through the platform's server side, key method 2 (the PRF: it
 * pushes no {@code key-derivation tls-ekm}), a fixed push, and a data channel that answers each datagram (by
 * {@code responder}) and pings each second. Renegotiation, tls-auth and TCP are the real server's tests (TunnelOnTapTest).
 */
final class TestServer {

    static final String PUSH = "PUSH_REPLY,ifconfig 10.36.8.2 255.255.255.0,topology subnet,peer-id 7,cipher AES-256-GCM,ping 1,ping-restart 60";

    private final ControlWrap wrap;
    private final TlsServerConfig tls;
    private final TlsDevices devices;
    private final Consumer<Bytes> transport;
    private final SessionId local;
    private SessionId client;
    private long wrapId = 1;
    private Reliability reliability = Reliability.initial(Reliability.Settings.DEFAULT);
    private final ControlFlow flow;
    private boolean tlsStarted;
    private TlsFlow session;
    private Bytes plaintext = Bytes.EMPTY;
    private KeySource clientSource;
    private final KeySource serverSource;
    private DataChannel channel;
    private final java.util.function.UnaryOperator<Bytes> responder;

    /** {@code responder}: what the server sends back for each datagram out of the tunnel. */
    TestServer(ControlWrap wrap, TlsServerConfig tls, TlsDevices devices, Consumer<Bytes> transport, java.util.function.UnaryOperator<Bytes> responder) {
        this.responder = responder;
        this.wrap = wrap;
        this.tls = tls;
        this.devices = devices;
        this.transport = transport;
        this.local = new SessionId(devices.random().nextLong());
        Bytes randoms = devices.random().bytes(2 * KeySource.RANDOM);
        this.serverSource = new KeySource(Optional.empty(), randoms.slice(0, KeySource.RANDOM), randoms.slice(KeySource.RANDOM, 2 * KeySource.RANDOM));
        Endpoint nowhere = new Endpoint(java.net.InetAddress.getLoopbackAddress(), 0);
        this.flow = new ControlFlow(nowhere, nowhere, records -> {
            for (int at = 0; at < records.size(); at += Session.CONTROL_PAYLOAD) {
                offer(Opcode.CONTROL_V1, records.slice(at, Math.min(records.size(), at + Session.CONTROL_PAYLOAD)));
            }
        });
    }

    void input(Bytes packet) {
        if (DataPacket.isData(packet)) {
            if (channel != null && DataPacket.decode(packet) instanceof Result.Ok<DataPacket, ?>(DataPacket p)
                    && channel.decrypt(p) instanceof Result.Ok<Bytes, ?>(Bytes plain) && !Ping.isPing(plain)) {
                transport.accept(channel.encrypt(responder.apply(plain)).orElseThrow());
            }
            return;
        }
        if (!(wrap.unwrap(packet) instanceof Result.Ok<ControlWrap.Unwrapped, ?>(ControlWrap.Unwrapped u))) {
            return;
        }
        ControlPacket p = u.packet();
        if (client == null) {
            client = p.session();
        }
        Optional<Reliability.Received> message = p instanceof ControlPacket.Message m
                ? Optional.of(new Reliability.Received(m.messageId(), new Reliability.Message(m.opcode(), m.payload())))
                : Optional.empty();
        Reliability.Step step = reliability.receive(now(), p.acks().ids(), message);
        apply(step);
        for (Reliability.Message m : step.delivered()) {
            switch (m.opcode()) {
                case CONTROL_HARD_RESET_CLIENT_V2 -> {
                    offer(Opcode.CONTROL_HARD_RESET_SERVER_V2, Bytes.EMPTY);
                    accept();
                }
                case CONTROL_V1 -> flow.deliver(m.payload());
                default -> { }
            }
        }
    }

    /** Each second: retransmissions, and the ping its push announces (a client restarts without one). */
    void tick() {
        apply(reliability.tick(now()));
        if (channel != null) {
            transport.accept(channel.encrypt(Ping.MAGIC).orElseThrow());
        }
    }

    private void accept() {
        if (tlsStarted) {
            return;
        }
        tlsStarted = true;
        TlsFlow.accept(flow, tls, devices).onSuccess(r -> {
            if (r instanceof Result.Ok<TlsFlow, ?>(TlsFlow established)) {
                session = established;
                read();
            }
        });
    }

    private void read() {
        session.read().onSuccess(r -> {
            if (r instanceof Result.Ok<ReadResult, ?>(ReadResult.Data(Bytes bytes))) {
                plaintext(bytes);
                read();
            }
        });
    }

    /** The client's key method 2 message, then NUL-terminated texts (PUSH_REQUEST). */
    private void plaintext(Bytes bytes) {
        plaintext = plaintext.concat(bytes);
        if (clientSource == null) {
            int at = 5 + KeySource.PRE_MASTER + 2 * KeySource.RANDOM;
            for (int i = 0; i < 4; i++) {
                if (plaintext.size() < at + 2) {
                    return;
                }
                at += 2 + (plaintext.getUnsigned(at) << 8 | plaintext.getUnsigned(at + 1));
            }
            if (plaintext.size() < at) {
                return;
            }
            clientSource = KeySource.client(plaintext.slice(5, 5 + KeySource.PRE_MASTER + 2 * KeySource.RANDOM));
            plaintext = plaintext.slice(at, plaintext.size());
            session.write(Bytes.of((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 2).concat(serverSource.encode())
                    .concat(string("V4,dev-type tun,tls-server")).concat(Bytes.of((byte) 0, (byte) 0)).concat(Bytes.of((byte) 0, (byte) 0))
                    .concat(string("IV_VER=test\n")));
        }
        for (int i = 0; i < plaintext.size(); i++) {
            if (plaintext.get(i) == 0) {
                String text = new String(plaintext.slice(0, i).toArray(), StandardCharsets.UTF_8);
                plaintext = plaintext.slice(i + 1, plaintext.size());
                i = -1;
                if (text.equals("PUSH_REQUEST") && channel == null) {
                    session.write(Bytes.utf8(PUSH).concat(Bytes.of((byte) 0)));
                    DataKeys keys = DataKeys.forServer(AeadCipher.AES_256_GCM, KeyExpansion.openvpnPrf(clientSource, serverSource, client, local));
                    channel = new DataChannel(AeadCipher.AES_256_GCM, 0, OptionalInt.empty(), keys.send(), keys.receive());
                }
            }
        }
    }

    private static Bytes string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return Bytes.of((byte) ((utf8.length + 1) >>> 8), (byte) (utf8.length + 1)).concat(Bytes.adopt(utf8)).concat(Bytes.of((byte) 0));
    }

    private void offer(Opcode opcode, Bytes payload) {
        apply(reliability.offer(now(), new Reliability.Message(opcode, payload)).orElseThrow());
    }

    private void apply(Reliability.Step step) {
        reliability = step.next();
        for (Reliability.Outbound out : step.send()) {
            Acks acks = out.acks().isEmpty() ? Acks.NONE : Acks.of(out.acks(), client);
            ControlPacket packet = switch (out) {
                case Reliability.Outbound.Numbered n -> new ControlPacket.Message(n.message().opcode(), 0, local, acks, n.messageId(),
                        n.message().payload());
                case Reliability.Outbound.AckOnly a -> new ControlPacket.Ack(0, local, acks);
            };
            transport.accept(wrap.wrap(packet, new ReplayStamp(wrapId++, now().getEpochSecond())));
        }
    }

    private Instant now() {
        return devices.clock().now();
    }
}
