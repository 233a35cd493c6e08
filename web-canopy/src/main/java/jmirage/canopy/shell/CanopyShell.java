package jmirage.canopy.shell;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.canopy.content.Problem;
import jmirage.canopy.content.Snapshot;
import jmirage.canopy.render.Site;
import jmirage.canopy.render.SiteBuilder;
import jmirage.certify.CertificateSlot;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.TokenBucket;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvHistory;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Listening;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.TlsSetupError;

/**
 * The running site, the shell around {@link SiteBuilder} and {@link Answers}: the HTTP and HTTPS
 * listeners answer from the current {@link Site}, a value swapped whole on the loop; refreshes
 * (the timer, the webhook, a change to the store from outside, SIGHUP) read the store, build the
 * next site on the Scheduler's worker pool and swap it in. At most one refresh runs and at most one
 * more waits, whatever asks for them (decision 0016). On the loop only.
 */
public final class CanopyShell implements Unikernel.Running {

    /**
     * What the shell needs from the boot parameters; {@code refreshEvery} zero: no timer;
     * {@code certified}: the certificate comes through DNS (--certify-*), so a stored pair that
     * changes is not swapped in.
     */
    public record Settings(int httpPort, int httpsPort, Duration refreshEvery, boolean certified) {}

    /** The devices the shell uses; {@code secrets}: the store named secrets, when given (decision 19). */
    public record Devices(Stack stack, Kv kv, Optional<KvSync> kvSync, Optional<KvHistory> kvHistory, Log log, Clock clock,
            Scheduler scheduler, Random random, Metrics metrics, Optional<Kv> secrets) {}

    /** A webhook body larger than this is refused (413) before it is read whole: GitHub's push payloads stay far below. */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Lines about refused webhook calls: a burst, then one a second; the rest are counted. */
    static final int LOG_BURST = 10;

    private final Devices devices;
    private final Settings settings;
    private final Log log;
    private final Log access;
    private final CanopyMetrics metrics;
    private final HttpServer http;
    private final HttpServer https;
    private final TokenBucket refusalLog = TokenBucket.perSecond(LOG_BURST, 1);
    private final List<TcpListener> listeners = new ArrayList<>();
    private final List<Cancellable> timers = new ArrayList<>();
    private Site site;
    private SiteBuilder.Renderings renderings;
    private Snapshot snapshot;
    private Secrets secrets;
    /** What HTTPS presents to each new connection; swapped when a refresh brings a new pair, or by certify. */
    private CertificateSlot tls;
    // refreshes: on the loop only
    private boolean refreshing;
    private boolean pulling;
    private boolean pending;
    private boolean pendingPull;
    private boolean pullFailing;

    /** The shell serving the site {@code built} from {@code snapshot} at boot, with the {@code secrets} read with it. */
    public CanopyShell(Devices devices, Settings settings, Snapshot snapshot, Secrets secrets, SiteBuilder.Built built) {
        this.devices = devices;
        this.settings = settings;
        this.log = devices.log();
        this.access = log.named("access");
        this.snapshot = snapshot;
        this.site = built.site();
        this.renderings = built.renderings();
        this.secrets = secrets;
        this.metrics = new CanopyMetrics(devices.metrics(), () -> this.site);
        ServerConfig config = ServerConfig.defaults().withMaxBodyBytes(MAX_BODY_BYTES);
        boolean tls = settings.httpsPort() != 0;
        this.http = new HttpServer(devices.scheduler(), devices.clock(), log.named("http"), config,
                request -> Promise.resolved(answered(request, handle(request, false, tls))));
        this.https = new HttpServer(devices.scheduler(), devices.clock(), log.named("https"), config,
                request -> Promise.resolved(answered(request, handle(request, true, tls))));
    }

