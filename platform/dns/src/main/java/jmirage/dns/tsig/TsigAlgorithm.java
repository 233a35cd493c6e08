package jmirage.dns.tsig;

import java.util.Optional;
import java.util.function.Supplier;
import jmirage.dns.Name;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/** The TSIG MAC algorithms of RFC 8945 6 that this library implements. */
public enum TsigAlgorithm {
    HMAC_SHA1("hmac-sha1.", SHA1Digest::new, 20),
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
