package jmirage.resolver.rpl;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Result;
import jmirage.core.net.IpAddresses;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.ZoneFileError;

/**
 * Reads unbound's testbound replay format ({@code testcode/replay.h}, {@code testpkts.h}): the
 * configuration up to {@code CONFIG_END}, then {@code SCENARIO_BEGIN title}, ranges of scripted
 * answers and numbered steps, {@code SCENARIO_END}. Records are master-file lines read by the
 * platform's {@link MasterFile} (each line whole, so an indented line does not inherit the previous
 * owner; 3600 where a TTL is missing, as testbound's reader assumes). Keywords match as prefixes,
 * as testbound's {@code str_keyword} does, so the {@code ENTRY_BEGING} typo in two files opens an
 * entry there too.
 */
public final class RplParser {

    static final long DEFAULT_TTL = 3600;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final String[] lines;
    private int next; // index of the next line to read

    private RplParser(String text) {
        this.lines = text.split("\n", -1);
    }

    public static Result<Rpl, RplError> parse(String file, String text) {
        try {
            return Result.ok(new RplParser(text).file(file));
        } catch (Fail f) {
            return Result.err(f.error);
        }
    }

    /** Carries an error out of the nested reading methods; no stack trace. */
    private static final class Fail extends RuntimeException {
        final RplError error;

        Fail(RplError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    private Rpl file(String file) {
        RplConfig config = config();
        String title = "";
        List<RplRange> ranges = new ArrayList<>();
        List<RplStep> steps = new ArrayList<>();
        while (next < lines.length) {
            int line = next + 1;
            String text = strip(lines[next++]);
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("SCENARIO_BEGIN")) {
                title = text.substring("SCENARIO_BEGIN".length()).strip();
            } else if (text.startsWith("RANGE_BEGIN")) {
                ranges.add(range(line, words(text)));
            } else if (text.startsWith("STEP")) {
                steps.add(step(line, words(text)));
            } else if (text.startsWith("SCENARIO_END")) {
                return new Rpl(file, config, title, ranges, steps);
            } else {
                throw new Fail(new RplError.UnexpectedLine(line, text));
            }
        }
        throw new Fail(new RplError.Unterminated(lines.length, "SCENARIO_BEGIN"));
    }

    // ------------------------------------------------------------------ configuration

    private RplConfig config() {
        Map<String, List<String>> server = new LinkedHashMap<>();
        List<Record> anchors = new ArrayList<>();
        Optional<Instant> date = Optional.empty();
        Map<Name, List<InetAddress>> stubs = new LinkedHashMap<>();
        Map<Name, List<InetAddress>> forwards = new LinkedHashMap<>();
        String block = "";
        Name zone = Name.ROOT;
        while (next < lines.length) {
            int line = next + 1;
            String raw = lines[next++];
            String text = raw.strip();
            if (text.startsWith("CONFIG_END")) {
                return new RplConfig(server, anchors, date, stubs, forwards);
            }
            int hash = text.indexOf('#');
            if (hash >= 0 && !inQuotes(text, hash)) {
                text = text.substring(0, hash).strip();
            }
            if (text.isEmpty() || text.startsWith(";")) {
                continue;
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new Fail(new RplError.UnexpectedLine(line, text));
            }
            String key = text.substring(0, colon).strip();
            String value = unquote(text.substring(colon + 1).strip());
            if (value.isEmpty() && (key.equals("server") || key.equals("stub-zone") || key.equals("forward-zone"))) {
                block = key;
                continue;
            }
            switch (block + "/" + key) {
                case "stub-zone/name", "forward-zone/name" -> {
                    zone = name(line, value);
                    (block.equals("stub-zone") ? stubs : forwards).put(zone, new ArrayList<>());
                }
                case "stub-zone/stub-addr" -> stubs.computeIfAbsent(zone, z -> new ArrayList<>()).add(address(line, value));
                case "forward-zone/forward-addr" ->
                        forwards.computeIfAbsent(zone, z -> new ArrayList<>()).add(address(line, value));
                case "server/trust-anchor" -> anchors.addAll(records(line, List.of(value)));
                case "server/val-override-date" -> date = Optional.of(date(line, value));
                default -> server.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        throw new Fail(new RplError.Unterminated(lines.length, "the configuration (CONFIG_END)"));
    }

    private static boolean inQuotes(String text, int index) {
        int quotes = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '"') {
                quotes++;
            }
        }
        return quotes % 2 == 1;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static Instant date(int line, String text) {
        try {
            return LocalDateTime.parse(text, DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException bad) {
            throw new Fail(new RplError.BadDate(line, text));
        }
    }

    // ------------------------------------------------------------------ ranges and steps

    private RplRange range(int line, List<String> words) {
        if (words.size() != 3) {
            throw new Fail(new RplError.UnexpectedLine(line, String.join(" ", words)));
        }
        int start = number(line, words.get(1));
        int end = number(line, words.get(2));
        List<InetAddress> addresses = new ArrayList<>();
        List<RplEntry> entries = new ArrayList<>();
        while (next < lines.length) {
            int at = next + 1;
            String text = strip(lines[next++]);
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("ADDRESS")) {
                addresses.add(address(at, text.substring("ADDRESS".length()).strip()));
            } else if (text.startsWith("ENTRY_BEGIN")) {
                entries.add(entry(at));
            } else if (text.startsWith("RANGE_END")) {
                return new RplRange(line, start, end, addresses, entries);
            } else {
                throw new Fail(new RplError.UnexpectedLine(at, text));
            }
        }
        throw new Fail(new RplError.Unterminated(line, "RANGE_BEGIN"));
    }

    private RplStep step(int line, List<String> words) {
        if (words.size() < 3) {
            throw new Fail(new RplError.UnexpectedLine(line, String.join(" ", words)));
        }
        int number = number(line, words.get(1));
        return switch (words.get(2)) {
            case "QUERY" -> new RplStep.Query(number, entry(expectEntry()));
            case "CHECK_ANSWER" -> new RplStep.CheckAnswer(number, entry(expectEntry()));
            case "TIME_PASSES" -> {
                if (words.size() != 5 || !words.get(3).equals("ELAPSE")) {
                    throw new Fail(new RplError.UnexpectedLine(line, String.join(" ", words)));
                }
                yield new RplStep.TimePasses(number, seconds(line, words.get(4)));
            }
            case "TRAFFIC" -> new RplStep.Traffic(number);
            default -> throw new Fail(new RplError.UnknownKeyword(line, words.get(2)));
        };
    }

    /** Skips to the {@code ENTRY_BEGIN} that must follow a step, returning its line. */
    private int expectEntry() {
        while (next < lines.length) {
            int at = next + 1;
            String text = strip(lines[next++]);
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("ENTRY_BEGIN")) {
                return at;
            }
            throw new Fail(new RplError.UnexpectedLine(at, text));
        }
        throw new Fail(new RplError.Unterminated(lines.length, "STEP"));
    }

