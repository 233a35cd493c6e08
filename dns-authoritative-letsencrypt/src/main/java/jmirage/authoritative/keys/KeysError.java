package jmirage.authoritative.keys;

import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.zone.ZoneFileError;

/** Why a keys file ({@code _keys}, {@code ZONE._keys}) or one key in it is refused. */
public sealed interface KeysError {
    /**
     * The file is no master file. The parser read it behind one line of ours ({@code $TTL 0}), so
     * {@code error}'s line is one more than the operator's; {@link #describe} gives the operator's.
     */
    record Syntax(ZoneFileError error) implements KeysError {}

    /** A {@code tsig-keygen} key statement that does not parse, or names no usable key; {@code line} is where it starts. */
    record BadStatement(int line, String reason) implements KeysError {}

    /** A record of another type than DNSKEY. */
    record NotDnskey(Name owner, int type) implements KeysError {}

    /** A key of {@code ZONE._keys} outside ZONE: its scope cannot reach beyond the zone whose file holds it. */
    record OutsideZone(Name owner, Name zone) implements KeysError {}

    /** The DNSKEY algorithm number names no TSIG HMAC. */
    record NotAnHmac(Name owner, int algorithm) implements KeysError {}

    /** The secret is empty. */
    record EmptySecret(Name owner) implements KeysError {}

    /** The name has no {@code _update}, {@code _transfer} or {@code _notify} label. */
    record NoOperation(Name owner) implements KeysError {}

    /** The operation label is the first: nothing names the key before it. */
    record NothingBeforeOperation(Name owner, String label) implements KeysError {}

    /** Two DNSKEY records for one key name. */
    record Duplicate(Name owner) implements KeysError {}

    default String describe() {
        return switch (this) {
            // the file's name is the caller's to add (StoreFile.problem): only the operator's line here
            case Syntax s -> "line " + (s.error().line() - 1) + ": " + s.error().problem();
            case BadStatement b -> "line " + b.line() + ": " + b.reason();
            case NotDnskey n -> n.owner() + ": " + Type.name(n.type()) + " in a keys file (only DNSKEY)";
            case OutsideZone o -> o.owner() + " is outside " + o.zone() + ", whose keys file holds it";
            case NotAnHmac a -> a.owner() + ": DNSKEY algorithm " + a.algorithm()
                    + " is not a TSIG HMAC (157 md5, 161 sha1, 162 sha224, 163 sha256, 164 sha384, 165 sha512)";
            case EmptySecret e -> e.owner() + ": empty secret";
            case NoOperation n -> n.owner() + ": the key name has no _update, _transfer or _notify label";
            case NothingBeforeOperation b -> b.owner() + ": the key name needs a label before " + b.label();
            case Duplicate d -> d.owner() + " has more than one DNSKEY";
        };
    }
}
