package jmirage.resolver;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.AddressError;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.NetError;
import jmirage.core.net.Stack;
import jmirage.core.net.TcpListener;
import jmirage.core.params.Mixin;
import jmirage.core.params.Option;
import jmirage.dns.Name;
import jmirage.dns.server.DnsServer;
import jmirage.dns.server.ServerError;
import jmirage.dns.server.SourceLog;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.resolver.policy.PolicyOptions;
import jmirage.resolver.policy.PolicyShell;
import jmirage.resolver.validate.RolloverOptions;
import jmirage.resolver.validate.RolloverShell;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.serve.AccessControl;
import jmirage.resolver.serve.DohHandler;
import jmirage.resolver.serve.QueryHandler;
import jmirage.resolver.serve.ResolverMetrics;
import jmirage.resolver.serve.TlsListener;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.TlsSetupError;

/**
 * The validating recursive resolver (issue 16), after ocaml-dns's resolver unikernel: DNS over
 * UDP and TCP on {@code --port}, over TLS (RFC 7858) on {@code --dot-port}, over HTTPS (RFC 8484)
 * on {@code --doh-port}, for the clients in {@code --allow} (loopback only by default: not an open
 * resolver). Every transport goes through platform/dns's server shell to the serving layer
 * ({@link QueryHandler}), which asks the local policy ({@link PolicyShell}: blocklists, RPZ, local
 * data) and then the {@link Core} ({@link RecursiveCore}: cache, recursion, validation), whose trust
 * anchors RFC 5011 rollover ({@link RolloverShell}) keeps current. SIGHUP reloads the files.
 */
public final class DnsResolver implements Unikernel<DnsResolver.Devices, DnsResolver.Parameters> {

    public record Devices(Stack stack, Scheduler scheduler, Clock clock, Log log, Kv kv, Random random, Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--port", paramLabel = "N", description = "UDP and TCP port to serve DNS on. Default: ${DEFAULT-VALUE}.")
        public int port = 53;

        @Option(names = "--root-hints", paramLabel = "KEY",
                description = "Store key of a root hints file (named.root's master-file format: NS records at the root, "
                        + "A/AAAA records of those servers). Default: the real root servers.")
        public String rootHints;

        @Option(names = "--trust-anchor", paramLabel = "KEY",
                description = "Store key of a trust anchor file: DS or DNSKEY records in master-file format, as Unbound's "
                        + "trust-anchor-file. Default: the root's KSKs (20326, 38696).")
        public String trustAnchor;

        @Option(names = "--allow", paramLabel = "PREFIX",
                description = "A network whose clients may use the resolver, e.g. 10.77.0.0/16 or 2001:db8::/48 (repeatable). "
                        + "Loopback (127.0.0.0/8, ::1) is always allowed; every other client is REFUSED.")
        public List<String> allow = new ArrayList<>();

        @Option(names = "--forward", paramLabel = "IP[:PORT]|tls://IP[:PORT]#NAME",
                description = "Forward every query to this resolver instead of recursing from the root (repeatable); "
                        + "an IPv6 address with a port is written [ADDRESS]:PORT. Default port 53. With tls://, over DNS over TLS "
                        + "(default port 853), the server's certificate checked against --forward-ca and required to carry NAME.")
        public List<String> forward = new ArrayList<>();

        @Option(names = "--forward-ca", paramLabel = "KEY",
                description = "The CA certificates (PEM) that DNS-over-TLS forwarders' certificates must chain to, in the store "
                        + "(copy /etc/ssl/certs/ca-certificates.crt there to trust the usual public CAs). Default: ${DEFAULT-VALUE}.")
        public String forwardCa = "forward-ca.pem";

        @Option(names = "--dot-port", paramLabel = "N",
                description = "Port for DNS over TLS (RFC 7858; 853 is the usual one). Default: ${DEFAULT-VALUE} (off).")
        public int dotPort = 0;

        @Option(names = "--doh-port", paramLabel = "N",
                description = "Port for DNS over HTTPS (RFC 8484, HTTP/2 or HTTP/1.1, path /dns-query; 443 is the usual one). "
                        + "Default: ${DEFAULT-VALUE} (off).")
        public int dohPort = 0;

        @Option(names = "--rate-limit", paramLabel = "N",
                description = "Queries per second each client address may send (a burst of as many); beyond it UDP queries "
                        + "are dropped (every second one gets a truncated answer) and others REFUSED; 0 turns it off. "
                        + "Default: ${DEFAULT-VALUE}.")
        public int rateLimit = 200;

        @Option(names = "--tls-name", paramLabel = "NAME",
                description = "A host name the self-signed certificate for DoT and DoH is made for, besides localhost, "
                        + "127.0.0.1 and ::1 (repeatable; only used when the store has no tls/server.pem yet).")
        public List<String> tlsNames = new ArrayList<>();

        @Option(names = "--cache-size", paramLabel = "MB",
                description = "The bound on the answer cache, in MiB of the heap its answers hold (approximately); beyond it "
                        + "the least recently used answers go. The declared heap holds the default; raise -Xmx with it. "
                        + "Default: ${DEFAULT-VALUE}.")
        public int cacheMb = DEFAULT_CACHE_MB;

        @Mixin
        public PolicyOptions policy = new PolicyOptions();

        @Mixin
        public RolloverOptions rollover = new RolloverOptions();
    }

