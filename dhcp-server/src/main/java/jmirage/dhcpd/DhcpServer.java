package jmirage.dhcpd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Kv;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Link;
import jmirage.core.net.Stack;
import jmirage.core.params.Option;

/**
 * A DHCPv4 server (RFC 2131/2132) after mirage/charrua: its configuration is the ISC dhcpd.conf
 * subset in the Kv at {@code dhcpd.conf}, its leases live in the Kv under {@code leases/}, written
 * before any ACK leaves, and a small HTTP page lists the current leases.
 */
public final class DhcpServer implements Unikernel<DhcpServer.Devices, DhcpServer.Parameters> {

    /**
     * The stack, and its {@link Link} where it has one (tap and sim targets): a reply to a client
     * without an address goes to its MAC there, and is broadcast without it (host target). The
     * randomness gives dynamic DNS updates their IDs.
     */
    public record Devices(Stack stack, Optional<Link> link, Kv kv, Clock clock, Random random, Scheduler scheduler, Log log,
            Metrics metrics) {}

    public static final class Parameters {
        @Option(names = "--port", paramLabel = "N",
                description = "UDP port to serve on; replies to relay agents go to this port too (RFC 2131 4.1). Default: ${DEFAULT-VALUE}.")
        public int port = 67;

        @Option(names = "--client-port", paramLabel = "N", description = "UDP port of the clients. Default: ${DEFAULT-VALUE}.")
        public int clientPort = 68;

        @Option(names = "--http-port", paramLabel = "N",
                description = "Port of the read-only leases page (GET / and /leases.json); 0 turns it off. Default: ${DEFAULT-VALUE}.")
        public int httpPort = 8067;

        @Option(names = "--config-key", paramLabel = "KEY", description = "Kv key of the ISC-style configuration. Default: ${DEFAULT-VALUE}.")
        public String configKey = "dhcpd.conf";

        @Option(names = "--server-address", paramLabel = "A.B.C.D",
                description = "This server's address on the served link (its server identifier, option 54). Default: the "
                        + "stack's address that lies in a declared subnet (on the tap target: --ipv4).")
        public String serverAddress;

        @Option(names = "--offer-hold", paramLabel = "SECONDS",
                description = "How long an OFFERed address is held for the client. Default: ${DEFAULT-VALUE}.")
        public int offerHold = 30;

        @Option(names = "--decline-hold", paramLabel = "SECONDS",
                description = "How long an address a client DECLINEd stays out of the pool. Default: ${DEFAULT-VALUE}.")
        public int declineHold = 3600;

        @Option(names = "--first-lease", paramLabel = "SECONDS",
                description = "Lease time of a new binding until its client renews it (at half of it), so addresses "
                        + "taken by a REQUEST flood that never renews come back soon; 0 gives the full time at once. "
                        + "Default: ${DEFAULT-VALUE}.")
        public int firstLease = 600;
    }

    @Override
    public String name() {
        return "dhcp-server";
    }

    @Override
    public String description() {
        return "DHCPv4 server (RFC 2131/2132), leases in the Kv";
    }

    @Override
    public int heapMiB() {
        return 96;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.link(), devices.kv(), devices.clock(), devices.random(), devices.scheduler(),
                devices.log(),
                devices.metrics());
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters p) {
        return boot(devices, p).map(r -> r.mapError(BootError::describe));
    }

    private Promise<Result<Running, BootError>> boot(Devices devices, Parameters p) {
        return ConfigCheck.read(devices.kv(), p).flatMap(read -> switch (read) {
            case Result.Err<ConfigCheck.Configuration, List<ConfigProblem>>(List<ConfigProblem> problems) ->
                    Promise.resolved(Result.<Running, BootError>err(new BootError.BadConfiguration(problems)));
            case Result.Ok<ConfigCheck.Configuration, List<ConfigProblem>>(ConfigCheck.Configuration c) ->
                    Service.start(devices, p, c);
        });
    }

    /**
     * The boot parameters and dhcpd.conf, as boot and reload check them, and the lease records
     * (decision 6). Claims only the Kv.
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        Kv kv = devices.kv();
        return ConfigCheck.read(kv, p).flatMap(read -> ConfigCheck.leaseRecords(kv).map(leases -> {
            List<ConfigProblem> problems = new ArrayList<>();
            if (read instanceof Result.Err<ConfigCheck.Configuration, List<ConfigProblem>>(List<ConfigProblem> config)) {
                problems.addAll(config);
            }
            problems.addAll(leases);
            return List.copyOf(problems);
        }));
    }
}
