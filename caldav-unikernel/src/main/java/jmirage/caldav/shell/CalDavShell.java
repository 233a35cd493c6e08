package jmirage.caldav.shell;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import jmirage.caldav.dav.DavCore;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.dav.DavRequest;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.StoreError;
import jmirage.certify.CertificateSlot;
import jmirage.core.Cancellable;
import jmirage.core.Bytes;
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
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Listening;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.server.BasicAuth;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;

/**
 * The running CalDAV server, the shell around {@code DavCore}: HTTP and HTTPS listeners, Basic
 * authentication against the store's users (successes cached, failures rate-limited per address),
 * one store in memory that every request reads, and the commit of each change before its answer
 * (a 201 means stored). With a git store: pulls every --pull-interval, pushes after commits, and
 * serves what a pull or another program brought once it is read again. On the loop only.
 */
public final class CalDavShell implements Unikernel.Running {

    /** What the shell needs from the boot parameters. */
    public record Settings(int httpPort, int httpsPort, Duration pullInterval, String realm, long maxBodyBytes) {}

    /** The devices the shell uses. */
    public record Devices(Stack stack, Kv kv, Optional<KvSync> kvSync, Log log, Clock clock, Scheduler scheduler, Random random,
            Metrics metrics) {}

    /** Lines about refused logins: a burst, then a steady rate; the rest are counted, not written. */
    static final int LOG_BURST = 20;
    static final int LOG_PER_SECOND = 1;
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a clean stop waits for the push of the last commits: well within the launcher's --stop-timeout (10 s by default). */
    static final Duration STOP_PUSH_WAIT = Duration.ofSeconds(5);
    /** Where requests without a peer address (none over a real network) are counted for rate limiting. */
    private static final InetAddress UNKNOWN_PEER = InetAddress.ofLiteral("0.0.0.0");

    private final Devices devices;
    private final Settings settings;
    private final BiFunction<Store, DavRequest, DavOutcome> core;
    private final Log log;
    private final Log access;
    private final String challenge;
    private final HttpServer http;
    private final CalDavMetrics metrics;
    private final VerifiedLogins verified = new VerifiedLogins();
    private final FailedLogins failed = new FailedLogins();
    private final TokenBucket refusalLog = TokenBucket.perSecond(LOG_BURST, LOG_PER_SECOND);
    private final List<TcpListener> listeners = new ArrayList<>();
    private final List<Cancellable> timers = new ArrayList<>();
    private Store store;
    /** Counts the changes requests made, so a reload that overlapped one reads the store again. */
    private long changes;
    private boolean reloading;
    private boolean reloadAgain;
    private boolean pulling;
    private boolean pushing;
    private boolean pushAgain;
    private boolean syncFailing;

    public CalDavShell(Devices devices, Settings settings, Store store, BiFunction<Store, DavRequest, DavOutcome> core) {
        this.devices = devices;
        this.settings = settings;
        this.store = store;
        this.core = core;
        this.log = devices.log();
        this.access = log.named("access");
        // RFC 7617 2.1: the charset parameter announces UTF-8 user names and passwords.
        this.challenge = "Basic realm=\"" + settings.realm() + "\", charset=\"UTF-8\"";
        this.metrics = new CalDavMetrics(devices.metrics(), () -> this.store);
        this.http = new HttpServer(devices.scheduler(), devices.clock(), log.named("http"),
                ServerConfig.defaults().withMaxBodyBytes(settings.maxBodyBytes()), this::handle);
    }

    /**
     * Opens the listeners (and the git synchronisation): this, or why a port could not be opened.
     * HTTPS presents what {@code tls} holds for each new connection (a certificate from DNS is
     * swapped in there on renewal, platform/certify).
     */
    public Promise<Result<Unikernel.Running, String>> open(Optional<CertificateSlot> tls) {
        List<Listening.Opening> opened = new ArrayList<>();
        if (settings.httpPort() != 0) {
            opened.add(new Listening.Opening("--http-port " + settings.httpPort(), http.listen(devices.stack(), settings.httpPort())));
        }
        if (settings.httpsPort() != 0 && tls.isPresent()) {
            opened.add(new Listening.Opening("--https-port " + settings.httpsPort(), http.listenTls(devices.stack(), settings.httpsPort(),
                    tls.get().serverConfig(c -> TlsServerConfig.of(c).withHandshakeTimeout(TLS_HANDSHAKE_TIMEOUT)),
                    new TlsDevices(devices.scheduler(), devices.clock(), devices.random()))));
        }
        return Listening.all(opened).flatMap(all -> {
            if (all instanceof Result.Err<List<TcpListener>, String>(String failures)) {
                return http.stop().map(u -> Result.<Unikernel.Running, String>err(failures));
            }
            listeners.addAll(all.orElseThrow());
            startSync();
            List<InetAddress> addresses = devices.stack().addresses();
            List<String> shown = addresses.stream().map(InetAddress::getHostAddress).toList();
            if (settings.httpPort() != 0 && !addresses.stream().allMatch(InetAddress::isLoopbackAddress)) {
                log.warn("--http-port " + settings.httpPort() + " on " + shown + ": passwords travel in clear text over plain HTTP;"
                        + " use it only on loopback or behind a TLS proxy");
            }
            log.info("serving " + calendars(store) + " calendar(s) of " + store.users().names().size() + " user(s) on " + shown
                    + ": https " + portText(settings.httpsPort()) + ", http " + portText(settings.httpPort())
                    + devices.kvSync().map(s -> settings.pullInterval().isZero() ? "; git: push after changes, no pull"
                            : "; git: pull every " + settings.pullInterval().toSeconds() + " s, push after changes").orElse(""));
            return Promise.resolved(Result.<Unikernel.Running, String>ok(this));
        });
    }

