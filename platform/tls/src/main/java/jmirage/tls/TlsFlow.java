package jmirage.tls;

import java.io.IOException;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.tls.x509.DeviceSecureRandom;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * TLS over any {@link Flow}: a thin shell around Bouncy Castle's non-blocking protocol engine
 * ({@code offerInput} / {@code readOutput} / {@code readInput}), which is the pure core: bytes in,
 * bytes out, no I/O of its own. The shell only moves bytes between it and the transport:
 *
 * <ul>
 *   <li>it reads the transport only when the service reads this flow (or the handshake needs a
 *       record), so back-pressure reaches the peer;
 *   <li>a write encrypts at once and resolves when the transport's write resolves;
 *   <li>everything runs on the loop that owns the transport; no threads, no locks.
 * </ul>
 */
public final class TlsFlow implements Flow {

    private final Flow transport;
    private final TlsProtocol protocol;
    private final PeerState state;
    private final TlsDevices devices;
    private TlsSession session;
    private boolean readPending;
    private boolean closed;
    private boolean outputShut;
    private FlowError broken;

    private TlsFlow(Flow transport, TlsProtocol protocol, PeerState state, TlsDevices devices) {
        this.transport = transport;
        this.protocol = protocol;
        this.state = state;
        this.devices = devices;
    }

    /** Runs a server handshake over {@code transport}; on failure the transport is closed. */
    public static Promise<Result<TlsFlow, TlsFailure>> accept(Flow transport, TlsServerConfig config, TlsDevices devices) {
        BcTlsCrypto crypto = new RecordCrypto(new DeviceSecureRandom(devices.random()));
        ServerPeer peer = new ServerPeer(config, crypto, devices.clock());
        TlsServerProtocol protocol = new TlsServerProtocol();
        return new TlsFlow(transport, protocol, peer.state, devices)
                .begin(() -> protocol.accept(peer), config.handshakeTimeout(), peer::context);
    }

    /** Runs a client handshake over {@code transport}; on failure the transport is closed. */
    public static Promise<Result<TlsFlow, TlsFailure>> connect(Flow transport, TlsClientConfig config, TlsDevices devices) {
        return connect(transport, config, devices, Optional.empty());
    }

    /**
     * Keying material to export when the handshake completes (RFC 5705 with the extended master
     * secret in TLS 1.2, RFC 8446 7.5 in TLS 1.3), with no context: Bouncy Castle destroys the
     * secrets right after, so it cannot be asked for later. OpenVPN derives its data-channel keys
     * so ({@code EXPORTER-OpenVPN-datakeys}).
     */
    public record Exporter(String label, int length) {}

    /** {@link #connect(Flow, TlsClientConfig, TlsDevices)}, exporting keying material at the handshake's end. */
    public static Promise<Result<TlsFlow, TlsFailure>> connect(Flow transport, TlsClientConfig config, TlsDevices devices,
            Optional<Exporter> exporter) {
        BcTlsCrypto crypto = new RecordCrypto(new DeviceSecureRandom(devices.random()));
        ClientPeer peer = new ClientPeer(config, crypto, devices.clock());
        peer.exporter = exporter;
        TlsClientProtocol protocol = new TlsClientProtocol();
        return new TlsFlow(transport, protocol, peer.state, devices)
                .begin(() -> protocol.connect(peer), config.handshakeTimeout(), peer::context); // queues the ClientHello
    }

    /** The keying material {@link Exporter} asked for, once the handshake is complete. */
    public Optional<Bytes> exportedKeyingMaterial() {
        return Optional.ofNullable(state.exported);
    }

    /** What the handshake negotiated, and the peer's verified chain. */
    public TlsSession session() {
        return session;
    }

    // ---- handshake ----

    /** Bouncy Castle's {@code accept} or {@code connect}: queues this side's first handshake message. */
    @FunctionalInterface
    private interface HandshakeStart {
        void run() throws IOException;
    }

    /** Starts the handshake and drives it to the end; if it cannot start, the transport is closed. */
    private Promise<Result<TlsFlow, TlsFailure>> begin(HandshakeStart start, java.time.Duration timeout,
            java.util.function.Supplier<TlsContext> context) {
        try {
            start.run();
        } catch (IOException e) {
            transport.close();
            return Promise.resolved(Result.err(new TlsFailure.AlertSent(80, "internal_error", e.toString())));
        }
        return handshake(timeout, context);
    }