    // ------------------------------------------------------------------ entries

    private RplEntry entry(int line) {
        Set<RplEntry.Match> match = EnumSet.noneOf(RplEntry.Match.class);
        boolean copyId = false;
        boolean copyQuery = false;
        RplEntry.Flags flags = RplEntry.Flags.NONE;
        List<Question> question = new ArrayList<>();
        List<List<Record>> sections = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int section = -1; // -1 before any SECTION, 0 question, 1..3 answer, authority, additional
        List<String> pending = new ArrayList<>();
        int pendingLine = 0;
        while (next < lines.length) {
            int at = next + 1;
            String raw = lines[next++];
            String text = strip(raw);
            if (text.isEmpty()) {
                continue;
            }
            String keyword = words(text).getFirst();
            boolean isKeyword = switch (keyword) {
                case "MATCH", "ADJUST", "REPLY", "SECTION", "ENTRY_END" -> true;
                default -> false;
            };
            if (!isKeyword) {
                switch (section) {
                    case -1 -> throw new Fail(new RplError.UnexpectedLine(at, text));
                    case 0 -> question.add(question(at, text));
                    default -> {
                        if (pending.isEmpty()) {
                            pendingLine = at;
                        }
                        pending.add(raw); // whole: a ';' inside a quoted string is data
                    }
                }
                continue;
            }
            if (section > 0 && !pending.isEmpty()) {
                sections.get(section - 1).addAll(records(pendingLine, pending));
                pending.clear();
            }
            List<String> args = words(text).subList(1, words(text).size());
            switch (keyword) {
                case "MATCH" -> {
                    for (String term : args) {
                        match.add(matchTerm(at, term));
                    }
                }
                case "ADJUST" -> {
                    for (String term : args) {
                        switch (term) {
                            case "copy_id" -> copyId = true;
                            case "copy_query" -> copyQuery = true;
                            default -> throw new Fail(new RplError.UnknownKeyword(at, term));
                        }
                    }
                }
                case "REPLY" -> flags = flags(at, args);
                case "SECTION" -> {
                    String name = args.isEmpty() ? "" : args.getFirst();
                    section = switch (name) {
                        case "QUESTION" -> 0;
                        case "ANSWER" -> 1;
                        case "AUTHORITY" -> 2;
                        case "ADDITIONAL" -> 3;
                        default -> throw new Fail(new RplError.UnknownKeyword(at, "SECTION " + name));
                    };
                }
                default -> {
                    return new RplEntry(line, match, copyId, copyQuery, flags, question, sections.get(0),
                            sections.get(1), sections.get(2));
                }
            }
        }
        throw new Fail(new RplError.Unterminated(line, "ENTRY_BEGIN"));
    }

