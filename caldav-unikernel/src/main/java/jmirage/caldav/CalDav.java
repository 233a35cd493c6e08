package jmirage.caldav;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import jmirage.caldav.dav.DavConfig;
import jmirage.caldav.dav.DavCore;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.shell.CalDavChecks;
import jmirage.caldav.shell.CalDavShell;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.shell.GitAttributes;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.StoreError;
import jmirage.certify.CertificateSlot;
import jmirage.certify.Certify;
import jmirage.certify.CertifyConfig;
import jmirage.certify.CertifyError;
import jmirage.certify.CertifyOptions;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.core.params.Mixin;
import jmirage.core.params.Option;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsSetupError;

/**
 * The CalDAV server (issue 15): calendars of several users in any Kv (one .ics per event, a git
 * history a person can read), served over HTTPS (and HTTP when asked) with Basic authentication
 * against an htpasswd file in the store, to Thunderbird, iOS/macOS, DAVx5 and any CalDAV client.
 * The protocol is {@link DavCore}, a function of the store and a request; this class boots it and
 * {@link CalDavShell} runs it on the devices.
 */
public final class CalDav implements Unikernel<CalDav.Devices, CalDav.Parameters> {

    /** {@code kvSync} is present with a git store: pulls and pushes. */
    public record Devices(Stack stack, Kv kv, Optional<KvSync> kvSync, Log log, Clock clock, Scheduler scheduler, Random random,
            Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--https-port", paramLabel = "PORT",
                description = "Port for HTTPS; 0 turns it off. The certificate and key are tls/server.pem and tls/server.key in the store; "
                        + "without them a self-signed pair is made and stored. With --certify-*, the certificate comes through DNS "
                        + "(that pair serves until it arrives). Default: ${DEFAULT-VALUE}.")
        public int httpsPort = 8443;

        @Option(names = "--http-port", paramLabel = "PORT",
                description = "Port for plain HTTP, off unless given: passwords then travel in clear text, so use it only on "
                        + "loopback or behind a TLS proxy. Default: ${DEFAULT-VALUE} (off).")
        public int httpPort = 0;

        @Option(names = "--tls-name", paramLabel = "NAME",
                description = "A host name the self-signed certificate is made for, besides localhost, 127.0.0.1 and ::1 "
                        + "(repeatable; only used when the store has no certificate yet).")
        public List<String> tlsNames = new ArrayList<>();

        @Option(names = "--pull-interval", paramLabel = "SECONDS",
                description = "With a git store that has a remote: pull every SECONDS (changes pushed after each request that "
                        + "changes something); 0 never pulls. Default: ${DEFAULT-VALUE}.")
        public int pullIntervalSeconds = 60;

        @Option(names = "--max-resource-size", paramLabel = "BYTES",
                description = "The largest calendar object a client may store (CALDAV:max-resource-size). Default: ${DEFAULT-VALUE}.")
        public long maxResourceSize = DavConfig.defaults().maxResourceBytes();

        @Mixin
        public CertifyOptions certify = new CertifyOptions();

