package jmirage.canopy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jmirage.canopy.content.Problem;
import jmirage.canopy.content.Snapshot;
import jmirage.canopy.render.SiteBuilder;
import jmirage.canopy.shell.CanopyShell;
import jmirage.canopy.shell.Secrets;
import jmirage.canopy.shell.SnapshotReader;
import jmirage.canopy.shell.Webhook;
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
import jmirage.core.kv.KvHistory;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.core.params.Mixin;
import jmirage.core.params.Option;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsSetupError;

/**
 * Canopy (issue 19): a website from a content repository in the Kv, a git store with a remote in
 * the usual case, every page built in advance by {@link SiteBuilder} and served over HTTP and
 * HTTPS; pushed content is live after a refresh (a timer, or the signed webhook a forge sends). This
 * class boots it and {@link CanopyShell} runs it on the devices.
 */
public final class Canopy implements Unikernel<Canopy.Devices, Canopy.Parameters> {

    /**
     * {@code kvSync} is present with a git store (pulls); {@code kvHistory} too (dates from the log);
     * {@code secrets}: the store named secrets, when given ({@link Secrets}, decision 19).
     */
    public record Devices(Stack stack, Kv kv, Optional<KvSync> kvSync, Optional<KvHistory> kvHistory, Log log, Clock clock,
            Scheduler scheduler, Random random, Metrics metrics, Optional<Kv> secrets) {}

    public static final class Parameters {
        @Option(names = "--http-port", paramLabel = "PORT",
                description = "Port for HTTP; 0 turns it off. With --https-port it answers 301 to HTTPS (the webhook excepted). "
                        + "Default: ${DEFAULT-VALUE}.")
        public int httpPort = 8080;

        @Option(names = "--https-port", paramLabel = "PORT",
                description = "Port for HTTPS, off unless given; the certificate chain and key are tls/server.pem and "
                        + "tls/server.key in the secrets store (else the content store). With --certify-*, the certificate "
                        + "comes through DNS (that pair, or a self-signed one, serves until it arrives). Default: ${DEFAULT-VALUE} (off).")
        public int httpsPort = 0;

        @Option(names = "--refresh-every", paramLabel = "DURATION",
                description = "Pull the git remote (or read the store again) and rebuild this often: N s, N m or N h; 0 only "
                        + "on the webhook. Default: ${DEFAULT-VALUE}.")
        public String refreshEvery = "5m";

        @Mixin
        public CertifyOptions certify = new CertifyOptions();
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*([smh]?)");
    private static final Duration MIN_REFRESH = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "canopy";
    }

    @Override
    public String description() {
        return "website from a git repository (Markdown, Atom), live on each push";
    }

