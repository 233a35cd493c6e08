package jmirage.dns.zone;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.RdataCodec;
import jmirage.dns.RdataText;
import jmirage.dns.Record;
import jmirage.dns.Token;
import jmirage.dns.Type;

/**
 * Master files (RFC 1035 5, RFC 2308 4 for $TTL): parsing into records and printing back. The
 * parser never touches files: {@code $INCLUDE} asks an {@link IncludeResolver}, and only relative
 * paths without ".." are passed to it, so includes stay inside the folder the resolver serves.
 */
public final class MasterFile {

    private MasterFile() {}

    /** Gives the text of an included file, by its path relative to the including folder. */
    @FunctionalInterface
    public interface IncludeResolver {
        Result<String, IncludeError> read(String path);

        IncludeResolver NONE = path -> Result.err(new IncludeError.NotAllowed());
    }

    public static final int MAX_INCLUDE_DEPTH = 8;
    /** $GENERATE may make at most this many records per file parse (a bound on work per input byte). */
    public static final int MAX_GENERATED = 65536;

    /** Parses {@code text} with the given initial origin. */
    public static Result<List<Record>, ZoneFileError> parse(String text, Name origin, IncludeResolver includes) {
        Parser p = new Parser(includes);
        try {
            p.file(Optional.empty(), text, origin, 0);
            return Result.ok(List.copyOf(p.out));
        } catch (Fail f) {
            return Result.err(f.error);
        }
    }

    /** Carries an error out of the nested parsing methods to {@link #parse}; no stack trace. */
    static final class Fail extends RuntimeException {
        final ZoneFileError error;

        Fail(ZoneFileError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    /** One logical entry: its tokens (parentheses joined), whether it began with a blank, its first line. */
    record Entry(List<Token> tokens, boolean blankStart, int line) {}

    /**
     * Ends the unquoted token being read in {@code cur}, if any, adding it to {@code tokens}. A token
     * is never empty: every character or escape adds to it.
     */
    private static void endToken(StringBuilder cur, List<Token> tokens) {
        if (!cur.isEmpty()) {
            tokens.add(Token.plain(cur.toString()));
            cur.setLength(0);
        }
    }

    /** Splits text into entries (RFC 1035 5.1: comments, quotes, escapes, parentheses). */
    static List<Entry> entries(Optional<String> file, String text) {
        List<Entry> out = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        int line = 1;
        int entryLine = 1;
        boolean blankStart = false;
        boolean atLineStart = true;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (atLineStart && depth == 0) {
                blankStart = c == ' ' || c == '\t';
                entryLine = line;
                atLineStart = false;
            }
            switch (c) {
                case '\\' -> {
                    cur.append(c);
                    if (i + 1 < n) {
                        char d = text.charAt(++i);
                        if (d == '\n') {
                            line++;
                        }
                        cur.append(d);
                    }
                }
                case '"' -> {
                    endToken(cur, tokens);
                    int j = i + 1;
                    int quoteLine = line;
                    StringBuilder q = new StringBuilder();
                    while (true) {
                        if (j >= n) {
                            throw new Fail(new ZoneFileError.UnterminatedQuote(file, quoteLine));
                        }
                        char d = text.charAt(j);
                        if (d == '"') {
                            break;
                        }
                        if (d == '\n') {
                            line++;
                        }
                        q.append(d);
                        if (d == '\\' && j + 1 < n) {
                            q.append(text.charAt(j + 1));
                            j++;
                        }
                        j++;
                    }
                    tokens.add(new Token(q.toString(), true));
                    i = j;
                }
                case ';' -> {
                    while (i + 1 < n && text.charAt(i + 1) != '\n') {
                        i++;
                    }
                }
                case '(' -> {
                    endToken(cur, tokens);
                    depth++;
                }
                case ')' -> {
                    endToken(cur, tokens);
                    if (depth == 0) {
                        throw new Fail(new ZoneFileError.UnbalancedParenthesis(file, line, ')'));
                    }
                    depth--;
                }
                case ' ', '\t', '\r', '\n' -> {
                    endToken(cur, tokens);
                    if (c == '\n') {
                        line++;
                        if (depth == 0) {
                            if (!tokens.isEmpty()) {
                                out.add(new Entry(List.copyOf(tokens), blankStart, entryLine));
                                tokens.clear();
                            }
                            atLineStart = true;
                        }
                    }
                }
                default -> {
                    cur.append(c);
                }
            }
        }
        if (depth != 0) {
            throw new Fail(new ZoneFileError.UnbalancedParenthesis(file, line, '('));
        }
        endToken(cur, tokens);
        if (!tokens.isEmpty()) {
            out.add(new Entry(List.copyOf(tokens), blankStart, entryLine));
        }
        return out;
    }

