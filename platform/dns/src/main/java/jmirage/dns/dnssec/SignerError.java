package jmirage.dns.dnssec;

import jmirage.dns.Name;

/** Why a zone could not be signed, or a key made. */
public sealed interface SignerError {

    /** Keys are made and used here for 13 ECDSAP256SHA256, 15 ED25519 and 8 RSASHA256. */
    record UnsupportedAlgorithm(int algorithm) implements SignerError {}

    /** The private key bytes do not have the algorithm's form. */
    record BadPrivateKey(int keyTag, String detail) implements SignerError {}

    /** A zone is signed with at least one key. */
    record NoKeys() implements SignerError {}

    /** RFC 4034 2.1.1: a key that signs a zone has the Zone Key flag. */
    record NotZoneKey(int keyTag, int flags) implements SignerError {}

    /** The records have no SOA at the origin (its TTLs and MINIMUM set the NSEC TTL, RFC 9077). */
    record NoSoa(Name origin) implements SignerError {}

    record OutsideZone(Name owner, Name origin) implements SignerError {}

    /** Signed data or an NSEC3 hash could not be computed. */
    record Computation(DnssecError error) implements SignerError {}

    default String describe() {
        return switch (this) {
            case UnsupportedAlgorithm(int algorithm) -> "cannot sign with algorithm " + algorithm
                    + " (13, 15 and 8 are supported)";
            case BadPrivateKey(int keyTag, String detail) -> "private key of key " + keyTag + ": " + detail;
            case NoKeys() -> "no signing key";
            case NotZoneKey(int keyTag, int flags) -> "key " + keyTag + " has flags " + flags + ", not a zone key";
            case NoSoa(Name origin) -> "no SOA at " + origin;
            case OutsideZone(Name owner, Name origin) -> owner + " is outside the zone " + origin;
            case Computation(DnssecError error) -> error.describe();
        };
    }
}