    /**
     * Measured (2026-12-06, the image, SerialGC): 1,000 articles of 9 KB boot, serve and rebuild on
     * webhooks in a 64 MiB heap; twice that leaves room for a site twice as large, or for the
     * build's transient copy of a bigger one beside the site it replaces.
     */
    @Override
    public int heapMiB() {
        return 128;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.kv(), devices.kvSync(), devices.kvHistory(), devices.log(), devices.clock(),
                devices.scheduler(), devices.random(), devices.metrics(), devices.store(Secrets.CLAIM));
    }

    /**
     * The boot parameters, the TLS pair when HTTPS is on, and the content's problems (what /status
     * would show). Boot refuses the first two; content problems do not stop it (the rest of the site
     * serves), but the check reports them so that a push can be checked before it goes live.
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>(parameterProblems(p));
        Kv kv = devices.kv();
        Kv secrets = devices.store(Secrets.CLAIM).orElse(kv);
        Promise<List<ConfigProblem>> certifyKey = p.certify.config() instanceof Result.Ok<Optional<CertifyConfig>,
                List<ConfigProblem>>(Optional<CertifyConfig> config) && config.isPresent()
                ? Certify.check(secrets, config.get()) : Promise.resolved(List.of());
        return tls(secrets, p).flatMap(tls -> certifyKey.flatMap(key -> SnapshotReader.read(kv, Optional.empty()).map(read -> {
            if (tls instanceof Result.Err<Optional<Credentials>, ConfigProblem>(ConfigProblem e)) {
                problems.add(e);
            }
            problems.addAll(key);
            switch (read) {
                case Result.Err<Snapshot, KvError>(KvError e) -> problems.add(ConfigProblem.of("--kv", "cannot read the content: "
                        + e.describe()));
                case Result.Ok<Snapshot, KvError>(Snapshot snapshot) -> {
                    for (Problem problem : SiteBuilder.build(snapshot).problems()) {
                        problems.add(new ConfigProblem(problem.path(), problem.line(), problem.reason()));
                    }
                }
            }
            return List.copyOf(problems);
        })));
    }

    static List<ConfigProblem> parameterProblems(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (p.httpPort < 0 || p.httpPort > 65535) {
            problems.add(ConfigProblem.of("--http-port", "must be 0 to 65535, got " + p.httpPort));
        }
        if (p.httpsPort < 0 || p.httpsPort > 65535) {
            problems.add(ConfigProblem.of("--https-port", "must be 0 to 65535, got " + p.httpsPort));
        }
        if (p.httpPort == 0 && p.httpsPort == 0) {
            problems.add(ConfigProblem.of("--http-port", "0 with --https-port 0: the site would listen nowhere"));
        }
        if (p.httpPort != 0 && p.httpPort == p.httpsPort) {
            problems.add(ConfigProblem.of("--http-port", "is the same port as --https-port (" + p.httpPort + ")"));
        }
        if (refreshEvery(p.refreshEvery) instanceof Result.Err<Duration, String>(String e)) {
            problems.add(ConfigProblem.of("--refresh-every", e));
        }
        problems.addAll(p.certify.problems());
        if (p.certify.given() && p.httpsPort == 0) {
            problems.add(ConfigProblem.of("--https-port", "is 0, so nothing would serve the certificate --certify-* gets"));
        }
        return List.copyOf(problems);
    }

    /** {@code 300s}, {@code 5m}, {@code 1h}, a bare number of seconds, or 0 for no timer. */
    static Result<Duration, String> refreshEvery(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Result.err("'" + text + "' is not a duration such as 30s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (!d.isZero() && d.compareTo(MIN_REFRESH) < 0) {
            return Result.err("must be 0 (no timer) or at least " + MIN_REFRESH.toSeconds() + " s, got '" + text + "'");
        }
        return Result.ok(d);
    }

    /**
     * With HTTPS on, the stored pair; it must be there unless the certificate comes through DNS (a
     * self-signed one made here would be pushed with the content, so none is stored).
     */
    private static Promise<Result<Optional<Credentials>, ConfigProblem>> tls(Kv kv, Parameters p) {
        if (p.httpsPort == 0) {
            return Promise.resolved(Result.ok(Optional.empty()));
        }
        boolean certify = p.certify.given();
        return SelfSigned.read(kv).map(r -> switch (r) {
            case Result.Err<Optional<Credentials>, TlsSetupError>(TlsSetupError e) ->
                    Result.<Optional<Credentials>, ConfigProblem>err(ConfigProblem.of(e.key().toString(), e.describe()));
            case Result.Ok<Optional<Credentials>, TlsSetupError>(Optional<Credentials> c) when c.isEmpty() && !certify ->
                    Result.<Optional<Credentials>, ConfigProblem>err(ConfigProblem.of("--https-port", "HTTPS needs "
                            + SelfSigned.CERTIFICATE + " and " + SelfSigned.KEY + " (PEM) in the secrets store (or the content"
                            + " store), or --certify-*"));
            case Result.Ok<Optional<Credentials>, TlsSetupError>(Optional<Credentials> c) -> Result.ok(c);
        });
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters p) {
        List<ConfigProblem> problems = parameterProblems(p);
        if (!problems.isEmpty()) {
            return Promise.resolved(Result.err(problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "))));
        }
        boolean contentPushed = devices.kvSync().map(KvSync::hasRemote).orElse(false);
        if (p.certify.given() && devices.secrets().isEmpty() && contentPushed) {
            return Promise.resolved(Result.err("--certify-* keeps its private key in the store, and the content store is"
                    + " pushed to its git remote: give the key a store of its own with --store " + Secrets.CLAIM.name() + "=SPEC"));
        }
        Duration refreshEvery = refreshEvery(p.refreshEvery).orElseThrow(IllegalStateException::new);
        Kv secretStore = devices.secrets().orElse(devices.kv());
        return tls(secretStore, p).flatMap(tls -> switch (tls) {
            case Result.Err<Optional<Credentials>, ConfigProblem>(ConfigProblem e) -> Promise.resolved(Result.<Running, String>err(e.describe()));
            case Result.Ok<Optional<Credentials>, ConfigProblem>(Optional<Credentials> stored) ->
                    SnapshotReader.read(devices.kv(), devices.kvHistory()).flatMap(read -> switch (read) {
                        case Result.Err<Snapshot, KvError>(KvError e) ->
                                Promise.resolved(Result.<Running, String>err("cannot read the content: " + e.describe()));
                        case Result.Ok<Snapshot, KvError>(Snapshot snapshot) -> Secrets.read(devices.secrets(), snapshot)
                                .flatMap(secrets -> switch (secrets) {
                                    case Result.Err<Secrets, KvError>(KvError e) -> Promise.resolved(
                                            Result.<Running, String>err("cannot read the secrets store: " + e.describe()));
                                    case Result.Ok<Secrets, KvError>(Secrets kept) -> {
                                        if (devices.secrets().isEmpty() && contentPushed && (kept.any() || p.httpsPort != 0)) {
                                            devices.log().warn("the secrets (" + Webhook.SECRET + ", " + SelfSigned.CERTIFICATE + ", "
                                                    + SelfSigned.KEY + ") are read from the content store, which has a git remote:"
                                                    + " whoever reads that repository reads them; keep them apart with --store "
                                                    + Secrets.CLAIM.name() + "=SPEC");
                                        }
                                        yield certified(devices, p, stored, secretStore).flatMap(slot -> switch (slot) {
                                            case Result.Err<Certified, String>(String e) -> Promise.resolved(Result.<Running, String>err(e));
                                            case Result.Ok<Certified, String>(Certified c) ->
                                                    serve(devices, p, refreshEvery, c, snapshot, kept);
                                        });
                                    }
                                });
                    });
        });
    }

    /** What HTTPS presents, and the certify client that swaps it, when --certify-* is given. */
    private record Certified(Optional<CertificateSlot> slot, Optional<Certify> certify) {}

    /**
     * Without --certify-*, the stored pair (if HTTPS is on). With it, {@link Certify} over the secrets
     * store, presenting the stored pair, else a self-signed one made in memory, until the certificate
     * comes.
     */
    private static Promise<Result<Certified, String>> certified(Devices devices, Parameters p, Optional<Credentials> stored,
            Kv secretStore) {
        Optional<CertifyConfig> certify = p.certify.config().orElseThrow();
        if (p.httpsPort == 0 || certify.isEmpty()) {
            return Promise.resolved(Result.ok(new Certified(stored.map(CertificateSlot::new), Optional.empty())));
        }
        String hostname = p.certify.hostname.endsWith(".") ? p.certify.hostname.substring(0, p.certify.hostname.length() - 1)
                : p.certify.hostname;
        Credentials fallback = stored.orElseGet(() -> {
            devices.log().info("HTTPS presents a self-signed certificate for " + hostname + " until the one through DNS comes");
            return SelfSigned.make(devices.random(), devices.clock().now(), List.of(hostname));
        });
        return Certify.start(new Certify.Devices(devices.stack(), devices.scheduler(), devices.clock(), devices.random(), secretStore,
                devices.log()), certify.get(), fallback).map(started -> switch (started) {
                    case Result.Err<Certify, CertifyError>(CertifyError e) -> Result.err("the certificate through DNS: " + e.describe());
                    case Result.Ok<Certify, CertifyError>(Certify c) -> Result.ok(new Certified(Optional.of(c.slot()), Optional.of(c)));
                });
    }

    private static Promise<Result<Running, String>> serve(Devices devices, Parameters p, Duration refreshEvery,
            Certified tls, Snapshot snapshot, Secrets secrets) {
        long started = devices.clock().monotonicNanos();
        return devices.scheduler().detach(() -> SiteBuilder.build(snapshot, SiteBuilder.Renderings.NONE)).flatMap(built -> {
            devices.log().info("built the site in " + (devices.clock().monotonicNanos() - started) / 1_000_000 + " ms from "
                    + snapshot.files().size() + " files");
            CanopyShell.logProblems(devices.log(), built.site());
            CanopyShell shell = new CanopyShell(new CanopyShell.Devices(devices.stack(), devices.kv(), devices.kvSync(),
                    devices.kvHistory(), devices.log(), devices.clock(), devices.scheduler(), devices.random(), devices.metrics(),
                    devices.secrets()), new CanopyShell.Settings(p.httpPort, p.httpsPort, refreshEvery, tls.certify().isPresent()),
                    snapshot, secrets, built);
            return shell.open(tls.slot()).map(opened -> {
                if (!opened.isOk()) {
                    tls.certify().ifPresent(Certify::stop);
                }
                return opened.map(running -> tls.certify().<Running>map(c -> new WithCertify(running, c)).orElse(running));
            });
        });
    }

    /** The site with its certificate through DNS: SIGHUP also looks for a new certificate at once; stop stops looking. */
    private record WithCertify(Running site, Certify certify) implements Running {
        @Override
        public Promise<Result<Unit, List<ConfigProblem>>> reload() {
            certify.refresh();
            return site.reload();
        }

        @Override
        public Promise<Unit> stop() {
            certify.stop();
            return site.stop();
        }
    }
}
