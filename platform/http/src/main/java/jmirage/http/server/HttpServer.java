package jmirage.http.server;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unit;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.http.Handler;
import jmirage.http.h2.Http2Connection;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;

/**
 * An HTTP/1.1 server over any {@link Flow}: plain TCP from a Stack, a TLS flow, the direct stack.
 * {@link #serve} takes one connection and answers its requests one at a time, in order, reading the
 * next request only once the current answer is written (pipelined requests wait in the codec).
 * Timing comes from the Scheduler and the Clock only. Over TLS, a connection whose ALPN is
 * {@code h2} (offered with {@code TlsServerConfig.withAlpn(List.of("h2", "http/1.1"))}) is served as
 * HTTP/2 ({@link Http2Connection}) with the same handler.
 */
public final class HttpServer {

    private final Scheduler scheduler;
    private final Clock clock;
    private final Log log;
    private final ServerConfig config;
    private final Handler handler;
    private final Set<ServerConnection> connections = new LinkedHashSet<>();
    private final Set<Http2Connection> h2 = new LinkedHashSet<>();
    private long accepted;
    private boolean stopping;
    private Promise<Unit> stopped;

    public HttpServer(Scheduler scheduler, Clock clock, Log log, ServerConfig config, Handler handler) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.log = log;
        this.config = config;
        this.handler = handler;
    }

    /** Serves {@code flow} until either side ends it; the server closes the flow. Call on the loop. */
    public void serve(Flow flow) {
        if (stopping) {
            flow.close();
            return;
        }
        if (connections.size() >= config.maxConnections()) {
            log.warn("refused " + flow.remote() + ": " + connections.size() + " connections open, the limit");
            flow.close();
            return;
        }
        accepted++;
        ServerConnection[] self = new ServerConnection[1];
        self[0] = new ServerConnection(flow, config, handler, scheduler, clock, log, () -> stopping,
                () -> connectionEnded(self[0]));
        connections.add(self[0]);
        self[0].start();
    }

    /** Serves {@code flow} as HTTP/2 (RFC 9113): TLS negotiated {@code h2} on it. Call on the loop. */
    public void serveHttp2(Flow flow) {
        if (stopping || connections.size() + h2.size() >= config.maxConnections()) {
            log.warn("refused " + flow.remote() + ": " + (connections.size() + h2.size()) + " connections open, the limit");
            flow.close();
            return;
        }
        accepted++;
        Http2Connection[] self = new Http2Connection[1];
        self[0] = new Http2Connection(flow, config, handler, scheduler, log, () -> {
            h2.remove(self[0]);
            endedOne();
        });
        h2.add(self[0]);
        self[0].start();
    }

    private void connectionEnded(ServerConnection connection) {
        connections.remove(connection);
        endedOne();
    }

    private void endedOne() {
        if (stopping && connections.isEmpty() && h2.isEmpty() && stopped != null) {
            stopped.resolve(Unit.UNIT);
        }
    }

    /**
     * Stops serving: new flows are closed at once, idle keep-alive connections are closed, and each
     * request in progress is answered (with {@code Connection: close}) before its connection ends.
     * Resolves when no connection is left. Close the listeners first; bound the wait with
     * {@link Scheduler#withTimeout} if handlers may take long.
     */
    public Promise<Unit> stop() {
        if (stopped == null) {
            stopping = true;
            stopped = Promise.pending();
            for (ServerConnection connection : List.copyOf(connections)) {
                connection.closeIfIdle();
            }
            for (Http2Connection connection : List.copyOf(h2)) {
                connection.closeIfIdle();
            }
            if (connections.isEmpty() && h2.isEmpty()) {
                stopped.resolve(Unit.UNIT);
            }
        }
        return stopped;
    }

    /** Listens on {@code port} of {@code stack}, serving each accepted flow. */
    public Promise<Result<TcpListener, NetError>> listen(Stack stack, int port) {
        return stack.listenTcp(port, this::serve);
    }

    /** Serves flows made by something else (a TLS acceptor): {@code flows.accept(flow)}. */
    public Consumer<Flow> acceptor() {
        return this::serve;
    }

    /**
     * HTTPS: each transport flow is handed to {@link TlsFlow#accept}; once the handshake is done the
     * TLS flow is served like any other. A failed handshake is logged with its reason and the
     * transport closed; no HTTP byte is read or written on it.
     */
    public Consumer<Flow> tlsAcceptor(TlsServerConfig tls, TlsDevices devices) {
        return tlsAcceptor(() -> tls, devices);
    }

    /**
     * HTTPS whose configuration may change while serving (a renewed certificate): {@code tls} is read
     * once for each new transport flow, when its handshake starts; open connections keep the
     * configuration of their own handshake, so changing it drops none.
     */
    public Consumer<Flow> tlsAcceptor(Supplier<TlsServerConfig> tls, TlsDevices devices) {
        return transport -> TlsFlow.accept(transport, tls.get(), devices).onComplete((result, failure) -> {
            if (failure != null) {
                log.error("TLS accept from " + transport.remote() + " failed: " + failure);
                transport.close();
                return;
            }
            switch (result) {
                case Result.Ok<TlsFlow, TlsFailure>(TlsFlow flow) -> {
                    if (flow.session().alpn().filter("h2"::equals).isPresent()) {
                        serveHttp2(flow);
                    } else {
                        serve(flow);
                    }
                }
                case Result.Err<TlsFlow, TlsFailure>(TlsFailure reason) -> {
                    log.info("TLS handshake with " + transport.remote() + " failed: " + reason.describe());
                    transport.close();
                }
            }
        });
    }

    /** Listens for HTTPS on {@code port} of {@code stack}. */
    public Promise<Result<TcpListener, NetError>> listenTls(Stack stack, int port, TlsServerConfig tls, TlsDevices devices) {
        return stack.listenTcp(port, tlsAcceptor(tls, devices));
    }

    /** Listens for HTTPS on {@code port} of {@code stack}, reading {@code tls} for each new connection. */
    public Promise<Result<TcpListener, NetError>> listenTls(Stack stack, int port, Supplier<TlsServerConfig> tls,
            TlsDevices devices) {
        return stack.listenTcp(port, tlsAcceptor(tls, devices));
    }

    /** Connections being served now. */
    public int openConnections() {
        return connections.size() + h2.size();
    }

    public long acceptedConnections() {
        return accepted;
    }

    public ServerConfig config() {
        return config;
    }
}
