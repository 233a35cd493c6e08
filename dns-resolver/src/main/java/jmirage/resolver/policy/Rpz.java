package jmirage.resolver.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * One response policy zone (draft-vixie-dnsop-dns-rpz), its QNAME triggers only: a record at
 * {@code NAME.ORIGIN} is a policy for queries of NAME, at {@code *.NAME.ORIGIN} for every name
 * below NAME (not NAME itself). The action is the record (the draft's "Policy Actions"): {@code CNAME .} NXDOMAIN,
 * {@code CNAME *.} NODATA, {@code CNAME rpz-passthru.} no rewrite, {@code CNAME rpz-drop.} drop
 * (answered REFUSED: the resolver always answers), {@code CNAME rpz-tcp-only.} no rewrite (this
 * resolver answers UDP in full or truncated as usual), anything else local data answered instead.
 * Triggers under {@code rpz-ip}, {@code rpz-nsdname}, {@code rpz-nsip} and {@code rpz-client-ip}
 * are response and client triggers this resolver does not apply: they are counted, not used.
 */
public final class Rpz {

    /** What a trigger does to a query. */
    public sealed interface Action {
        record Nxdomain() implements Action {}

        record Nodata() implements Action {}

        record Passthru() implements Action {}

        record Drop() implements Action {}

        /** Records to answer with, their owner the trigger (rewritten to the query name when answered). */
        record LocalData(List<Record> records) implements Action {
            public LocalData {
                records = List.copyOf(records);
            }
        }
    }

    /** The labels under the origin that mark triggers other than QNAME. */
    private static final List<String> OTHER_TRIGGERS = List.of("rpz-ip", "rpz-nsdname", "rpz-nsip", "rpz-client-ip");

    private final String file;
    private final Name origin;
    private final NameTable exact;
    private final NameTable wildcards; // *.NAME stored as NAME
    private final List<Action> actions;
    private final int unsupported;

    private Rpz(String file, Name origin, NameTable exact, NameTable wildcards, List<Action> actions, int unsupported) {
        this.file = file;
        this.origin = origin;
        this.exact = exact;
        this.wildcards = wildcards;
        this.actions = List.copyOf(actions);
        this.unsupported = unsupported;
    }

    public String file() {
        return file;
    }

    public Name origin() {
        return origin;
    }

    /** QNAME triggers, exact and wildcard. */
    public int size() {
        return exact.size() + wildcards.size();
    }

    /** Records under the IP, NSDNAME, NSIP and client-IP trigger labels, not applied. */
    public int unsupported() {
        return unsupported;
    }

    /**
     * Parses {@code text}. The zone's origin is its SOA owner when it has one, else
     * {@code defaultOrigin}, which is also the origin relative names start from.
     */
    public static Result<Rpz, RpzError> parse(String file, String text, Name defaultOrigin) {
        return switch (MasterFile.parse(text, defaultOrigin, MasterFile.IncludeResolver.NONE)) {
            case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> Result.err(new RpzError.Syntax(e));
            case Result.Ok<List<Record>, ZoneFileError>(List<Record> records) -> of(file, records, defaultOrigin);
        };
    }

    static Result<Rpz, RpzError> of(String file, List<Record> records, Name defaultOrigin) {
        Name origin = records.stream().filter(r -> r.type() == Type.SOA).map(Record::name).findFirst().orElse(defaultOrigin);
        Map<Name, List<Record>> byTrigger = new LinkedHashMap<>();
        int unsupported = 0;
        for (Record r : records) {
            if (!r.name().isSubdomainOf(origin)) {
                return Result.err(new RpzError.OutsideZone(r.name(), origin));
            }
            if (r.name().equals(origin)) {
                continue; // the zone's SOA and NS
            }
            String top = new String(r.name().label(r.name().labelCount() - origin.labelCount() - 1),
                    java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            if (OTHER_TRIGGERS.contains(top)) {
                unsupported++;
                continue;
            }
            if (r.rrClass() != DnsClass.IN || isDnssec(r.type())) {
                return Result.err(new RpzError.NotPolicyData(r.name(), r.type()));
            }
            List<Record> at = byTrigger.computeIfAbsent(r.name(), n -> new ArrayList<>());
            if (!at.contains(r)) {
                at.add(r); // RFC 2181 5: a record given twice is one record
            }
        }
        NameTable.Builder exact = new NameTable.Builder();
        NameTable.Builder wildcards = new NameTable.Builder();
        List<Action> actions = new ArrayList<>(byTrigger.size());
        for (Map.Entry<Name, List<Record>> t : byTrigger.entrySet()) {
            Name owner = t.getKey();
            Optional<Action> special = t.getValue().stream().map(Rpz::special).flatMap(Optional::stream).findFirst();
            if (special.isPresent() && t.getValue().size() > 1) {
                return Result.err(new RpzError.ActionWithData(owner));
            }
            int relative = owner.labelCount() - origin.labelCount();
            List<byte[]> labels = new ArrayList<>(relative);
            for (int i = 0; i < relative; i++) {
                labels.add(owner.label(i));
            }
            Name trigger = Name.ofLabels(labels).orElseThrow(); // labels of a valid name make a valid name
            actions.add(special.orElseGet(() -> new Action.LocalData(t.getValue())));
            if (trigger.isWildcard()) {
                wildcards.put(trigger.parent(1), actions.size() - 1);
            } else {
                exact.put(trigger, actions.size() - 1);
            }
        }
        return Result.ok(new Rpz(file, origin, exact.build(), wildcards.build(), actions, unsupported));
    }

    private static boolean isDnssec(int type) {
        return type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || type == Type.NSEC3PARAM
                || type == Type.DNSKEY || type == Type.DS;
    }

    /** The "Policy Actions" CNAME targets that are actions rather than data. */
    private static Optional<Action> special(Record r) {
        if (!(r.rdata() instanceof Rdata.Cname(Name target))) {
            return Optional.empty();
        }
        if (target.isRoot()) {
            return Optional.of(new Action.Nxdomain());
        }
        if (target.labelCount() != 1) {
            return Optional.empty();
        }
        String label = new String(target.label(0), java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        return switch (label) {
            case "*" -> Optional.of(new Action.Nodata());
            case "rpz-passthru", "rpz-tcp-only" -> Optional.of(new Action.Passthru());
            case "rpz-drop" -> Optional.of(new Action.Drop());
            default -> Optional.empty();
        };
    }

    /**
     * The action for {@code query}: its exact trigger, else the wildcard trigger of its closest
     * ancestor (the draft's precedence rules: the exact match wins, then the
     * longest wildcard), else none.
     */
    Optional<Action> match(NameTable.QueryName query) {
        int a = exact.get(query, 0);
        if (a >= 0) {
            return Optional.of(actions.get(a));
        }
        for (int label = 1; label <= query.labels(); label++) { // up to the root: "*" at the origin matches all
            a = wildcards.get(query, label);
            if (a >= 0) {
                return Optional.of(actions.get(a));
            }
        }
        return Optional.empty();
    }

    public Optional<Action> match(Name query) {
        return match(NameTable.QueryName.of(query));
    }
}
