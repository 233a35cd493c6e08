package jmirage.resolver.serve;

import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.Flow;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.dns.server.DnsServer;
import jmirage.dns.server.Request;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;

/**
 * DNS over TLS (RFC 7858): a TCP listener whose connections go through the TLS handshake, then to
 * the server shell as TCP connections are (RFC 7858 3.3: the same two-byte framing, pipelining and
 * limits). A failed handshake is logged with its reason and closed. Handshakes in progress are
 * bounded ({@link #MAX_HANDSHAKES}): each holds its connection up to the handshake timeout before the
 * server shell's limits see it, so beyond the bound a new connection is closed at once.
 */
public final class TlsListener {

    /** RFC 7858 via RFC 9461's registration: the ALPN of DNS over TLS. */
    public static final String DOT_ALPN = "dot";
    /** Handshakes in progress at once: the server shell's bound on connections (512) as the model. */
    public static final int MAX_HANDSHAKES = 512;

    private final TlsServerConfig config;
    private final TlsDevices devices;
    private final DnsServer server;
    private final Log log;
    private int handshaking;

    private TlsListener(TlsServerConfig config, TlsDevices devices, DnsServer server, Log log) {
        this.config = config;
        this.devices = devices;
        this.server = server;
        this.log = log;
    }

    /** Listens on {@code port}; on the loop. */
    public static Promise<Result<TcpListener, NetError>> listen(Stack stack, int port, TlsServerConfig config, TlsDevices devices,
            DnsServer server, Log log) {
        return stack.listenTcp(port, new TlsListener(config, devices, server, log)::accept);
    }

    private void accept(Flow transport) {
        if (handshaking >= MAX_HANDSHAKES) {
            log.debug(() -> "TLS connection from " + transport.remote() + " closed: " + MAX_HANDSHAKES + " handshakes in progress");
            transport.close();
            return;
        }
        handshaking++;
        TlsFlow.accept(transport, config, devices).onComplete((result, bug) -> {
            handshaking--;
            if (bug != null) {
                log.error("TLS accept from " + transport.remote() + " failed: " + bug);
                transport.close();
                return;
            }
            switch (result) {
                case Result.Ok<TlsFlow, TlsFailure>(TlsFlow flow) -> server.acceptStream(flow, Request.Transport.TLS);
                case Result.Err<TlsFlow, TlsFailure>(TlsFailure reason) -> {
                    log.debug(() -> "TLS handshake with " + transport.remote() + " failed: " + reason.describe());
                    transport.close();
                }
            }
        });
    }
}
