package jmirage.pinata;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.certify.CertificateSlot;
import jmirage.certify.Certify;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.kv.KvError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.FlowError;
import jmirage.core.net.NetError;
import jmirage.core.net.ReadResult;
import jmirage.core.net.TcpListener;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.Router;
import jmirage.http.server.ServerConfig;
import jmirage.tls.ClientAuth;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.Purpose;

/**
 * The running pinata, the shell: listeners on the three role ports and the page, one attempt per
 * accepted connection, the statistics kept in memory and written to the Kv every few seconds.
 */
final class Bounty implements Unikernel.Running {

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How often changed statistics are written. Not faster: under constant attack every period has
     * a change, and with --kv git every write is a commit kept forever (every 5 s would be six
     * million a year). A crash loses at most this much counting; a stop writes the last counts.
     */
    static final Duration STATS_EVERY = Duration.ofMinutes(5);
    /** Attempts in flight at once (handshakes cost memory and CPU); beyond, a connection is closed at once. */
    static final int MAX_IN_FLIGHT = 512;
    /** Attempts in flight from one address: one attacker cannot take every slot from the others. */
    static final int MAX_PER_PEER = 32;
    /** How long a client role waits for the peer to close after the secret, and how much it reads meanwhile. */
    static final Duration LINGER = Duration.ofSeconds(2);
    static final long DRAIN_LIMIT = 64 * 1024;
    /** How long 10001 tries to reach the peer's port 40001 (a silent peer must not hold a slot for minutes). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Page connections (HTTP and HTTPS, TLS handshake included) open at once, and from one peer:
     * the page is for people, a few connections each; without a bound anyone could hold thousands
     * of idle connections or TLS handshakes and the memory they take.
     */
    static final int PAGE_MAX = 256;
    static final int PAGE_PER_PEER = 8;
    /** The page's HTTP limits: GET and HEAD only (no body), short timeouts against slowloris. */
    static final ServerConfig PAGE_CONFIG = new ServerConfig(2048, 8 * 1024, 0,
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(2), 100, "", PAGE_MAX);
    /** Refusal log lines: a burst, then a steady rate; the rest are counted, not written. */
    static final int LOG_BURST = 100;
    static final int LOG_PER_SECOND = 5;
    /** The longest peer-supplied detail (a certificate subject, an alert message) a log line carries. */
    static final int MAX_DETAIL = 300;

    /** Why an attempt did not get the secret: a statistics key and a line for the log. */
    record Refusal(String reason, String detail) {}

    private final Pinata.Devices devices;
    private final Pinata.Parameters parameters;
    private final Secret secret;
    private final Pki pki;
    private final Log log;
    private final TlsDevices tls;
    private final TlsServerConfig serverConfig;
    private final TlsClientConfig clientConfig;
    private final Instant bootedAt;
    private final List<TcpListener> listeners = new ArrayList<>();
    private final HttpServer http;
    private Stats stats;
    private boolean dirty;
    /** False when the stored statistics could not be read or kept aside: they are not overwritten. */
    private final boolean statsWritable;
    private boolean writing;
    private Cancellable flushTimer;
    private final Admission attempts = new Admission(MAX_IN_FLIGHT, MAX_PER_PEER);
    private final Admission pageConnections = new Admission(PAGE_MAX, PAGE_PER_PEER);
    private final TokenBucket refusalLog;
    private Promise<Unit> drained;
    private final PinataMetrics metrics;
    private final Optional<Certify> certify;
    /** The page's certificate: the pinata's own, or the one certify gets through DNS. */
    private final CertificateSlot pageCertificate;

    Bounty(Pinata.Devices devices, Pinata.Parameters parameters, Secret secret, Pki pki, Stats stats, boolean statsWritable) {
        this(devices, parameters, secret, pki, stats, statsWritable, Optional.empty());
    }

