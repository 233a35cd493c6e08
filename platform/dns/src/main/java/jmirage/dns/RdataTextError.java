package jmirage.dns;

/**
 * Why the presentation form of a record's data (RFC 1035 5.1 and each type's RFC) did not parse.
 * Each case holds the offending text; {@code type} is the record type being parsed.
 */
public sealed interface RdataTextError {

    /** The data ends before all the type's fields were given. */
    record MissingField(int type) implements RdataTextError {}

    /** More tokens than the type has fields. */
    record UnexpectedToken(int type, String token) implements RdataTextError {}

    /** Not a decimal number from 0 to {@code max}. */
    record BadNumber(String text, long max) implements RdataTextError {}

    /** Not a TTL: seconds up to 2^32-1, or BIND units like 1h30m. */
    record BadTtl(String text) implements RdataTextError {}

    /** RFC 4034 3.2: YYYYMMDDHHmmSS (UTC) or seconds since the epoch, within 32 bits. */
    record BadTime(String text) implements RdataTextError {}

    /** RFC 1035 3.4.1: four decimal octets. */
    record BadIpv4(String text) implements RdataTextError {}

    /** RFC 4291 2.2 text form. */
    record BadIpv6(String text) implements RdataTextError {}

    /** A domain-name field that is not a name. */
    record BadName(NameError error) implements RdataTextError {}

    /** RFC 1035 5.1: a character-string escape that is dangling, short or above \255. */
    record BadEscape(String text) implements RdataTextError {}

    /** RFC 1035 3.3: a character-string holds at most 255 bytes. */
    record StringTooLong(int length) implements RdataTextError {}

    record BadHex(String text) implements RdataTextError {}

    record BadBase64(String text) implements RdataTextError {}

    /** RFC 4648 7, as NSEC3 next hashed owners are written (RFC 5155 3.3). */
    record BadBase32Hex(String text) implements RdataTextError {}

    /** A type mnemonic (in a type list or RRSIG's type covered) that is neither known nor TYPEnnn. */
    record UnknownType(String text) implements RdataTextError {}

    /** RFC 1035 3.3.14: TXT data holds one or more character-strings. */
    record EmptyTxt() implements RdataTextError {}

    /** RFC 8659 4.1: a CAA tag is one or more ASCII letters and digits. */
    record BadCaaTag(String tag) implements RdataTextError {}

    /** RFC 5155 3.2: an NSEC3 next hashed owner is at least one byte. */
    record EmptyNsec3Hash() implements RdataTextError {}

    /** RFC 9460 2.1: keys are the mnemonics of 14.3 or keyNNNNN. */
    record UnknownSvcParamKey(String key) implements RdataTextError {}

    /** RFC 9460 2.2: each key at most once. */
    record DuplicateSvcParamKey(String key) implements RdataTextError {}

    /** RFC 9460 7: this key needs a value (or, for no-default-alpn, takes none). */
    record SvcParamValue(String key, boolean valueGiven) implements RdataTextError {}

    /** RFC 1035 3.2.1: RDLENGTH is 16 bits, so the data (or one SvcParam value) is at most 65535 bytes. */
    record RdataTooLong(int type, int length) implements RdataTextError {}

    /** RFC 3597 5: {@code \#} is followed by the data length. */
    record GenericWithoutLength() implements RdataTextError {}

    /** RFC 3597 5: the length given does not match the hex data. */
    record GenericLengthMismatch(long declared, int actual) implements RdataTextError {}

    /** RFC 3597 5: the generic form of a known type must decode as that type's wire form. */
    record GenericNotWire(int type, DecodeError error) implements RdataTextError {}

    /** OPT (RFC 6891) is not a zone record and has no presentation form. */
    record NoPresentationForm(int type) implements RdataTextError {}

    /** A type without its own text form here: RFC 3597 {@code \# length hex} is the way to write it. */
    record NeedsGenericForm(int type) implements RdataTextError {}

    default String describe() {
        return switch (this) {
            case MissingField(int type) -> Type.name(type) + " data is missing a field";
            case UnexpectedToken(int type, String token) -> "unexpected " + token + " after " + Type.name(type) + " data";
            case BadNumber(String text, long max) -> "bad number " + text + " (0 to " + max + ")";
            case BadTtl(String text) -> "bad TTL " + text;
            case BadTime(String text) -> "bad time " + text + " (YYYYMMDDHHmmSS or seconds)";
            case BadIpv4(String text) -> "bad IPv4 address " + text;
            case BadIpv6(String text) -> "bad IPv6 address " + text;
            case BadName(NameError error) -> error.describe();
            case BadEscape(String text) -> "bad escape in " + text + " (\\X or \\DDD up to 255)";
            case StringTooLong(int length) -> "character-string of " + length + " bytes (at most 255)";
            case BadHex(String text) -> "bad hex " + text;
            case BadBase64(String text) -> "bad base64 " + text;
            case BadBase32Hex(String text) -> "bad base32hex " + text;
            case UnknownType(String text) -> "unknown type " + text;
            case EmptyTxt() -> "TXT needs at least one string";
            case BadCaaTag(String tag) -> "bad CAA tag " + tag + " (letters and digits)";
            case EmptyNsec3Hash() -> "empty NSEC3 next hashed owner";
            case UnknownSvcParamKey(String key) -> "unknown SvcParamKey " + key;
            case DuplicateSvcParamKey(String key) -> "duplicate SvcParamKey " + key;
            case SvcParamValue(String key, boolean valueGiven) -> valueGiven ? key + " takes no value"
                    : key + " needs a value";
            case RdataTooLong(int type, int length) -> Type.name(type) + " data of " + length
                    + " bytes (at most 65535)";
            case GenericWithoutLength() -> "\\# needs a length";
            case GenericLengthMismatch(long declared, int actual) -> "\\# length " + declared + " but " + actual
                    + " bytes given";
            case GenericNotWire(int type, DecodeError error) -> "\\# data is not " + Type.name(type) + " "
                    + error.describe();
            case NoPresentationForm(int type) -> Type.name(type) + " has no master-file form";
            case NeedsGenericForm(int type) -> Type.name(type) + " data needs the \\# generic form";
        };
    }
}
