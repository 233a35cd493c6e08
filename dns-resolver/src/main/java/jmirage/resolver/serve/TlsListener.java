package jmirage.resolver.serve;

import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
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
 * limits). A failed handshake is logged with its reason and closed.
 */
public final class TlsListener {

    /** RFC 7858 via RFC 9461's registration: the ALPN of DNS over TLS. */
    public static final String DOT_ALPN = "dot";

    private TlsListener() {}

    public static Promise<Result<TcpListener, NetError>> listen(Stack stack, int port, TlsServerConfig config, TlsDevices devices,
            DnsServer server, Log log) {
        return stack.listenTcp(port, transport -> TlsFlow.accept(transport, config, devices).onComplete((result, bug) -> {
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
        }));
    }
}