    /** With {@code certify}, the page over HTTPS presents the certificate it gets through DNS, swapped on renewal. */
    Bounty(Pinata.Devices devices, Pinata.Parameters parameters, Secret secret, Pki pki, Stats stats, boolean statsWritable,
            Optional<Certify> certify) {
        this.devices = devices;
        this.certify = certify;
        this.pageCertificate = certify.map(Certify::slot).orElseGet(() -> new CertificateSlot(pki.server()));
        this.statsWritable = statsWritable;
        this.parameters = parameters;
        this.secret = secret;
        this.pki = pki;
        this.stats = stats;
        this.log = devices.log();
        this.tls = new TlsDevices(devices.scheduler(), devices.clock(), devices.random());
        this.serverConfig = TlsServerConfig.of(pki.server())
                .withClientAuth(ClientAuth.REQUIRED, List.of(pki.ca()))
                .withHandshakeTimeout(HANDSHAKE_TIMEOUT);
        // No name check: the peer is whoever connects; holding a certificate from our CA is the test.
        this.clientConfig = new TlsClientConfig(List.of(pki.ca()), Optional.empty(), Optional.of(pki.client()),
                List.of(), HANDSHAKE_TIMEOUT);
        this.bootedAt = devices.clock().now();
        this.refusalLog = TokenBucket.perSecond(LOG_BURST, LOG_PER_SECOND);
        this.metrics = new PinataMetrics(devices.metrics());
        Router router = Router.builder()
                .get("/", (request, p) -> Promise.resolved(page()))
                .get("/ca.pem", (request, p) -> Promise.resolved(HttpResponse.of(200,
                        Headers.of("Content-Type", "application/x-pem-file"), Bytes.utf8(Pem.certificates(List.of(pki.ca()))))))
                .get("/stats", (request, p) -> Promise.resolved(HttpResponse.of(200,
                        Headers.of("Content-Type", "text/plain; charset=utf-8", "Cache-Control", "no-store"), this.stats.encode())))
                .build();
        this.http = new HttpServer(devices.scheduler(), devices.clock(), new BudgetedLog(log.named("http")), PAGE_CONFIG,
                request -> {
                    metrics.pageRequest(request.path());
                    return router.handle(request);
                });
    }