    private static RplEntry.Match matchTerm(int line, String term) {
        return switch (term) {
            case "opcode" -> RplEntry.Match.OPCODE;
            case "qtype" -> RplEntry.Match.QTYPE;
            case "qname" -> RplEntry.Match.QNAME;
            case "subdomain" -> RplEntry.Match.SUBDOMAIN;
            case "all" -> RplEntry.Match.ALL;
            case "ttl" -> RplEntry.Match.TTL;
            case "TCP" -> RplEntry.Match.TCP;
            case "UDP" -> RplEntry.Match.UDP;
            default -> throw new Fail(new RplError.UnknownKeyword(line, "MATCH " + term));
        };
    }

    private static RplEntry.Flags flags(int line, List<String> words) {
        boolean qr = false, aa = false, tc = false, rd = false, ra = false, ad = false, cd = false, dnssecOk = false;
        int opcode = Header.QUERY;
        int rcode = Header.NOERROR;
        for (String w : words) {
            switch (w) {
                case "QR" -> qr = true;
                case "AA" -> aa = true;
                case "TC" -> tc = true;
                case "RD" -> rd = true;
                case "RA" -> ra = true;
                case "AD" -> ad = true;
                case "CD" -> cd = true;
                case "DO" -> dnssecOk = true;
                case "QUERY" -> opcode = Header.QUERY;
                case "NOTIFY" -> opcode = Header.NOTIFY;
                case "UPDATE" -> opcode = Header.UPDATE;
                case "NOERROR" -> rcode = Header.NOERROR;
                case "FORMERR" -> rcode = Header.FORMERR;
                case "SERVFAIL" -> rcode = Header.SERVFAIL;
                case "NXDOMAIN" -> rcode = Header.NXDOMAIN;
                case "NOTIMPL", "NOTIMP" -> rcode = Header.NOTIMP;
                case "REFUSED" -> rcode = Header.REFUSED;
                case "YXDOMAIN" -> rcode = 6;
                case "YXRRSET" -> rcode = 7;
                case "NXRRSET" -> rcode = 8;
                case "NOTAUTH" -> rcode = Header.NOTAUTH;
                case "NOTZONE" -> rcode = Header.NOTZONE;
                default -> throw new Fail(new RplError.UnknownKeyword(line, "REPLY " + w));
            }
        }
        return new RplEntry.Flags(qr, aa, tc, rd, ra, ad, cd, dnssecOk, opcode, rcode);
    }

    /** {@code name [class] type}, as a question line is written. */
    private static Question question(int line, String text) {
        List<String> w = words(text);
        if (w.size() < 2 || w.size() > 3) {
            throw new Fail(new RplError.BadQuestion(line, text));
        }
        Name name = Name.parse(w.getFirst()).orElseThrow(e -> new Fail(new RplError.BadQuestion(line, text)));
        int qclass = DnsClass.IN;
        if (w.size() == 3) {
            qclass = DnsClass.parse(w.get(1)).orElseThrow(() -> new Fail(new RplError.BadQuestion(line, text)));
        }
        int qtype = Type.parse(w.getLast()).orElseThrow(() -> new Fail(new RplError.BadQuestion(line, text)));
        return new Question(name, qtype, qclass);
    }

    /**
     * Master-file lines, each taken whole (leading blanks removed, so no line inherits the previous
     * owner), absolute names, {@value #DEFAULT_TTL} where the TTL is missing.
     */
    private static List<Record> records(int line, List<String> texts) {
        StringBuilder zone = new StringBuilder("$TTL ").append(DEFAULT_TTL).append('\n');
        for (String t : texts) {
            zone.append(t.strip()).append('\n');
        }
        Result<List<Record>, ZoneFileError> parsed = MasterFile.parse(zone.toString(), Name.ROOT, MasterFile.IncludeResolver.NONE);
        return parsed.orElseThrow(e -> new Fail(new RplError.BadRecords(line, e)));
    }

    private static Name name(int line, String text) {
        return Name.parse(text).orElseThrow(e -> new Fail(new RplError.UnexpectedLine(line, text)));
    }

    /** An address, without the {@code @port} unbound allows after it. */
    private static InetAddress address(int line, String text) {
        int at = text.indexOf('@');
        String literal = at >= 0 ? text.substring(0, at) : text;
        return IpAddresses.parse(literal).orElseThrow(e -> new Fail(new RplError.BadAddress(line, text)));
    }

    /** Seconds, with a fraction as in {@code ELAPSE 0.05}. */
    private static java.time.Duration seconds(int line, String text) {
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(text);
            if (seconds.signum() < 0) {
                throw new Fail(new RplError.BadNumber(line, text));
            }
            return java.time.Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException bad) {
            throw new Fail(new RplError.BadNumber(line, text));
        }
    }

    private static int number(int line, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException bad) {
            throw new Fail(new RplError.BadNumber(line, text));
        }
    }

    /** The line without its {@code ;} comment and surrounding blanks. */
    private static String strip(String line) {
        int semicolon = line.indexOf(';');
        return (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("[ \t]+"));
    }
}
