package jmirage.dns.tsig;

import java.util.Optional;
import java.util.function.Supplier;
import jmirage.dns.Name;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The TSIG MAC algorithms of RFC 8945 6 that this library implements. HMAC-MD5 (RFC 8945 6: "MUST
 * implement" for interoperability, "not recommended" for new keys) and HMAC-SHA224 (optional) are
 * here because keys in the field still use them (nsupdate's historic default, ocaml-dns's DNSKEY
 * algorithms 157 and 162).
 */
public enum TsigAlgorithm {
    HMAC_MD5("hmac-md5.sig-alg.reg.int.", MD5Digest::new, 16),
    HMAC_SHA1("hmac-sha1.", SHA1Digest::new, 20),
    HMAC_SHA224("hmac-sha224.", SHA224Digest::new, 28),
    HMAC_SHA256("hmac-sha256.", SHA256Digest::new, 32),
    HMAC_SHA384("hmac-sha384.", SHA384Digest::new, 48),
    HMAC_SHA512("hmac-sha512.", SHA512Digest::new, 64);

    private final Name name;
    final Supplier<Digest> digest;
    final int macLength;

    TsigAlgorithm(String name, Supplier<Digest> digest, int macLength) {
        this.name = Name.of(name);
        this.digest = digest;
        this.macLength = macLength;
    }

    public Name algorithmName() {
        return name;
    }

    public int macLength() {
        return macLength;
    }

    public static Optional<TsigAlgorithm> byName(Name n) {
        for (TsigAlgorithm a : values()) {
            if (a.name.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