    /** The store every request reads now. */
    public Store store() {
        return store;
    }

    // ---- requests

    Promise<HttpResponse> handle(HttpRequest request) {
        long started = devices.clock().monotonicNanos();
        Optional<String> path = RequestPath.normalise(request.path());
        if (path.isEmpty()) {
            return answered(request, "-", "-", started, HttpResponse.text(400, "the request path is not a percent-encoded UTF-8 path\n"));
        }
        Optional<HttpResponse> forAnyone = DavCore.forAnyone(path.get());
        if (forAnyone.isPresent()) {
            return answered(request, path.get(), "-", started, forAnyone.get());
        }
        Optional<BasicAuth.Credentials> credentials = BasicAuth.credentials(request);
        if (credentials.isEmpty()) {
            return answered(request, path.get(), "-", started, challenge("authentication required\n"));
        }
        String user = credentials.get().user();
        String password = credentials.get().password();
        // The budget first: if the cache answered before it, a guesser could tell a right password
        // (200) from a wrong one (429) at full speed while it is held up.
        InetAddress from = request.peer().map(Endpoint::address).orElse(UNKNOWN_PEER);
        Duration wait = failed.wait(from, started);
        if (!wait.isZero()) {
            metrics.rateLimited();
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            // RFC 6585 4: 429 Too Many Requests, with how long to wait
            return answered(request, path.get(), user, started, HttpResponse.text(429, "too many wrong passwords; try again later\n")
                    .withHeader("Retry-After", Long.toString(seconds)));
        }
        Store current = store;
        if (verified.known(current.users(), user, password)) {
            return serve(request, path.get(), user, started);
        }
        // bcrypt takes a tenth of a second by design: off the loop, so other requests go on meanwhile.
        return devices.scheduler().detach(() -> current.users().verify(user, password)).flatMap(ok -> {
            if (ok) {
                verified.remember(current.users(), user, password);
                return serve(request, path.get(), user, started);
            }
            failed.failed(from, devices.clock().monotonicNanos());
            metrics.wrongPassword();
            long leftOut = refusalLog.take(devices.clock().monotonicNanos());
            if (leftOut >= 0) {
                log.info((leftOut > 0 ? "(" + leftOut + " refused logins not logged) " : "") + "wrong password or unknown user '"
                        + printable(user) + "' from " + from.getHostAddress());
            }
            return answered(request, path.get(), user, started, challenge("wrong user name or password\n"));
        });
    }

    private HttpResponse challenge(String text) {
        return HttpResponse.text(401, text).withHeader("WWW-Authenticate", challenge);
    }

    /**
     * The core's answer. A change is in memory at once (the next request sees it) and its batch is
     * committed before the answer goes out; if the commit fails the answer is 500 and the store is
     * read again, so memory is what storage holds.
     */
    private Promise<HttpResponse> serve(HttpRequest request, String path, String user, long started) {
        DavOutcome outcome = core.apply(store, new DavRequest(request.method(), path, request.headers(), request.body(), user,
                devices.clock().now()));
        store = outcome.store();
        if (outcome.batch().isEmpty()) {
            return answered(request, path, user, started, outcome.response());
        }
        changes++;
        Batch batch = outcome.batch().get();
        long committing = devices.clock().monotonicNanos();
        return devices.kv().commit(batch).flatMap(r -> {
            long took = devices.clock().monotonicNanos() - committing;
            return switch (r) {
                case Result.Ok<Unit, KvError> ok -> {
                    metrics.commit(true, took);
                    push();
                    yield answered(request, path, user, started, outcome.response());
                }
                case Result.Err<Unit, KvError>(KvError e) -> {
                    metrics.commit(false, took);
                    log.error("cannot store " + request.method() + " " + path + " by " + user + ": " + e.describe()
                            + "; answered 500 and reading the calendars from the store again");
                    reloadStore("a failed commit");
                    yield answered(request, path, user, started,
                            HttpResponse.text(500, "the change could not be stored; nothing was changed\n"));
                }
            };
        });
    }

