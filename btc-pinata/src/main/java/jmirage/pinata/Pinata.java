package jmirage.pinata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import jmirage.certify.Certify;
import jmirage.certify.CertifyConfig;
import jmirage.certify.CertifyError;
import jmirage.certify.CertifyOptions;
import jmirage.core.Bytes;
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
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.core.params.Mixin;
import jmirage.core.params.Option;

/**
 * The Bitcoin Pinata (after mirleft/btc-pinata): a secret that the pinata sends only to a TLS peer
 * holding a certificate from its CA, on three ports where it plays TLS server or client; a page on
 * HTTP and HTTPS with the rules, the CA and live statistics. Devices: a network stack, a Kv (the
 * secret, the statistics), the clock (certificate validity), the loop, randomness (keys), a log,
 * the metrics.
 */
public final class Pinata implements Unikernel<Pinata.Devices, Pinata.Parameters> {

    public record Devices(Stack stack, Kv kv, Log log, Clock clock, Scheduler scheduler, Random random, Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--secret", paramLabel = "TEXT",
                description = "What the pinata guards. Prefer the Kv key 'secret' (a command line shows in ps). Required unless --test or the Kv holds it.")
        public String secret;

        @Option(names = "--btc-address", paramLabel = "ADDRESS",
                description = "The bitcoin address shown on the page. Default: none shown.")
        public String btcAddress = "";

        @Option(names = "--http-port", paramLabel = "PORT",
                description = "Port of the page over HTTP; 0 turns it off. Default: ${DEFAULT-VALUE}.")
        public int httpPort = 80;

        @Option(names = "--https-port", paramLabel = "PORT",
                description = "Port of the page over HTTPS (the server certificate from the pinata's CA, or the one from DNS with "
                        + "--certify-*); 0 turns it off. Default: ${DEFAULT-VALUE}.")
        public int httpsPort = 443;

        @Mixin
        public CertifyOptions certify = new CertifyOptions();