    /**
     * What the core is built from: the devices, where recursion starts (the root servers, and the
     * forwarders when there are), the trust anchors.
     */
    public record CoreSetup(Devices devices, Hints hints, TrustAnchors anchors, Map<Endpoint, TlsClientConfig> tlsForwarders,
            long cacheBytes) {
        public CoreSetup {
            tlsForwarders = Map.copyOf(tlsForwarders);
        }

        public CoreSetup(Devices devices, Hints hints, TrustAnchors anchors) {
            this(devices, hints, anchors, Map.of(), DEFAULT_CACHE_MB * MB);
        }
    }

    static final long MB = 1024 * 1024;
    static final int DEFAULT_CACHE_MB = 64;

    /** Builds the core the serving layer asks: {@link RecursiveCore} in production, {@link Core#scripted} in tests. */
    @FunctionalInterface
    public interface Cores {
        Core build(CoreSetup setup);
    }

    private final Cores cores;

    /** The resolver with its real core ({@link RecursiveCore}). */
    public DnsResolver() {
        this(RecursiveCore::new);
    }

    /** The resolver with another core: tests serve scripted resolutions through the real serving layer. */
    public DnsResolver(Cores cores) {
        this.cores = cores;
    }

    @Override
    public String name() {
        return "dns-resolver";
    }

    @Override
    public String description() {
        return "validating recursive DNS resolver: UDP, TCP, DNS over TLS and HTTPS, for the networks allowed";
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
        return new Devices(devices.stack(), devices.scheduler(), devices.clock(), devices.log(), devices.kv(), devices.random(),
                devices.metrics());
    }

    /**
     * The boot parameters, the hints and anchors files, the policy files, the RFC 5011 state file,
     * and the TLS pair when DoT or DoH is on; writes nothing (decision 6).
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        List<ConfigProblem> parameters = parameterProblems(p);
        Kv kv = devices.kv();
        return files(kv, p).flatMap(files -> PolicyShell.check(kv, p.policy).flatMap(policy -> RolloverShell.check(kv, p.rollover)
                .flatMap(rollover -> tlsProblems(kv, p).map(tls -> {
                    List<ConfigProblem> all = new ArrayList<>(parameters);
                    if (files instanceof Result.Err<Files, List<ConfigProblem>>(List<ConfigProblem> problems)) {
                        all.addAll(problems);
                    }
                    all.addAll(policy);
                    all.addAll(rollover);
                    tls.ifPresent(all::add);
                    return List.copyOf(all);
                }))));
    }

    /** The hints (with the forwarders of the boot parameters) and the configured anchors, as recursion and validation take them. */
    record Files(Hints hints, TrustAnchors anchors, Map<Endpoint, TlsClientConfig> tlsForwarders) {}

