package jmirage.resolver.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import jmirage.authoritative.keys.Keys;
import jmirage.authoritative.keys.KeysError;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.ZoneError;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Security;

/**
 * The resolver's local policy, an immutable value: local data answered authoritatively, then
 * response policy zones (in the order given; the first that has a trigger for the name decides, and
 * {@code rpz-passthru} lets a name through the hosts blocklists too), then the hosts blocklists;
 * what none of them answers goes to recursion. Built from the files of the store by {@link #of},
 * which refuses a local zone, local hosts file or RPZ with a bad line (the operator wrote it: a
 * typo must not go unnoticed), but skips the bad lines of a hosts blocklist, counting them in
 * {@link #skipped} (a third party wrote it: one odd line of 100,000 must not stop the resolver);
 * {@link #check} gives the refusals as lines for the operator.
 */
public final class Policy {

    public static final Policy NONE = new Policy(LocalData.EMPTY, Map.of(), Keys.NONE, List.of(), Blocklist.EMPTY, List.of());

    /** RFC 8914 4.16, 4.18. */
    public static final int EDE_BLOCKED = 15, EDE_FILTERED = 17;

    /** Refused lines listed per file; the rest are counted. */
    public static final int MAX_ERRORS_PER_FILE = 20;

    /** Skipped lines of a blocklist listed in its warning; the rest are counted. */
    public static final int MAX_SKIPPED_LISTED = 3;

    /** How many CNAMEs of local data or policy one query follows (a loop between policies ends here). */
    public static final int MAX_CHASE = 8;

    private final LocalData local;
    private final Map<Name, PolicyFiles.File> zoneFiles;
    private final Keys updateKeys;
    private final List<Rpz> zones;
    private final Blocklist blocklist;
    private final List<Skipped> skipped;

    private Policy(LocalData local, Map<Name, PolicyFiles.File> zoneFiles, Keys updateKeys, List<Rpz> zones,
            Blocklist blocklist, List<Skipped> skipped) {
        this.local = local;
        this.zoneFiles = Map.copyOf(zoneFiles);
        this.updateKeys = updateKeys;
        this.zones = List.copyOf(zones);
        this.blocklist = blocklist;
        this.skipped = List.copyOf(skipped);
    }

    /**
     * The lines of one blocklist that were not read (not a hosts line at all): how many, and the first
     * {@value #MAX_SKIPPED_LISTED}, for the warning the shell logs.
     */
    public record Skipped(String file, int count, List<HostsError> first) {
        public Skipped {
            first = List.copyOf(first);
        }

        /** One line for the operator: {@code FILE: N bad lines skipped (line 3: not an IP address: x; ...)}. */
        public String describe() {
            return file + ": " + count + " bad line" + (count == 1 ? "" : "s") + " skipped ("
                    + first.stream().map(e -> "line " + e.line() + ": " + e.problem()).collect(java.util.stream.Collectors.joining("; "))
                    + (count > first.size() ? "; ..." : "") + ")";
        }
    }

    /** Why a query was answered by policy: for the log line and the statistics. */
    public enum Kind { LOCAL, BLOCKED, FILTERED }

    /** What the policy does with one question. */
    public sealed interface Decision {
        /** Not ours: recursion answers. */
        record Pass() implements Decision {}

        /**
         * Answered here.
         *
         * @param chase a CNAME at the end of the answer whose target the answer lacks: resolve the
         *     target (through the policy again) and append its answer, as a server does for an alias
         * @param source the file that decided
         */
        record Rewrite(Resolution resolution, Optional<Name> chase, Kind kind, String source) implements Decision {}
    }