    private Promise<HttpResponse> answered(HttpRequest request, String path, String user, long started, HttpResponse response) {
        metrics.request(request.method(), response.status());
        access.debug(() -> request.method() + " " + path + " " + response.status() + " "
                + (devices.clock().monotonicNanos() - started) / 1_000_000 + " ms " + printable(user)
                + request.peer().map(p -> " from " + p.address().getHostAddress()).orElse(""));
        return Promise.resolved(response);
    }

    /** A user name from a request, safe for one log line. */
    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    // ---- reading the store again

    /**
     * SIGHUP: htpasswd, shares and the calendars read again; kept only if they parse, else the
     * previous ones stay served and the problem is returned.
     */
    @Override
    public Promise<Result<Unit, List<ConfigProblem>>> reload() {
        long before = changes;
        return read().map(r -> switch (r) {
            case Result.Err<Layout.Loaded, StoreError>(StoreError e) -> Result.<Unit, List<ConfigProblem>>err(List.of(CalDavChecks.problem(e)));
            case Result.Ok<Layout.Loaded, StoreError>(Layout.Loaded loaded) -> {
                adopt(loaded, before, "reload");
                yield Result.<Unit, List<ConfigProblem>>ok(Unit.UNIT);
            }
        });
    }

    /** Reads the store again (after a pull, an external change, a failed commit); coalesced. */
    void reloadStore(String why) {
        if (reloading) {
            reloadAgain = true;
            return;
        }
        reloading = true;
        long before = changes;
        read().onComplete((r, failure) -> {
            reloading = false;
            if (failure != null) {
                log.error("reading the calendars again after " + why + " failed: " + failure);
            } else if (r instanceof Result.Err<Layout.Loaded, StoreError>(StoreError e)) {
                log.error("reading the calendars again after " + why + " failed, serving the previous ones: " + e.describe());
            } else if (r instanceof Result.Ok<Layout.Loaded, StoreError>(Layout.Loaded loaded)) {
                adopt(loaded, before, why);
            }
            if (reloadAgain) {
                reloadAgain = false;
                reloadStore(why);
            }
        });
    }

    /** The store read again, sync histories carried on so that clients' sync tokens stay valid (RFC 6578). */
    private Promise<Result<Layout.Loaded, StoreError>> read() {
        return Layout.reload(store, devices.kv(), devices.clock().now(), ICalendars::validate, devices.scheduler());
    }

    /** Serves {@code loaded}, unless a request changed the store while it was read: then reads again. */
    private void adopt(Layout.Loaded read, long changesBefore, String why) {
        if (changes != changesBefore) {
            reloadAgain = true;
            if (!reloading) {
                reloadAgain = false;
                reloadStore(why);
            }
            return;
        }
        Store loaded = read.store();
        store = loaded;
        read.warnings().forEach(log::warn);
        log.info("read the store again after " + why + ": " + calendars(loaded) + " calendar(s) of "
                + loaded.users().names().size() + " user(s)");
    }

    // ---- git

    private void startSync() {
        devices.kvSync().ifPresent(sync -> {
            timers.add(sync.onExternalChange(() -> reloadStore("a change to the store from outside")));
            if (!settings.pullInterval().isZero()) {
                timers.add(devices.scheduler().every(settings.pullInterval(), this::pull));
            }
        });
    }

    private void pull() {
        KvSync sync = devices.kvSync().orElseThrow();
        if (pulling) {
            return;
        }
        pulling = true;
        sync.pull().onComplete((r, failure) -> {
            pulling = false;
            syncResult("pull", r, failure);
            if (sync.unpushed()) {
                push();
            }
        });
    }

    /** Pushes the commits the remote lacks; one push at a time, the ones asked meanwhile folded into one more. */
    private void push() {
        if (devices.kvSync().isEmpty()) {
            return;
        }
        if (pushing) {
            pushAgain = true;
            return;
        }
        pushing = true;
        devices.kvSync().get().push().onComplete((r, failure) -> {
            pushing = false;
            syncResult("push", r, failure);
            if (pushAgain) {
                pushAgain = false;
                push();
            }
        });
    }