    /** The files of {@code --root-hints} and {@code --trust-anchor} (or their defaults): at boot, in a check, on reload. */
    static Promise<Result<Files, List<ConfigProblem>>> files(Kv kv, Parameters p) {
        List<Forwarders.Forwarder> forwarders = p.forward.stream()
                .flatMap(f -> Forwarders.parse(f) instanceof Result.Ok<Forwarders.Forwarder, String>(Forwarders.Forwarder e)
                        ? java.util.stream.Stream.of(e) : java.util.stream.Stream.empty()) // a bad one is a problem of parameterProblems
                .toList();
        return ResolverFiles.read(kv, Optional.ofNullable(p.rootHints), Optional.ofNullable(p.trustAnchor))
                .flatMap(read -> Forwarders.tls(kv, forwarders, p.forwardCa).map(tls -> read.flatMap(loaded -> {
                    if (tls instanceof Result.Err<Map<Endpoint, TlsClientConfig>, ConfigProblem>(ConfigProblem problem)) {
                        return Result.err(List.of(problem));
                    }
                    List<Endpoint> endpoints = forwarders.stream().map(Forwarders.Forwarder::endpoint).toList();
                    Hints hints = new Hints(Map.of(Name.ROOT, loaded.rootServers()),
                            endpoints.isEmpty() ? Map.of() : Map.of(Name.ROOT, endpoints));
                    return TrustAnchors.of(loaded.anchors())
                            .mapError(e -> List.of(ConfigProblem.of(p.trustAnchor == null ? "built-in --trust-anchor" : p.trustAnchor,
                                    e.describe())))
                            .map(anchors -> new Files(hints, anchors, tls.orElseThrow()));
                })));
    }

    private static Promise<Optional<ConfigProblem>> tlsProblems(Kv kv, Parameters p) {
        if (p.dotPort == 0 && p.dohPort == 0) {
            return Promise.resolved(Optional.empty());
        }
        return SelfSigned.read(kv).map(r -> switch (r) {
            case Result.Err<Optional<Credentials>, TlsSetupError>(TlsSetupError e) -> Optional.of(ConfigProblem.of(e.key().toString(), e.describe()));
            case Result.Ok<Optional<Credentials>, TlsSetupError> ok -> Optional.<ConfigProblem>empty();
        });
    }