    /** Opens the listeners and arms the refreshes: this, or why a port could not be opened. */
    public Promise<Result<Unikernel.Running, String>> open(Optional<CertificateSlot> tls) {
        List<Listening.Opening> opened = new ArrayList<>();
        if (settings.httpPort() != 0) {
            opened.add(new Listening.Opening("--http-port " + settings.httpPort(), http.listen(devices.stack(), settings.httpPort())));
        }
        if (settings.httpsPort() != 0 && tls.isPresent()) {
            this.tls = tls.get();
            opened.add(new Listening.Opening("--https-port " + settings.httpsPort(), https.listenTls(devices.stack(), settings.httpsPort(),
                    this.tls.serverConfig(CanopyShell::tlsConfig), new TlsDevices(devices.scheduler(), devices.clock(),
                            devices.random()))));
        }
        return Listening.all(opened).flatMap(all -> {
            if (all instanceof Result.Err<List<TcpListener>, String>(String failures)) {
                return closeServers().map(u -> Result.<Unikernel.Running, String>err(failures));
            }
            listeners.addAll(all.orElseThrow());
            devices.kvSync().ifPresent(sync -> timers.add(sync.onExternalChange(this::externalChange)));
            if (!settings.refreshEvery().isZero()) {
                timers.add(devices.scheduler().every(settings.refreshEvery(), () -> refresh("the timer", true)));
            }
            log.info("serving " + site.resources().size() + " paths (" + site.problems().size() + " problem(s), see /status) on "
                    + devices.stack().addresses().stream().map(InetAddress::getHostAddress).toList()
                    + ": http " + portText(settings.httpPort()) + ", https " + portText(settings.httpsPort())
                    + "; " + (settings.refreshEvery().isZero() ? "no refresh timer"
                            : "refresh every " + settings.refreshEvery().toSeconds() + " s")
                    + (devices.kvSync().isPresent() ? "; a refresh pulls the git store's remote first, if it has one"
                            : "; a refresh reads the store again")
                    + "; webhook " + (secrets.webhookSecret().isPresent() ? "on at POST " + Webhook.PATH
                            : "off (no " + Webhook.SECRET + ")")
                    + "; secrets from " + (devices.secrets().isPresent() ? "the secrets store" : "the content store"));
            return Promise.resolved(Result.<Unikernel.Running, String>ok(this));
        });
    }

    /** The site every request reads now. */
    public Site site() {
        return site;
    }

    // ---- requests

    private HttpResponse handle(HttpRequest request, boolean overTls, boolean tlsOn) {
        if (request.path().equals(Webhook.PATH)) {
            return webhook(request);
        }
        if (tlsOn && !overTls) {
            return Answers.toHttps(request, settings.httpsPort());
        }
        return Answers.answer(site, request, overTls);
    }

    /**
     * POST {@link Webhook#PATH}: 202 and a refresh with a pull when the signature is right; 403 when
     * it is wrong or missing, 404 when no secret is configured (the webhook is off), and nothing else
     * happens in either case. The body is only authenticated, never read for content.
     */
    private HttpResponse webhook(HttpRequest request) {
        if (!request.method().equals("POST")) {
            return HttpResponse.text(405, "the webhook takes POST\n").withHeader("Allow", "POST");
        }
        Optional<Bytes> secret = secrets.webhookSecret();
        if (secret.isEmpty()) {
            metrics.webhook("off");
            refused(request, "no secret is configured (" + Webhook.SECRET + "), so the webhook is off");
            return HttpResponse.text(404, "not found\n");
        }
        return switch (Webhook.verify(secret.get(), request.headers(), request.body())) {
            case Result.Err<List<String>, Webhook.Refusal>(Webhook.Refusal refusal) -> {
                metrics.webhook("refused");
                refused(request, refusal.describe());
                yield HttpResponse.text(403, "signature refused\n");
            }
            case Result.Ok<List<String>, Webhook.Refusal>(List<String> headers) -> {
                metrics.webhook("accepted");
                log.info("webhook (" + String.join(", ", headers) + ")" + from(request) + ": refreshing");
                refresh("the webhook", true);
                yield HttpResponse.text(202, "refresh queued\n");
            }
        };
    }