        @Option(names = "--realm", paramLabel = "TEXT",
                description = "The Basic authentication realm clients show when they ask for a password. Default: ${DEFAULT-VALUE}.")
        public String realm = "caldav";
    }

    /** The largest request body: a resource at the limit, or a REPORT naming many hrefs. */
    static final long MIN_BODY_BYTES = 4L * 1024 * 1024;
    static final long MAX_RESOURCE_LIMIT = 64L * 1024 * 1024;

    @Override
    public String name() {
        return "caldav";
    }

    @Override
    public String description() {
        return "CalDAV server: calendars in git, for Thunderbird, iOS/macOS, DAVx5";
    }

    @Override
    public int heapMiB() {
        return 256;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.kv(), devices.kvSync(), devices.log(), devices.clock(), devices.scheduler(),
                devices.random(), devices.metrics());
    }

    /** The boot parameters, htpasswd, shares and the TLS pair, as boot reads them; claims only the Kv. */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        List<ConfigProblem> parameters = parameterProblems(p);
        Promise<List<ConfigProblem>> certifyKey = p.certify.config() instanceof Result.Ok<Optional<CertifyConfig>,
                List<ConfigProblem>>(Optional<CertifyConfig> config) && config.isPresent()
                ? Certify.check(devices.kv(), config.get()) : Promise.resolved(List.of());
        return CalDavChecks.store(devices.kv(), p.httpsPort != 0).flatMap(store -> certifyKey.map(key -> {
            List<ConfigProblem> all = new ArrayList<>(parameters);
            all.addAll(store);
            all.addAll(key);
            return List.copyOf(all);
        }));
    }

    static List<ConfigProblem> parameterProblems(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (p.httpsPort < 0 || p.httpsPort > 65535) {
            problems.add(ConfigProblem.of("--https-port", "must be 0 to 65535, got " + p.httpsPort));
        }
        if (p.httpPort < 0 || p.httpPort > 65535) {
            problems.add(ConfigProblem.of("--http-port", "must be 0 to 65535, got " + p.httpPort));
        }
        if (p.httpPort == 0 && p.httpsPort == 0) {
            problems.add(ConfigProblem.of("--https-port", "0 with --http-port 0: the server would listen nowhere"));
        }
        if (p.httpPort != 0 && p.httpPort == p.httpsPort) {
            problems.add(ConfigProblem.of("--http-port", "is the same port as --https-port (" + p.httpPort + ")"));
        }
        if (p.pullIntervalSeconds < 0) {
            problems.add(ConfigProblem.of("--pull-interval", "must be 0 or more seconds, got " + p.pullIntervalSeconds));
        }
        if (p.maxResourceSize < 1 || p.maxResourceSize > MAX_RESOURCE_LIMIT) {
            problems.add(ConfigProblem.of("--max-resource-size", "must be 1 to " + MAX_RESOURCE_LIMIT + " bytes, got " + p.maxResourceSize));
        }
        if (p.realm.isEmpty() || p.realm.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20 || c == 0x7f)) {
            problems.add(ConfigProblem.of("--realm", "must be non-empty, without quotes, backslashes or control characters"));
        }
        problems.addAll(p.certify.problems());
        if (p.certify.given() && p.httpsPort == 0) {
            problems.add(ConfigProblem.of("--https-port", "is 0, so nothing would serve the certificate --certify-* gets"));
        }
        for (String name : p.tlsNames) {
            if (!name.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
                problems.add(ConfigProblem.of("--tls-name", "'" + name + "' is not a host name"));
            }
        }
        return List.copyOf(problems);
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters p) {
        List<ConfigProblem> problems = parameterProblems(p);
        if (!problems.isEmpty()) {
            return Promise.resolved(Result.err(problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "))));
        }
        Log log = devices.log();
        return CalDavChecks.store(devices.kv(), p.httpsPort != 0).flatMap(stored -> {
            if (!stored.isEmpty()) {
                return Promise.resolved(Result.<Running, String>err(stored.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "))));
            }
            return FirstUser.seed(devices.kv(), devices.random(), devices.clock().now()).flatMap(seeded -> switch (seeded) {
                case Result.Err<Optional<String>, KvError>(KvError e) ->
                        Promise.resolved(Result.<Running, String>err("cannot create the first user: " + e.describe()));
                case Result.Ok<Optional<String>, KvError>(Optional<String> password) -> {
                    password.ifPresent(pw -> log.warn("first boot: created user '" + FirstUser.USER + "' with password " + pw
                            + " and calendar '" + FirstUser.CALENDAR + "'. This password is shown only this once and stored only as a"
                            + " bcrypt hash in '" + Layout.HTPASSWD + "'; note it now (change it or add users with htpasswd -B)."));
                    yield keepBothRule(devices).flatMap(rule -> switch (rule) {
                        case Result.Err<Unit, KvError>(KvError e) ->
                                Promise.resolved(Result.<Running, String>err("cannot write " + Layout.GIT_ATTRIBUTES + ": " + e.describe()));
                        case Result.Ok<Unit, KvError> written -> certificate(devices, p).flatMap(tls -> switch (tls) {
                            case Result.Err<Optional<Credentials>, String>(String e) -> Promise.resolved(Result.<Running, String>err(e));
                            case Result.Ok<Optional<Credentials>, String>(Optional<Credentials> credentials) -> serve(devices, p, credentials);
                        });
                    });
                }
            });
        });
    }

    /** A store that synchronises (git) keeps both versions of an event on a merge conflict: its .gitattributes says so. */
    private static Promise<Result<Unit, KvError>> keepBothRule(Devices devices) {
        return devices.kvSync().isPresent() ? GitAttributes.ensure(devices.kv(), devices.log()) : Promise.resolved(Result.ok(Unit.UNIT));
    }

    private static Promise<Result<Optional<Credentials>, String>> certificate(Devices devices, Parameters p) {
        if (p.httpsPort == 0) {
            return Promise.resolved(Result.ok(Optional.empty()));
        }
        return SelfSigned.loadOrCreate(devices.kv(), "caldav", devices.random(), devices.clock().now(), p.tlsNames, devices.log())
                .map(r -> r.map(loaded -> Optional.of(loaded.credentials())).mapError(TlsSetupError::describe));
    }

    private static Promise<Result<Running, String>> serve(Devices devices, Parameters p, Optional<Credentials> tls) {
        return Layout.open(devices.kv(), devices.clock().now(), ICalendars::validate, devices.scheduler()).flatMap(loaded -> switch (loaded) {
            case Result.Err<Layout.Loaded, StoreError>(StoreError e) -> Promise.resolved(Result.<Running, String>err(e.describe()));
            case Result.Ok<Layout.Loaded, StoreError>(Layout.Loaded read) -> {
                read.warnings().forEach(w -> devices.log().warn(w));
                yield open(devices, p, tls, read);
            }
        });
    }

    private static Promise<Result<Running, String>> open(Devices devices, Parameters p, Optional<Credentials> tls, Layout.Loaded read) {
        Optional<CertifyConfig> certify = p.certify.config().orElseThrow();
        if (tls.isEmpty() || certify.isEmpty()) {
            return open(devices, p, tls.map(CertificateSlot::new), Optional.empty(), read);
        }
        return Certify.start(new Certify.Devices(devices.stack(), devices.scheduler(), devices.clock(), devices.random(),
                devices.kv(), devices.log()), certify.get(), tls.get()).flatMap(started -> switch (started) {
                    case Result.Err<Certify, CertifyError>(CertifyError e) ->
                            Promise.resolved(Result.<Running, String>err("the certificate through DNS: " + e.describe()));
                    case Result.Ok<Certify, CertifyError>(Certify c) -> open(devices, p, Optional.of(c.slot()), Optional.of(c), read);
                });
    }

    private static Promise<Result<Running, String>> open(Devices devices, Parameters p, Optional<CertificateSlot> tls,
            Optional<Certify> certify, Layout.Loaded read) {
        DavCore core = new DavCore(new DavConfig(p.maxResourceSize, DavConfig.defaults().maxReportResults()));
        CalDavShell.Settings settings = new CalDavShell.Settings(p.httpPort, p.httpsPort, Duration.ofSeconds(p.pullIntervalSeconds),
                p.realm, Math.max(MIN_BODY_BYTES, p.maxResourceSize + 64 * 1024));
        CalDavShell shell = new CalDavShell(new CalDavShell.Devices(devices.stack(), devices.kv(), devices.kvSync(), devices.log(),
                devices.clock(), devices.scheduler(), devices.random(), devices.metrics()), settings, read.store(), core::handle);
        return shell.open(tls).map(opened -> {
            if (!opened.isOk()) {
                certify.ifPresent(Certify::stop);
            }
            return opened.map(running -> certify.<Running>map(c -> new Certified(running, c)).orElse(running));
        });
    }

    /** The server with its certificate through DNS: SIGHUP also looks for a new certificate at once; stop stops looking. */
    private record Certified(Running server, Certify certify) implements Running {
        @Override
        public Promise<Result<Unit, List<ConfigProblem>>> reload() {
            certify.refresh();
            return server.reload();
        }

        @Override
        public Promise<Unit> stop() {
            certify.stop();
            return server.stop();
        }
    }
}
