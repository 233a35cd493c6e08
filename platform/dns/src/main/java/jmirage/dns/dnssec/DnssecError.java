package jmirage.dns.dnssec;

import jmirage.dns.NameError;

/** Why a DNSSEC computation (DS digest, signed data, NSEC3 hash) could not be made from its inputs. */
public sealed interface DnssecError {

    /** RFC 4034 5.1.3 digest types supported here: 1 (SHA-1), 2 (SHA-256, RFC 4509), 4 (SHA-384, RFC 6605). */
    record UnsupportedDigest(int digestType) implements DnssecError {}

    /** RFC 5155 11: hash algorithm 1 (SHA-1) is the only one defined. */
    record UnsupportedNsec3Hash(int algorithm) implements DnssecError {}

    /** An RRSIG covers an RRset of at least one record. */
    record EmptyRrset() implements DnssecError {}

    /** RFC 4034 3: the records do not share one owner and class, or are not of the covered type. */
    record NotOneRrset() implements DnssecError {}

    /** RFC 4035 5.3.1: the RRSIG Labels field is larger than the owner's label count. */
    record LabelsExceedOwner(int labels, int ownerLabels) implements DnssecError {}

    /** RFC 5155 5: the hashed owner (32 base32hex characters) under the zone is too long a name. */
    record Nsec3OwnerTooLong(NameError error) implements DnssecError {}

    default String describe() {
        return switch (this) {
            case UnsupportedDigest(int digestType) -> "unsupported DS digest type " + digestType;
            case UnsupportedNsec3Hash(int algorithm) -> "unsupported NSEC3 hash algorithm " + algorithm;
            case EmptyRrset() -> "empty RRset";
            case NotOneRrset() -> "records are not one RRset of the covered type";
            case LabelsExceedOwner(int labels, int ownerLabels) -> "RRSIG labels " + labels + " exceed the owner's "
                    + ownerLabels;
            case Nsec3OwnerTooLong(NameError error) -> "NSEC3 owner: " + error.describe();
        };
    }
}
