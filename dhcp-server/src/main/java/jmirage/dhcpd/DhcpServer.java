package jmirage.dhcpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
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
        for (int port : new int[] {p.port, p.clientPort}) {
            if (port < 1 || port > 65535) {
                return Promise.resolved(Result.err("--port and --client-port must be between 1 and 65535"));
            }
        }
        if (p.httpPort < 0 || p.httpPort > 65535 || p.offerHold < 1 || p.declineHold < 1 || p.firstLease < 0
                || (p.firstLease > 0 && p.firstLease < DhcpCore.Settings.DEFAULT.minLease().toSeconds())) {
            return Promise.resolved(Result.err("--http-port must be 0 to 65535, --offer-hold and --decline-hold at least 1,"
                    + " --first-lease 0 or at least " + DhcpCore.Settings.DEFAULT.minLease().toSeconds()));
        }
        Optional<Inet4Address> serverAddress = Optional.empty();
        if (p.serverAddress != null) {
            if (!(IpAddresses.parseIpv4(p.serverAddress) instanceof Result.Ok<Inet4Address, ?>(Inet4Address a))) {
                return Promise.resolved(Result.err("--server-address must be an IPv4 address, got " + p.serverAddress));
            }
            serverAddress = Optional.of(a);
        }
        DhcpCore.Settings settings = new DhcpCore.Settings(Duration.ofSeconds(p.offerHold), Duration.ofSeconds(p.declineHold),
                DhcpCore.Settings.DEFAULT.minLease(), Duration.ofSeconds(p.firstLease));
        Optional<Inet4Address> chosen = serverAddress;
        if (!(Key.parse(p.configKey) instanceof Result.Ok<Key, ?>(Key key)) || key.isRoot()) {
            return Promise.resolved(Result.err("--config-key must be a key such as dhcpd.conf, got '" + p.configKey + "'"));
        }
        return devices.kv().get(key).flatMap(read -> switch (read) {
            case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> Promise.resolved(Result.<Running, String>err(
                    "no DHCP configuration: the store has nothing at '" + key + "'. Put an ISC-style dhcpd.conf there"
                            + " (see dhcp-server/README.md): with the default --kv dir:var/dhcp-server, copy it to"
                            + " var/dhcp-server/" + key + "; with --kv block:FILE, ./unikernel store put FILE " + key
                            + " < dhcpd.conf"));
            case Result.Err<Bytes, KvError>(KvError e) -> Promise.resolved(Result.<Running, String>err(
                    "cannot read '" + key + "': " + e.describe()));
            case Result.Ok<Bytes, KvError>(Bytes text) -> {
                Result<DhcpConfig, String> config = ConfigParser.parse(text.toUtf8());
                yield switch (config) {
                    case Result.Err<DhcpConfig, String>(String e) -> Promise.resolved(Result.<Running, String>err(key + ", " + e));
                    case Result.Ok<DhcpConfig, String>(DhcpConfig c) -> Service.start(devices, p, c, settings, chosen);
                };
            }
        });
    }
}