    /** One line when synchronisation starts failing, one when it works again; the server goes on either way. */
    private void syncResult(String what, Result<Unit, KvError> r, Throwable failure) {
        Optional<String> problem = failure != null ? Optional.of(String.valueOf(failure))
                : r instanceof Result.Err<Unit, KvError>(KvError e) ? Optional.of(e.describe()) : Optional.empty();
        if (problem.isPresent()) {
            if (!syncFailing) {
                log.warn("git " + what + " failed (serving on, will try again): " + problem.get());
            } else {
                log.debug(() -> "git " + what + " failed again: " + problem.get());
            }
            syncFailing = true;
        } else if (syncFailing) {
            syncFailing = false;
            log.info("git " + what + " works again");
        }
    }

    // ---- stopping

    /**
     * A clean stop: no more requests, then each calendar's recent sync history and object index
     * written (one batch) so that clients' tokens stay valid across the restart and the next boot
     * parses only what changed, then, with a git remote, the commits it lacks pushed, waiting at most
     * {@link #STOP_PUSH_WAIT}.
     */
    @Override
    public Promise<Unit> stop() {
        timers.forEach(Cancellable::cancel);
        timers.clear();
        return closeListeners().flatMap(u -> http.stop()).flatMap(u -> saveKeptFiles()).flatMap(u -> pushAtStop());
    }

    /**
     * Writes each of {@link Layout#keptAtStop} that differs from the store's, all in one commit (none
     * when nothing changed); a failure is logged, and the next boot then finds histories that do not
     * lead to the content and drops them, and parses the objects the index does not know.
     */
    private Promise<Unit> saveKeptFiles() {
        List<Promise<Optional<Change>>> changes = new ArrayList<>();
        for (Layout.KeptFile file : Layout.keptAtStop(store)) {
            changes.add(devices.kv().get(file.key()).map(r -> switch (r) {
                case Result.Ok<Bytes, KvError>(Bytes stored) when stored.equals(file.content()) -> Optional.<Change>empty();
                case Result.Err<Bytes, KvError>(KvError.NotFound nf) when !file.worthCreating() -> Optional.<Change>empty();
                default -> Optional.<Change>of(new Change.Set(file.key(), file.content()));
            }));
        }
        return Promise.all(changes).flatMap(found -> {
            List<Change> writes = found.stream().flatMap(Optional::stream).toList();
            if (writes.isEmpty()) {
                return Promise.done();
            }
            return devices.kv().commit(new Batch("caldav", "caldav: sync histories and object indexes, at stop", writes))
                    .map(r -> {
                        switch (r) {
                            case Result.Ok<Unit, KvError> ok -> log.info("stopping: wrote " + writes.size()
                                    + " sync history and object index file(s), so clients' sync tokens stay valid after the restart"
                                    + " and the next boot parses only what changes meanwhile");
                            case Result.Err<Unit, KvError>(KvError e) -> log.warn("stopping: cannot write the sync histories and object indexes ("
                                    + e.describe() + "); after the restart clients' older sync tokens get 403 and they sync again");
                        }
                        return Unit.UNIT;
                    });
        });
    }

    /** With a git store: the commits the remote lacks pushed, waiting at most {@link #STOP_PUSH_WAIT}; they stay local otherwise. */
    private Promise<Unit> pushAtStop() {
        if (devices.kvSync().isEmpty()) {
            return Promise.done();
        }
        Optional<Result<Unit, KvError>> timedOut = Optional.empty();
        return devices.scheduler().withTimeout(devices.kvSync().get().push().map(Optional::of), STOP_PUSH_WAIT, timedOut)
                .recover(failure -> Optional.of(Result.err(new KvError.Storage(String.valueOf(failure)))))
                .map(pushed -> {
                    if (pushed.isEmpty()) {
                        log.warn("stopping: the git push did not end within " + STOP_PUSH_WAIT.toSeconds()
                                + " s; the commits stay in the local repository and are pushed after the next start");
                    } else if (pushed.get() instanceof Result.Err<Unit, KvError>(KvError e)) {
                        log.warn("stopping: git push failed (" + e.describe()
                                + "); the commits stay in the local repository and are pushed after the next start");
                    }
                    return Unit.UNIT;
                });
    }

    private Promise<Unit> closeListeners() {
        List<Promise<Unit>> closing = new ArrayList<>();
        listeners.forEach(l -> closing.add(l.close()));
        listeners.clear();
        return Promise.all(closing).map(x -> Unit.UNIT);
    }

    static int calendars(Store store) {
        return store.homes().values().stream().mapToInt(h -> h.calendars().size()).sum();
    }

    private static String portText(int port) {
        return port == 0 ? "off" : Integer.toString(port);
    }
}
