package jmirage.dhcpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.DeviceProvider;
import jmirage.core.Log;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.Link;
import jmirage.core.net.Stack;
import jmirage.dhcpd.config.ConfigError;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.DhcpCore;
import picocli.CommandLine.Option;

/**
 * A DHCPv4 server (RFC 2131/2132) after mirage/charrua: its configuration is the ISC dhcpd.conf
 * subset in the Kv at {@code dhcpd.conf}, its leases live in the Kv under {@code leases/}, written
 * before any ACK leaves, and a small HTTP page lists the current leases.
 */
public final class DhcpServer implements Unikernel<DhcpServer.Devices, DhcpServer.Parameters> {

    /**
     * The stack, and its {@link Link} where it has one (tap and sim targets): a reply to a client
     * without an address goes to its MAC there, and is broadcast without it (host target).
     */
    public record Devices(Stack stack, Optional<Link> link, Kv kv, Clock clock, Scheduler scheduler, Log log) {}

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
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public Devices claim(DeviceProvider devices) {
        return new Devices(devices.stack(), devices.link(), devices.kv(), devices.clock(), devices.scheduler(), devices.log());
    }

    @Override
    public Promise<Result<Running, String>> start(Devices devices, Parameters p) {
        return boot(devices, p).map(r -> r.mapError(BootError::describe));
    }

    private Promise<Result<Running, BootError>> boot(Devices devices, Parameters p) {
        Optional<BootError> refused = checkParameters(p);
        if (refused.isPresent()) {
            return Promise.resolved(Result.err(refused.get()));
        }
        Optional<Inet4Address> serverAddress = Optional.empty();
        if (p.serverAddress != null) {
            if (!(IpAddresses.parseIpv4(p.serverAddress) instanceof Result.Ok<Inet4Address, ?>(Inet4Address a))) {
                return Promise.resolved(Result.err(new BootError.BadParameter("--server-address", p.serverAddress,
                        "an IPv4 address")));
            }
            serverAddress = Optional.of(a);
        }
        DhcpCore.Settings settings = new DhcpCore.Settings(Duration.ofSeconds(p.offerHold), Duration.ofSeconds(p.declineHold),
                DhcpCore.Settings.DEFAULT.minLease(), Duration.ofSeconds(p.firstLease));
        Optional<Inet4Address> chosen = serverAddress;
        if (!(Key.parse(p.configKey) instanceof Result.Ok<Key, ?>(Key key)) || key.isRoot()) {
            return Promise.resolved(Result.err(new BootError.BadParameter("--config-key", p.configKey,
                    "a key such as dhcpd.conf")));
        }
        return devices.kv().get(key).flatMap(read -> switch (read) {
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Promise.resolved(Result.<Running, BootError>err(
                    new BootError.NoConfiguration(key)));
            case Result.Err<Bytes, KvError>(KvError e) -> Promise.resolved(Result.<Running, BootError>err(
                    new BootError.CannotReadConfiguration(key, e)));
            case Result.Ok<Bytes, KvError>(Bytes text) -> switch (ConfigParser.parse(Optional.of(key.toString()),
                    text.toUtf8())) {
                case Result.Err<DhcpConfig, ConfigError>(ConfigError e) ->
                        Promise.resolved(Result.<Running, BootError>err(new BootError.BadConfiguration(e)));
                case Result.Ok<DhcpConfig, ConfigError>(DhcpConfig c) -> Service.start(devices, p, c, settings, chosen);
            };
        });
    }

    private static Optional<BootError> checkParameters(Parameters p) {
        for (var port : List.of(Map.entry("--port", p.port), Map.entry("--client-port", p.clientPort))) {
            if (port.getValue() < 1 || port.getValue() > 65535) {
                return Optional.of(new BootError.BadParameter(port.getKey(), String.valueOf(port.getValue()),
                        "between 1 and 65535"));
            }
        }
        if (p.httpPort < 0 || p.httpPort > 65535) {
            return Optional.of(new BootError.BadParameter("--http-port", String.valueOf(p.httpPort), "0 to 65535"));
        }
        if (p.offerHold < 1) {
            return Optional.of(new BootError.BadParameter("--offer-hold", String.valueOf(p.offerHold), "at least 1"));
        }
        if (p.declineHold < 1) {
            return Optional.of(new BootError.BadParameter("--decline-hold", String.valueOf(p.declineHold), "at least 1"));
        }
        long minLease = DhcpCore.Settings.DEFAULT.minLease().toSeconds();
        if (p.firstLease < 0 || (p.firstLease > 0 && p.firstLease < minLease)) {
            return Optional.of(new BootError.BadParameter("--first-lease", String.valueOf(p.firstLease),
                    "0 or at least " + minLease));
        }
        return Optional.empty();
    }
}