    private Promise<Result<TlsFlow, TlsFailure>> handshake(java.time.Duration timeout,
            java.util.function.Supplier<TlsContext> context) {
        Promise<Result<TlsFlow, TlsFailure>> done = Promise.pending();
        Cancellable timer = devices.scheduler().schedule(timeout, () -> {
            if (!done.isDone()) {
                state.fail(new TlsFailure.Timeout(timeout));
                abort(done);
            }
        });
        done.onComplete((v, e) -> timer.cancel());
        handshakeStep(done, context);
        return done;
    }

    private void handshakeStep(Promise<Result<TlsFlow, TlsFailure>> done, java.util.function.Supplier<TlsContext> context) {
        if (done.isDone()) {
            return;
        }
        Promise<Result<Unit, FlowError>> written = flushOutput();
        if (state.handshakeComplete) {
            written.onComplete((w, e) -> {
                if (e != null || !w.isOk()) {
                    state.fail(new TlsFailure.TransportFailed(e != null ? new FlowError.Io(e.toString())
                            : ((Result.Err<Unit, FlowError>) w).error()));
                    abort(done);
                    return;
                }
                session = describe(context.get());
                done.resolve(Result.ok(this));
            });
            return;
        }
        transport.read().onComplete((r, e) -> {
            if (done.isDone()) {
                return;
            }
            if (e != null) {
                state.fail(new TlsFailure.TransportFailed(new FlowError.Io(e.toString())));
                abort(done);
                return;
            }
            switch (r) {
                case Result.Err<ReadResult, FlowError>(FlowError error) -> {
                    state.fail(new TlsFailure.TransportFailed(error));
                    abort(done);
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> {
                    state.fail(new TlsFailure.TransportClosed());
                    abort(done);
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> {
                    if (offer(bytes)) {
                        handshakeStep(done, context);
                    } else {
                        abort(done);
                    }
                }
            }
        });
    }

    /** Sends what BC queued (the fatal alert, if any), closes the transport, reports the failure. */
    private void abort(Promise<Result<TlsFlow, TlsFailure>> done) {
        closed = true;
        flushOutput();
        transport.close();
        TlsFailure failure = state.failure != null ? state.failure
                : new TlsFailure.AlertSent(80, "internal_error", "handshake failed without a reason");
        done.resolve(Result.err(failure));
    }

    /** Feeds transport bytes to BC; false (and the reason in {@code state}) when BC fails the connection. */
    private boolean offer(Bytes bytes) {
        try {
            protocol.offerInput(bytes.toArray());
            return true;
        } catch (IOException | RuntimeException e) {
            // BC raised (and queued) a fatal alert; notifyAlertRaised recorded why, unless it was
            // something BC did not classify.
            state.fail(new TlsFailure.AlertSent(80, "internal_error", e.toString()));
            return false;
        }
    }

    private Promise<Result<Unit, FlowError>> flushOutput() {
        int n = protocol.getAvailableOutputBytes();
        if (n == 0) {
            return Promise.resolved(Result.ok());
        }
        byte[] out = new byte[n];
        protocol.readOutput(out, 0, n);
        return transport.write(Bytes.adopt(out));
    }

    private TlsSession describe(TlsContext context) {
        SecurityParameters p = context.getSecurityParametersConnection();
        ProtocolName alpn = p.getApplicationProtocol();
        String version = switch (context.getServerVersion().getFullVersion()) {
            case 0x0304 -> "TLSv1.3";
            case 0x0303 -> "TLSv1.2";
            default -> context.getServerVersion().getName();
        };
        return new TlsSession(version, Policy.suiteName(p.getCipherSuite()),
                Optional.ofNullable(alpn).map(ProtocolName::getUtf8Decoding), Optional.ofNullable(state.serverName),
                state.peerChain);
    }

    // ---- Flow ----

    @Override
    public Endpoint local() {
        return transport.local();
    }

    @Override
    public Endpoint remote() {
        return transport.remote();
    }

    @Override
    public Promise<Result<ReadResult, FlowError>> read() {
        if (readPending) {
            return Promise.rejected(new IllegalStateException("a read is already pending on this flow"));
        }
        Optional<Result<ReadResult, FlowError>> now = readyResult();
        if (now.isPresent()) {
            return Promise.resolved(now.get());
        }
        readPending = true;
        Promise<Result<ReadResult, FlowError>> result = Promise.pending();
        result.onComplete((v, e) -> readPending = false);
        pull(result);
        return result;
    }

    /** A result available without reading the transport: buffered plaintext, EOF, an error. */
    private Optional<Result<ReadResult, FlowError>> readyResult() {
        int available = protocol.getAvailableInputBytes();
        if (available > 0) {
            byte[] data = new byte[available];
            protocol.readInput(data, 0, available);
            return Optional.of(Result.ok(new ReadResult.Data(Bytes.adopt(data))));
        }
        if (broken != null) {
            return Optional.of(Result.err(broken));
        }
        if (state.closeNotifyReceived) {
            return Optional.of(Result.ok(ReadResult.EOF));
        }
        if (closed || outputShut) {
            // BC's engine stops reading once it has sent close_notify: no TLS 1.3 half-close.
            return Optional.of(Result.err(new FlowError.Closed()));
        }
        return Optional.empty();
    }

    private void pull(Promise<Result<ReadResult, FlowError>> result) {
        transport.read().onComplete((r, e) -> {
            if (e != null) {
                result.reject(e);
                return;
            }
            switch (r) {
                case Result.Err<ReadResult, FlowError>(FlowError error) -> {
                    broken = error;
                    result.resolve(Result.err(error));
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Eof eof) -> {
                    if (state.closeNotifyReceived) {
                        result.resolve(Result.ok(ReadResult.EOF));
                    } else {
                        // RFC 8446 6.1: an end of stream without close_notify may be a truncation attack.
                        broken = new FlowError.Protocol("truncated: transport closed without close_notify");
                        result.resolve(Result.err(broken));
                    }
                }
                case Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes bytes)) -> {
                    if (!offer(bytes)) {
                        broken = new FlowError.Protocol(state.failure.describe());
                        flushOutput();
                        transport.close();
                        // Plaintext that arrived before the bad record is still delivered first.
                        result.resolve(readyResult().orElseThrow());
                        return;
                    }
                    flushOutput();   // a close_notify answer, a KeyUpdate response
                    Optional<Result<ReadResult, FlowError>> ready = readyResult();
                    if (ready.isPresent()) {
                        result.resolve(ready.get());
                    } else {
                        pull(result);
                    }
                }
            }
        });
    }