    /** Every boot parameter refused, each named. */
    static List<ConfigProblem> parameterProblems(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (var port : Map.of("--port", p.port, "--dot-port", p.dotPort, "--doh-port", p.dohPort).entrySet()) {
            if (port.getValue() < 0 || port.getValue() > 65535) {
                problems.add(ConfigProblem.of(port.getKey(), "must be 0 to 65535, got " + port.getValue()));
            }
        }
        // each is a TCP port of its own: two on one number could not both listen
        if (p.dotPort != 0 && (p.dotPort == p.port || p.dotPort == p.dohPort)) {
            problems.add(ConfigProblem.of("--dot-port", p.dotPort + " is already the port of " + (p.dotPort == p.port ? "--port" : "--doh-port")));
        }
        if (p.dohPort != 0 && p.dohPort == p.port) {
            problems.add(ConfigProblem.of("--doh-port", p.dohPort + " is already the port of --port"));
        }
        for (String prefix : p.allow) {
            if (IpPrefix.parse(prefix) instanceof Result.Err<IpPrefix, AddressError>(AddressError e)) {
                problems.add(ConfigProblem.of("--allow", e.describe()));
            }
        }
        for (String forwarder : p.forward) {
            if (Forwarders.parse(forwarder) instanceof Result.Err<Forwarders.Forwarder, String>(String why)) {
                problems.add(ConfigProblem.of("--forward", why));
            }
        }
        if (p.cacheMb < 1 || p.cacheMb > 65536) {
            problems.add(ConfigProblem.of("--cache-size", "must be 1 to 65536 MiB, got " + p.cacheMb));
        }
        if (p.rateLimit < 0) {
            problems.add(ConfigProblem.of("--rate-limit", "must be 0 or more, got " + p.rateLimit));
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
            return Promise.resolved(Result.err(describe(problems)));
        }
        Log log = devices.log();
        return files(devices.kv(), p).flatMap(files -> switch (files) {
            case Result.Err<Files, List<ConfigProblem>>(List<ConfigProblem> why) -> Promise.resolved(Result.<Running, String>err(describe(why)));
            case Result.Ok<Files, List<ConfigProblem>>(Files loaded) -> rollover(devices, p, loaded.anchors()).flatMap(rollover -> switch (rollover) {
                case Result.Err<Optional<RolloverShell>, List<ConfigProblem>>(List<ConfigProblem> why) ->
                        Promise.resolved(Result.<Running, String>err(describe(why)));
                case Result.Ok<Optional<RolloverShell>, List<ConfigProblem>>(Optional<RolloverShell> anchors) ->
                        PolicyShell.start(devices.kv(), p.policy, devices.clock(), log.named("policy"), devices.metrics())
                                .flatMap(policy -> switch (policy) {
                                    case Result.Err<PolicyShell, List<ConfigProblem>>(List<ConfigProblem> why) ->
                                            Promise.resolved(Result.<Running, String>err(describe(why)));
                                    case Result.Ok<PolicyShell, List<ConfigProblem>>(PolicyShell shell) -> certificate(devices, p)
                                            .flatMap(tls -> switch (tls) {
                                                case Result.Err<Optional<Credentials>, String>(String why) ->
                                                        Promise.resolved(Result.<Running, String>err(why));
                                                case Result.Ok<Optional<Credentials>, String>(Optional<Credentials> credentials) ->
                                                        serve(devices, p, loaded, anchors, shell, credentials);
                                            });
                                });
            });
        });
    }

    private static String describe(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "));
    }

    /** The RFC 5011 state (empty with {@code --auto-trust-anchor ''}), completed by the configured anchors. */
    private static Promise<Result<Optional<RolloverShell>, List<ConfigProblem>>> rollover(Devices devices, Parameters p,
            TrustAnchors configured) {
        return switch (p.rollover.key()) {
            case Result.Err<Optional<Key>, List<ConfigProblem>>(List<ConfigProblem> why) -> Promise.resolved(Result.err(why));
            case Result.Ok<Optional<Key>, List<ConfigProblem>>(Optional<Key> key) -> key.isEmpty()
                    ? Promise.resolved(Result.ok(Optional.empty()))
                    : RolloverShell.load(devices.kv(), key.get(), configured, devices.clock(), devices.log().named("trust-anchor"))
                            .map(r -> r.map(Optional::of));
        };
    }

    private static Promise<Result<Optional<Credentials>, String>> certificate(Devices devices, Parameters p) {
        if (p.dotPort == 0 && p.dohPort == 0) {
            return Promise.resolved(Result.ok(Optional.empty()));
        }
        return SelfSigned.loadOrCreate(devices.kv(), "dns-resolver", devices.random(), devices.clock().now(), p.tlsNames, devices.log())
                .map(r -> r.map(loaded -> Optional.of(loaded.credentials())).mapError(TlsSetupError::describe));
    }