    private void refused(HttpRequest request, String why) {
        long leftOut = refusalLog.take(devices.clock().monotonicNanos());
        if (leftOut >= 0) {
            log.warn((leftOut > 0 ? "(" + leftOut + " refused webhook calls not logged) " : "") + "webhook refused" + from(request)
                    + ": " + why);
        }
    }

    private static String from(HttpRequest request) {
        return request.peer().map(p -> " from " + p.address().getHostAddress()).orElse("");
    }

    private HttpResponse answered(HttpRequest request, HttpResponse response) {
        metrics.request(request.method(), response.status());
        access.debug(() -> request.method() + " " + printable(request.target()) + " " + response.status() + from(request));
        return response;
    }

    /** A request target, safe for one log line. */
    private static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    // ---- refreshes

    /** A change to the store from outside: a timed pull of the git store, a push into its repository. */
    void externalChange() {
        if (!pulling) { // our own pull's changes are read right after it
            refresh("a change to the store", false);
        }
    }

    /**
     * Pulls (when asked and the store has a remote), reads the store, builds the site off the loop
     * and swaps it in. While one runs, any number of requests become one more, with a pull if any
     * asked for one: a flood of webhooks costs at most two refreshes.
     */
    void refresh(String why, boolean pull) {
        if (refreshing) {
            pending = true;
            pendingPull |= pull;
            return;
        }
        refreshing = true;
        long started = devices.clock().monotonicNanos();
        Promise<Result<Unit, KvError>> pulled;
        if (pull && devices.kvSync().isPresent()) {
            pulling = true;
            pulled = devices.kvSync().get().pull();
        } else {
            pulled = Promise.resolved(Result.ok());
        }
        pulled.onComplete((r, failure) -> {
            pulling = false;
            Optional<String> problem = failure != null ? Optional.of(String.valueOf(failure))
                    : r instanceof Result.Err<Unit, KvError>(KvError e) ? Optional.of(e.describe()) : Optional.empty();
            if (problem.isPresent()) {
                metrics.refresh("pull_failed");
                if (!pullFailing) {
                    log.warn("git pull after " + why + " failed, serving the last good site: " + problem.get());
                }
                pullFailing = true;
                finished();
                return;
            }
            if (pull && pullFailing) {
                pullFailing = false;
                log.info("git pull works again");
            }
            rebuild(why, started, devices.clock().monotonicNanos()).onComplete((u, f) -> {
                if (f != null) {
                    metrics.refresh("build_failed");
                    log.error("building the site after " + why + " failed, serving the last good one: " + f);
                }
                finished();
            });
        });
    }

    private void finished() {
        refreshing = false;
        if (pending) {
            boolean pull = pendingPull;
            pending = false;
            pendingPull = false;
            refresh("requests during the last refresh", pull);
        }
    }

    /** Reads the store and, when it changed, builds and swaps; {@code started} and {@code pulled}: when the refresh and its read began. */
    private Promise<Unit> rebuild(String why, long started, long pulled) {
        return SnapshotReader.read(devices.kv(), devices.kvHistory()).flatMap(read -> switch (read) {
            case Result.Err<Snapshot, KvError>(KvError e) -> {
                metrics.refresh("read_failed");
                log.error("reading the store after " + why + " failed, serving the last good site: " + e.describe());
                yield Promise.done();
            }
            case Result.Ok<Snapshot, KvError>(Snapshot next) -> Secrets.read(devices.secrets(), next).flatMap(readSecrets -> {
                switch (readSecrets) {
                    case Result.Ok<Secrets, KvError>(Secrets nextSecrets) -> takeSecrets(nextSecrets);
                    case Result.Err<Secrets, KvError>(KvError e) -> log.warn("reading the secrets store after " + why
                            + " failed, keeping the secrets in use: " + e.describe());
                }
                return rebuilt(next, why, started, pulled);
            });
        });
    }

