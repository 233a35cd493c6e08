package jmirage.qubes.firewall;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jmirage.core.Compilation;
import jmirage.core.DeviceProvider;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.KvError;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.NetworkClaim;
import jmirage.core.params.Option;

/**
 * The QubesOS firewall VM (issue 21, after mirage/qubes-mirage-firewall): a router between the client
 * VMs on the network {@code clients} and the network {@code uplink}, with NAT towards the uplink, each
 * client's datagrams checked against its bound MAC and its rules; the clients and their rules come
 * from the Kv in the QubesDB layout and may change at any time (decision 25).
 */
public final class QubesFirewall implements Unikernel<FirewallService.Devices, QubesFirewall.Parameters> {

    public static final class Parameters {
        @Option(names = "--dns", paramLabel = "A.B.C.D",
                description = "A DNS server of the uplink that the clients use: what specialtarget=dns stands for; the first "
                        + "also resolves the rules' dsthost names (repeatable). Default: the uplink's gateway.")
        public List<String> dns = new ArrayList<>();

        @Option(names = "--nat-capacity", paramLabel = "N",
                description = "The most NAT mappings held; a new flow in a full table evicts (decision 17). Default: ${DEFAULT-VALUE}.")
        public int natCapacity = 8192;

        @Option(names = "--feed-poll-ms", paramLabel = "MS",
                description = "How often the feed's digest in the Kv is compared, so that a change takes effect (SIGHUP reads it "
                        + "at once). Default: ${DEFAULT-VALUE}.")
        public int feedPollMillis = 250;
    }

    @Override
    public String name() {
        return "qubes-firewall";
    }

    @Override
    public String description() {
        return "QubesOS firewall VM: NAT router for client VMs, per-client rules from a QubesDB-style feed";
    }

    /**
     * Its live data is a few MiB (rules, the NAT table: about 6 MiB of old generation with 8,192 mappings);
     * 16 MiB forwards as fast as 64 did, with the NAT table full and iperf3 running (BENCHMARKS.md,
     * "qubes-firewall").
     */
    @Override
    public int heapMiB() {
        return 16;
    }

    /** A forwarder that runs for months: C2's code alone, 8 MiB less than tiered (decision 31). */
    @Override
    public Compilation compilation() {
        return Compilation.OPTIMIZING_ONLY;
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }

    @Override
    public FirewallService.Devices claim(DeviceProvider devices) {
        return new FirewallService.Devices(
                devices.network(new NetworkClaim("uplink", "the way out: the net VM's side, every client translated to its address")),
                devices.network(new NetworkClaim("clients", "the client VMs' shared link (a bridge with isolated ports); "
                        + "the firewall's address there is their gateway")),
                devices.kv(), devices.clock(), devices.scheduler(), devices.random(), devices.log(), devices.metrics());
    }

    /**
     * The feed in the Kv (decision 6; claims only the Kv): its rules and bindings, each problem with its
     * key. Whether a client's address lies on the clients' link is checked at boot, which knows the link.
     * The firewall boots all the same on a feed with problems (a client whose rules do not parse drops
     * all its traffic, as the format says); this lists them before they do.
     */
    @Override
    public Promise<List<ConfigProblem>> check(DeviceProvider devices, Parameters p) {
        return FeedReader.entries(devices.kv()).map(read -> switch (read) {
            case Result.Err<Map<String, String>, KvError>(KvError e) -> List.of(ConfigProblem.of("feed", e.describe()));
            case Result.Ok<Map<String, String>, KvError>(Map<String, String> entries) ->
                    Feed.read(entries, ANY_LINK).problems().stream().map(problem -> {
                        int colon = problem.indexOf(": ");
                        return ConfigProblem.of(problem.substring(0, colon), problem.substring(colon + 2));
                    }).toList();
        });
    }

    /** Every IPv4 address but 0.0.0.0 and 255.255.255.255: the link as far as a check without it can tell. */
    private static final IpPrefix ANY_LINK = IpPrefix.parseIpv4WithLength("0.0.0.0/0").orElseThrow();

    @Override
    public Promise<Result<Running, String>> start(FirewallService.Devices devices, Parameters p) {
        Set<InetAddress> dns = new LinkedHashSet<>();
        for (String text : p.dns) {
            switch (IpAddresses.parseIpv4(text)) {
                case Result.Ok<Inet4Address, ?>(Inet4Address a) -> dns.add(a);
                case Result.Err<Inet4Address, ?> e -> {
                    return Promise.resolved(Result.err("--dns " + text + ": not an IPv4 address"));
                }
            }
        }
        if (dns.isEmpty()) {
            devices.uplink().gateway().ifPresent(dns::add);
        }
        if (dns.isEmpty()) {
            return Promise.resolved(Result.err("no DNS server for specialtarget=dns and dsthost: give --dns, or the uplink a gateway"));
        }
        if (p.natCapacity < 1 || p.feedPollMillis < 1) {
            return Promise.resolved(Result.err("--nat-capacity and --feed-poll-ms must be positive"));
        }
        return FirewallService.start(devices, dns, p.natCapacity, p.feedPollMillis);
    }
}
