package jmirage.resolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.KeyError;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.validate.TrustAnchorError;
import jmirage.resolver.validate.TrustAnchors;

/**
 * The two files the resolver reads from its Kv at boot and in a check (decision 6: the same
 * reading): the root hints ({@code --root-hints KEY}, named.root's master-file format: NS records
 * at the root and the A/AAAA records of those servers) and the trust anchors ({@code
 * --trust-anchor KEY}, DS or DNSKEY records as Unbound's {@code trust-anchor-file}). Without the
 * parameter, the built-in defaults: the real root servers ({@link #ROOT_HINTS}) and the root's
 * KSKs ({@link TrustAnchors#ROOT_ANCHORS}).
 */
public final class ResolverFiles {

    /** IANA's named.root (https://www.internic.net/domain/named.root), as of 2023-11 (b.root's new addresses). */
    static final String ROOT_HINTS = """
            .                        3600000      NS    A.ROOT-SERVERS.NET.
            .                        3600000      NS    B.ROOT-SERVERS.NET.
            .                        3600000      NS    C.ROOT-SERVERS.NET.
            .                        3600000      NS    D.ROOT-SERVERS.NET.
            .                        3600000      NS    E.ROOT-SERVERS.NET.
            .                        3600000      NS    F.ROOT-SERVERS.NET.
            .                        3600000      NS    G.ROOT-SERVERS.NET.
            .                        3600000      NS    H.ROOT-SERVERS.NET.
            .                        3600000      NS    I.ROOT-SERVERS.NET.
            .                        3600000      NS    J.ROOT-SERVERS.NET.
            .                        3600000      NS    K.ROOT-SERVERS.NET.
            .                        3600000      NS    L.ROOT-SERVERS.NET.
            .                        3600000      NS    M.ROOT-SERVERS.NET.
            A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
            A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
            B.ROOT-SERVERS.NET.      3600000      A     170.247.170.2
            B.ROOT-SERVERS.NET.      3600000      AAAA  2801:1b8:10::b
            C.ROOT-SERVERS.NET.      3600000      A     192.33.4.12
            C.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2::c
            D.ROOT-SERVERS.NET.      3600000      A     199.7.91.13
            D.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2d::d
            E.ROOT-SERVERS.NET.      3600000      A     192.203.230.10
            E.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:a8::e
            F.ROOT-SERVERS.NET.      3600000      A     192.5.5.241
            F.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:2f::f
            G.ROOT-SERVERS.NET.      3600000      A     192.112.36.4
            G.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:12::d0d
            H.ROOT-SERVERS.NET.      3600000      A     198.97.190.53
            H.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:1::53
            I.ROOT-SERVERS.NET.      3600000      A     192.36.148.17
            I.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fe::53
            J.ROOT-SERVERS.NET.      3600000      A     192.58.128.30
            J.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:c27::2:30
            K.ROOT-SERVERS.NET.      3600000      A     193.0.14.129
            K.ROOT-SERVERS.NET.      3600000      AAAA  2001:7fd::1
            L.ROOT-SERVERS.NET.      3600000      A     199.7.83.42
            L.ROOT-SERVERS.NET.      3600000      AAAA  2001:500:9f::42
            M.ROOT-SERVERS.NET.      3600000      A     202.12.27.33
            M.ROOT-SERVERS.NET.      3600000      AAAA  2001:dc3::35
            """;


    /** The root servers to start from, and the anchors to validate from. */
    public record Loaded(List<Hints.Server> rootServers, List<Record> anchors) {
        public Loaded {
            rootServers = List.copyOf(rootServers);
            anchors = List.copyOf(anchors);
        }
    }

    private ResolverFiles() {}

    /** Both files (or their defaults), or every problem found, each naming its file and line. */
    public static Promise<Result<Loaded, List<ConfigProblem>>> read(Kv kv, Optional<String> hintsKey, Optional<String> anchorsKey) {
        return text(kv, "--root-hints", hintsKey, ROOT_HINTS).flatMap(hints -> text(kv, "--trust-anchor", anchorsKey, TrustAnchors.ROOT_ANCHORS)
                .map(anchors -> {
                    List<ConfigProblem> problems = new ArrayList<>();
                    Optional<List<Hints.Server>> servers = switch (hints) {
                        case Result.Err<Text, ConfigProblem>(ConfigProblem p) -> {
                            problems.add(p);
                            yield Optional.empty();
                        }
                        case Result.Ok<Text, ConfigProblem>(Text t) -> rootServers(t.source(), t.text(), problems);
                    };
                    Optional<List<Record>> keys = switch (anchors) {
                        case Result.Err<Text, ConfigProblem>(ConfigProblem p) -> {
                            problems.add(p);
                            yield Optional.empty();
                        }
                        case Result.Ok<Text, ConfigProblem>(Text t) -> anchors(t.source(), t.text(), problems);
                    };
                    if (servers.isEmpty() || keys.isEmpty()) {
                        return Result.<Loaded, List<ConfigProblem>>err(List.copyOf(problems));
                    }
                    return Result.<Loaded, List<ConfigProblem>>ok(new Loaded(servers.get(), keys.get()));
                }));
    }