    Promise<Result<Unikernel.Running, BootError>> open() {
        List<Promise<Result<Unit, BootError.Listener>>> opened = new ArrayList<>();
        for (Role role : Role.values()) {
            opened.add(listening("port " + role.port(), devices.stack().listenTcp(role.port(), flow -> attempt(role, flow))));
        }
        if (parameters.httpPort != 0) {
            opened.add(listening("http port " + parameters.httpPort,
                    devices.stack().listenTcp(parameters.httpPort, admitted(http.acceptor()))));
        }
        if (parameters.httpsPort != 0) {
            opened.add(listening("https port " + parameters.httpsPort, devices.stack().listenTcp(parameters.httpsPort,
                    admitted(http.tlsAcceptor(pageCertificate.serverConfig(
                            c -> TlsServerConfig.of(c).withHandshakeTimeout(HANDSHAKE_TIMEOUT)), tls)))));
        }
        return Promise.all(opened).flatMap(results -> {
            List<BootError.Listener> failures = new ArrayList<>();
            for (Result<Unit, BootError.Listener> r : results) {
                if (r instanceof Result.Err<Unit, BootError.Listener>(BootError.Listener e)) {
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                certify.ifPresent(Certify::stop);
                return closeListeners().flatMap(u -> http.stop())
                        .map(u -> Result.<Unikernel.Running, BootError>err(new BootError.CannotListen(failures)));
            }
            flushTimer = devices.scheduler().every(STATS_EVERY, this::flush);
            log.info("guarding a secret of " + secret.length() + " bytes" + (parameters.test ? " (TEST MODE: public test CA)" : "")
                    + " on " + devices.stack().addresses() + ": ports 10000 (TLS server), 10001 (connects back to 40001),"
                    + " 10002 (TLS client); page on http " + portText(parameters.httpPort) + ", https " + portText(parameters.httpsPort)
                    + "; CA " + pki.ca().subject() + " serial " + pki.ca().serial().toString(16)
                    + certify.map(c -> "; page certificate through DNS for " + c.config().dnsNames() + " from "
                            + c.config().server()).orElse(""));
            return Promise.resolved(Result.<Unikernel.Running, BootError>ok(this));
        });
    }

    /**
     * A page connection, if its peer has a slot ({@link #PAGE_MAX}, {@link #PAGE_PER_PEER}); the
     * slot is given back once the connection, closed by the HTTP server (or by TLS on a failed
     * handshake), is gone. Beyond the limits the connection is closed at once, without a log line.
     */
    private java.util.function.Consumer<Flow> admitted(java.util.function.Consumer<Flow> serve) {
        return flow -> {
            InetAddress from = flow.remote().address();
            if (pageConnections.admit(from).isPresent()) {
                flow.close();
                return;
            }
            serve.accept(new ReleasingFlow(flow, () -> pageConnections.release(from)));
        };
    }

    /**
     * The page server's log: its routine lines (one per failed HTTPS handshake, say) share the
     * refusals' budget; warnings and errors always pass.
     */
    private final class BudgetedLog implements Log {
        private final Log log;

        BudgetedLog(Log log) {
            this.log = log;
        }

        @Override
        public String source() {
            return log.source();
        }

        @Override
        public boolean enabled(LogLevel level) {
            return log.enabled(level);
        }

        @Override
        public void log(LogLevel level, String message) {
            if (level.atLeast(LogLevel.WARN)) {
                log.log(level, message);
                return;
            }
            if (!log.enabled(level)) {
                return;
            }
            long leftOut = refusalLog.take(devices.clock().monotonicNanos());
            if (leftOut >= 0) {
                log.log(level, (leftOut > 0 ? "(" + leftOut + " lines not logged, too many) " : "")
                        + (message.length() > 2 * MAX_DETAIL ? message.substring(0, 2 * MAX_DETAIL) + "..." : message));
            }
        }

        @Override
        public Log named(String part) {
            return new BudgetedLog(log.named(part));
        }
    }

    private static String portText(int port) {
        return port == 0 ? "off" : Integer.toString(port);
    }

    private Promise<Result<Unit, BootError.Listener>> listening(String what, Promise<Result<TcpListener, NetError>> listen) {
        return listen.map(r -> switch (r) {
            case Result.Ok<TcpListener, NetError>(TcpListener l) -> {
                listeners.add(l);
                yield Result.ok();
            }
            case Result.Err<TcpListener, NetError>(NetError e) -> Result.err(new BootError.Listener(what, e));
        });
    }

    /** One try for the secret: the handshake for the role, then the secret to a verified peer only. */
    void attempt(Role role, Flow flow) {
        Endpoint peer = flow.remote();
        stats = stats.connection(role.port());
        metrics.connection(role);
        dirty = true;
        InetAddress from = peer.address();
        Optional<Refusal> full = attempts.admit(from);
        if (full.isPresent()) {
            flow.close();
            refused(role, peer, full.get());
            return;
        }
        Promise<Result<TlsFlow, Refusal>> handshake = switch (role) {
            case SERVER -> TlsFlow.accept(flow, serverConfig, tls).map(Bounty::refusalOf);
            case CLIENT -> TlsFlow.connect(flow, clientConfig, tls).map(Bounty::refusalOf);
            case CONNECT_BACK -> {
                flow.close();
                yield connectBack(peer);
            }
        };
        handshake.flatMap(r -> switch (r) {
            case Result.Err<TlsFlow, Refusal>(Refusal why) -> Promise.resolved(Result.<Winner, Refusal>err(why));
            case Result.Ok<TlsFlow, Refusal>(TlsFlow session) -> {
                metrics.handshakeCompleted(role);
                yield reward(role, session);
            }
        }).onComplete((outcome, bug) -> {
            attempts.release(from);
            if (bug != null) {
                log.error("port " + role.port() + " " + peer + ": bug in the attempt: " + bug);
                stats = stats.failure(role, "internal-error");
                metrics.failure(role, "internal-error");
            } else {
                switch (outcome) {
                    case Result.Ok<Winner, Refusal>(Winner winner) when pki.ownLeaf(winner.leaf()) ->
                            refused(role, peer, new Refusal(Reasons.TO_ITSELF, "the peer holds the pinata's own certificate '"
                                    + winner.subject() + "': two of its ports were bridged, it sent the secret to itself"));
                    case Result.Ok<Winner, Refusal>(Winner winner) -> {
                        stats = stats.success(role);
                        metrics.secretSent(role);
                        log.warn("port " + role.port() + " " + peer + ": SECRET SENT to the holder of '" + winner.subject()
                                + "' (a certificate from our CA)");
                    }
                    case Result.Err<Winner, Refusal>(Refusal why) -> refused(role, peer, why);
                }
            }
            dirty = true;
            if (attempts.inFlight() == 0 && drained != null) {
                drained.resolve(Unit.UNIT);
            }
        });
    }

    /** The secret to the peer of {@code session} if (and only if) a {@link Winner} can be made of it. */
    private Promise<Result<Winner, Refusal>> reward(Role role, TlsFlow session) {
        Purpose purpose = role.pinataIsServer() ? Purpose.CLIENT_AUTH : Purpose.SERVER_AUTH;
        return switch (Winner.verify(session, pki.ca(), devices.clock().now(), purpose)) {
            case Result.Err<Winner, NotAWinner>(NotAWinner why) ->
                    session.close().map(u -> Result.<Winner, Refusal>err(new Refusal(Reasons.UNVERIFIED, why.describe())));
            case Result.Ok<Winner, NotAWinner>(Winner winner) -> secret.handOver(winner).flatMap(sent -> switch (sent) {
                case Result.Ok<Unit, FlowError> ok -> hangUp(role, session).map(u -> Result.<Winner, Refusal>ok(winner));
                case Result.Err<Unit, FlowError>(FlowError e) -> session.close().map(u ->
                        Result.<Winner, Refusal>err(new Refusal(Reasons.SEND_FAILED, "verified, but sending failed: " + e)));
            });
        };
    }

    /**
     * After the secret: the server role closes at once (close_notify, FIN). The client roles first
     * give the peer up to {@link #LINGER} to close (reading and dropping what it sends), because in
     * TLS 1.3 the client finishes the handshake first and a peer that writes before it reads (the
     * pinata's own server side, bridged to itself) would otherwise find the connection gone; Bouncy
     * Castle closes both directions when close_notify arrives, so this order matters.
     */
    private Promise<Unit> hangUp(Role role, TlsFlow session) {
        if (role.pinataIsServer()) {
            return session.close();
        }
        Promise<Unit> peerDone = Promise.pending();
        drain(session, peerDone, 0);
        return devices.scheduler().withTimeout(peerDone, LINGER, Unit.UNIT).flatMap(u -> session.close());
    }

    private static void drain(TlsFlow session, Promise<Unit> done, long sofar) {
        session.read().onComplete((r, bug) -> {
            if (r instanceof Result.Ok<ReadResult, FlowError>(ReadResult.Data(Bytes b)) && sofar + b.size() <= DRAIN_LIMIT) {
                drain(session, done, sofar + b.size());
            } else {
                done.resolve(Unit.UNIT);
            }
        });
    }

    /** The original's rule for 10001: connect to the peer's port 40001 and be its TLS client there. */
    private Promise<Result<TlsFlow, Refusal>> connectBack(Endpoint peer) {
        Optional<String> notAHost = connectBackRefusal(peer.address(), () -> devices.stack().addresses());
        if (notAHost.isPresent()) {
            return Promise.resolved(Result.err(new Refusal(Reasons.CONNECT_BACK_REFUSED, notAHost.get())));
        }
        Endpoint back = new Endpoint(peer.address(), Role.CONNECT_BACK_PORT);
        Promise<Result<Flow, NetError>> connecting = devices.stack().connectTcp(back);
        Promise<Result<Flow, NetError>> bounded = devices.scheduler().withTimeout(connecting, CONNECT_TIMEOUT,
                Result.err(new NetError.TimedOut(back)));
        bounded.onSuccess(r -> {
            if (r instanceof Result.Err<Flow, NetError>(NetError.TimedOut t)) {
                // a connection that comes up after we gave up is closed, not leaked
                connecting.onSuccess(late -> {
                    if (late instanceof Result.Ok<Flow, NetError>(Flow f)) {
                        f.close();
                    }
                });
            }
        });
        return bounded.flatMap(r -> switch (r) {
            case Result.Err<Flow, NetError>(NetError e) -> Promise.resolved(Result.<TlsFlow, Refusal>err(
                    new Refusal(Reasons.CONNECT_BACK_FAILED, "connecting to " + back + ": " + e.describe())));
            case Result.Ok<Flow, NetError>(Flow transport) -> TlsFlow.connect(transport, clientConfig, tls).map(Bounty::refusalOf);
        });
    }

    /**
     * Why the pinata will not connect back to {@code peer}, if it is no single host that could have
     * opened the connection itself: a source address RFC 1122 3.2.1.3 says a host must discard
     * (multicast, broadcast, "this host" 0.0.0.0/8, class E 240/4), or a loopback address arriving
     * at a pinata that does not listen on loopback (spoofed). The stack should never deliver such a
     * connection; this check keeps 10001 from becoming a way to make the pinata send SYNs and TLS
     * hellos to a whole segment or a group if it ever does.
     */
    static Optional<String> connectBackRefusal(InetAddress peer, java.util.function.Supplier<List<InetAddress>> own) {
        byte[] a = peer.getAddress();
        boolean v4 = a.length == 4;
        if (peer.isMulticastAddress()) {
            return Optional.of("not connecting back to a multicast address " + peer.getHostAddress());
        }
        if (peer.isAnyLocalAddress() || v4 && (a[0] == 0 || (a[0] & 0xf0) == 0xf0)) {
            return Optional.of("not connecting back to " + peer.getHostAddress() + " (broadcast, reserved or \"this host\")");
        }
        if (peer.isLoopbackAddress() && own.get().stream().noneMatch(o -> o.isLoopbackAddress() || o.isAnyLocalAddress())) {
            return Optional.of("not connecting back to loopback " + peer.getHostAddress() + " from a non-loopback pinata (spoofed)");
        }
        return Optional.empty();
    }

    private static Result<TlsFlow, Refusal> refusalOf(Result<TlsFlow, TlsFailure> handshake) {
        return switch (handshake) {
            case Result.Ok<TlsFlow, TlsFailure>(TlsFlow f) -> Result.ok(f);
            case Result.Err<TlsFlow, TlsFailure>(TlsFailure f) -> Result.err(new Refusal(Reasons.of(f), f.describe()));
        };
    }

    /** Counts a refusal; logs it within {@link #refusalLog}'s budget, its peer-supplied detail cut short. */
    private void refused(Role role, Endpoint peer, Refusal why) {
        stats = stats.failure(role, why.reason());
        metrics.failure(role, why.reason());
        long leftOut = refusalLog.take(devices.clock().monotonicNanos());
        if (leftOut >= 0) {
            String detail = why.detail().length() > MAX_DETAIL ? why.detail().substring(0, MAX_DETAIL) + "..." : why.detail();
            log.info((leftOut > 0 ? "(" + leftOut + " refusals not logged, too many; all are counted) " : "")
                    + "port " + role.port() + " " + peer + ": refused (" + why.reason() + "): " + detail);
        }
    }

    private HttpResponse page() {
        String html = Page.render(parameters.btcAddress, pki.ca(), stats, bootedAt, devices.clock().now(), parameters.test);
        return HttpResponse.of(200, Headers.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store"),
                Bytes.utf8(html));
    }

    /** Writes the statistics if they changed since the last write; one write at a time. */
    private Promise<Unit> flush() {
        if (!dirty || writing || !statsWritable) {
            return Promise.done();
        }
        dirty = false;
        writing = true;
        return devices.kv().set(Pinata.STATS_KEY, stats.encode()).map(r -> {
            writing = false;
            if (r instanceof Result.Err<Unit, KvError>(KvError e)) {
                dirty = true;
                log.warn("cannot store the statistics: " + e.describe());
            }
            return Unit.UNIT;
        }).recover(bug -> {
            writing = false;
            dirty = true;
            log.error("bug storing the statistics: " + bug);
            return Unit.UNIT;
        });
    }

    /** The statistics now (tests, on the loop). */
    Stats stats() {
        return stats;
    }

    @Override
    public Promise<Unit> stop() {
        if (flushTimer != null) {
            flushTimer.cancel();
        }
        certify.ifPresent(Certify::stop);
        return closeListeners().flatMap(u -> http.stop()).flatMap(u -> {
            if (attempts.inFlight() == 0) {
                return Promise.done();
            }
            log.info("waiting for " + attempts.inFlight() + " attempts in flight");
            drained = Promise.pending();
            return drained;
        }).flatMap(u -> {
            // the last write: wait for one in progress, then write what changed since
            dirty = dirty || writing;
            writing = false;
            return flush();
        });
    }

    private Promise<Unit> closeListeners() {
        List<Promise<Unit>> closing = new ArrayList<>();
        listeners.forEach(l -> closing.add(l.close()));
        listeners.clear();
        return Promise.all(closing).map(x -> Unit.UNIT);
    }
}
