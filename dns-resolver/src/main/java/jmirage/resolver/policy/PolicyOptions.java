package jmirage.resolver.policy;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.KeyError;
import jmirage.core.params.Option;

/** The boot parameters of the local policy, for the unikernel's Parameters to include with {@code @Mixin}. */
public final class PolicyOptions {

    @Option(names = "--blocklist", paramLabel = "KEY",
            description = "Refuse the names of this hosts file in the store (0.0.0.0 NAME lines, or one name a line), "
                    + "NXDOMAIN with extended error 15 Blocked; a bad line is skipped with a warning. Repeatable.")
    public List<String> blocklists = new ArrayList<>();

    @Option(names = "--rpz", paramLabel = "KEY",
            description = "Apply this response policy zone in the store (QNAME triggers, wildcards, NXDOMAIN, NODATA, "
                    + "PASSTHRU, DROP and local data), with extended error 17 Filtered. Repeatable, first match wins.")
    public List<String> rpz = new ArrayList<>();

    @Option(names = "--local-zone", paramLabel = "KEY",
            description = "Answer this zone (a master file in the store, named after the zone unless it has an SOA) "
                    + "authoritatively, without recursion. Repeatable.")
    public List<String> localZones = new ArrayList<>();

    @Option(names = "--local-hosts", paramLabel = "KEY",
            description = "Answer the names of this hosts file in the store (ADDRESS NAME [ALIAS...]) authoritatively, "
                    + "with their PTR records. Repeatable.")
    public List<String> localHosts = new ArrayList<>();

    @Option(names = "--update-keys", paramLabel = "KEY",
            description = "Take RFC 2136 dynamic updates of the local zones signed with the TSIG keys of this file in the "
                    + "store (tsig-keygen's key statements, or DNSKEY lines as dns-authoritative's _keys): a key named "
                    + "NAME._update.ZONE may change the local zones at and below ZONE, from an allowed client. Repeatable.")
    public List<String> updateKeys = new ArrayList<>();

    /** The store keys each option names, in order; a key that cannot be one is a problem of its option. */
    record StoreKeys(List<Key> blocklists, List<Key> rpz, List<Key> localZones, List<Key> localHosts, List<Key> updateKeys) {}

    Result<StoreKeys, List<ConfigProblem>> keys() {
        List<ConfigProblem> problems = new ArrayList<>();
        StoreKeys keys = new StoreKeys(keys("--blocklist", blocklists, problems), keys("--rpz", rpz, problems),
                keys("--local-zone", localZones, problems), keys("--local-hosts", localHosts, problems),
                keys("--update-keys", updateKeys, problems));
        return problems.isEmpty() ? Result.ok(keys) : Result.err(List.copyOf(problems));
    }

    /** The problems of the options themselves (keys that cannot be keys), before any file is read. */
    public List<ConfigProblem> problems() {
        return keys() instanceof Result.Err<StoreKeys, List<ConfigProblem>>(List<ConfigProblem> p) ? p : List.of();
    }

    private static List<Key> keys(String option, List<String> values, List<ConfigProblem> problems) {
        List<Key> out = new ArrayList<>();
        for (String v : values) {
            switch (Key.parse(v)) {
                case Result.Ok<Key, KeyError>(Key k) when !k.isRoot() -> out.add(k);
                case Result.Ok<Key, KeyError> root -> problems.add(ConfigProblem.of(option, "names no file: '" + v + "'"));
                case Result.Err<Key, KeyError>(KeyError e) -> problems.add(ConfigProblem.of(option, e.describe()));
            }
        }
        return out;
    }
}