    private Promise<Result<Running, String>> serve(Devices devices, Parameters p, Files files, Optional<RolloverShell> rollover,
            PolicyShell policy, Optional<Credentials> tls) {
        Log log = devices.log();
        AccessControl access = AccessControl.loopbackAnd(p.allow.stream().map(a -> IpPrefix.parse(a).orElseThrow()).toList());
        ResolverMetrics stats = new ResolverMetrics(devices.metrics());
        Core core = cores.build(new CoreSetup(devices, files.hints(), rollover.map(RolloverShell::trustAnchors).orElse(files.anchors()),
                files.tlsForwarders(), p.cacheMb * MB));
        QueryHandler handler = new QueryHandler(policy.around(core), access, p.rateLimit, devices.clock(), stats,
                new SourceLog(log.named("access"), Duration.ofMinutes(1).toNanos()), (int) devices.random().nextLong(), policy);
        // the per-client limit is the handler's, on every transport: the shell's per-prefix RRL is off
        DnsServer.Config config = new DnsServer.Config(p.port, 0, 0, 16, 512, Duration.ofSeconds(10));
        return DnsServer.start(devices.stack(), devices.scheduler(), devices.clock(), log.named("server"), handler, config, stats,
                        Optional.of(handler))
                .flatMap(started -> switch (started) {
                    case Result.Err<DnsServer, ServerError>(ServerError why) -> Promise.resolved(Result.<Running, String>err(why.describe()));
                    case Result.Ok<DnsServer, ServerError>(DnsServer server) -> encrypted(devices, p, server, tls).map(r -> r.map(e -> {
                        log.info("resolving for " + access.allowed().stream().map(IpPrefix::toString).toList() + " on port "
                                + server.port() + " (udp and tcp)" + (p.dotPort != 0 ? ", DoT port " + p.dotPort : "")
                                + (p.dohPort != 0 ? ", DoH port " + p.dohPort : "") + " at " + devices.stack().addresses()
                                + (p.forward.isEmpty() ? "" : ", forwarding to " + p.forward));
                        Serving serving = new Serving(devices, p, core, policy, handler, files, server, e);
                        serving.follow(rollover);
                        return (Running) serving;
                    }));
                });
    }

    /**
     * The resolver once it serves: what SIGHUP reloads (decision 6) and what stops. Owned by the loop.
     * The anchors the validator uses are the RFC 5011 state's when rollover is on, and each change
     * the rollover reports (a key becomes trusted or is revoked) gives the core new anchors.
     */
    private static final class Serving implements Running {
        private final Devices devices;
        private final Parameters p;
        private final Core core;
        private final PolicyShell policy;
        private final QueryHandler handler;
        private final DnsServer server;
        private final Encrypted encrypted;
        private Files files;
        private Optional<RolloverShell> rollover = Optional.empty();

        Serving(Devices devices, Parameters p, Core core, PolicyShell policy, QueryHandler handler, Files files, DnsServer server,
                Encrypted encrypted) {
            this.devices = devices;
            this.p = p;
            this.core = core;
            this.policy = policy;
            this.handler = handler;
            this.files = files;
            this.server = server;
            this.encrypted = encrypted;
        }

        /** Probes the trust points of {@code shell} through the core's recursion, from now on. */
        void follow(Optional<RolloverShell> shell) {
            rollover.ifPresent(RolloverShell::stop);
            rollover = shell;
            shell.ifPresent(r -> core.keys().ifPresent(keys -> r.start(keys, devices.scheduler(), anchors -> {
                if (rollover.isPresent() && rollover.get() == r) { // a probe of a shell a reload replaced says nothing
                    core.reconfigure(files.hints(), anchors);
                    handler.forgetRecentAnswers();
                }
            })));
        }

        /**
         * The hints and anchors files, the RFC 5011 state and the policy files, read again; all are
         * taken or, on any problem, none (the policy reloads last, and only when the rest are clean).
         */
        @Override
        public Promise<Result<Unit, List<ConfigProblem>>> reload() {
            Kv kv = devices.kv();
            return files(kv, p).flatMap(read -> switch (read) {
                case Result.Err<Files, List<ConfigProblem>>(List<ConfigProblem> why) -> refused(why);
                case Result.Ok<Files, List<ConfigProblem>>(Files loaded) -> rollover(devices, p, loaded.anchors()).flatMap(r -> switch (r) {
                    case Result.Err<Optional<RolloverShell>, List<ConfigProblem>>(List<ConfigProblem> why) -> refused(why);
                    case Result.Ok<Optional<RolloverShell>, List<ConfigProblem>>(Optional<RolloverShell> shell) ->
                            policy.reload().map(reloaded -> reloaded.map(ok -> {
                                files = loaded;
                                core.reconfigure(loaded.hints(), shell.map(RolloverShell::trustAnchors).orElse(loaded.anchors()));
                                handler.forgetRecentAnswers(); // the new policy and anchors answer from the next query on
                                follow(shell);
                                return ok;
                            }));
                });
            });
        }

