package jmirage.authoritative;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import jmirage.authoritative.certify.AcmeSetup;
import jmirage.authoritative.certify.Certifier;
import jmirage.authoritative.certify.CertifyOptions;
import jmirage.authoritative.certify.SecondaryMode;
import jmirage.authoritative.server.AuthoritativeCore;
import jmirage.authoritative.server.QueryAccounting;
import jmirage.authoritative.store.ZoneManagement;
import jmirage.authoritative.store.ZoneManagementError;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneStore;
import jmirage.authoritative.zone.Zones;
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
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.core.params.Mixin;
import jmirage.core.params.Option;
import jmirage.dns.server.DnsServer;
import jmirage.dns.server.ServerError;

/**
 * The authoritative DNS server, after robur's dns-primary-git: zones are master files in the Kv (a
 * git repository in production), answered over UDP and TCP; dynamic updates, zone transfers, NOTIFY
 * and secondary zones come from {@link ZoneManagement}. Every request is answered by the pure
 * {@link AuthoritativeCore}, whose effects zone management's shell runs on the devices. With
 * {@code --acme-directory}, the certify role ({@link Certifier}, decision 11) gets certificates for
 * the CSRs published in our zones from an ACME server, answering DNS-01 in those zones.
 */
public final class AuthoritativeDns implements Unikernel<AuthoritativeDns.Devices, AuthoritativeDns.Parameters> {

    /** {@code kvSync} is present when the store syncs with a remote (a git store with one): see ZoneManagement. */
    public record Devices(Stack stack, Scheduler scheduler, Clock clock, Log log, Kv kv, Optional<KvSync> kvSync,
            Random random, Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--port", paramLabel = "N", description = "UDP and TCP port to serve DNS on. Default: ${DEFAULT-VALUE}.")
        public int port = 53;

        @Option(names = "--rrl", paramLabel = "N",
                description = "Response rate limit: UDP answers per second per /24 (IPv4) or /56 (IPv6); 0 turns it off. Default: ${DEFAULT-VALUE}.")
        public int rrlPerSecond = 200;

        @Option(names = "--rrl-slip", paramLabel = "N",
                description = "Every N-th rate-limited UDP request gets a truncated answer (so real clients retry over TCP); 0 never. Default: ${DEFAULT-VALUE}.")
        public int rrlSlip = 2;

        @Option(names = "--tcp-per-source", paramLabel = "N", description = "Open TCP connections allowed per source address. Default: ${DEFAULT-VALUE}.")
        public int tcpPerSource = 16;

        @Option(names = "--tcp-total", paramLabel = "N", description = "Open TCP connections allowed in all. Default: ${DEFAULT-VALUE}.")
        public int tcpTotal = 512;

        @Option(names = "--tcp-idle", paramLabel = "SECONDS",
                description = "Close a TCP connection idle this long (RFC 7766 6.2.3). Default: ${DEFAULT-VALUE}.")
        public int tcpIdleSeconds = 10;

        @Option(names = "--nsid", paramLabel = "TEXT",
                description = "Name this server in answers to requesters that ask for it with the EDNS NSID option (RFC 5001), "
                        + "e.g. which instance of an anycast group answered. Default: none.")
        public String nsid;

        @Mixin
        public ZoneOptions zone = new ZoneOptions();

        @Mixin
        public CertifyOptions certify = new CertifyOptions();
    }

    @Override
    public String name() {
        return "dns-authoritative";
    }

    @Override
    public String description() {
        return "authoritative DNS server: zones in git, dynamic update, AXFR/IXFR, NOTIFY, certificates from Let's Encrypt via DNS-01";
    }

    @Override
    public int heapMiB() {
        return 64;
    }

