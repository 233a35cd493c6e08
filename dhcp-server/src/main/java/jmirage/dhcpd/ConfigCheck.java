package jmirage.dhcpd;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Entry;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.net.IpAddresses;
import jmirage.dhcpd.DhcpServer.Parameters;
import jmirage.dhcpd.config.ConfigError;
import jmirage.dhcpd.config.ConfigParser;
import jmirage.dhcpd.config.DhcpConfig;
import jmirage.dhcpd.core.DhcpCore;
import jmirage.dhcpd.core.LeaseCodec;
import jmirage.dhcpd.core.LeaseRecordError;

/**
 * What the server reads before it serves, checked (decision 6): the boot parameters and
 * {@code dhcpd.conf} from the Kv. Boot, SIGHUP's reload and {@code ./unikernel check dhcp-server}
 * all go through {@link #read}, so they accept and refuse the same configurations; the check also
 * reads the lease records ({@link #leaseRecords}). Reads only: nothing is written.
 */
final class ConfigCheck {

    /** What the server runs on: the parsed configuration, the protocol timers and the address it serves as. */
    record Configuration(DhcpConfig config, DhcpCore.Settings settings, Optional<Inet4Address> serverAddress) {}

    private ConfigCheck() {}

    /** The boot parameters and the configuration at {@code --config-key}, or every problem found. */
    static Promise<Result<Configuration, List<ConfigProblem>>> read(Kv kv, Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>(parameters(p));
        Optional<Inet4Address> serverAddress = Optional.empty();
        if (p.serverAddress != null) {
            if (IpAddresses.parseIpv4(p.serverAddress) instanceof Result.Ok<Inet4Address, ?>(Inet4Address a)) {
                serverAddress = Optional.of(a);
            } else {
                problems.add(badParameter("--server-address", p.serverAddress, "an IPv4 address"));
            }
        }
        if (!(Key.parse(p.configKey) instanceof Result.Ok<Key, ?>(Key key)) || key.isRoot()) {
            problems.add(badParameter("--config-key", p.configKey, "a key such as dhcpd.conf"));
            return Promise.resolved(Result.err(problems));
        }
        DhcpCore.Settings settings = new DhcpCore.Settings(Duration.ofSeconds(p.offerHold), Duration.ofSeconds(p.declineHold),
                DhcpCore.Settings.DEFAULT.minLease(), Duration.ofSeconds(p.firstLease));
        Optional<Inet4Address> chosen = serverAddress;
        return kv.get(key).map(read -> {
            switch (read) {
                case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> problems.add(ConfigProblem.of(key.toString(),
                        "no DHCP configuration: the store has nothing at '" + key + "'. Put an ISC-style dhcpd.conf there"
                        + " (see dhcp-server/README.md): with the default --kv dir:var/dhcp-server, copy it to var/dhcp-server/"
                        + key + "; with --kv block:FILE, ./unikernel store put FILE " + key + " < dhcpd.conf"));
                case Result.Err<Bytes, KvError>(KvError e) -> problems.add(ConfigProblem.of(key.toString(),
                        "cannot read it: " + e.describe()));
                case Result.Ok<Bytes, KvError>(Bytes text) -> {
                    switch (ConfigParser.parse(Optional.of(key.toString()), text.toUtf8())) {
                        case Result.Err<DhcpConfig, ConfigError>(ConfigError e) -> problems.add(problem(e));
                        case Result.Ok<DhcpConfig, ConfigError>(DhcpConfig c) -> {
                            if (problems.isEmpty()) {
                                return Result.ok(new Configuration(c, settings, chosen));
                            }
                        }
                    }
                }
            }
            return Result.err(List.copyOf(problems));
        });
    }

    /** A parse error at the line it names, in the file (the Kv key) it was read from. */
    static ConfigProblem problem(ConfigError e) {
        return new ConfigProblem(e.where().file().orElse("dhcpd.conf"), e.where().line(), e.reason());
    }

    private static List<ConfigProblem> parameters(Parameters p) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (var port : List.of(Map.entry("--port", p.port), Map.entry("--client-port", p.clientPort))) {
            if (port.getValue() < 1 || port.getValue() > 65535) {
                problems.add(badParameter(port.getKey(), String.valueOf(port.getValue()), "between 1 and 65535"));
            }
        }
        if (p.httpPort < 0 || p.httpPort > 65535) {
            problems.add(badParameter("--http-port", String.valueOf(p.httpPort), "0 to 65535"));
        }
        if (p.offerHold < 1) {
            problems.add(badParameter("--offer-hold", String.valueOf(p.offerHold), "at least 1"));
        }
        if (p.declineHold < 1) {
            problems.add(badParameter("--decline-hold", String.valueOf(p.declineHold), "at least 1"));
        }
        long minLease = DhcpCore.Settings.DEFAULT.minLease().toSeconds();
        if (p.firstLease < 0 || (p.firstLease > 0 && p.firstLease < minLease)) {
            problems.add(badParameter("--first-lease", String.valueOf(p.firstLease), "0 or at least " + minLease));
        }
        return problems;
    }

    private static ConfigProblem badParameter(String parameter, String value, String allowed) {
        return ConfigProblem.of(parameter, "must be " + allowed + ", got '" + value + "'");
    }

    /**
     * Every lease record of the store ({@link LeaseStore}'s snapshot and journal) that does not
     * parse, at its key and line. Boot does not refuse these: it keeps each such address out of the
     * pool for a day (README); the check names them so the operator can look.
     */
    static Promise<List<ConfigProblem>> leaseRecords(Kv kv) {
        return kv.list(LeaseStore.JOURNAL).flatMap(listed -> {
            List<Key> keys = new ArrayList<>();
            keys.add(LeaseStore.SNAPSHOT);
            List<ConfigProblem> problems = new ArrayList<>();
            switch (listed) {
                case Result.Ok<List<Entry>, KvError>(List<Entry> entries) -> entries.forEach(e -> keys.add(e.key()));
                case Result.Err<List<Entry>, KvError>(KvError.NotFound nf) -> { }
                case Result.Err<List<Entry>, KvError>(KvError e) ->
                        problems.add(ConfigProblem.of(LeaseStore.JOURNAL.toString(), "cannot list it: " + e.describe()));
            }
            return recordsIn(kv, keys, 0, problems);
        });
    }

    private static Promise<List<ConfigProblem>> recordsIn(Kv kv, List<Key> keys, int i, List<ConfigProblem> problems) {
        if (i == keys.size()) {
            return Promise.resolved(List.copyOf(problems));
        }
        Key key = keys.get(i);
        return kv.get(key).flatMap(read -> {
            switch (read) {
                case Result.Ok<Bytes, KvError>(Bytes value) -> {
                    String[] lines = value.toUtf8().split("\n", -1);
                    for (int n = 0; n < lines.length; n++) {
                        if (!lines[n].isBlank()
                                && LeaseCodec.decodeLine(lines[n].trim()) instanceof Result.Err<?, LeaseRecordError>(LeaseRecordError e)) {
                            problems.add(new ConfigProblem(key.toString(), n + 1,
                                    e.describe() + " (at boot its address stays out of the pool for a day)"));
                        }
                    }
                }
                case Result.Err<Bytes, KvError>(KvError.NotFound nf) -> { }
                case Result.Err<Bytes, KvError>(KvError e) -> problems.add(ConfigProblem.of(key.toString(),
                        "cannot read it: " + e.describe()));
            }
            return recordsIn(kv, keys, i + 1, problems);
        });
    }
}