        /** The problems of a reload refused before the policy was read, with the policy's own. */
        private Promise<Result<Unit, List<ConfigProblem>>> refused(List<ConfigProblem> why) {
            return PolicyShell.check(devices.kv(), p.policy).map(more -> {
                List<ConfigProblem> all = new ArrayList<>(why);
                all.addAll(more);
                return Result.err(List.copyOf(all));
            });
        }

        @Override
        public Promise<Unit> stop() {
            rollover.ifPresent(RolloverShell::stop);
            return encrypted.stop().flatMap(u -> server.stop());
        }
    }

    /** The DoT and DoH listeners, as asked; on failure the server is stopped. */
    private static Promise<Result<Encrypted, String>> encrypted(Devices devices, Parameters p, DnsServer server,
            Optional<Credentials> tls) {
        if (tls.isEmpty()) {
            return Promise.resolved(Result.ok(new Encrypted(Optional.empty(), Optional.empty())));
        }
        TlsDevices tlsDevices = new TlsDevices(devices.scheduler(), devices.clock(), devices.random());
        Log log = devices.log();
        Promise<Result<Optional<TcpListener>, NetError>> dot = p.dotPort == 0 ? Promise.resolved(Result.ok(Optional.empty()))
                : TlsListener.listen(devices.stack(), p.dotPort, TlsServerConfig.of(tls.get()).withAlpn(List.of(TlsListener.DOT_ALPN)),
                        tlsDevices, server, log.named("dot")).map(r -> r.map(Optional::of));
        return dot.flatMap(d -> switch (d) {
            case Result.Err<Optional<TcpListener>, NetError>(NetError e) -> server.stop()
                    .map(u -> Result.<Encrypted, String>err("cannot listen on --dot-port " + p.dotPort + ": " + e.describe()));
            case Result.Ok<Optional<TcpListener>, NetError>(Optional<TcpListener> dotListener) -> {
                if (p.dohPort == 0) {
                    yield Promise.resolved(Result.<Encrypted, String>ok(new Encrypted(dotListener, Optional.empty())));
                }
                HttpServer http = new HttpServer(devices.scheduler(), devices.clock(), log.named("doh"),
                        ServerConfig.defaults().withMaxBodyBytes(65535).withMaxConnections(512),
                        DohHandler.of(server, new Endpoint(InetAddress.ofLiteral("0.0.0.0"), p.dohPort)));
                yield http.listenTls(devices.stack(), p.dohPort, TlsServerConfig.of(tls.get()).withAlpn(List.of("h2", "http/1.1")), tlsDevices)
                        .flatMap(h -> switch (h) {
                            case Result.Err<TcpListener, NetError>(NetError e) -> new Encrypted(dotListener, Optional.empty()).stop()
                                    .flatMap(u -> server.stop())
                                    .map(u -> Result.<Encrypted, String>err("cannot listen on --doh-port " + p.dohPort + ": " + e.describe()));
                            case Result.Ok<TcpListener, NetError>(TcpListener listener) ->
                                    Promise.resolved(Result.<Encrypted, String>ok(new Encrypted(dotListener, Optional.of(new Doh(http, listener)))));
                        });
            }
        });
    }

    private record Doh(HttpServer http, TcpListener listener) {}

    /** The listeners of the encrypted transports that are on. */
    private record Encrypted(Optional<TcpListener> dot, Optional<Doh> doh) {
        Promise<Unit> stop() {
            List<Promise<Unit>> closing = new ArrayList<>();
            dot.ifPresent(l -> closing.add(l.close()));
            doh.ifPresent(d -> closing.add(d.listener().close().flatMap(u -> d.http().stop())));
            return Promise.all(closing).map(x -> Unit.UNIT);
        }
    }
}