    /** Builds and swaps in the site of {@code next}, unless it is the content served now. */
    private Promise<Unit> rebuilt(Snapshot next, String why, long started, long pulled) {
        if (next.equals(snapshot)) {
            metrics.refresh("unchanged");
            log.debug(() -> "refresh after " + why + ": the content is unchanged");
            return Promise.done();
        }
        long readAt = devices.clock().monotonicNanos();
        SiteBuilder.Renderings before = renderings;
        return devices.scheduler().detach(() -> SiteBuilder.build(next, before)).map(built -> {
            long now = devices.clock().monotonicNanos();
            swap(next, built, now - readAt, why, "in " + millis(now - started) + " ms (pull " + millis(pulled - started)
                    + ", read " + millis(readAt - pulled) + ", build " + millis(now - readAt) + ")");
            return Unit.UNIT;
        });
    }

    /** On the loop: the next site in one assignment; requests from now on read it. */
    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static TlsServerConfig tlsConfig(Credentials credentials) {
        return TlsServerConfig.of(credentials).withHandshakeTimeout(TLS_HANDSHAKE_TIMEOUT);
    }

    private void swap(Snapshot next, SiteBuilder.Built built, long buildNanos, String why, String took) {
        snapshot = next;
        site = built.site();
        renderings = built.renderings();
        metrics.built(buildNanos);
        log.info("site rebuilt after " + why + " " + took + ": " + site.resources().size() + " paths, "
                + site.problems().size() + " problem(s)");
        logProblems(log, site);
    }

    /**
     * The secrets read with a refresh put in use: the webhook's secret at once; a TLS pair that
     * changed (a renewal pushed, or written into the secrets store) for new connections, unless the
     * certificate comes through DNS.
     */
    private void takeSecrets(Secrets next) {
        if (tls != null && !settings.certified() && next.tlsChangedFrom(secrets)) {
            renewTls();
        }
        if (next.webhookSecret().isPresent() != secrets.webhookSecret().isPresent()) {
            log.info("webhook " + (next.webhookSecret().isPresent() ? "on at POST " + Webhook.PATH
                    : "off: " + Webhook.SECRET + " is gone"));
        }
        secrets = next;
    }

    /**
     * The certificate and key read again after a refresh changed them: new connections get them at
     * once, open ones keep their own; a pair that is not usable (or gone) leaves the one in use.
     */
    private void renewTls() {
        SelfSigned.read(devices.secrets().orElse(devices.kv())).onComplete((r, failure) -> {
            if (r instanceof Result.Ok<Optional<Credentials>, TlsSetupError>(Optional<Credentials> c) && c.isPresent()) {
                tls.swap(c.get());
                log.info("HTTPS presents the new certificate of " + SelfSigned.CERTIFICATE + " (valid until " + c.get().leaf().notAfter()
                        + ") to new connections");
            } else {
                String why = failure != null ? String.valueOf(failure)
                        : r instanceof Result.Err<Optional<Credentials>, TlsSetupError>(TlsSetupError e) ? e.describe()
                        : SelfSigned.CERTIFICATE + " and " + SelfSigned.KEY + " are gone";
                log.warn("keeping the TLS certificate in use: " + why);
            }
        });
    }

    /** Each problem of a build, one line each (also on /status). */
    public static void logProblems(Log log, Site site) {
        for (Problem p : site.problems()) {
            log.warn("content problem: " + p.path() + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.reason());
        }
    }

    /** SIGHUP: a refresh with a pull, as the webhook asks; the configuration is content, read with it. */
    @Override
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        refresh("SIGHUP", true);
        return Promise.resolved(Result.ok());
    }

    // ---- stopping

    @Override
    public Promise<Unit> stop() {
        timers.forEach(Cancellable::cancel);
        timers.clear();
        return closeServers();
    }

    private Promise<Unit> closeServers() {
        List<Promise<Unit>> closing = new ArrayList<>();
        listeners.forEach(l -> closing.add(l.close()));
        listeners.clear();
        return Promise.all(closing).flatMap(x -> http.stop()).flatMap(u -> https.stop());
    }

    private static String portText(int port) {
        return port == 0 ? "off" : Integer.toString(port);
    }
}
