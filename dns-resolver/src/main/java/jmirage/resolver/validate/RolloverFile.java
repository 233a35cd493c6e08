package jmirage.resolver.validate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * The RFC 5011 state as a small file a person can read and edit, like unbound's
 * auto-trust-anchor-file: a master file of the tracked DNSKEYs, each followed by a comment with its
 * state ({@code ;; state=ADDPEND since=2026-12-06T07:00:00Z id=20326}), and the DS anchors not yet
 * matched to a key. Any master-file reader sees the keys; the comments carry the rest.
 */
public final class RolloverFile {

    private RolloverFile() {}

    private static final String MARK = ";;";

    public static String print(List<Rollover.TrustPoint> trustPoints) {
        StringBuilder b = new StringBuilder("; RFC 5011 trust anchor state, kept by dns-resolver: one line a key with its state\n");
        for (Rollover.TrustPoint tp : trustPoints) {
            b.append("; trust point ").append(tp.owner()).append('\n');
            for (Rdata.Ds d : tp.pendingDs()) {
                b.append(Record.in(tp.owner(), 0, d)).append('\n');
            }
            for (Rollover.Tracked t : tp.keys()) {
                b.append(Record.in(tp.owner(), 0, t.key())).append(' ').append(MARK).append(" state=").append(t.state())
                        .append(" since=").append(t.since()).append(" id=")
                        .append(t.keyTag()).append('\n');
            }
        }
        return b.toString();
    }

    /** Where and why the file did not parse; {@code line} counts from 1. */
    public sealed interface FileError {
        int line();

        record Syntax(int line, ZoneFileError error) implements FileError {}

        /** The state comment of a DNSKEY line is missing or does not read as a state and a time. */
        record BadState(int line, String text) implements FileError {}

        /** A record other than DNSKEY or DS. */
        record NotAnchor(int line, int type) implements FileError {}

        default String problem() {
            return switch (this) {
                case Syntax(int line, ZoneFileError e) -> e.problem();
                case BadState(int line, String text) -> "bad key state '" + text + "' (state=STATE since=TIME)";
                case NotAnchor(int line, int type) -> Type.name(type) + " is not a trust anchor (DNSKEY or DS)";
            };
        }
    }

    public static Result<List<Rollover.TrustPoint>, FileError> parse(String text) {
        Map<Name, List<Rdata.Ds>> ds = new LinkedHashMap<>();
        Map<Name, List<Rollover.Tracked>> keys = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith(";")) {
                continue;
            }
            List<Record> records;
            switch (MasterFile.parse(line, Name.ROOT, MasterFile.IncludeResolver.NONE)) {
                case Result.Err<List<Record>, ZoneFileError>(ZoneFileError e) -> {
                    return Result.err(new FileError.Syntax(number, e));
                }
                case Result.Ok<List<Record>, ZoneFileError>(List<Record> r) -> records = r;
            }
            for (Record r : records) {
                switch (r.rdata()) {
                    case Rdata.Ds d -> ds.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(d);
                    case Rdata.Dnskey k -> {
                        int mark = line.indexOf(MARK);
                        Optional<Rollover.Tracked> t = mark < 0 ? Optional.empty() : state(k, line.substring(mark + MARK.length()));
                        if (t.isEmpty()) {
                            return Result.err(new FileError.BadState(number, mark < 0 ? "" : line.substring(mark).strip()));
                        }
                        keys.computeIfAbsent(r.name(), n -> new ArrayList<>()).add(t.get());
                        ds.computeIfAbsent(r.name(), n -> new ArrayList<>());
                    }
                    default -> {
                        return Result.err(new FileError.NotAnchor(number, r.type()));
                    }
                }
            }
        }
        List<Rollover.TrustPoint> out = new ArrayList<>();
        ds.forEach((owner, d) -> out.add(new Rollover.TrustPoint(owner, d, keys.getOrDefault(owner, List.of()))));
        return Result.ok(out);
    }

    private static Optional<Rollover.Tracked> state(Rdata.Dnskey key, String comment) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : comment.strip().split("\\s+")) {
            int eq = f.indexOf('=');
            if (eq > 0) {
                fields.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        try {
            Rollover.State state = Rollover.State.valueOf(fields.getOrDefault("state", ""));
            Instant since = Instant.parse(fields.getOrDefault("since", ""));
            return Optional.of(new Rollover.Tracked(key, state, since));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty(); // the caller reports the line
        }
    }
}
