package jmirage.resolver.validate;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.dnssec.Dnssec;
import jmirage.resolver.core.Security;

/** RRSIG checks of one RRset with a zone's validated keys (RFC 4035 5.3), and the key policy. */
final class Signatures {

    /** A verified RRset; {@code wildcardParent} is the name the wildcard was under when the RRset was synthesised from one. */
    record Verified(Rrset rrset, Optional<Name> wildcardParent) {}

    /** RFC 5011 7: the REVOKE bit of the DNSKEY flags. */
    static final int REVOKE = 0x0080;

    private final ValidatorConfig config;

    Signatures(ValidatorConfig config) {
        this.config = config;
    }

    /**
     * Whether a key a DS points to can be used: its algorithm enabled and, for RSA, its modulus long
     * enough (a key below the size counts as an unsupported algorithm, RFC 4035 5.2). Keys of a
     * configured DNSKEY anchor are trusted whatever their size.
     */
    boolean usable(int algorithm, Rdata.Dnskey key) {
        if (!config.algorithms().contains(algorithm)) {
            return false;
        }
        return switch (algorithm) {
            case Dnssec.RSASHA1, Dnssec.RSASHA1_NSEC3, Dnssec.RSASHA256, Dnssec.RSASHA512 ->
                    rsaBits(key) >= config.minRsaBits();
            default -> true;
        };
    }

    /** RFC 3110 2: the modulus length in bits, 0 if the key is malformed. */
    static int rsaBits(Rdata.Dnskey key) {
        byte[] k = key.publicKey().toArray();
        if (k.length < 3) {
            return 0;
        }
        int expLen = k[0] & 0xff;
        int at = 1;
        if (expLen == 0) {
            expLen = (k[1] & 0xff) << 8 | (k[2] & 0xff);
            at = 3;
        }
        int start = at + expLen;
        return start >= k.length ? 0 : new BigInteger(1, java.util.Arrays.copyOfRange(k, start, k.length)).bitLength();
    }

    /**
     * RFC 4035 5.3: one RRSIG by one of {@code keys} (of zone {@code zone}) that verifies is enough.
     * The failure says why none did: no RRSIG (EDE 10), none by a key of the zone (EDE 9), expired
     * (7), not yet valid (8), or a bad signature (6).
     */
    Result<Verified, Security.Bogus> verify(Rrset rrset, Name zone, List<Rdata.Dnskey> keys, Instant now) {
        if (rrset.sigs().isEmpty()) {
            return Result.err(new Security.Bogus(10, "no RRSIG for " + describe(rrset)));
        }
        boolean expired = false, early = false, tried = false;
        String last = "";
        for (Rdata.Rrsig sig : rrset.sigs()) {
            if (!sig.signer().equals(zone) || !config.algorithms().contains(sig.algorithm())) {
                continue;
            }
            if (sig.labels() > rrset.name().labelCount() - (rrset.name().isWildcard() ? 1 : 0)) {
                last = "RRSIG labels exceed the owner's"; // RFC 4035 5.3.1
                tried = true;
                continue;
            }
            for (Rdata.Dnskey key : keys) {
                // RFC 5011 2.1: a revoked key validates nothing, not even the RRset it signs to say so
                if (key.algorithm() != sig.algorithm() || Dnssec.keyTag(key) != sig.keyTag() || (key.flags() & REVOKE) != 0) {
                    continue;
                }
                tried = true;
                Result<Unit, Dnssec.Failure> r = Dnssec.verify(sig, key, zone, rrset.records(), now);
                switch (r) {
                    case Result.Ok<Unit, Dnssec.Failure> ok -> {
                        int ownerLabels = rrset.name().labelCount() - (rrset.name().isWildcard() ? 1 : 0);
                        Optional<Name> wildcard = sig.labels() < ownerLabels
                                ? Optional.of(rrset.name().parent(rrset.name().labelCount() - sig.labels())) : Optional.empty();
                        return Result.ok(new Verified(rrset, wildcard));
                    }
                    case Result.Err<Unit, Dnssec.Failure>(Dnssec.Failure f) -> {
                        expired |= f instanceof Dnssec.Failure.Expired;
                        early |= f instanceof Dnssec.Failure.NotYetValid;
                        last = f.describe();
                    }
                }
            }
        }
        String what = describe(rrset);
        if (!tried) {
            return Result.err(new Security.Bogus(9, "no key of " + zone + " made an RRSIG of " + what));
        }
        if (expired) {
            return Result.err(new Security.Bogus(7, "signature of " + what + " expired"));
        }
        if (early) {
            return Result.err(new Security.Bogus(8, "signature of " + what + " not yet valid"));
        }
        return Result.err(new Security.Bogus(6, what + ": " + last));
    }

    static String describe(Rrset rrset) {
        return rrset.name() + " " + jmirage.dns.Type.name(rrset.type());
    }
}