        @Option(names = "--test",
                description = "Test mode: the published test CA (its key is public) and a test secret, so the positive path can be shown. Never for a real bounty.")
        public boolean test;
    }

    static final Key SECRET_KEY = Key.of("secret");
    static final Key STATS_KEY = Key.of("stats");
    static final Key UNREADABLE_STATS_KEY = Key.of("stats.unreadable");
    static final String TEST_SECRET = "btc-pinata TEST secret (public, there is no bounty in test mode)";

    /** Where the CA comes from outside --test: a fresh one at every boot; tests of this package may fix it. */
    private final BiFunction<Random, Instant, Result<Pki, PkiError>> realCa;

    public Pinata() {
        this((random, now) -> Result.ok(Pki.fresh(random, now)));
    }

    /** For tests of this package only: a pinata whose CA (outside --test) comes from {@code realCa}. */
    Pinata(BiFunction<Random, Instant, Result<Pki, PkiError>> realCa) {
        this.realCa = realCa;
    }

    @Override
    public String name() {
        return "btc-pinata";
    }

    @Override
    public String description() {
        return "the Bitcoin Pinata: a secret behind TLS client certificates";
    }

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
        return new Devices(devices.stack(), devices.kv(), devices.log(), devices.clock(), devices.scheduler(), devices.random(),
                devices.metrics());
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters parameters) {
        return boot(devices, parameters).map(r -> r.mapError(BootError::describe));
    }

    private Promise<Result<Running, BootError>> boot(Devices devices, Parameters parameters) {
        Optional<BootError> badPorts = checkPorts(parameters);
        if (badPorts.isPresent()) {
            return Promise.resolved(Result.err(badPorts.get()));
        }
        List<ConfigProblem> certifyProblems = certifyProblems(parameters);
        if (!certifyProblems.isEmpty()) {
            return Promise.resolved(Result.err(new BootError.CertifyParameters(certifyProblems)));
        }
        return loadSecret(devices::kv, parameters).flatMap(secret -> switch (secret) {
            case Result.Err<Secret, SecretError>(SecretError e) ->
                    Promise.resolved(Result.<Running, BootError>err(new BootError.NoSecret(e)));
            case Result.Ok<Secret, SecretError>(Secret s) -> loadStats(devices).flatMap(loaded -> {
                Result<Pki, PkiError> pki = parameters.test
                        ? Pki.fromTestCa(devices.random(), devices.clock().now())
                        : realCa.apply(devices.random(), devices.clock().now());
                return switch (pki) {
                    case Result.Err<Pki, PkiError>(PkiError e) ->
                            Promise.resolved(Result.<Running, BootError>err(new BootError.NoCertificates(e)));
                    case Result.Ok<Pki, PkiError>(Pki p) -> certify(devices, parameters, p).flatMap(c -> switch (c) {
                        case Result.Err<Optional<Certify>, CertifyError>(CertifyError e) ->
                                Promise.resolved(Result.<Running, BootError>err(new BootError.NoCertify(e)));
                        case Result.Ok<Optional<Certify>, CertifyError>(Optional<Certify> certify) ->
                                new Bounty(devices, parameters, s, p, loaded.stats(), loaded.writable(), certify).open();
                    });
                };
            });
        });
    }

    /**
     * The page's certificate through DNS when the certify parameters are given (decision 11): the
     * pinata's own server certificate until the certified one arrives. The CA for the bounty's
     * client certificates stays the pinata's own.
     */
    private static Promise<Result<Optional<Certify>, CertifyError>> certify(Devices devices, Parameters parameters, Pki pki) {
        Optional<CertifyConfig> config = parameters.certify.config().orElseThrow();
        if (config.isEmpty()) {
            return Promise.resolved(Result.ok(Optional.empty()));
        }
        return Certify.start(new Certify.Devices(devices.stack(), devices.scheduler(), devices.clock(), devices.random(),
                devices.kv(), devices.log()), config.get(), pki.server()).map(r -> r.map(Optional::of));
    }

    /** The certify parameters' problems, and certify without the page over HTTPS to use it. */
    private static List<ConfigProblem> certifyProblems(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>(p.certify.problems());
        if (p.certify.given() && p.httpsPort == 0) {
            problems.add(ConfigProblem.of("--https-port", "is 0, so nothing would serve the certificate --certify-* gets"));
        }
        return List.copyOf(problems);
    }

    /**
     * What boot refuses (decision 6): the page ports, and the secret from --secret or the Kv. The
     * statistics are not checked: unreadable ones are kept aside at boot and counting restarts. The
     * CA is made at each boot (or is the published test CA), so there is no certificate to read.
     * With --certify-*, their problems and the certify key kept in the Kv. Claims only the Kv, and
     * only when the secret is not on the command line or certify is asked for; writes nothing.
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters parameters) {
        Optional<ConfigProblem> badPorts = checkPorts(parameters).map(e -> ConfigProblem.of(
                pagePortParameter(e, parameters), e.describe()));
        boolean onCommandLine = parameters.secret != null && !parameters.secret.isEmpty();
        return loadSecret(devices::kv, parameters).map(loaded -> {
            List<ConfigProblem> problems = new ArrayList<>();
            badPorts.ifPresent(problems::add);
            problems.addAll(certifyProblems(parameters));
            if (loaded instanceof Result.Err<Secret, SecretError>(SecretError e)) {
                problems.add(ConfigProblem.of(switch (e) {
                    case SecretError.TestModeWithCommandLineSecret() -> "--test";
                    case SecretError.Empty() -> onCommandLine ? "--secret" : SECRET_KEY.toString();
                    case SecretError.Missing(Key key) -> key.toString();
                    case SecretError.TestModeWithStoredSecret(Key key) -> key.toString();
                    case SecretError.Unreadable(Key key, var _) -> key.toString();
                }, e.describe()));
            }
            return List.copyOf(problems);
        }).flatMap(problems -> storedCertifyKey(devices, parameters).map(key -> {
            List<ConfigProblem> all = new ArrayList<>(problems);
            all.addAll(key);
            return List.copyOf(all);
        }));
    }

    /** With good certify parameters, the certify key kept in the Kv, as boot reads it (platform/certify). */
    private static Promise<List<ConfigProblem>> storedCertifyKey(DeviceProvider devices, Parameters parameters) {
        return parameters.certify.config() instanceof Result.Ok<Optional<CertifyConfig>, List<ConfigProblem>>(
                Optional<CertifyConfig> config) && config.isPresent()
                ? Certify.check(devices.kv(), config.get()) : Promise.resolved(List.of());
    }

    /** Which of the two page-port parameters {@code e} is about. */
    private static String pagePortParameter(BootError e, Parameters p) {
        int port = switch (e) {
            case BootError.PortOutOfRange(int value) -> value;
            case BootError.PortOfARole(int value, var _) -> value;
            default -> p.httpPort;
        };
        return port == p.httpsPort && port != p.httpPort ? "--https-port" : "--http-port";
    }

    private static Optional<BootError> checkPorts(Parameters p) {
        for (int port : new int[] {p.httpPort, p.httpsPort}) {
            if (port < 0 || port > 65535) {
                return Optional.of(new BootError.PortOutOfRange(port));
            }
            for (Role role : Role.values()) {
                if (port == role.port()) {
                    return Optional.of(new BootError.PortOfARole(port, role));
                }
            }
        }
        if (p.httpPort != 0 && p.httpPort == p.httpsPort) {
            return Optional.of(new BootError.SamePagePorts(p.httpPort));
        }
        return Optional.empty();
    }

    /**
     * --secret, else the Kv's 'secret' (one trailing newline dropped), else the test secret in
     * --test; never logged. --test with a secret of the operator's own is refused: the test CA's
     * key is published, so anyone could take that secret (an operator who adds --test to debug a
     * deployment, with its Kv, must not hand its bounty to the world).
     */
    private static Promise<Result<Secret, SecretError>> loadSecret(Supplier<Kv> kv, Parameters p) {
        if (p.secret != null && !p.secret.isEmpty()) {
            return Promise.resolved(p.test ? Result.err(new SecretError.TestModeWithCommandLineSecret())
                    : Secret.of(Bytes.utf8(p.secret)));
        }
        return kv.get().get(SECRET_KEY).map(r -> switch (r) {
            case Result.Ok<Bytes, KvError>(Bytes stored) -> p.test
                    ? Result.err(new SecretError.TestModeWithStoredSecret(SECRET_KEY))
                    : Secret.of(withoutTrailingNewline(stored));
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> p.test
                    ? Secret.of(Bytes.utf8(TEST_SECRET))
                    : Result.err(new SecretError.Missing(SECRET_KEY));
            case Result.Err<Bytes, KvError>(KvError e) -> Result.err(new SecretError.Unreadable(SECRET_KEY, e));
        });
    }

    private static Bytes withoutTrailingNewline(Bytes b) {
        int end = b.size();
        if (end > 0 && b.get(end - 1) == '\n') {
            end--;
            if (end > 0 && b.get(end - 1) == '\r') {
                end--;
            }
        }
        return b.slice(0, end);
    }

    /** The statistics of earlier runs, and whether this run may write over them. */
    record StoredStats(Stats stats, boolean writable) {}

    /**
     * The statistics of earlier runs. Unparsable ones are kept aside (nothing lost) and counting
     * restarts. When they cannot be read, or cannot be kept aside, this run counts from zero and
     * does not write: what is stored stays for the operator rather than being overwritten.
     */
    private static Promise<StoredStats> loadStats(Devices devices) {
        Kv kv = devices.kv();
        return kv.get(STATS_KEY).flatMap(r -> switch (r) {
            case Result.Ok<Bytes, KvError>(Bytes stored) -> switch (Stats.decode(stored)) {
                case Result.Ok<Stats, StatsError>(Stats s) -> Promise.resolved(new StoredStats(s, true));
                case Result.Err<Stats, StatsError>(StatsError why) -> kv.set(UNREADABLE_STATS_KEY, stored).map(kept -> {
                    if (kept instanceof Result.Err<Unit, KvError>(KvError e)) {
                        devices.log().warn("stored statistics unreadable (" + why.describe() + ") and cannot be kept at '"
                                + UNREADABLE_STATS_KEY + "' (" + e.describe() + "): counting from zero, not writing them this run");
                        return new StoredStats(Stats.EMPTY, false);
                    }
                    devices.log().warn("stored statistics unreadable (" + why.describe() + "): kept at '" + UNREADABLE_STATS_KEY
                            + "', counting from zero");
                    return new StoredStats(Stats.EMPTY, true);
                });
            };
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Promise.resolved(new StoredStats(Stats.EMPTY, true));
            case Result.Err<Bytes, KvError>(KvError e) -> {
                devices.log().warn("cannot read the statistics (" + e.describe() + "): counting from zero, not writing them"
                        + " this run (what is stored stays)");
                yield Promise.resolved(new StoredStats(Stats.EMPTY, false));
            }
        });
    }
}