    /** A file's text and the name a problem gives it. */
    private record Text(String source, String text) {}

    private static Promise<Result<Text, ConfigProblem>> text(Kv kv, String parameter, Optional<String> key, String builtIn) {
        if (key.isEmpty()) {
            return Promise.resolved(Result.ok(new Text("built-in " + parameter, builtIn)));
        }
        return switch (Key.parse(key.get())) {
            case Result.Err<Key, KeyError>(KeyError e) ->
                    Promise.resolved(Result.err(ConfigProblem.of(parameter, "not a store key: " + e.describe())));
            case Result.Ok<Key, KeyError>(Key k) -> kv.get(k).map(r -> switch (r) {
                case Result.Err<Bytes, KvError>(KvError e) -> Result.<Text, ConfigProblem>err(
                        ConfigProblem.of(parameter, "cannot read '" + k + "' from the store: " + e.describe()));
                case Result.Ok<Bytes, KvError>(Bytes b) -> Result.<Text, ConfigProblem>ok(new Text(k.toString(), b.toUtf8()));
            });
        };
    }

    /**
     * The root's name servers with their addresses: each NS record at the root, and the A and AAAA
     * records of its target. A server without an address is kept (recursion resolves its name);
     * at least one must have one, or recursion could never start.
     */
    static Optional<List<Hints.Server>> rootServers(String source, String text, List<ConfigProblem> problems) {
        List<Record> records = parse(source, text, problems);
        if (records == null) {
            return Optional.empty();
        }
        Map<Name, List<InetAddress>> servers = new LinkedHashMap<>();
        for (Record r : records) {
            if (r.rdata() instanceof Rdata.Ns(Name host) && r.name().equals(Name.ROOT)) {
                servers.putIfAbsent(host, new ArrayList<>());
            }
        }
        for (Record r : records) {
            switch (r.rdata()) {
                case Rdata.A(var address) when servers.containsKey(r.name()) -> servers.get(r.name()).add(address);
                case Rdata.Aaaa(var address) when servers.containsKey(r.name()) -> servers.get(r.name()).add(address);
                default -> { }
            }
        }
        if (servers.values().stream().allMatch(List::isEmpty)) {
            problems.add(ConfigProblem.of(source, "no root server with an address: the hints need NS records at the root and A or AAAA records of their targets"));
            return Optional.empty();
        }
        return Optional.of(servers.entrySet().stream().map(e -> new Hints.Server(e.getKey(), e.getValue())).toList());
    }

    /** DS and DNSKEY records, at least one, read as {@link TrustAnchors#parse} reads them; any other record is a problem. */
    static Optional<List<Record>> anchors(String source, String text, List<ConfigProblem> problems) {
        return switch (TrustAnchors.parse(text)) {
            case Result.Ok<TrustAnchors, TrustAnchorError>(TrustAnchors anchors) ->
                    Optional.of(anchors.byZone().values().stream().flatMap(List::stream).toList());
            case Result.Err<TrustAnchors, TrustAnchorError>(TrustAnchorError.Syntax(ZoneFileError e)) -> {
                problems.add(new ConfigProblem(source, e.line(), e.problem()));
                yield Optional.empty();
            }
            case Result.Err<TrustAnchors, TrustAnchorError>(TrustAnchorError e) -> {
                problems.add(ConfigProblem.of(source, e.describe()));
                yield Optional.empty();
            }
        };
    }

    /** The records of a master file (relative names relative to the root), or null with the problem added. */
    private static List<Record> parse(String source, String text, List<ConfigProblem> problems) {
        return switch (MasterFile.parse(text, Name.ROOT, MasterFile.IncludeResolver.NONE)) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> {
                problems.add(new ConfigProblem(source, e.line(), e.problem()));
                yield null;
            }
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> records;
        };
    }
}