    @Override
    public Promise<Result<Unit, FlowError>> write(Bytes data) {
        if (broken != null) {
            return Promise.resolved(Result.err(broken));
        }
        if (closed || outputShut || protocol.isClosed()) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        if (data.isEmpty()) {
            return Promise.resolved(Result.ok());
        }
        try {
            protocol.writeApplicationData(data.toArray(), 0, data.size());
        } catch (IOException e) {
            broken = new FlowError.Protocol(e.toString());
            return Promise.resolved(Result.err(broken));
        }
        return flushOutput();
    }

    /** Sends close_notify (RFC 8446 6.1), then the transport's end of stream. */
    @Override
    public Promise<Result<Unit, FlowError>> shutdownOutput() {
        if (closed) {
            return Promise.resolved(Result.err(new FlowError.Closed()));
        }
        sendCloseNotify();
        outputShut = true;
        return flushOutput().flatMap(r -> r.isOk() ? transport.shutdownOutput() : Promise.resolved(r));
    }

    /** Sends close_notify, then closes the transport. */
    @Override
    public Promise<Unit> close() {
        if (closed) {
            return Promise.done();
        }
        sendCloseNotify();
        closed = true;
        return flushOutput().flatMap(r -> transport.close());
    }

    private void sendCloseNotify() {
        if (!protocol.isClosed()) {
            try {
                protocol.close();
            } catch (IOException e) {
                // Already failed: nothing more to say to the peer.
            }
        }
    }
}