    /**
     * An eighth of the heap: answering allocates little (answers come from their bytes), so a small
     * young generation costs no throughput, leaves 15 MiB less RSS after the query benchmark than the
     * whole heap (BENCHMARKS.md, "Heap by declaration": 158,088 against 155,489 q/s) and, against a
     * quarter, 2 MiB less at rest: the young generation (a third of the heap) is touched whole by the
     * boot and stays resident.
     */
    @Override
    public int initialHeapMiB() {
        return 8;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.scheduler(), devices.clock(), devices.log(), devices.kv(),
                devices.kvSync(), devices.random(), devices.metrics());
    }

    /**
     * The boot parameters and every zone and keys file of the store, as boot and reload read them
     * (decision 6). Claims only the Kv, writes nothing: an empty store is not seeded.
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        List<ConfigProblem> parameters = parameterProblems(p);
        Kv kv = devices.kv();
        Promise<List<ConfigProblem>> certify = p.certify.parse().orElse(Optional.empty())
                .map(config -> AcmeSetup.check(kv, config)).orElseGet(() -> Promise.resolved(List.of()));
        return certify.flatMap(acme -> ZoneStore.check(kv).map(store -> {
            List<ConfigProblem> all = new ArrayList<>(parameters);
            ZoneManagement.unknownKeys(p.zone, store.keys()).forEach(e -> all.add(ConfigProblem.of(e.option(), e.reason())));
            all.addAll(store.problems());
            all.addAll(acme);
            if (p.certify.parse().orElse(Optional.empty()).isPresent()) {
                all.addAll(SecondaryMode.problems(p.zone, store.keys())); // secondary mode signs updates with the --secondary keys
            }
            return List.copyOf(all);
        }));
    }

    /** Every boot parameter refused, each named: ours and zone management's (the peers and zones they name). */
    static List<ConfigProblem> parameterProblems(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (p.port < 0 || p.port > 65535) {
            problems.add(ConfigProblem.of("--port", "must be 0 to 65535, got " + p.port));
        }
        if (p.rrlPerSecond < 0) {
            problems.add(ConfigProblem.of("--rrl", "must be 0 or more, got " + p.rrlPerSecond));
        }
        if (p.rrlSlip < 0) {
            problems.add(ConfigProblem.of("--rrl-slip", "must be 0 or more, got " + p.rrlSlip));
        }
        if (p.tcpPerSource < 1) {
            problems.add(ConfigProblem.of("--tcp-per-source", "must be 1 or more, got " + p.tcpPerSource));
        }
        if (p.tcpTotal < 1) {
            problems.add(ConfigProblem.of("--tcp-total", "must be 1 or more, got " + p.tcpTotal));
        }
        if (p.tcpIdleSeconds < 1) {
            problems.add(ConfigProblem.of("--tcp-idle", "must be 1 or more seconds, got " + p.tcpIdleSeconds));
        }
        if (p.nsid != null && (p.nsid.isEmpty() || p.nsid.getBytes(StandardCharsets.UTF_8).length > 255)) {
            problems.add(ConfigProblem.of("--nsid", "must be 1 to 255 bytes"));
        }
        ZoneManagement.optionErrors(p.zone).forEach(e -> problems.add(ConfigProblem.of(e.option(), e.reason())));
        if (p.certify.parse() instanceof Result.Err<Optional<CertifyOptions.Config>, List<ConfigProblem>>(var certify)) {
            problems.addAll(certify);
        }
        return List.copyOf(problems);
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters p) {
        List<ConfigProblem> problems = parameterProblems(p);
        if (!problems.isEmpty()) {
            return Promise.resolved(Result.err(problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("; "))));
        }
        DnsServer.Config config = new DnsServer.Config(p.port, p.rrlPerSecond, p.rrlSlip, p.tcpPerSource, p.tcpTotal,
                Duration.ofSeconds(p.tcpIdleSeconds));
        Optional<Bytes> nsid = Optional.ofNullable(p.nsid).map(Bytes::utf8);
        Log log = devices.log();
        return ZoneManagement.start(devices.kv(), devices.kvSync(), devices.stack(), devices.scheduler(), devices.clock(), devices.random(),
                log, p.zone).flatMap(started -> switch (started) {
                    case Result.Err<ZoneManagement, ZoneManagementError>(ZoneManagementError why) ->
                            Promise.resolved(Result.<Running, String>err(why.describe()));
                    case Result.Ok<ZoneManagement, ZoneManagementError>(ZoneManagement zm) ->
                            serve(devices, zm, config, nsid, p.certify.parse().orElseThrow());
                });
    }

    private static Promise<Result<Running, String>> serve(Devices devices, ZoneManagement zm, DnsServer.Config config,
            Optional<Bytes> nsid, Optional<CertifyOptions.Config> certify) {
        Log log = devices.log();
        Zones zones = zm.zones();
        if (zones.size() == 0) {
            log.warn(zm.problems().isEmpty()
                    ? "no zones in the store yet: queries are REFUSED until a zone is added or transferred"
                    : "no zone served: every zone file of the store was refused (listed above); queries are REFUSED");
        }
        return DnsServer.start(devices.stack(), devices.scheduler(), devices.clock(), log.named("server"), zm.handler(nsid),
                config, new QueryAccounting(devices.metrics(), devices.clock(), log.named("query")))
                .flatMap(started -> switch (started) {
                    case Result.Err<DnsServer, ServerError>(ServerError why) -> {
                        zm.stop();
                        yield Promise.resolved(Result.<Running, String>err(why.describe()));
                    }
                    case Result.Ok<DnsServer, ServerError>(DnsServer server) -> {
                        log.info("serving " + zones.size() + " zone(s) "
                                + zones.all().stream().map(z -> z.origin() + " serial " + z.serial()).toList()
                                + " on port " + server.port() + " (udp and tcp) at " + devices.stack().addresses());
                        Promise<Result<List<Certifier>, String>> certifier = certify.isEmpty()
                                ? Promise.resolved(Result.ok(List.of()))
                                : AcmeSetup.start(certify.get(), zm, devices.kv(), devices.stack(), devices.scheduler(), devices.clock(),
                                        devices.random(), log.named("certify"));
                        yield certifier.flatMap(c -> switch (c) {
                            case Result.Err<List<Certifier>, String>(String why) -> server.stop().map(u -> {
                                zm.stop();
                                return Result.<Running, String>err(why);
                            });
                            case Result.Ok<List<Certifier>, String>(List<Certifier> role) ->
                                    Promise.resolved(Result.<Running, String>ok(running(server, zm, role)));
                        });
                    }
                });
    }

    private static Running running(DnsServer server, ZoneManagement zm, List<Certifier> certifier) {
        return new Running() {
            @Override
            public Promise<Unit> stop() {
                certifier.forEach(Certifier::stop);
                return server.stop().map(u -> {
                    zm.stop();
                    return Unit.UNIT;
                });
            }

            /**
             * SIGHUP: reads the store again (pulling first from a git remote). Each zone or keys
             * file that parses replaces its previous version at once; one that does not keeps
             * its previous version served, and is returned with file and line.
             */
            @Override
            public Promise<Result<Unit, List<ConfigProblem>>> reload() {
                return zm.reload();
            }
        };
    }
}