    private static final class Parser {
        final IncludeResolver includes;
        final List<Record> out = new ArrayList<>();
        Long defaultTtl; // $TTL
        Long lastTtl;
        int lastClass = DnsClass.IN;
        Name lastOwner;
        int generated;

        Parser(IncludeResolver includes) {
            this.includes = includes;
        }

        void file(Optional<String> file, String text, Name initialOrigin, int depth) {
            Name origin = initialOrigin;
            for (Entry e : entries(file, text)) {
                List<Token> t = e.tokens();
                String first = t.get(0).text();
                if (!e.blankStart() && !t.get(0).quoted() && first.startsWith("$")) {
                    switch (first.toUpperCase(java.util.Locale.ROOT)) {
                        case "$ORIGIN" -> {
                            need(t, 2, 2, e, file);
                            origin = name(t.get(1), origin, e, file);
                        }
                        case "$TTL" -> {
                            need(t, 2, 2, e, file);
                            defaultTtl = RdataText.parseTtl(t.get(1).text()).orElseThrow(
                                    () -> new Fail(new ZoneFileError.BadDefaultTtl(file, e.line(), t.get(1).text())));
                        }
                        case "$INCLUDE" -> {
                            need(t, 2, 3, e, file);
                            String path = t.get(1).text();
                            if (depth >= MAX_INCLUDE_DEPTH) {
                                throw new Fail(new ZoneFileError.IncludeTooDeep(file, e.line(), MAX_INCLUDE_DEPTH));
                            }
                            if (!confined(path)) {
                                throw new Fail(new ZoneFileError.IncludeOutsideFolder(file, e.line(), path));
                            }
                            Name incOrigin = t.size() == 3 ? name(t.get(2), origin, e, file) : origin;
                            String inc = includes.read(path).orElseThrow(
                                    r -> new Fail(new ZoneFileError.IncludeFailed(file, e.line(), path, r)));
                            file(Optional.of(path), inc, incOrigin, depth + 1);
                            // RFC 1035 5.1: the included file's $ORIGIN does not leak back
                        }
                        case "$GENERATE" -> generate(t, origin, e, file);
                        default -> throw new Fail(new ZoneFileError.UnknownDirective(file, e.line(), first));
                    }
                    continue;
                }
                record(t, e.blankStart(), origin, e, file);
            }
        }

        void record(List<Token> t, boolean blankStart, Name origin, Entry e, Optional<String> file) {
            int i = 0;
            Name owner;
            if (blankStart) {
                if (lastOwner == null) {
                    throw new Fail(new ZoneFileError.NoPreviousOwner(file, e.line()));
                }
                owner = lastOwner;
            } else {
                owner = name(t.get(0), origin, e, file);
                i = 1;
            }
            Long ttl = null;
            Integer cls = null;
            for (int k = 0; k < 2 && i < t.size(); k++) {
                String w = t.get(i).text();
                Optional<Long> asTtl = Character.isDigit(w.isEmpty() ? 'x' : w.charAt(0)) ? RdataText.parseTtl(w) : Optional.empty();
                Optional<Integer> asClass = DnsClass.parse(w);
                if (ttl == null && asTtl.isPresent()) {
                    ttl = asTtl.get();
                    i++;
                } else if (cls == null && asClass.isPresent()) {
                    cls = asClass.get();
                    i++;
                } else {
                    break;
                }
            }
            if (i >= t.size()) {
                throw new Fail(new ZoneFileError.MissingType(file, e.line()));
            }
            String typeText = t.get(i).text();
            int type = Type.parse(typeText).orElseThrow(() -> new Fail(new ZoneFileError.UnknownType(file, e.line(), typeText)));
            if (type == Type.OPT || type == Type.TSIG || type == Type.ANY || type == Type.AXFR || type == Type.IXFR) {
                throw new Fail(new ZoneFileError.NotZoneData(file, e.line(), type));
            }
            List<Token> rdataTokens = t.subList(i + 1, t.size());
            Rdata rdata = RdataText.parse(type, rdataTokens, origin)
                    .orElseThrow(r -> new Fail(new ZoneFileError.BadRdata(file, e.line(), type, r)));
            if (cls == null) {
                cls = lastClass;
            }
            if (ttl == null) {
                if (defaultTtl != null) {
                    ttl = defaultTtl;
                } else if (lastTtl != null) {
                    ttl = lastTtl;
                } else if (rdata instanceof Rdata.Soa soa) {
                    ttl = soa.minimum(); // RFC 2308 4 leaves this to the SOA's minimum in old files
                } else {
                    throw new Fail(new ZoneFileError.NoTtl(file, e.line()));
                }
            } else {
                lastTtl = ttl;
            }
            lastClass = cls;
            lastOwner = owner;
            out.add(new Record(owner, cls, ttl, rdata));
        }