    /** Builds the policy from its files; every refused line of every file, if any. */
    public static Result<Policy, List<PolicyError>> of(PolicyFiles files) {
        List<PolicyError> errors = new ArrayList<>();
        LocalData.Builder local = new LocalData.Builder();
        Map<Name, PolicyFiles.File> zoneFiles = new LinkedHashMap<>();
        for (PolicyFiles.File f : files.localZones()) {
            switch (parseZone(f)) {
                case Result.Ok<Zone, ZoneError>(Zone z) when zoneFiles.containsKey(z.origin()) ->
                        errors.add(new PolicyError.SameZone(f.key(), z.origin(), zoneFiles.get(z.origin()).key()));
                case Result.Ok<Zone, ZoneError>(Zone z) -> {
                    local.zone(z);
                    zoneFiles.put(z.origin(), f);
                }
                case Result.Err<Zone, ZoneError>(ZoneError e) -> errors.add(new PolicyError.LocalZone(f.key(), e));
            }
        }
        Keys updateKeys = Keys.NONE;
        for (PolicyFiles.File f : files.updateKeys()) {
            switch (Keys.parse(f.text(), Name.ROOT)) {
                case Result.Ok<Keys, KeysError>(Keys k) -> updateKeys = updateKeys.with(k);
                case Result.Err<Keys, KeysError>(KeysError e) -> errors.add(new PolicyError.UpdateKeys(f.key(), e));
            }
        }
        for (PolicyFiles.File f : files.localHosts()) {
            HostsFile.Parsed parsed = HostsFile.parse(f.text());
            List<HostsError> refused = new ArrayList<>(parsed.errors());
            refused.addAll(local.hosts(parsed.entries()));
            refused.sort(java.util.Comparator.comparingInt(HostsError::line));
            listed(f.key(), refused, errors);
        }
        List<Rpz> zones = new ArrayList<>();
        for (PolicyFiles.File f : files.rpz()) {
            switch (Rpz.parse(f.key(), f.text(), defaultOrigin(f.key()))) {
                case Result.Ok<Rpz, RpzError>(Rpz z) -> zones.add(z);
                case Result.Err<Rpz, RpzError>(RpzError e) -> errors.add(new PolicyError.Rpz(f.key(), e));
            }
        }
        Blocklist.Builder blocklist = new Blocklist.Builder();
        List<Skipped> skipped = new ArrayList<>();
        for (PolicyFiles.File f : files.blocklists()) {
            HostsFile.Parsed parsed = HostsFile.parse(f.text());
            if (!parsed.errors().isEmpty()) {
                skipped.add(new Skipped(f.key(), parsed.errors().size(), parsed.errors().subList(0,
                        Math.min(MAX_SKIPPED_LISTED, parsed.errors().size()))));
            }
            blocklist.add(f.key(), parsed.entries());
        }
        if (!errors.isEmpty()) {
            // by file, keeping each file's own order (its lines, then the count of those not listed)
            errors.sort(java.util.Comparator.comparing(PolicyError::file));
            return Result.err(List.copyOf(errors));
        }
        return Result.ok(new Policy(local.build(), zoneFiles, updateKeys, zones, blocklist.build(), skipped));
    }

    /** The local zone whose origin is {@code origin}, with the file it was read from (or last written to). */
    public Optional<LocalZone> localZone(Name origin) {
        return local.zone(origin).map(z -> new LocalZone(z, zoneFiles.get(origin)));
    }

    /** A local zone and its file in the store, as read at the last load or written by the last update. */
    public record LocalZone(Zone zone, PolicyFiles.File file) {}

    /** The TSIG keys that may update local zones ({@code --update-keys}); {@link Keys#NONE} when none are given. */
    public Keys updateKeys() {
        return updateKeys;
    }

    /** This policy with {@code zone} (a local zone changed by an update) in place of its old version, stored as {@code text}. */
    public Policy withLocalZone(Zone zone, String text) {
        PolicyFiles.File file = zoneFiles.get(zone.origin());
        if (file == null) {
            throw new IllegalArgumentException(zone.origin() + " is not a local zone");
        }
        Map<Name, PolicyFiles.File> files = new LinkedHashMap<>(zoneFiles);
        files.put(zone.origin(), new PolicyFiles.File(file.key(), text));
        return new Policy(local.withZone(zone), files, updateKeys, zones, blocklist, skipped);
    }

