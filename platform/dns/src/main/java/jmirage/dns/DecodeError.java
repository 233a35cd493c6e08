package jmirage.dns;

/**
 * Why bytes did not decode as a DNS message or as rdata: one case per rule of the wire format,
 * each with the offset where decoding stopped (from the start of the bytes given to the decoder).
 */
public sealed interface DecodeError {

    /** Where decoding stopped, in bytes from the start of the input. */
    int offset();

    /** The input ends inside a field: {@code needed} bytes wanted, {@code available} left. */
    record Truncated(int offset, int needed, int available) implements DecodeError {}

    /** RFC 1035 4.1: bytes remain after the records the header counts. */
    record TrailingBytes(int offset, int count) implements DecodeError {}

    /**
     * RFC 1035 4.1.4 compression pointer to {@code target} that does not point strictly before the
     * place the walk came from: a loop or a forward reference, refused so every walk ends.
     */
    record PointerNotBackwards(int offset, int target) implements DecodeError {}

    /** RFC 1035 4.1.4 compression pointer to {@code target}, inside the 12-byte header where no name is. */
    record PointerIntoHeader(int offset, int target) implements DecodeError {}

    /** RFC 1035 4.1.4, RFC 6891 5: a label length byte with the top bits 01 or 10. */
    record UnknownLabelType(int offset, int lengthByte) implements DecodeError {}

    /** RFC 1035 2.3.4: a name longer than 255 bytes once decompressed. */
    record NameTooLong(int offset) implements DecodeError {}

    /** An A record's data is 4 bytes and an AAAA's 16 (RFC 1035 3.4.1, RFC 3596 2.2). */
    record WrongRdataLength(int offset, int type, int length) implements DecodeError {}

    /** RFC 1035 3.2.1: RDLENGTH says more bytes than the type's fields took. */
    record RdataLeftOver(int offset, int type, int count) implements DecodeError {}

    /** RFC 1035 3.3.14: TXT data holds one or more character-strings. */
    record EmptyTxt(int offset) implements DecodeError {}

    /** RFC 8659 4.1: a CAA tag is one or more ASCII letters and digits. */
    record BadCaaTag(int offset) implements DecodeError {}

    /** RFC 9460 2.2: SvcParamKeys appear in strictly increasing order. */
    record SvcParamsOutOfOrder(int offset, int key) implements DecodeError {}

    /** RFC 5155 3.2: an NSEC3 next hashed owner is at least one byte. */
    record EmptyNsec3Hash(int offset) implements DecodeError {}

    /** RFC 4034 4.1.2: type bitmap windows in increasing order, each of 1 to 32 bytes. */
    record BadTypeBitmap(int offset, int window, int length) implements DecodeError {}

    /** RFC 6891 6.1.1: OPT appears only in the additional section. */
    record OptOutsideAdditional(int offset) implements DecodeError {}

    /** RFC 6891 6.1.1: at most one OPT record. */
    record DuplicateOpt(int offset) implements DecodeError {}

    /** RFC 6891 6.1.2: the OPT owner is the root. */
    record OptOwnerNotRoot(int offset) implements DecodeError {}

    /** RFC 6891 6.1.2: an EDNS option (code, length, data) runs past the OPT data. */
    record EdnsOptionOverrun(int offset) implements DecodeError {}

    /** RFC 8945 5.1: TSIG is the last record of the additional section, and only there. */
    record TsigNotLast(int offset) implements DecodeError {}

    default String describe() {
        String what = switch (this) {
            case Truncated(int o, int needed, int available) -> "truncated: need " + needed + " bytes, have " + available;
            case TrailingBytes(int o, int count) -> count + " bytes after the last record";
            case PointerNotBackwards(int o, int target) -> "name pointer to " + target + " does not point backwards";
            case PointerIntoHeader(int o, int target) -> "name pointer to " + target + " is inside the header";
            case UnknownLabelType(int o, int lengthByte) -> "unknown label type 0x" + Integer.toHexString(lengthByte);
            case NameTooLong(int o) -> "name longer than " + Name.MAX_WIRE + " bytes";
            case WrongRdataLength(int o, int type, int length) -> Type.name(type) + " rdata of " + length + " bytes";
            case RdataLeftOver(int o, int type, int count) -> "rdata of " + Type.name(type) + " has " + count
                    + " bytes left over";
            case EmptyTxt(int o) -> "empty TXT rdata";
            case BadCaaTag(int o) -> "CAA tag is not alphanumeric";
            case SvcParamsOutOfOrder(int o, int key) -> "SvcParamKey " + key + " out of increasing order";
            case EmptyNsec3Hash(int o) -> "empty NSEC3 next hashed owner";
            case BadTypeBitmap(int o, int window, int length) -> "type bitmap window " + window + " of " + length
                    + " bytes (windows ascend, 1 to 32 bytes each)";
            case OptOutsideAdditional(int o) -> "OPT outside the additional section";
            case DuplicateOpt(int o) -> "more than one OPT record";
            case OptOwnerNotRoot(int o) -> "OPT owner is not the root";
            case EdnsOptionOverrun(int o) -> "EDNS option runs past the OPT record";
            case TsigNotLast(int o) -> "TSIG is not the last record";
        };
        return "at byte " + offset() + ": " + what;
    }
}
