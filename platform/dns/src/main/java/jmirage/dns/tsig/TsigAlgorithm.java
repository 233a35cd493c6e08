package jmirage.dns.tsig;

import java.util.Optional;
import jmirage.dns.Name;

/**
 * The TSIG MAC algorithms of RFC 8945 6 that this library implements. HMAC-MD5 (RFC 8945 6: "MUST
 * implement" for interoperability, "not recommended" for new keys) and HMAC-SHA224 (optional) are
 * here because keys in the field still use them (nsupdate's historic default, ocaml-dns's DNSKEY
 * algorithms 157 and 162).
 *
 * <p>The MACs are the JDK's ({@code javax.crypto.Mac} of the SunJCE provider, by their standard names):
 * every Java SE runtime has them, with intrinsics for the SHA-2 family, and they keep Bouncy Castle's
 * signed jar, whose classes the AOT cache cannot hold and whose signature the JVM verifies when its
 * first class loads, off the boot of a DNS server that only checks TSIG (issue 18).
 */
public enum TsigAlgorithm {
    HMAC_MD5("hmac-md5.sig-alg.reg.int.", "HmacMD5", 16),
    HMAC_SHA1("hmac-sha1.", "HmacSHA1", 20),
    HMAC_SHA224("hmac-sha224.", "HmacSHA224", 28),
    HMAC_SHA256("hmac-sha256.", "HmacSHA256", 32),
    HMAC_SHA384("hmac-sha384.", "HmacSHA384", 48),
    HMAC_SHA512("hmac-sha512.", "HmacSHA512", 64);

    private final Name name;
    /** The Java Security Standard Algorithm Name of the MAC. */
    final String jcaName;
    final int macLength;

    TsigAlgorithm(String name, String jcaName, int macLength) {
        this.name = Name.of(name);
        this.jcaName = jcaName;
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
