package jmirage.openvpn.wire;

import java.util.Locale;
import java.util.Optional;

/** The HMAC digests `--auth` names for tls-auth (OpenVPN's default is SHA1). */
public enum Digest {
    SHA1("HmacSHA1", 20),
    SHA224("HmacSHA224", 28),
    SHA256("HmacSHA256", 32),
    SHA384("HmacSHA384", 48),
    SHA512("HmacSHA512", 64);

    private final String jcaName;
    private final int size;

    Digest(String jcaName, int size) {
        this.jcaName = jcaName;
        this.size = size;
    }

    public String jcaName() {
        return jcaName;
    }

    public int size() {
        return size;
    }

    /** By OpenVPN's name, in any case: {@code SHA256}, {@code sha1}, {@code SHA-256}. */
    public static Optional<Digest> named(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace("-", "");
        for (Digest d : values()) {
            if (d.name().equals(n)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