        /** BIND's $GENERATE range lhs [ttl] [class] type rhs, with $ and ${offset,width,base}. */
        void generate(List<Token> t, Name origin, Entry e, Optional<String> file) {
            if (t.size() < 5) {
                throw new Fail(new ZoneFileError.DirectiveArguments(file, e.line(), t.get(0).text(), 4, 6));
            }
            String range = t.get(1).text();
            long start, stop, step = 1;
            try {
                String r = range;
                int slash = r.indexOf('/');
                if (slash >= 0) {
                    step = Long.parseLong(r.substring(slash + 1));
                    r = r.substring(0, slash);
                }
                int dash = r.indexOf('-');
                start = Long.parseLong(r.substring(0, dash));
                stop = Long.parseLong(r.substring(dash + 1));
            } catch (RuntimeException bad) {
                throw new Fail(new ZoneFileError.BadGenerateRange(file, e.line(), range));
            }
            if (start < 0 || stop < start || step < 1 || stop > 0xffffffffL) {
                throw new Fail(new ZoneFileError.BadGenerateRange(file, e.line(), range));
            }
            for (long v = start; v <= stop; v += step) {
                if (++generated > MAX_GENERATED) {
                    throw new Fail(new ZoneFileError.TooManyGenerated(file, e.line(), MAX_GENERATED));
                }
                List<Token> line = new ArrayList<>();
                for (int k = 2; k < t.size(); k++) {
                    Token tok = t.get(k);
                    line.add(new Token(substitute(tok.text(), v, e, file), tok.quoted()));
                }
                record(line, false, origin, e, file);
            }
        }

        String substitute(String s, long v, Entry e, Optional<String> file) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    sb.append(c).append(s.charAt(++i));
                } else if (c == '$') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
                        int close = s.indexOf('}', i);
                        if (close < 0) {
                            throw new Fail(new ZoneFileError.BadGenerateModifier(file, e.line(), s.substring(i)));
                        }
                        String[] mod = s.substring(i + 2, close).split(",");
                        try {
                            long offset = mod.length > 0 && !mod[0].isEmpty() ? Long.parseLong(mod[0]) : 0;
                            int width = mod.length > 1 ? Integer.parseInt(mod[1]) : 0;
                            String base = mod.length > 2 ? mod[2] : "d";
                            if (width < 0 || width > 255) {
                                throw new Fail(new ZoneFileError.BadGenerateModifier(file, e.line(), s.substring(i, close + 1)));
                            }
                            long x = v + offset;
                            String digits = switch (base) {
                                case "d" -> Long.toString(x);
                                case "o" -> Long.toOctalString(x);
                                case "x" -> Long.toHexString(x);
                                case "X" -> Long.toHexString(x).toUpperCase(java.util.Locale.ROOT);
                                default -> throw new Fail(new ZoneFileError.BadGenerateModifier(file, e.line(), s.substring(i, close + 1)));
                            };
                            sb.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
                        } catch (NumberFormatException bad) {
                            throw new Fail(new ZoneFileError.BadGenerateModifier(file, e.line(), s.substring(i, close + 1)));
                        }
                        i = close;
                    } else if (i + 1 < s.length() && s.charAt(i + 1) == '$') {
                        sb.append('$');
                        i++;
                    } else {
                        sb.append(v);
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        Name name(Token t, Name origin, Entry e, Optional<String> file) {
            return Name.parse(t.text(), origin).orElseThrow(r -> new Fail(new ZoneFileError.BadName(file, e.line(), r)));
        }

        void need(List<Token> t, int min, int max, Entry e, Optional<String> file) {
            if (t.size() < min || t.size() > max) {
                throw new Fail(new ZoneFileError.DirectiveArguments(file, e.line(), t.get(0).text(), min - 1, max - 1));
            }
        }
    }

    /** A relative path that cannot climb out of its folder. */
    static boolean confined(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.contains(":")
                || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : path.split("[/\\\\]")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Canonical text: records sorted by owner in RFC 4034 6.1 order, then type, then canonical
     * rdata; absolute names; one record a line.
     */
    public static String print(List<Record> records) {
        List<Record> sorted = new ArrayList<>(records);
        sorted.sort(CANONICAL);
        StringBuilder sb = new StringBuilder();
        for (Record r : sorted) {
            sb.append(r.name()).append('\t').append(r.ttl()).append('\t').append(DnsClass.name(r.rrClass()))
                    .append('\t').append(Type.name(r.type())).append('\t');
            sb.append(RdataText.print(r.rdata())).append('\n');
        }
        return sb.toString();
    }

    /** Owner (canonical order), type, class, canonical rdata bytes. */
    public static final Comparator<Record> CANONICAL = Comparator.comparing(Record::name)
            .thenComparingInt(Record::type)
            .thenComparingInt(Record::rrClass)
            .thenComparing(r -> RdataCodec.toWire(r.rdata(), true), Bytes::compareTo);
}
