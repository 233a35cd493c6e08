package jmirage.dns.zone;

import java.util.Optional;
import jmirage.dns.NameError;
import jmirage.dns.RdataTextError;
import jmirage.dns.Type;

/**
 * Where and why a master file did not parse (RFC 1035 5, RFC 2308 4, BIND's {@code $GENERATE}).
 * Every case says where: {@code file} is the {@code $INCLUDE} path the line is in, empty for the
 * text given to {@link MasterFile#parse}; {@code line} counts from 1 (for an entry spread over
 * lines by parentheses, the line it starts on).
 */
public sealed interface ZoneFileError {

    Optional<String> file();

    int line();

    /** RFC 1035 5.1: a quoted string runs to the end of the text; {@code line} is where it opens. */
    record UnterminatedQuote(Optional<String> file, int line) implements ZoneFileError {}

    /** RFC 1035 5.1: a ')' without its '(' or a '(' never closed ({@code parenthesis} says which). */
    record UnbalancedParenthesis(Optional<String> file, int line, char parenthesis) implements ZoneFileError {}

    /** A directive with too few or too many arguments: it takes {@code min} to {@code max}. */
    record DirectiveArguments(Optional<String> file, int line, String directive, int min, int max)
            implements ZoneFileError {}

    /** A line starting with '$' that is not $ORIGIN, $TTL, $INCLUDE or $GENERATE. */
    record UnknownDirective(Optional<String> file, int line, String directive) implements ZoneFileError {}

    /** RFC 2308 4: $TTL takes a TTL (seconds up to 2^32-1, or units like 1h30m). */
    record BadDefaultTtl(Optional<String> file, int line, String text) implements ZoneFileError {}

    /** $INCLUDE nested more than {@code limit} deep (a file that includes itself ends here). */
    record IncludeTooDeep(Optional<String> file, int line, int limit) implements ZoneFileError {}

    /** $INCLUDE of an absolute path or one with "..": includes stay inside the zone folder. */
    record IncludeOutsideFolder(Optional<String> file, int line, String path) implements ZoneFileError {}

    /** The resolver gave no text for the included {@code path}. */
    record IncludeFailed(Optional<String> file, int line, String path, IncludeError error) implements ZoneFileError {}

    /** A name field ($ORIGIN, an owner, $INCLUDE's origin) that is not a name. */
    record BadName(Optional<String> file, int line, NameError error) implements ZoneFileError {}

    /** RFC 1035 5.1: a line starting with a blank reuses the previous owner, and there is none. */
    record NoPreviousOwner(Optional<String> file, int line) implements ZoneFileError {}

    /** An entry that ends before its type. */
    record MissingType(Optional<String> file, int line) implements ZoneFileError {}

    /** A type mnemonic that is neither known nor TYPEnnn (RFC 3597 5). */
    record UnknownType(Optional<String> file, int line, String text) implements ZoneFileError {}

    /** OPT, TSIG and the query types ANY, AXFR, IXFR are not zone data. */
    record NotZoneData(Optional<String> file, int line, int type) implements ZoneFileError {}

    /** The data of a record of {@code type} did not parse. */
    record BadRdata(Optional<String> file, int line, int type, RdataTextError error) implements ZoneFileError {}

    /** RFC 2308 4: no TTL on the record, no $TTL before it, no earlier TTL, and it is not an SOA. */
    record NoTtl(Optional<String> file, int line) implements ZoneFileError {}

    /** $GENERATE range is start-stop[/step], 0 &lt;= start &lt;= stop &lt; 2^32, step &gt;= 1. */
    record BadGenerateRange(Optional<String> file, int line, String range) implements ZoneFileError {}

    /** $GENERATE ${offset,width,base}: numbers, width up to 255, base d, o, x or X, a closing brace. */
    record BadGenerateModifier(Optional<String> file, int line, String text) implements ZoneFileError {}

    /** All $GENERATE lines of one parse together make at most {@code limit} records. */
    record TooManyGenerated(Optional<String> file, int line, int limit) implements ZoneFileError {}

    /** The file and line, then what went wrong: the line an operator reads. */
    default String describe() {
        return file().orElse("<input>") + ":" + line() + ": " + problem();
    }

    /** What went wrong, without where. */
    default String problem() {
        return switch (this) {
            case UnterminatedQuote q -> "unterminated quoted string";
            case UnbalancedParenthesis p -> "unbalanced " + p.parenthesis();
            case DirectiveArguments d -> d.directive() + " takes " + (d.min() == d.max() ? String.valueOf(d.min())
                    : d.max() == Integer.MAX_VALUE ? "at least " + d.min() : d.min() + " or " + d.max()) + " arguments";
            case UnknownDirective d -> "unknown directive " + d.directive();
            case BadDefaultTtl t -> "bad $TTL " + t.text();
            case IncludeTooDeep i -> "$INCLUDE nested more than " + i.limit() + " deep";
            case IncludeOutsideFolder i -> "$INCLUDE path leaves the zone folder: " + i.path();
            case IncludeFailed i -> "$INCLUDE " + i.path() + ": " + i.error().describe();
            case BadName n -> n.error().describe();
            case NoPreviousOwner n -> "no previous owner name";
            case MissingType m -> "missing type";
            case UnknownType u -> "unknown type " + u.text();
            case NotZoneData n -> Type.name(n.type()) + " cannot appear in a master file";
            case BadRdata r -> r.error().describe();
            case NoTtl n -> "no TTL and no $TTL";
            case BadGenerateRange g -> "bad $GENERATE range " + g.range();
            case BadGenerateModifier g -> "bad $GENERATE modifier " + g.text();
            case TooManyGenerated g -> "$GENERATE makes more than " + g.limit() + " records";
        };
    }
}