    /** The first {@value #MAX_ERRORS_PER_FILE} refused lines of a local hosts file, then how many more. */
    private static void listed(String file, List<HostsError> refused, List<PolicyError> errors) {
        refused.stream().limit(MAX_ERRORS_PER_FILE).forEach(e -> errors.add(new PolicyError.Hosts(file, e)));
        if (refused.size() > MAX_ERRORS_PER_FILE) {
            errors.add(new PolicyError.MoreLines(file, refused.size() - MAX_ERRORS_PER_FILE));
        }
    }

    /** {@link #of}'s refusals as the operator reads them (decision 6), empty when the files make a policy. */
    public static List<ConfigProblem> check(PolicyFiles files) {
        return switch (of(files)) {
            case Result.Ok<Policy, List<PolicyError>> ok -> List.of();
            case Result.Err<Policy, List<PolicyError>>(List<PolicyError> errors) ->
                    errors.stream().map(PolicyError::problem).toList();
        };
    }

    /** A zone file's origin: its SOA owner, with relative names read from the key's last segment. */
    private static Result<Zone, ZoneError> parseZone(PolicyFiles.File f) {
        return switch (MasterFile.parse(f.text(), defaultOrigin(f.key()), MasterFile.IncludeResolver.NONE)) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> Result.err(new ZoneError.Syntax(e));
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> Zone.of(records.stream()
                    .filter(r -> r.type() == Type.SOA).map(Record::name).findFirst().orElse(defaultOrigin(f.key())), records);
        };
    }

    /** The name relative names of a zone file start from: the last segment of its key ({@code zones/retreat.lan}). */
    static Name defaultOrigin(String key) {
        String last = key.substring(key.lastIndexOf('/') + 1);
        Result<Name, ?> parsed = Name.parse(last.endsWith(".") ? last : last + ".");
        return parsed instanceof Result.Ok<Name, ?>(Name n) ? n : Name.ROOT;
    }

    /** What the policy does with {@code question}; pure. */
    public Decision decide(Question question) {
        Optional<Resolution> mine = local.answer(question);
        if (mine.isPresent()) {
            return new Decision.Rewrite(mine.get(), dangling(question, mine.get().answer()), Kind.LOCAL, "local data");
        }
        if (zones.isEmpty() && blocklist.size() == 0) {
            return new Decision.Pass(); // nothing to match: no lower-cased copy of the name to make
        }
        NameTable.QueryName name = NameTable.QueryName.of(question.name());
        for (Rpz zone : zones) {
            Optional<Rpz.Action> action = zone.match(name);
            if (action.isPresent()) {
                return rewrite(question, zone, action.get());
            }
        }
        Optional<String> blocked = blocklist.blockedBy(name);
        if (blocked.isPresent()) {
            return new Decision.Rewrite(negative(question, Header.NXDOMAIN, EDE_BLOCKED, "blocked by " + blocked.get()),
                    Optional.empty(), Kind.BLOCKED, blocked.get());
        }
        return new Decision.Pass();
    }

    private static Decision rewrite(Question q, Rpz zone, Rpz.Action action) {
        String text = "filtered by policy zone " + zone.origin();
        return switch (action) {
            case Rpz.Action.Passthru() -> new Decision.Pass();
            case Rpz.Action.Nxdomain() -> filtered(negative(q, Header.NXDOMAIN, EDE_FILTERED, text), zone);
            case Rpz.Action.Nodata() -> filtered(negative(q, Header.NOERROR, EDE_FILTERED, text), zone);
            case Rpz.Action.Drop() -> filtered(negative(q, Header.REFUSED, EDE_FILTERED, text), zone);
            case Rpz.Action.LocalData(List<Record> records) -> {
                List<Record> answer = records.stream()
                        .filter(r -> q.qtype() == Type.ANY || r.type() == q.qtype() || r.type() == Type.CNAME)
                        .map(r -> new Record(q.name(), r.rrClass(), r.ttl(), r.rdata())).toList();
                Resolution resolution = new Resolution(q, Header.NOERROR, answer, List.of(), List.of(), Security.INDETERMINATE,
                        Optional.of(new EdnsOption.ExtendedError(EDE_FILTERED, text)), false, false);
                yield new Decision.Rewrite(resolution, dangling(q, answer), Kind.FILTERED, zone.file());
            }
        };
    }

    private static Decision filtered(Resolution r, Rpz zone) {
        return new Decision.Rewrite(r, Optional.empty(), Kind.FILTERED, zone.file());
    }

    private static Resolution negative(Question q, int rcode, int ede, String text) {
        return new Resolution(q, rcode, List.of(), List.of(), List.of(), Security.INDETERMINATE,
                Optional.of(new EdnsOption.ExtendedError(ede, text)), false, false);
    }

    /** The target of a CNAME ending {@code answer} when the answer does not go on to it (RFC 1034 3.6.2). */
    static Optional<Name> dangling(Question q, List<Record> answer) {
        if (answer.isEmpty() || q.qtype() == Type.CNAME || q.qtype() == Type.ANY
                || !(answer.getLast().rdata() instanceof jmirage.dns.Rdata.Cname(Name target))) {
            return Optional.empty();
        }
        return answer.stream().anyMatch(r -> r.name().equals(target)) ? Optional.empty() : Optional.of(target);
    }

    /** {@code inner} behind this policy. */
    public Resolve around(Resolve inner) {
        return around(inner, rewrite -> { });
    }

    /** {@code inner} behind this policy, telling {@code observer} of each question the policy answered. */
    public Resolve around(Resolve inner, Consumer<Decision.Rewrite> observer) {
        return (question, checkingDisabled) -> resolve(question, checkingDisabled, inner, observer, 0);
    }

    private Promise<Resolution> resolve(Question q, boolean cd, Resolve inner, Consumer<Decision.Rewrite> observer, int depth) {
        return switch (decide(q)) {
            case Decision.Pass() -> inner.resolve(q, cd);
            case Decision.Rewrite r -> {
                observer.accept(r);
                if (r.chase().isEmpty() || depth >= MAX_CHASE) {
                    yield Promise.resolved(r.resolution());
                }
                yield resolve(new Question(r.chase().get(), q.qtype(), q.qclass()), cd, inner, observer, depth + 1)
                        .map(tail -> joined(r.resolution(), tail));
            }
        };
    }

    /** An alias and what its target resolved to: the target's rcode and sections after the alias (RFC 1034 4.3.2 3a). */
    private static Resolution joined(Resolution alias, Resolution tail) {
        List<Record> answer = new ArrayList<>(alias.answer());
        answer.addAll(tail.answer());
        Security security = tail.security() instanceof Security.Bogus ? tail.security() : Security.INDETERMINATE;
        return new Resolution(alias.question(), tail.rcode(), answer, tail.authority(), tail.additional(), security,
                tail.error().or(alias::error), tail.stale(), alias.authoritative() && tail.authoritative());
    }

    /** One line for the log at load: what the policy holds. */
    public String summary() {
        int unsupported = zones.stream().mapToInt(Rpz::unsupported).sum();
        return local.zoneCount() + " local zone(s), " + local.hostNames() + " local host name(s), " + zones.size()
                + " policy zone(s) with " + zones.stream().mapToInt(Rpz::size).sum() + " trigger(s)"
                + (unsupported > 0 ? " (" + unsupported + " IP/NSDNAME/client trigger(s) not applied)" : "")
                + ", " + blocklist.size() + " blocked name(s)"
                + (updateKeys.size() > 0 ? ", " + updateKeys.size() + " update key(s)" : "");
    }

    public Blocklist blocklist() {
        return blocklist;
    }

    /** The blocklists with lines skipped, one each. */
    public List<Skipped> skipped() {
        return skipped;
    }
}
