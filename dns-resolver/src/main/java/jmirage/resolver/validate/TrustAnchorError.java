package jmirage.resolver.validate;

import jmirage.dns.zone.ZoneFileError;

/** Why a trust-anchor file (DS or DNSKEY records in master-file format) was refused. */
public sealed interface TrustAnchorError {

    /** The text is not a master file. */
    record Syntax(ZoneFileError error) implements TrustAnchorError {}

    /** A record that is neither DS nor DNSKEY: {@code record} is its presentation form. */
    record NotAnAnchor(String record) implements TrustAnchorError {}

    /** The file holds no DS or DNSKEY record: validation would have nothing to start from. */
    record Empty() implements TrustAnchorError {}

    default String describe() {
        return switch (this) {
            case Syntax(ZoneFileError error) -> "trust anchor file: " + error.describe();
            case NotAnAnchor(String record) -> "trust anchor file: not a DS or DNSKEY record: " + record;
            case Empty() -> "trust anchor file: no DS or DNSKEY record";
        };
    }
}
